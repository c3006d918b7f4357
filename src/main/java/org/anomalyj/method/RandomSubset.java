package org.anomalyj.method;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/** A random subset of {@code 0..n-1}: what PaDiM's channel choice and few-shot draws take. */
public final class RandomSubset {

	private RandomSubset() {}

	/**
	 * {@code k} distinct indices of {@code 0..n-1}, drawn with {@code random} by a partial
	 * Fisher-Yates shuffle (so the same generator state gives the same subset), in ascending order.
	 */
	public static int[] of(int n, int k, RandomGenerator random) {
		if (k < 0 || k > n) throw new IllegalArgumentException("cannot draw " + k + " of " + n);
		int[] all = new int[n];
		for (int i = 0; i < n; i++) all[i] = i;
		for (int i = 0; i < k; i++) {
			int j = i + random.nextInt(n - i);
			int t = all[i];
			all[i] = all[j];
			all[j] = t;
		}
		int[] picked = Arrays.copyOf(all, k);
		Arrays.sort(picked);
		return picked;
	}
}
