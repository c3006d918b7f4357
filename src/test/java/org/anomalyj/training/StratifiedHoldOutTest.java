package org.anomalyj.training;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class StratifiedHoldOutTest {

	@Test
	void quotasAreProportionalByLargestRemainder() {
		// 209 and 568 of 777, 78 held out: exact shares 20.98 and 57.02 -> 21 and 57.
		assertArrayEquals(new int[] {21, 57}, StratifiedHoldOut.quotas(new int[] {209, 568}, 78));
		// 10, 20, 30 of 60, 7 held out: 1.17, 2.33, 3.5 -> 1, 2, 3 and the remaining one to the largest remainder (3.5).
		assertArrayEquals(new int[] {1, 2, 4}, StratifiedHoldOut.quotas(new int[] {10, 20, 30}, 7));
	}

	@Test
	void everyCategoryGivesOneWhileThereAreEnough() {
		// 3 of 100 and 97 of 100, 4 held out: 0.12 and 3.88 -> 0 and 4, then the small one takes one.
		assertArrayEquals(new int[] {1, 3}, StratifiedHoldOut.quotas(new int[] {3, 97}, 4));
		// A category of one image keeps it for training.
		assertArrayEquals(new int[] {0, 2}, StratifiedHoldOut.quotas(new int[] {1, 40}, 2));
		// Fewer held out than categories: no category can give to another.
		assertArrayEquals(new int[] {0, 1}, StratifiedHoldOut.quotas(new int[] {5, 50}, 1));
	}

	@Test
	void oneCategorySplitsAsTheUnstratifiedShuffle() {
		int n = 37, held = 4;
		for (long seed : new long[] {0, 1, 42}) {
			List<Integer> shuffled = new ArrayList<>();
			for (int i = 0; i < n; i++) shuffled.add(i);
			Collections.shuffle(shuffled, new Random(seed));
			boolean[] out = StratifiedHoldOut.split(new int[n], 1, held, seed);
			for (int i = 0; i < n; i++) assertEquals(shuffled.subList(0, held).contains(i), out[i], "seed " + seed + ", item " + i);
		}
	}

	@Test
	void splitIsSeededAndHoldsOutEachCategorysQuota() {
		int[] category = new int[30];
		for (int i = 0; i < 30; i++) category[i] = i % 3 == 0 ? 0 : 1; // 10 and 20, interleaved
		boolean[] a = StratifiedHoldOut.split(category, 2, 6, 7), b = StratifiedHoldOut.split(category, 2, 6, 7);
		assertArrayEquals(a, b);
		int[] held = new int[2];
		for (int i = 0; i < 30; i++) if (a[i]) held[category[i]]++;
		assertArrayEquals(new int[] {2, 4}, held);
	}
}
