package org.anomalyj.metrics;

import org.anomalyj.metrics.MetricsFixtures.BinaryCase;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** AUROC, AP and F1-max against scikit-learn on random data with ties (make_fixtures.py). */
class BinaryMetricsTest {

	private static final double TOL = 1e-9;

	@Test
	void aurocMatchesSklearn() {
		for (BinaryCase c : MetricsFixtures.binaryCases())
			assertEquals(c.expected().get("auroc").getAsDouble(), RocCurve.of(c.scores(), c.labels()).auc(), TOL, c.name());
	}

	@Test
	void averagePrecisionMatchesSklearn() {
		for (BinaryCase c : MetricsFixtures.binaryCases())
			assertEquals(c.expected().get("ap").getAsDouble(), AveragePrecision.of(c.scores(), c.labels()), TOL, c.name());
	}

	@Test
	void f1MaxAndItsThresholdMatchPrecisionRecallCurve() {
		for (BinaryCase c : MetricsFixtures.binaryCases()) {
			F1Max f1 = F1Max.of(c.scores(), c.labels());
			assertEquals(c.expected().get("f1Max").getAsDouble(), f1.value(), TOL, c.name());
			assertEquals(c.expected().get("f1Threshold").getAsFloat(), f1.threshold(), 0f, c.name());
		}
	}

	@Test
	void f1ThresholdReproducesTheF1WhenApplied() {
		for (BinaryCase c : MetricsFixtures.binaryCases()) {
			F1Max f1 = F1Max.of(c.scores(), c.labels());
			int tp = 0, fp = 0, fn = 0;
			for (int i = 0; i < c.scores().length; i++) {
				boolean predicted = c.scores()[i] >= f1.threshold();
				if (predicted && c.labels()[i]) tp++;
				else if (predicted) fp++;
				else if (c.labels()[i]) fn++;
			}
			assertEquals(2.0 * tp / (2.0 * tp + fp + fn), f1.value(), 1e-12, c.name());
		}
	}

	/**
	 * The stored points are a subset of sklearn's per-threshold points, and every sklearn point lies
	 * on the stored polyline (only collinear points were dropped).
	 */
	@Test
	void rocPointsAreSklearnsWithCollinearOnesDropped() {
		int checked = 0;
		for (BinaryCase c : MetricsFixtures.binaryCases()) {
			if (!c.expected().has("rocFpr")) continue;
			double[] fx = MetricsFixtures.doubles(c.expected().getAsJsonArray("rocFpr"));
			double[] fy = MetricsFixtures.doubles(c.expected().getAsJsonArray("rocTpr"));
			RocCurve roc = RocCurve.of(c.scores(), c.labels());
			double[] x = roc.falsePositiveRates();
			double[] y = roc.truePositiveRates();
			assertTrue(x.length <= fx.length, c.name());
			assertEquals(Float.POSITIVE_INFINITY, roc.thresholds()[0], c.name());
			int j = 0;
			for (int i = 0; i < x.length; i++) {
				while (j < fx.length && !(Math.abs(fx[j] - x[i]) < 1e-12 && Math.abs(fy[j] - y[i]) < 1e-12))
					j++;
				assertTrue(j < fx.length, c.name() + ": point " + i + " is not one of sklearn's");
			}
			for (int k = 0; k < fx.length; k++)
				assertTrue(onPolyline(x, y, fx[k], fy[k]), c.name() + ": sklearn point " + k + " off the curve");
			checked++;
		}
		assertTrue(checked >= 3);
	}

	private static boolean onPolyline(double[] x, double[] y, double px, double py) {
		for (int i = 1; i < x.length; i++) {
			double cross = (x[i] - x[i - 1]) * (py - y[i - 1]) - (px - x[i - 1]) * (y[i] - y[i - 1]);
			boolean within = px >= x[i - 1] - 1e-12 && px <= x[i] + 1e-12 && py >= y[i - 1] - 1e-12 && py <= y[i] + 1e-12;
			if (within && Math.abs(cross) < 1e-12) return true;
		}
		return false;
	}

