package org.anomalyj.metrics;

/**
 * Samples sorted once by score, swept from the highest score down with ties collapsed into one
 * step (as sklearn's {@code _binary_clf_curve} and the MVTec PRO code do). Sorting ({@link KeySort})
 * is the only costly part; the sweep is a sequential scan over packed keys.
 */
final class ScoreRanking {

	private final long[] keys;
	private final int size;
	private final double[] regionWeights;
	private final int regions;
	private final long positives;

	/**
	 * Takes ownership of {@code keys} and sorts its first {@code size} entries in place (their order
	 * carries no meaning for the metrics).
	 *
	 * @param regionWeights weight of a positive pixel per region id (1 / region size), index 0
	 *            unused; {@code null} when positives carry no region structure
	 */
	ScoreRanking(long[] keys, int size, double[] regionWeights, int regions) {
		if (size == 0)
			throw new IllegalArgumentException("no samples: metrics need at least one scored sample");
		KeySort.sort(keys, size);
		this.keys = keys;
		this.size = size;
		this.regionWeights = regionWeights;
		this.regions = regions;
		long p = 0;
		for (int i = 0; i < size; i++)
			if (ScoreKey.region(keys[i]) != 0) p++;
		this.positives = p;
	}

	/** Scores with binary labels, e.g. one score per image. */
	static ScoreRanking of(float[] scores, boolean[] labels) {
		if (scores == null || labels == null)
			throw new IllegalArgumentException("scores and labels must not be null");
		if (scores.length != labels.length)
			throw new IllegalArgumentException("scores and labels differ in length: " + scores.length + " vs " + labels.length);
		long[] keys = new long[scores.length];
		for (int i = 0; i < scores.length; i++) {
			if (Float.isNaN(scores[i]))
				throw new IllegalArgumentException("score " + i + " is NaN");
			keys[i] = ScoreKey.of(scores[i], labels[i] ? 1 : 0);
		}
		return new ScoreRanking(keys, keys.length, null, 0);
	}

	long positives() {
		return positives;
	}

	long negatives() {
		return size - positives;
	}

	void sweep(ThresholdSweep... sweeps) {
		for (ThresholdSweep s : sweeps)
			s.start(positives, negatives(), regions);
		long tp = 0;
		long fp = 0;
		double overlap = 0;
		int i = size - 1;
		while (i >= 0) {
			long top = keys[i];
			do {
				int region = ScoreKey.region(keys[i]);
				if (region == 0) {
					fp++;
				}
				else {
					tp++;
					if (regionWeights != null) overlap += regionWeights[region];
				}
				i--;
			}
			while (i >= 0 && ScoreKey.sameScore(keys[i], top));
			float threshold = ScoreKey.score(top);
			double o = regionWeights == null ? tp : overlap;
			for (ThresholdSweep s : sweeps)
				s.step(threshold, tp, fp, o);
		}
	}
}
