package org.anomalyj.fiji;

import org.anomalyj.data.CategoryFolder;
import org.anomalyj.model.AnomalyModel;
import org.anomalyj.model.DeviceChoice;
import org.anomalyj.task.Progress;
import org.anomalyj.testing.SmallModel;
import org.anomalyj.testing.TextureCategories;
import org.anomalyj.training.ModelTrainer;

import ij.IJ;
import ij.ImagePlus;
import ij.measure.ResultsTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Detect Anomalies with a model of several parts: the Results row names the part whose thresholds judged the image. */
class MultiCategoryDetectTest {

	@Test
	void theResultsRowNamesTheCategory(@TempDir Path dir) throws Exception {
		Path stripes = TextureCategories.write(dir.resolve("stripes"), 20, 1, true, 1), dots = TextureCategories.write(dir.resolve("dots"), 20, 1, false, 2);
		Path modelFile = dir.resolve("parts.zip");
		try (AnomalyModel m = ModelTrainer.trainCategories(List.of(new ModelTrainer.CategoryImages("stripes", CategoryFolder.open(stripes).trainImages()),
			new ModelTrainer.CategoryImages("dots", CategoryFolder.open(dots).trainImages())), SmallModel.settings(), null, Progress.NONE)) {
			m.save(modelFile);
		}
		ModelCache cache = new ModelCache();
		Feedback quiet = new Feedback() {
			@Override
			protected void showStatus(String message, long done, long total) {}

			@Override
			public void finished() {}

			@Override
			public void log(String line) {}
		};
		DetectAction.Parameters p = new DetectAction.Parameters(modelFile, true, 0.5, false, true, false, false, 0, DeviceChoice.CPU);
		ResultsTable table = ResultsTable.getResultsTable();
		for (Path category : List.of(stripes, dots)) {
			ImagePlus imp = IJ.openImage(category.resolve("test/spot/0.png").toString());
			DetectAction.Outcome o = DetectAction.run(imp, p, quiet, cache);
			String name = category.getFileName().toString();
			assertEquals(name, o.inspections().get(0).category());
			assertEquals(name, table.getStringValue(DetectionResults.CATEGORY, table.size() - 1));
			assertEquals(o.inspections().get(0).thresholds().pixel(), o.pixelThreshold());
		}
		cache.clear();
	}
}
