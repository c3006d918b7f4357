package org.anomalyj.training;

import org.anomalyj.data.CategoryFolder;
import org.anomalyj.data.TestSample;
import org.anomalyj.image.ImageFileReader;
import org.anomalyj.inspect.Inspection;
import org.anomalyj.inspect.Inspector;
import org.anomalyj.model.AnomalyModel;
import org.anomalyj.model.Categories;
import org.anomalyj.model.DeviceChoice;
import org.anomalyj.model.TrainingReport;
import org.anomalyj.task.Progress;
import org.anomalyj.testing.SmallModel;
import org.anomalyj.testing.TextureCategories;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A model of two clearly different synthetic parts (stripes and dots): each part's thresholds come
 * from its own held-out images, the model recognises which part an image shows, and the parts
 * survive the model file.
 */
class CategoryThresholdsTrainingTest {

	@TempDir
	static Path dir;
	static CategoryFolder stripes, dots;
	static AnomalyModel model;

	@BeforeAll
	static void train() throws IOException {
		stripes = CategoryFolder.open(TextureCategories.write(dir.resolve("stripes"), 20, 4, true, 1));
		dots = CategoryFolder.open(TextureCategories.write(dir.resolve("dots"), 20, 4, false, 2));
		model = ModelTrainer.trainCategories(parts(), SmallModel.settings(), null, Progress.NONE);
	}

	private static List<ModelTrainer.CategoryImages> parts() throws IOException {
		return List.of(new ModelTrainer.CategoryImages("stripes", stripes.trainImages()), new ModelTrainer.CategoryImages("dots", dots.trainImages()));
	}

	@AfterAll
	static void close() {
		if (model != null) model.close();
	}

	@Test
	void eachPartIsCalibratedOnItsOwnHeldOutImages() {
		Categories parts = model.categories();
		assertEquals(List.of("stripes", "dots"), parts.names());
		List<TrainingReport.Category> report = model.training().categories();
		// 10 % of 40 held out, 2 of each; every one recognised as its own part.
		for (int c = 0; c < 2; c++) {
			assertEquals(2, report.get(c).calibration());
			assertEquals(2, report.get(c).recognised(), report.get(c).name());
			assertEquals(2, parts.get(c).thresholds().calibrationImages());
			assertEquals(18, parts.get(c).images());
		}
		// The parts' calibration scores split the pooled ones between them, each score once.
		float[] pooled = model.thresholds().imageScores().values();
		float[] a = parts.get(0).thresholds().imageScores().values(), b = parts.get(1).thresholds().imageScores().values();
		float[] joined = Arrays.copyOf(a, a.length + b.length);
		System.arraycopy(b, 0, joined, a.length, b.length);
		Arrays.sort(joined);
		assertArrayEquals(pooled, joined);
		assertNotEquals(parts.get(0).thresholds().conformalImage(), parts.get(1).thresholds().conformalImage());
	}

	@Test
	void theModelRecognisesWhichPartAnImageShowsAndJudgesItByThatPartsThresholds() throws IOException {
		for (CategoryFolder folder : List.of(stripes, dots)) {
			int c = model.categories().index(folder.name());
			for (Inspection r : inspect(new Inspector(model), folder)) {
				assertEquals(folder.name(), r.nearestCategory());
				assertEquals(folder.name(), r.category());
				assertEquals(model.categories().get(c).thresholds().conformalImage(), r.thresholds().image());
				assertEquals(r.score() > r.thresholds().image(), r.anomalous());
				assertEquals(model.categories().get(c).thresholds().pValue(r.score()), r.pValue());
			}
		}
		// Told the part, the model judges by it, and still says which part it recognises.
		for (Inspection r : inspect(new Inspector(model, 0, "dots"), stripes)) {
			assertEquals("dots", r.category());
			assertEquals("stripes", r.nearestCategory());
			assertEquals(model.categories().get(1).thresholds().conformalImage(), r.thresholds().image());
		}
	}

	@Test
	void thePartsSurviveTheModelFile() throws IOException {
		Path file = dir.resolve("parts.zip");
		model.save(file);
		try (AnomalyModel back = AnomalyModel.load(file, DeviceChoice.CPU)) {
			Categories a = model.categories(), b = back.categories();
			assertEquals(a.names(), b.names());
			for (int c = 0; c < a.size(); c++) {
				assertArrayEquals(a.get(c).descriptor(), b.get(c).descriptor());
				assertEquals(a.get(c).images(), b.get(c).images());
				assertArrayEquals(a.get(c).thresholds().imageScores().values(), b.get(c).thresholds().imageScores().values());
				assertArrayEquals(a.get(c).thresholds().mapMaxima().values(), b.get(c).thresholds().mapMaxima().values());
			}
			assertEquals(model.training().categories(), back.training().categories());
			List<Inspection> before = inspect(new Inspector(model), dots), after = inspect(new Inspector(back), dots);
			for (int i = 0; i < before.size(); i++) {
				assertEquals(before.get(i).category(), after.get(i).category());
				assertEquals(before.get(i).score(), after.get(i).score(), 1e-4f * Math.abs(before.get(i).score()));
				assertEquals(before.get(i).verdict(), after.get(i).verdict());
			}
		}
	}

	@Test
	void crossFittedPartsCalibrateOnAllTheirImages() throws IOException {
		try (AnomalyModel crossfit = ModelTrainer.trainCategories(parts(), SmallModel.settings().withCalibration(Calibration.crossfit(3)), null,
			Progress.NONE)) {
			assertEquals("crossfit", crossfit.thresholds().calibration());
			for (int c = 0; c < 2; c++) {
				TrainingReport.Category r = crossfit.training().categories().get(c);
				assertEquals(20, r.calibration());
				assertEquals(20, r.recognised());
				assertEquals(20, crossfit.categories().get(c).thresholds().calibrationImages());
				assertEquals("crossfit", crossfit.categories().get(c).thresholds().calibration());
			}
			assertTrue(crossfit.training().describeCategories().contains("stripes 20 images (20 cross-fitted for calibration)"),
				crossfit.training().describeCategories());
		}
	}

	private static List<Inspection> inspect(Inspector inspector, CategoryFolder folder) throws IOException {
		List<RandomAccessibleInterval<? extends RealType<?>>> planes = new ArrayList<>();
		for (TestSample t : folder.testSamples()) planes.add(ImageFileReader.read(t.image()).singlePlane());
		return inspector.inspect(planes);
	}
}
