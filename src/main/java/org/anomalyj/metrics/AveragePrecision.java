package org.anomalyj.metrics;

/**
 * Average precision as sklearn's {@code average_precision_score}: the step-wise sum
 * {@code sum_n (R_n - R_(n-1)) P_n} over distinct thresholds, without interpolation. NaN when there
 * are no positives (sklearn returns 0 with a warning there; the value means nothing).
 */
public final class AveragePrecision {

	private AveragePrecision() {}

	/**
	 * @param scores higher = more anomalous; no NaN
	 * @param labels {@code true} = anomalous
	 * @throws IllegalArgumentException when empty, of different lengths, or a score is NaN
	 */
	public static double of(float[] scores, boolean[] labels) {
		Sweep s = new Sweep();
		ScoreRanking.of(scores, labels).sweep(s);
		return s.value();
	}

	static final class Sweep implements ThresholdSweep {

		private long positives;
		private long prevTp;
		/** Sum of (new true positives) x precision; divided by the positives at the end. */
		private double sum;

		@Override
		public void start(long positives, long negatives, int regions) {
			this.positives = positives;
		}

		@Override
		public void step(float threshold, long truePositives, long falsePositives, double overlap) {
			if (truePositives != prevTp)
				sum += (truePositives - prevTp) * ((double) truePositives / (truePositives + falsePositives));
			prevTp = truePositives;
		}

		double value() {
			return positives == 0 ? Double.NaN : sum / positives;
		}
	}
}
