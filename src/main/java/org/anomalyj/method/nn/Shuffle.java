package org.anomalyj.method.nn;

import java.util.SplittableRandom;

/** The order of a training pass, drawn from the training's seeded generator. */
public final class Shuffle {

	private Shuffle() {}

	/** Fisher–Yates in place with {@code random}: the same order on every platform for the same generator state. */
	public static void shuffle(int[] a, SplittableRandom random) {
		for (int i = a.length - 1; i > 0; i--) {
			int j = random.nextInt(i + 1);
			int t = a[i];
			a[i] = a[j];
			a[j] = t;
		}
	}
}
