package org.anomalyj.model;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** The drift test against SciPy 1.17's {@code mannwhitneyu(x, y, alternative='greater')} and hand-counted cases. */
class DriftCheckTest {

	@Test
	void exactTailCountsArrangements() {
		// Sizes 2 and 2: the 6 arrangements give U = 0, 1, 2, 2, 3, 4.
		assertEquals(1 / 6.0, DriftCheck.exactUpperTail(2, 2, 4), 1e-12);
		assertEquals(2 / 6.0, DriftCheck.exactUpperTail(2, 2, 3), 1e-12);
		assertEquals(4 / 6.0, DriftCheck.exactUpperTail(2, 2, 2), 1e-12);
		assertEquals(1, DriftCheck.exactUpperTail(2, 2, 0), 1e-12);
	}

	@Test
	void tailCountMatchesEnumeration() {
		// n = 3 calibration, m = 2 new, threshold the largest (r = 3): the C(5, 2) = 10 placements of the 2 new
		// among 5 positions; both above all 3 calibration scores: 1; at least one: 1 + 3 (one in the top gap, the other in 3 lower gaps).
		assertEquals(0.1, DriftCheck.tailPValue(3, 2, 3, 2), 1e-12);
		assertEquals(0.4, DriftCheck.tailPValue(3, 2, 3, 1), 1e-12);
		assertEquals(1, DriftCheck.tailPValue(3, 2, 3, 0), 1e-12);
		// The probabilities sum to 1 and the mean is m (n + 1 - r) / (n + 1).
		double mean = 0;
		for (int k = 1; k <= 20; k++) mean += DriftCheck.tailPValue(21, 20, 19, k); // E[K] = sum of P(K >= k)
		assertEquals(20 * 3 / 22.0, mean, 1e-9);
	}

	@Test
	void matchesScipyExact() {
		// mannwhitneyu([3,5,7.5,9],[1,2,4,6,8],alternative='greater',method='exact') = 0.20634920634920634
		assertEquals(0.20634920634920634, DriftCheck.rankSumPValue(new float[] {3, 5, 7.5f, 9}, new float[] {1, 2, 4, 6, 8}), 1e-12);
		// mannwhitneyu([3,5,7,9,11,12],[1,2,4,6,8,10,13], 'greater', method='exact') = 0.2668997668997669
		assertEquals(0.2668997668997669, DriftCheck.rankSumPValue(new float[] {3, 5, 7, 9, 11, 12}, new float[] {1, 2, 4, 6, 8, 10, 13}), 1e-12);
	}

	@Test
	void matchesScipyAsymptoticWithTies() {
		// mannwhitneyu(x, y, 'greater', method='asymptotic', use_continuity=True) = 0.0456954605517655
		float[] x = {1, 2, 2, 3, 5, 6, 7, 8, 9, 9, 10, 11}, y = {0, 1, 2, 3, 3, 4, 4, 5, 6, 7};
		assertEquals(0.0456954605517655, DriftCheck.rankSumPValue(x, y), 1e-6);
	}

	@Test
	void rejectsAtMostAtItsLevelWithoutDriftAndFindsAShift() {
		Random r = new Random(1);
		int rejected = 0, runs = 400, detected = 0;
		for (int k = 0; k < runs; k++) {
			float[] cal = normals(r, 21, 0), same = normals(r, 20, 0), shifted = normals(r, 20, 1.5);
			Thresholds t = Thresholds.calibrate(cal, cal, 0.01, "holdout");
			if (DriftCheck.of(t, same).drifted()) rejected++;
			if (DriftCheck.of(t, shifted).drifted()) detected++;
		}
		// Level 0.01: 4 expected of 400; P(Binomial(400, 0.01) > 12) < 0.001.
		assertTrue(rejected <= 12, rejected + " false drift reports in " + runs);
		assertTrue(detected > 0.9 * runs, detected + " of " + runs + " shifts by 1.5 sd detected");
	}

	@Test
	void summarisesPValues() {
		float[] cal = {1, 2, 3, 4, 5, 6, 7, 8, 9};
		Thresholds t = Thresholds.calibrate(cal, cal, 0.1, "holdout"); // threshold 9, false-alarm rate 1/10
		DriftCheck d = DriftCheck.of(t, new float[] {9.5f, 10, 11});
		assertEquals(3, d.flagged());
		assertEquals(0.1, d.medianP(), 1e-12); // each p = (1 + 0) / 10
		assertEquals(0.3, d.expectedFlagged(), 1e-12);
		// All 3 above all 9 calibration scores: one arrangement of C(12, 3) = 220, for both tests.
		assertEquals(1 / 220.0, d.rankSumPValue(), 1e-12);
		assertEquals(1 / 220.0, d.tailPValue(), 1e-12);
		assertEquals(2 / 220.0, d.pValue(), 1e-12);
		assertTrue(d.drifted());
		assertTrue(d.describe().startsWith("drift: 3 good images against 9 calibration images: median conformal p-value 0.100, 3 flagged"), d.describe());
		assertFalse(DriftCheck.of(t, new float[] {2.5f, 5.5f, 8.5f}).drifted());
	}

	private static float[] normals(Random r, int n, double shift) {
		float[] v = new float[n];
		for (int i = 0; i < n; i++) v[i] = (float) (r.nextGaussian() + shift);
		return v;
	}
}
