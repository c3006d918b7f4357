package org.anomalyj.training;

import org.anomalyj.method.padim.Padim;
import org.anomalyj.model.AnomalyModel;
import org.anomalyj.model.DeviceChoice;
import org.anomalyj.model.TrainingReport;
import org.anomalyj.task.Progress;
import org.anomalyj.testing.PlantedDefects;

import com.google.gson.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Contaminated training sets: planted anomalous images are found, named, left out of training and
 * calibration, and remembered in the model file; a clean set loses nothing.
 */
class ContaminationTest {

	static final ModelTrainer.Settings SMALL = ModelTrainer.Settings.DEFAULT.withInputSize(64).withDevice(DeviceChoice.CPU)
		.withMethod(Padim.NAME, Map.of());

	@TempDir
	static Path dir;
	static List<Path> goods;

	@BeforeAll
	static void images() throws IOException {
		set = PlantedDefects.write(dir);
		goods = set.goods();
	}

	static PlantedDefects set;

	private static List<Path> contaminated() {
		return set.all();
	}

	@Test
	void autoNamesThePlantedImagesAndLeavesThemOut() throws IOException {
		try (AnomalyModel m = ModelTrainer.train(contaminated(), SMALL.withContamination(Contamination.AUTO), Progress.NONE)) {
			TrainingReport t = m.training();
			assertEquals("auto", t.contamination());
			assertEquals(List.of("slipped_30.png", "slipped_31.png", "slipped_32.png"), t.excluded().stream().map(TrainingReport.Excluded::image).toList());
			for (TrainingReport.Excluded e : t.excluded()) assertTrue(e.score() > t.screenLimit(), e + " above " + t.screenLimit());
			// 30 goods kept: 10 % (3) held out for calibration, 27 trained on.
			assertEquals(27, t.images());
			assertEquals(3, m.thresholds().calibrationImages());
			assertTrue(t.describeContamination().contains("3 training image(s) left out as anomalous"), t.describeContamination());
		}
	}

	@Test
	void aCleanSetLosesNothingAndMatchesTrainingWithoutTheScreen() throws IOException {
		try (AnomalyModel screened = ModelTrainer.train(goods, SMALL.withContamination(Contamination.AUTO), Progress.NONE);
			AnomalyModel trusted = ModelTrainer.train(goods, SMALL.withContamination(Contamination.NONE), Progress.NONE)) {
			assertEquals(List.of(), screened.training().excluded());
			assertTrue(Double.isFinite(screened.training().screenLimit()));
			assertEquals("0", trusted.training().contamination());
			assertEquals("", trusted.training().describeContamination());
			// Nothing left out: the same split, the same fit, the same thresholds.
			assertEquals(trusted.training().images(), screened.training().images());
			assertArrayEquals(trusted.thresholds().imageScores().values(), screened.thresholds().imageScores().values(), 1e-4f);
		}
	}

	@Test
	void aFractionLeavesOutTheHighestScoredAndIsDeterministic() throws IOException {
		Contamination tenth = Contamination.parse("0.1");
		try (AnomalyModel a = ModelTrainer.train(contaminated(), SMALL.withContamination(tenth), Progress.NONE);
			AnomalyModel b = ModelTrainer.train(contaminated(), SMALL.withContamination(tenth), Progress.NONE)) {
			// round(0.1 * 33) = 3: the planted images, scored highest.
			assertEquals(List.of("slipped_30.png", "slipped_31.png", "slipped_32.png"),
				a.training().excluded().stream().map(TrainingReport.Excluded::image).toList());
			assertEquals(a.training().excluded(), b.training().excluded());
			assertEquals(a.training().screenLimit(), b.training().screenLimit());
			assertArrayEquals(a.thresholds().imageScores().values(), b.thresholds().imageScores().values());
		}
	}

	@Test
	void theNamedImagesSurviveTheModelFile(@TempDir Path out) throws IOException {
		Path file = out.resolve("m.zip");
		List<TrainingReport.Excluded> named;
		try (AnomalyModel m = ModelTrainer.train(contaminated(), SMALL.withContamination(Contamination.AUTO), Progress.NONE)) {
			named = m.training().excluded();
			m.save(file);
		}
		try (AnomalyModel m = AnomalyModel.load(file, DeviceChoice.CPU)) {
			assertEquals(named, m.training().excluded());
			assertEquals("auto", m.training().contamination());
		}
	}

	@Test
	void reportsOfOlderFilesReadAsNotScreened() {
		JsonObject old = new JsonObject();
		old.addProperty("images", 12);
		TrainingReport r = TrainingReport.fromJson(old);
		assertEquals("", r.contamination());
		assertEquals(List.of(), r.excluded());
		assertEquals("", r.describeContamination());
	}

	@Test
	void autoLimitIsMedianPlusRobustDeviationsOfTheLogScores() {
		// logs -1,-1,-1,0,0,0,1,1,1,2,10: median 0; absolute deviations' median 1.
		double[] logs = {-1, -1, -1, 0, 0, 0, 1, 1, 1, 2, 10};
		float[] scores = new float[logs.length];
		for (int i = 0; i < logs.length; i++) scores[i] = (float) Math.exp(logs[i]);
		ContaminationScreen.Result r = ContaminationScreen.decide(Contamination.AUTO, scores);
		assertEquals(Math.exp(ContaminationScreen.AUTO_Z * 1.4826), r.limit(), 1e-6 * r.limit());
		assertArrayEquals(new int[] {10}, r.excluded());
		assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, r.kept());
	}

	@Test
	void autoNamesNothingWithoutARobustScale() {
		assertEquals(Double.POSITIVE_INFINITY, ContaminationScreen.autoLimit(new float[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 50}), "MAD 0");
		assertEquals(Double.POSITIVE_INFINITY, ContaminationScreen.autoLimit(new float[] {1, 2, 3, 100}), "too few images");
	}

	@Test
	void aFractionRoundsAndBreaksTiesByOrder() {
		ContaminationScreen.Result r = ContaminationScreen.decide(Contamination.parse("0.25"), new float[] {5, 9, 1, 9, 3, 2, 7, 4});
		assertArrayEquals(new int[] {1, 3}, r.excluded());
		assertEquals(9, r.limit());
	}

	@Test
	void parsesTheSetting() {
		assertEquals(Contamination.AUTO, Contamination.parse(" Auto "));
		assertEquals(Contamination.NONE, Contamination.parse("0"));
		assertEquals(0.05, Contamination.parse("0.05").fraction());
		for (String bad : List.of("0.5", "-0.1", "1", "lots", ""))
			assertThrows(IllegalArgumentException.class, () -> Contamination.parse(bad), bad);
	}
}
