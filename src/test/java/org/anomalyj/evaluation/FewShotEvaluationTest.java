package org.anomalyj.evaluation;

import org.anomalyj.data.CategoryFolder;
import org.anomalyj.inspect.Inspector;
import org.anomalyj.method.padim.Padim;
import org.anomalyj.method.patchcore.PatchCore;
import org.anomalyj.model.AnomalyModel;
import org.anomalyj.model.DeviceChoice;
import org.anomalyj.task.Progress;
import org.anomalyj.training.ModelTrainer;
import org.anomalyj.testing.SmallModel;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class FewShotEvaluationTest {

	private static final ModelTrainer.Settings SMALL = ModelTrainer.Settings.DEFAULT.withInputSize(64).withDevice(DeviceChoice.CPU);

	@Test
	void drawsAreDistinctSeededAndDifferPerKAndDraw() {
		int[] a = FewShotEvaluation.draw(40, 8, new Random(FewShotEvaluation.drawSeed(0, 8, 0)));
		assertEquals(8, Arrays.stream(a).distinct().count());
		assertTrue(Arrays.stream(a).allMatch(i -> i >= 0 && i < 40));
		assertArrayEquals(a, FewShotEvaluation.draw(40, 8, new Random(FewShotEvaluation.drawSeed(0, 8, 0))));
		assertFalse(Arrays.equals(a, FewShotEvaluation.draw(40, 8, new Random(FewShotEvaluation.drawSeed(0, 8, 1)))));
		assertEquals(40, FewShotEvaluation.draw(40, 40, new Random(1)).length);
	}

	@Test
	void oneAndTwoShotsWorkForBothMethodsAndMatchTheOrdinaryEvaluation() throws IOException {
		CategoryFolder c = CategoryFolder.open(SmallModel.SAMPLE);
		for (String method : List.of(Padim.NAME, PatchCore.NAME)) {
			ModelTrainer.Settings s = SMALL.withMethod(method, Map.of());
			FewShotEvaluation.Result r = FewShotEvaluation.run(c, List.of(1, 2), 2, s, Progress.NONE);
			assertEquals(2, r.rows().size());
			assertEquals(4, r.runs().size());
			for (FewShotEvaluation.Row row : r.rows()) {
				assertEquals(2, row.draws());
				for (String m : FewShotEvaluation.METRICS) {
					double mean = row.mean().get(m), sd = row.sd().get(m);
					assertTrue(mean >= 0 && mean <= 1 && sd >= 0, m + " " + mean + " ± " + sd);
				}
			}
			assertTrue(r.table().contains("±"), r.table());
			// The first one-shot run, redone the ordinary way: train on its image, evaluate the test set.
			FewShotEvaluation.Run first = r.runs().get(0);
			assertEquals(1, first.images().size());
			try (AnomalyModel m = ModelTrainer.train(first.images(), s.withSeed(FewShotEvaluation.drawSeed(s.seed(), 1, 0)), Progress.NONE)) {
				assertFalse(m.thresholds().isCalibrated());
				Evaluation.Result e = Evaluation.run(new Inspector(m), c, 8, Progress.NONE);
				for (String k : FewShotEvaluation.METRICS)
					assertEquals(e.metrics().values().get(k), first.metrics().get(k), 1e-4, method + " " + k);
			}
		}
	}

	@Test
	void refusesMoreShotsThanImages() throws IOException {
		CategoryFolder c = CategoryFolder.open(SmallModel.SAMPLE);
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FewShotEvaluation.run(c, List.of(41), 1, SMALL, Progress.NONE));
		assertTrue(e.getMessage().contains("41"), e.getMessage());
	}
}
