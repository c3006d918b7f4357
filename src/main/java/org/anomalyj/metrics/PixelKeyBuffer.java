package org.anomalyj.metrics;

import java.util.Arrays;

/**
 * Collects pixels of many images as packed score/region keys (8 bytes a pixel, in one growing
 * array), labelling each image's defect regions on the way so that no mask needs to be kept.
 */
final class PixelKeyBuffer {

	/** Largest array the JVM reliably allocates. */
	private static final int MAX_PIXELS = Integer.MAX_VALUE - 8;

	private long[] keys = new long[0];
	private int size;
	/** 1 / region size, indexed by global region id; index 0 unused. */
	private double[] regionWeights = new double[16];
	private int regions;
	private int images;

	void add(MaskedAnomalyMap map) {
		float[] scores = map.scores();
		int n = scores.length;
		if (n > MAX_PIXELS - size)
			throw new IllegalArgumentException("too many pixels: " + size + " + " + n + " exceeds " + MAX_PIXELS);
		ConnectedRegions cr = ConnectedRegions.of(map.mask(), map.width(), map.height());
		int count = cr.count();
		if (regions + count + 1 > regionWeights.length)
			regionWeights = Arrays.copyOf(regionWeights, Math.max(regions + count + 1, 2 * regionWeights.length));
		for (int r = 1; r <= count; r++)
			regionWeights[regions + r] = 1.0 / cr.size(r);
		ensureCapacity(size + n);
		int[] labels = cr.labelsView();
		int base = regions;
		for (int i = 0; i < n; i++) {
			float s = scores[i];
			if (Float.isNaN(s))
				throw new IllegalArgumentException("anomaly map " + images + " has a NaN score at pixel " + i);
			int label = labels[i];
			keys[size + i] = ScoreKey.of(s, label == 0 ? 0 : base + label);
		}
		size += n;
		regions += count;
		images++;
	}

	private void ensureCapacity(int needed) {
		if (needed <= keys.length) return;
		long grown = keys.length + (keys.length >> 1);
		keys = Arrays.copyOf(keys, (int) Math.max(needed, Math.min(grown, MAX_PIXELS)));
	}

	int size() {
		return size;
	}

	int regions() {
		return regions;
	}

	/**
	 * Sorts the buffered keys in place and ranks them; the buffer stays usable (more images may be
	 * added and ranked again).
	 */
	ScoreRanking ranking() {
		return new ScoreRanking(keys, size, regionWeights, regions);
	}
}
