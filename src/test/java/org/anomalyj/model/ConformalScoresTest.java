package org.anomalyj.model;

import org.anomalyj.metrics.FalseAlarmBands;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The conformal logic on synthetic scores, where the law is known: thousands of calibration sets
 * drawn from one distribution, new "good" scores from the same one.
 */
class ConformalScoresTest {

	private static float[] ints(int n) {
		float[] f = new float[n];
		for (int i = 0; i < n; i++) f[i] = i + 1;
		return f;
	}

	@Test
	void handComputedRanksThresholdsAndPValues() {
		ConformalScores s = ConformalScores.of(new float[] {7, 3, 10, 1, 5, 2, 9, 4, 8, 6}); // 1..10, shuffled
		// alpha 0.2: r = ceil(11 * 0.8) = 9.
		assertEquals(9, s.rank(0.2));
		assertEquals(9f, s.threshold(0.2));
		assertEquals(2.0 / 11, s.falseAlarmRate(0.2), 1e-15);
		assertEquals(2.0 / 11, s.pValue(9.5f), 1e-15); // one score (10) >= 9.5
		assertEquals(3.0 / 11, s.pValue(9f), 1e-15); // ties count as >=: 9 and 10
		assertEquals(1.0 / 11, s.pValue(11f), 1e-15);
		assertEquals(1.0, s.pValue(0f), 1e-15);
		// alpha 0.01 needs 99 scores; with 10 the largest is used and the rate is 1/11.
		assertEquals(10f, s.threshold(0.01));
		assertEquals(1.0 / 11, s.falseAlarmRate(0.01), 1e-15);
		// 19 scores are exactly enough for 5 %: r = ceil(20 * 0.95) = 19, rate 1/20.
		ConformalScores t = ConformalScores.of(ints(19));
		assertEquals(19, t.rank(0.05));
		assertEquals(0.05, t.falseAlarmRate(0.05), 1e-15);
		// 99 for 1 %.
		assertEquals(0.01, ConformalScores.of(ints(99)).falseAlarmRate(0.01), 1e-15);
		assertEquals(1.0 / 99, ConformalScores.of(ints(98)).falseAlarmRate(0.01), 1e-15);
	}

	@Test
	void aScoreIsAboveTheThresholdExactlyWhenItsPValueIsAtMostTheRate() {
		SplittableRandom r = new SplittableRandom(11);
		for (int trial = 0; trial < 2000; trial++) {
			int n = 1 + r.nextInt(150);
			float[] cal = new float[n];
			// Integer scores, so ties are frequent.
			for (int i = 0; i < n; i++) cal[i] = r.nextInt(20);
			ConformalScores s = ConformalScores.of(cal);
			double alpha = 0.001 + 0.5 * r.nextDouble();
			float x = r.nextInt(22) - 1;
			assertEquals(x > s.threshold(alpha), s.pValue(x) <= s.falseAlarmRate(alpha) + 1e-12, "n=" + n + " alpha=" + alpha + " x=" + x);
		}
	}

	@Test
	void rejectsEmptyOrNonFiniteScores() {
		assertThrows(IllegalArgumentException.class, () -> ConformalScores.of(new float[0]));
		assertThrows(IllegalArgumentException.class, () -> ConformalScores.of(new float[] {1, Float.NaN}));
		assertThrows(IllegalArgumentException.class, () -> ConformalScores.of(new float[] {Float.POSITIVE_INFINITY}));
		assertThrows(IllegalArgumentException.class, () -> ConformalScores.of(new float[] {1}).threshold(0));
	}

	/**
	 * With one new good image per calibration draw the flags are independent Bernoulli trials of
	 * the exact conformal rate, so their count over 20000 draws must lie in its binomial band; with
	 * 25 images per draw they share the draw, and the count must lie in the beta-binomial band.
	 */
	@Test
	void falseAlarmRateOfGoodScoresIsTheConformalRate() {
		for (int n : new int[] {19, 99, 250}) {
			for (double alpha : new double[] {0.05, 0.01}) {
				SplittableRandom r = new SplittableRandom(n * 31L + (long) (alpha * 1000));
				int draws = 20000, flaggedSingle = 0, flaggedShared = 0, perDraw = 25;
				double pValueHits = 0;
				ConformalScores any = null;
				for (int d = 0; d < draws; d++) {
					float[] cal = new float[n];
					for (int i = 0; i < n; i++) cal[i] = gammaLike(r);
					ConformalScores s = ConformalScores.of(cal);
					any = s;
					float t = s.threshold(alpha);
					float x = gammaLike(r);
					if (x > t) flaggedSingle++;
					if (s.pValue(x) <= 0.1) pValueHits++;
					if (d < 2000) for (int j = 0; j < perDraw; j++) if (gammaLike(r) > t) flaggedShared++;
				}
				double rate = any.falseAlarmRate(alpha);
				assertTrue(rate <= alpha + 1e-12 || n < 1 / alpha - 1, "rate " + rate);
				double[] single = FalseAlarmBands.clopperPearson(flaggedSingle, draws, 0.999);
				assertTrue(single[0] <= rate && rate <= single[1],
					"n=" + n + " alpha=" + alpha + ": " + flaggedSingle + "/" + draws + " flagged, rate " + rate + " outside " + single[0] + ".." + single[1]);
				double[] law = FalseAlarmBands.betaBinomial(perDraw, n, any.rank(alpha));
				double[][] laws = new double[2000][];
				java.util.Arrays.fill(laws, law);
				int[] band = FalseAlarmBands.splitsInterval(laws, 0.999);
				assertTrue(flaggedShared >= band[0] && flaggedShared <= band[1],
					"n=" + n + " alpha=" + alpha + ": shared draws flagged " + flaggedShared + " outside " + band[0] + ".." + band[1]);
				// p-values of good images are uniform on {1/(n+1), ..., 1}: P(p <= 0.1) = floor(0.1 (n+1)) / (n+1) <= 0.1.
				double pExact = Math.floor(0.1 * (n + 1) + 1e-9) / (n + 1);
				double[] pBand = FalseAlarmBands.clopperPearson((int) pValueHits, draws, 0.999);
				assertTrue(pBand[0] <= pExact && pExact <= pBand[1], "P(p <= 0.1) = " + pValueHits / draws + ", exact " + pExact);
			}
		}
	}

	/** A skewed positive score, like a distance: the sum of two exponentials. */
	private static float gammaLike(SplittableRandom r) {
		return (float) (-Math.log(1 - r.nextDouble()) - Math.log(1 - r.nextDouble()));
	}
}
