package org.anomalyj.training;

import org.anomalyj.data.CategoryFolder;
import org.anomalyj.data.TestSample;
import org.anomalyj.image.ImageFileReader;
import org.anomalyj.inspect.Inspection;
import org.anomalyj.inspect.Inspector;
import org.anomalyj.method.patchcore.PatchCore;
import org.anomalyj.model.AnomalyModel;
import org.anomalyj.model.DeviceChoice;
import org.anomalyj.task.Progress;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** End to end on the bundled sample data: train, save, load, inspect. */
class ModelTrainerTest {

	static final Path SAMPLE = Path.of("sample-data", "ball_screw");
	/** PatchCore with 10 % held out for calibration. */
	static final ModelTrainer.Settings HOLDOUT = ModelTrainer.Settings.DEFAULT.withDevice(DeviceChoice.CPU).withCalibration(Calibration.holdout(0.1));
	static CategoryFolder category;
	static AnomalyModel model;

	@BeforeAll
	static void train() throws IOException {
		category = CategoryFolder.open(SAMPLE);
		model = ModelTrainer.train(category.trainImages(), HOLDOUT, Progress.NONE);
	}

	@AfterAll
	static void close() {
		if (model != null) model.close();
	}

	@Test
	void bankIsTheCoresetFractionOfTheTrainingPatches() {
		int images = model.training().images();
		assertEquals(36, images, "40 good images minus 10 % held out for calibration");
		assertEquals(images * 32 * 32, model.training().patches());
		assertEquals(images * 32 * 32 / 10, ((PatchCore) model.method()).bankSize());
		assertEquals(4, model.thresholds().calibrationImages());
	}

	@Test
	void defectsScoreAboveGoodImagesAndAreFoundWhereTheMaskIs() throws IOException {
		Inspector inspector = new Inspector(model);
		float worstGood = Float.NEGATIVE_INFINITY, bestDefect = Float.POSITIVE_INFINITY;
		for (TestSample t : category.testSamples()) {
			Inspection r = inspector.inspect(ImageFileReader.read(t.image()).singlePlane());
			assertEquals(565, r.width());
			assertEquals(230, r.height());
			if (t.isAnomalous()) {
				bestDefect = Math.min(bestDefect, r.score());
				// The peak of the worst region lies on or near the ground-truth pitting.
				var mask = t.loadMask(r.width(), r.height());
				assertFalse(r.defects().regions().isEmpty(), t.image() + " has no defect region");
				boolean hit = false;
				for (var region : r.defects().regions())
					for (int y = region.minY(); y <= region.maxY() && !hit; y++)
						for (int x = region.minX(); x <= region.maxX() && !hit; x++)
							hit = mask.get(x, y) && r.defects().labels()[y * r.width() + x] != 0;
				assertTrue(hit, t.image() + ": no defect region overlaps the ground truth");
			} else {
				worstGood = Math.max(worstGood, r.score());
			}
		}
		assertTrue(bestDefect > worstGood, "every pitted image scores above every good one: " + bestDefect + " vs " + worstGood);
	}

	@Test
	void savedModelScoresIdenticallyAndSameSeedGivesTheSameFile(@TempDir Path dir) throws IOException {
		Path a = dir.resolve("a.zip"), b = dir.resolve("b.zip");
		model.save(a);
		try (AnomalyModel again = ModelTrainer.train(category.trainImages(), HOLDOUT, Progress.NONE)) {
			again.save(b);
		}
		// Training records its own timings; everything else (bank, thresholds, spec) must match.
		var ma = org.anomalyj.io.ModelArchive.read(a);
		var mb = org.anomalyj.io.ModelArchive.read(b);
		assertArrayEquals(ma.tensors().get("memory_bank").data(), mb.tensors().get("memory_bank").data());
		assertEquals(ma.manifest().get("thresholds"), mb.manifest().get("thresholds"));

		try (AnomalyModel loaded = AnomalyModel.load(a, DeviceChoice.CPU)) {
			var plane = ImageFileReader.read(category.testSamples("pitting").get(0).image()).singlePlane();
			Inspection x = new Inspector(model).inspect(plane), y = new Inspector(loaded).inspect(plane);
			assertEquals(x.score(), y.score(), 0f);
			assertArrayEquals(x.map(), y.map(), 0f);
		}
	}

	@Test
	void batchedAndSingleScoringAgree() throws IOException {
		Inspector inspector = new Inspector(model);
		List<TestSample> tests = category.testSamples();
		var p0 = ImageFileReader.read(tests.get(0).image()).singlePlane();
		var p1 = ImageFileReader.read(tests.get(tests.size() - 1).image()).singlePlane();
		List<Inspection> both = inspector.inspect(List.of(p0, p1));
		assertEquals(inspector.inspect(p0).score(), both.get(0).score(), 1e-4f);
		assertEquals(inspector.inspect(p1).score(), both.get(1).score(), 1e-4f);
	}

	@Test
	void emptyTrainingListIsAClearError() {
		IOException e = assertThrows(IOException.class, () -> ModelTrainer.train(List.of(), ModelTrainer.Settings.DEFAULT, Progress.NONE));
		assertEquals("no training images", e.getMessage());
		assertTrue(Files.isDirectory(SAMPLE));
	}
}
