package org.anomalyj.method.efficientad;

import org.anomalyj.data.CategoryFolder;
import org.anomalyj.data.TestSample;
import org.anomalyj.image.ImageFileReader;
import org.anomalyj.inspect.Inspection;
import org.anomalyj.inspect.Inspector;
import org.anomalyj.io.ModelArchive;
import org.anomalyj.model.AnomalyModel;
import org.anomalyj.model.DeviceChoice;
import org.anomalyj.task.Progress;
import org.anomalyj.testing.SmallModel;
import org.anomalyj.training.ModelTrainer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** EfficientAD through the whole model: trained on sample images, calibrated, saved, loaded, scored. */
class EfficientAdModelTest {

	private static Inspection inspect(AnomalyModel model, Path image) throws IOException {
		return new Inspector(model).inspect(ImageFileReader.read(image).singlePlane());
	}

	@Test
	void trainsCalibratesAndScoresIdenticallyAfterLoading(@TempDir Path dir) throws IOException {
		CategoryFolder c = CategoryFolder.open(SmallModel.SAMPLE);
		ModelTrainer.Settings s = ModelTrainer.Settings.DEFAULT.withInputSize(64).withDevice(DeviceChoice.CPU)
			.withMethod(EfficientAd.NAME, Map.of("steps", "8", "width", "8", "batch-images", "2"));
		Path file = dir.resolve("efficientad.zip");
		List<TestSample> tests = c.testSamples().subList(0, 4);
		float[] before = new float[tests.size()];
		try (AnomalyModel m = ModelTrainer.train(c.trainImages().subList(0, 12), s, Progress.NONE)) {
			assertInstanceOf(EfficientAd.class, m.method());
			assertTrue(m.thresholds().isCalibrated());
			for (int i = 0; i < tests.size(); i++) before[i] = inspect(m, tests.get(i).image()).score();
			m.save(file);
		}
		ModelArchive archive = ModelArchive.read(file);
		assertEquals(EfficientAd.NAME, archive.method());
		assertTrue(archive.tensors().containsKey(Networks.weightName(Networks.STUDENT, 0)));
		try (AnomalyModel back = AnomalyModel.load(file, DeviceChoice.CPU)) {
			for (int i = 0; i < tests.size(); i++) {
				Inspection r = inspect(back, tests.get(i).image());
				assertEquals(before[i], r.score(), 0f, tests.get(i).image().toString());
				assertEquals(r.score() > back.thresholds().image(), r.anomalous());
			}
		}
	}
}
