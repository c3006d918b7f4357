package org.anomalyj.model;

/**
 * Images' pooled patch features summed per part, for the parts' descriptors ({@link Categories}):
 * sums in double, so that the mean of tens of thousands of images does not drift.
 */
public final class DescriptorSums {

	private final double[][] sums;
	private final int[] counts;

	public DescriptorSums(int categories, int dim) {
		this.sums = new double[categories][dim];
		this.counts = new int[categories];
	}

	/** Adds one image's pooled features to part {@code c}. */
	public void add(int c, float[] pooled) {
		double[] s = sums[c];
		if (pooled.length != s.length) throw new IllegalArgumentException(pooled.length + " pooled features, expected " + s.length);
		for (int i = 0; i < s.length; i++) s[i] += pooled[i];
		counts[c]++;
	}

	/** Images added to part {@code c}. */
	public int count(int c) {
		return counts[c];
	}

	/** The mean of part {@code c}'s images; NaN when it has none. */
	public float[] mean(int c) {
		float[] m = new float[sums[c].length];
		for (int i = 0; i < m.length; i++) m[i] = (float) (sums[c][i] / counts[c]);
		return m;
	}
}
