package org.anomalyj.training;

import org.anomalyj.data.CategoryFolder;
import org.anomalyj.data.TestSample;
import org.anomalyj.image.ImageFileReader;
import org.anomalyj.inspect.BatchInspection;
import org.anomalyj.sink.CsvSinkPlugin;
import org.anomalyj.sink.ScoresCsv;
import org.anomalyj.inspect.Inspection;
import org.anomalyj.inspect.Inspector;
import org.anomalyj.io.ModelArchive;
import org.anomalyj.method.padim.Padim;
import org.anomalyj.method.patchcore.PatchCore;
import org.anomalyj.model.AnomalyModel;
import org.anomalyj.model.DeviceChoice;
import org.anomalyj.model.F1Thresholds;
import org.anomalyj.model.Thresholds;
import org.anomalyj.task.Progress;

import com.google.gson.JsonObject;
import org.example.thirdparty.MeanDistancePlugin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Training, calibration, persistence and scoring end to end on sample-data, at 64 px for speed. */
class TrainingCalibrationTest {

	static final Path SAMPLE = Path.of("sample-data", "ball_screw");
	// Small sets are cross-fitted under "auto"; these tests exercise that mode explicitly.
	static final ModelTrainer.Settings SMALL = ModelTrainer.Settings.DEFAULT.withInputSize(64).withDevice(DeviceChoice.CPU).withCalibration(Calibration.AUTO);

	static CategoryFolder category;
	/** PaDiM on all 40 training images, thresholds cross-fitted (auto). */
	static AnomalyModel padim;

	@BeforeAll
	static void train() throws IOException {
		category = CategoryFolder.open(SAMPLE);
		padim = ModelTrainer.train(category.trainImages(), SMALL.withMethod(Padim.NAME, Map.of()), Progress.NONE);
	}

	@AfterAll
	static void close() {
		if (padim != null) padim.close();
	}

	private static Inspection inspect(AnomalyModel model, Path image) throws IOException {
		return new Inspector(model).inspect(ImageFileReader.read(image).singlePlane());
	}

	@Test
	void smallSetsAreCrossFittedOnAllImagesWithOutOfFoldScores() throws IOException {
		Thresholds t = padim.thresholds();
		assertEquals("crossfit", t.calibration());
		assertEquals(40, t.calibrationImages());
		assertEquals(40, padim.training().images(), "no image lost to calibration");
		assertEquals(5, padim.training().folds());
		// 40 scores are too few for 1 %: the largest is used, rate 1/41.
		assertEquals(1.0 / 41, t.falseAlarmRate(), 1e-12);
		assertEquals(t.imageScores().values()[39], t.image());
		// Out-of-fold scores come from models that did not see the image: higher than the final
		// model's scores of its own training images (which it fitted).
		double outOfFold = mean(t.imageScores().values());
		double inSample = 0;
		for (Path p : category.trainImages().subList(0, 10)) inSample += inspect(padim, p).score() / 10;
		assertTrue(outOfFold > 1.2 * inSample, "out-of-fold mean " + outOfFold + " vs in-sample " + inSample);
	}

	private static double mean(float[] v) {
		double s = 0;
		for (float x : v) s += x;
		return s / v.length;
	}

	@Test
	void pValuesAndVerdictsFollowTheStoredCalibrationScoresAndSurviveSaving(@TempDir Path dir) throws IOException {
		Path file = dir.resolve("padim.zip");
		padim.save(file);
		ModelArchive archive = ModelArchive.read(file);
		assertEquals(Padim.NAME, archive.method());
		assertEquals(40, archive.tensors().get(Thresholds.IMAGE_SCORES).elementCount());
		float[] cal = archive.tensors().get(Thresholds.IMAGE_SCORES).toFloats();
		try (AnomalyModel back = AnomalyModel.load(file, DeviceChoice.CPU)) {
			assertEquals(padim.thresholds().image(), back.thresholds().image());
			assertEquals(padim.thresholds().pixel(), back.thresholds().pixel());
			for (TestSample s : category.testSamples().subList(3, 9)) {
				Inspection a = inspect(padim, s.image()), b = inspect(back, s.image());
				assertEquals(a.score(), b.score(), 1e-4f * a.score());
				int atLeast = 0;
				for (float c : cal) if (c >= a.score()) atLeast++;
				assertEquals((1.0 + atLeast) / 41, a.pValue(), 1e-12, s.image().toString());
				assertEquals(a.score() > padim.thresholds().image(), a.anomalous());
				assertEquals(a.anomalous() ? "anomalous" : "good", a.verdict());
				assertEquals(Math.min(1, 0.5 * a.score() / padim.thresholds().image()), a.normalisedScore(), 1e-6);
			}
		}
	}

	@Test
	void holdOutKeepsImagesOutOfTraining() throws IOException {
		try (AnomalyModel m = ModelTrainer.train(category.trainImages(), SMALL.withMethod(Padim.NAME, Map.of()).withCalibration(Calibration.holdout(0.25)),
			Progress.NONE)) {
			assertEquals("holdout", m.thresholds().calibration());
			assertEquals(10, m.thresholds().calibrationImages());
			assertEquals(30, m.training().images());
		}
	}

