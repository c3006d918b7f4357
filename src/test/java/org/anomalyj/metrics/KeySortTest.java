package org.anomalyj.metrics;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class KeySortTest {

	private static final float[] SPECIAL = {Float.NEGATIVE_INFINITY, -Float.MAX_VALUE, -1e-30f, -0.0f, 0.0f,
		Float.MIN_VALUE, 1e-30f, 1f, Float.MAX_VALUE, Float.POSITIVE_INFINITY};

	/** Radix order must be score order, keep every key, and agree with the comparison sort. */
	@Test
	void radixSortOrdersScoresLikeAComparisonSort() {
		Random rnd = new Random(5);
		int n = KeySort.RADIX_MIN + 1234;
		long[] keys = new long[n];
		for (int i = 0; i < n; i++) {
			float s = switch (i % 4) {
				case 0 -> SPECIAL[rnd.nextInt(SPECIAL.length)];
				case 1 -> (float) rnd.nextGaussian();
				case 2 -> Math.round(rnd.nextGaussian() * 10) / 10f; // ties
				default -> Float.intBitsToFloat(rnd.nextInt()); // any bit pattern
			};
			if (Float.isNaN(s)) s = 0.5f;
			keys[i] = ScoreKey.of(s, rnd.nextInt(4) == 0 ? 1 + rnd.nextInt(1000) : 0);
		}
		long[] radix = keys.clone();
		KeySort.radixSortScores(radix, new long[n], n);
		long[] reference = keys.clone();
		Arrays.sort(reference);

		for (int i = 1; i < n; i++)
			assertTrue(Float.compare(ScoreKey.score(radix[i - 1]) + 0f, ScoreKey.score(radix[i]) + 0f) <= 0, "order at " + i);
		for (int i = 0; i < n; i++)
			assertEquals(reference[i] >> 32, radix[i] >> 32, "score at " + i);
		long[] sortedRadix = radix.clone();
		Arrays.sort(sortedRadix);
		assertArrayEquals(reference, sortedRadix, "same multiset of keys");
	}

	@Test
	void keysRoundTripAndFoldNegativeZero() {
		for (float s : SPECIAL) {
			long k = ScoreKey.of(s, 7);
			assertEquals(s + 0f, ScoreKey.score(k), 0f);
			assertEquals(7, ScoreKey.region(k));
		}
		assertEquals(ScoreKey.of(0.0f, 0), ScoreKey.of(-0.0f, 0));
		assertEquals(Integer.MAX_VALUE, ScoreKey.region(ScoreKey.of(1f, Integer.MAX_VALUE)));
	}

	@Test
	void smallAndLargeArraysBothEndSorted() {
		for (int n : new int[] {0, 1, 5, KeySort.RADIX_MIN, 3 * KeySort.RADIX_MIN}) {
			Random rnd = new Random(n);
			long[] keys = new long[n + 3];
			for (int i = 0; i < n; i++)
				keys[i] = ScoreKey.of((float) rnd.nextGaussian(), rnd.nextInt(2));
			keys[n] = Long.MIN_VALUE; // beyond n: must stay where it is
			KeySort.sort(keys, n);
			for (int i = 1; i < n; i++)
				assertTrue(keys[i - 1] >> 32 <= keys[i] >> 32, "n=" + n + " at " + i);
			assertEquals(Long.MIN_VALUE, keys[n]);
		}
	}
}
