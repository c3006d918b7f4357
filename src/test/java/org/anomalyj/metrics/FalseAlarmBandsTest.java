package org.anomalyj.metrics;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Reference values from scipy.stats (betabinom.pmf, beta.ppf), scipy 1.10. */
class FalseAlarmBandsTest {

	@Test
	void betaBinomialMatchesScipy() {
		// m = 12 test images, threshold at rank 33 of 34 scores: Beta(2, 33) rate.
		double[] p = FalseAlarmBands.betaBinomial(12, 34, 33);
		double[] scipy = {0.5420289855072462, 0.2956521739130432, 0.113447927199191, 0.03601521498387017, 0.009882223623622935,
			0.0023717336696695026};
		for (int x = 0; x < scipy.length; x++) assertEquals(scipy[x], p[x], 1e-12, "x = " + x);
		assertEquals(1, java.util.Arrays.stream(p).sum(), 1e-12);
		double[] q = FalseAlarmBands.betaBinomial(46, 183, 183);
		double[] scipy2 = {0.7991266375546668, 0.16122730406804064, 0.031961359837276285, 0.006222565632036554};
		for (int x = 0; x < scipy2.length; x++) assertEquals(scipy2[x], q[x], 1e-12, "x = " + x);
	}

	@Test
	void intervalOfTheSumOverSplitsMatchesScipyConvolution() {
		double[] p = FalseAlarmBands.betaBinomial(5, 19, 19);
		assertArrayEquals(new int[] {0, 3}, FalseAlarmBands.splitsInterval(new double[][] {p, p, p}, 0.95));
	}

	@Test
	void clopperPearsonMatchesScipyBetaQuantiles() {
		assertArrayEquals(new double[] {0.011805285518544031, 0.05916855454550887}, FalseAlarmBands.clopperPearson(7, 240, 0.95), 1e-9);
		assertArrayEquals(new double[] {0, 0.07112173646419764}, FalseAlarmBands.clopperPearson(0, 50, 0.95), 1e-9);
		assertArrayEquals(new double[] {0.9288782635358024, 1}, FalseAlarmBands.clopperPearson(50, 50, 0.95), 1e-9);
		assertArrayEquals(new double[] {0.0320709371854637, 0.37892682654531396}, FalseAlarmBands.clopperPearson(3, 20, 0.95), 1e-9);
	}
}
