package org.anomalyj.method.nn;

import java.util.Random;

/**
 * Initial weights drawn from a seeded {@link Random}, so a network starts the same on every engine
 * and device.
 */
public final class Initialisation {

	private Initialisation() {}

	/**
	 * Xavier (Glorot) normal weights: standard deviation {@code sqrt(2 / (fanIn + fanOut))}.
	 *
	 * @param count number of values
	 */
	public static float[] xavierNormal(Random random, int count, int fanIn, int fanOut) {
		double std = Math.sqrt(2.0 / (fanIn + fanOut));
		return gaussian(random, count, std);
	}

	/**
	 * He (Kaiming) normal weights for layers followed by a ReLU: standard deviation {@code sqrt(2 / fanIn)}.
	 */
	public static float[] heNormal(Random random, int count, int fanIn) {
		return gaussian(random, count, Math.sqrt(2.0 / fanIn));
	}

	/** {@code count} values of a centred Gaussian with this standard deviation. */
	public static float[] gaussian(Random random, int count, double std) {
		float[] w = new float[count];
		for (int i = 0; i < count; i++) w[i] = (float) (random.nextGaussian() * std);
		return w;
	}
}