	@Test
	void oneImageTrainsAModelWithoutThresholds(@TempDir Path dir) throws IOException {
		for (String method : List.of(Padim.NAME, PatchCore.NAME)) {
			try (AnomalyModel m = ModelTrainer.train(category.trainImages().subList(0, 1), SMALL.withMethod(method, Map.of()), Progress.NONE)) {
				assertFalse(m.thresholds().isCalibrated());
				assertEquals("none", m.training().calibration());
				Path file = dir.resolve(method + ".zip");
				m.save(file);
				JsonObject manifest = ModelArchive.read(file).manifest();
				assertEquals("none", manifest.getAsJsonObject("thresholds").get("calibration").getAsString());
				try (AnomalyModel back = AnomalyModel.load(file, DeviceChoice.CPU)) {
					Inspection r = inspect(back, category.testSamples("pitting").get(0).image());
					assertTrue(r.score() > 0 && Float.isFinite(r.score()));
					assertEquals("uncalibrated", r.verdict());
					assertFalse(r.anomalous());
					assertTrue(Double.isNaN(r.pValue()) && Float.isNaN(r.normalisedScore()));
					assertTrue(r.defects().regions().isEmpty());
				}
			}
		}
	}

	@Test
	void aThirdPartyMethodTrainsSavesAndLoadsWithoutChangesToAnomalyJ(@TempDir Path dir) throws IOException {
		Path file = dir.resolve("mean.zip");
		ModelTrainer.Settings s = SMALL.withMethod(MeanDistancePlugin.NAME, Map.of("scale", "2")).withCalibration(Calibration.holdout(0.25));
		float score;
		try (AnomalyModel m = ModelTrainer.train(category.trainImages().subList(0, 12), s, Progress.NONE)) {
			assertEquals(MeanDistancePlugin.NAME, m.method().name());
			score = inspect(m, category.testSamples("pitting").get(0).image()).score();
			m.save(file);
		}
		assertEquals(2.0, ModelArchive.read(file).manifest().getAsJsonObject(MeanDistancePlugin.NAME).get("scale").getAsDouble());
		try (AnomalyModel back = AnomalyModel.load(file, DeviceChoice.CPU)) {
			assertEquals(score, inspect(back, category.testSamples("pitting").get(0).image()).score(), 1e-4f * score);
		}
	}

	@Test
	void f1ThresholdsFromLabelledDefectsMaximiseF1AndCanDecide(@TempDir Path dir) throws IOException {
		List<DefectThresholds.Example> defects = DefectThresholds.find(SAMPLE);
		assertEquals(8, defects.size());
		assertTrue(defects.stream().allMatch(d -> d.mask() != null));
		F1Thresholds f1 = DefectThresholds.learn(padim, defects, 4, Progress.NONE);
		assertEquals(8, f1.defectImages());
		assertEquals(40, f1.goodImages());
		// Independent check: the best F1 of "score > t" over every candidate t, goods = calibration scores.
		float[] goods = padim.thresholds().imageScores().values();
		float[] bad = new float[8];
		for (int i = 0; i < 8; i++) bad[i] = inspect(padim, defects.get(i).image()).score();
		double best = 0;
		for (float t : concat(goods, bad)) best = Math.max(best, f1(goods, bad, Math.nextDown(t)));
		assertEquals(best, f1.imageF1(), 1e-9);
		assertEquals(best, f1(goods, bad, f1.image()), 1e-6, "the stored threshold reaches the stored F1 with 'score > threshold'");
		assertTrue(f1.pixelF1() > 0 && f1.pixelF1() <= 1);

		// Stored, and chosen to decide, they survive saving.
		Path file = dir.resolve("f1.zip");
		padim.save(file);
		try (AnomalyModel m = AnomalyModel.load(file, DeviceChoice.CPU)) {
			DefectThresholds.addTo(m, defects, true, 4, Progress.NONE);
			m.save(file);
		}
		try (AnomalyModel back = AnomalyModel.load(file, DeviceChoice.CPU)) {
			assertEquals(Thresholds.Choice.F1, back.thresholds().active());
			assertEquals(f1.image(), back.thresholds().image(), 1e-3f * f1.image());
			Inspection r = inspect(back, defects.get(0).image());
			assertEquals(Math.min(1, 0.5 * r.score() / back.thresholds().image()), r.normalisedScore(), 1e-6);
			back.useThresholds(Thresholds.Choice.CONFORMAL);
			assertEquals(back.thresholds().conformalImage(), back.thresholds().image());
		}
	}

	private static float[] concat(float[] a, float[] b) {
		float[] c = java.util.Arrays.copyOf(a, a.length + b.length);
		System.arraycopy(b, 0, c, a.length, b.length);
		return c;
	}

	private static double f1(float[] goods, float[] bad, float t) {
		int tp = 0, fp = 0;
		for (float b : bad) if (b > t) tp++;
		for (float g : goods) if (g > t) fp++;
		if (tp == 0) return 0;
		double p = (double) tp / (tp + fp), r = (double) tp / bad.length;
		return 2 * p * r / (p + r);
	}

	@Test
	void batchCsvListsPValuesAndVerdicts(@TempDir Path dir) throws IOException {
		List<Path> inputs = List.of(category.testSamples("good").get(0).image(), category.testSamples("pitting").get(0).image());
		BatchInspection.Settings s = new BatchInspection.Settings(List.of(CsvSinkPlugin.NAME), 0.5, 8);
		BatchInspection.run(new Inspector(padim), inputs, dir, s, Progress.NONE);
		List<String> lines = Files.readAllLines(dir.resolve(ScoresCsv.FILE_NAME));
		assertEquals("file,plane,status,score,normalised_score,p_value,verdict,defects,defect_area_px,reason", lines.get(0));
		for (int i = 0; i < 2; i++) {
			String[] f = lines.get(i + 1).split(",");
			Inspection r = inspect(padim, inputs.get(i));
			assertEquals(r.pValue(), Double.parseDouble(f[5]), 1e-5);
			assertEquals(r.verdict(), f[6]);
		}
		// A rerun resumes from the CSV it wrote.
		assertEquals(2, BatchInspection.run(new Inspector(padim), inputs, dir, s, Progress.NONE).resumed());
	}
}