	@Test
	void handCase() {
		// Scores 0.9+ 0.8- 0.8+ 0.3-: thresholds 0.9 -> (0, 1/2), 0.8 -> (1/2, 1), 0.3 -> (1, 1).
		// Area = 1/2 * (1/2 + 1) / 2 + 1/2 * 1 = 0.875. AP = 1/2 * 1 + 1/2 * 2/3 = 5/6.
		float[] s = {0.9f, 0.8f, 0.8f, 0.3f};
		boolean[] l = {true, false, true, false};
		RocCurve roc = RocCurve.of(s, l);
		assertEquals(0.875, roc.auc(), 0);
		assertArrayEquals(new double[] {0, 0, 0.5, 1}, roc.falsePositiveRates(), 0);
		assertArrayEquals(new double[] {0, 0.5, 1, 1}, roc.truePositiveRates(), 0);
		assertArrayEquals(new float[] {Float.POSITIVE_INFINITY, 0.9f, 0.8f, 0.3f}, roc.thresholds(), 0f);
		assertEquals(5.0 / 6, AveragePrecision.of(s, l), 1e-15);
		// F1 at 0.9: p 1, r 1/2 -> 2/3; at 0.8: p 2/3, r 1 -> 0.8; at 0.3: p 1/2, r 1 -> 2/3.
		assertEquals(new F1Max(0.8, 0.8f), F1Max.of(s, l));
	}

	@Test
	void equalF1AtTwoThresholdsPicksTheLowerOne() {
		// 0.9+ 0.8- 0.7- 0.6+: F1 is 2/3 at 0.9 (p 1, r 1/2) and at 0.6 (p 1/2, r 1), bit for bit.
		// precision_recall_curve lists thresholds ascending and argmax takes the first: 0.6 (checked
		// with sklearn 1.2.1, with and without anomalib's 1e-10 in the denominator).
		F1Max f1 = F1Max.of(new float[] {0.9f, 0.8f, 0.7f, 0.6f}, new boolean[] {true, false, false, true});
		assertEquals(new F1Max(2.0 / 3, 0.6f), f1);
	}

	@Test
	void oneClassGivesNaNNotAnException() {
		float[] s = {0.1f, 0.5f, 0.7f};
		boolean[] none = {false, false, false};
		boolean[] all = {true, true, true};
		assertTrue(Double.isNaN(RocCurve.of(s, none).auc()));
		assertTrue(Double.isNaN(RocCurve.of(s, all).auc()));
		assertEquals(0, RocCurve.of(s, all).size());
		assertTrue(Double.isNaN(AveragePrecision.of(s, none)));
		assertEquals(1.0, AveragePrecision.of(s, all), 0);
		assertTrue(Double.isNaN(F1Max.of(s, none).value()));
		assertEquals(new F1Max(1.0, 0.1f), F1Max.of(s, all));
	}

	@Test
	void badInputIsRejectedWithAClearMessage() {
		var empty = assertThrows(IllegalArgumentException.class, () -> RocCurve.of(new float[0], new boolean[0]));
		assertTrue(empty.getMessage().contains("no samples"), empty.getMessage());
		assertThrows(IllegalArgumentException.class, () -> AveragePrecision.of(new float[0], new boolean[0]));
		assertThrows(IllegalArgumentException.class, () -> F1Max.of(new float[0], new boolean[0]));
		var nan = assertThrows(IllegalArgumentException.class,
			() -> RocCurve.of(new float[] {1, Float.NaN}, new boolean[] {true, false}));
		assertTrue(nan.getMessage().contains("score 1 is NaN"), nan.getMessage());
		assertThrows(IllegalArgumentException.class, () -> RocCurve.of(new float[] {1}, new boolean[] {true, false}));
	}

	@Test
	void infiniteScoresAreOrdinaryThresholds() {
		float[] s = {Float.NEGATIVE_INFINITY, -3f, Float.POSITIVE_INFINITY, 2f};
		boolean[] l = {false, false, true, true};
		assertEquals(1.0, RocCurve.of(s, l).auc(), 0);
	}
}
