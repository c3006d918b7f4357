package org.anomalyj.metrics;

/**
 * The best F1 score over all thresholds of the precision-recall curve and the threshold reaching
 * it, as anomalib's {@code F1Max}: {@code f1 = 2 p r / (p + r)} at every distinct score (0 where
 * {@code p + r = 0}; anomalib adds 1e-10 to the denominator instead, a difference below 1e-9).
 * Among equal maxima the lowest threshold wins, as {@code argmax} over the ascending thresholds
 * of {@code precision_recall_curve} does. Predicting "anomalous" for scores {@code >= threshold}
 * gives this F1.
 *
 * @param value the maximum F1; NaN when there are no positives
 * @param threshold the score at which it is reached; NaN when there are no positives
 */
public record F1Max(double value, float threshold) {

	/**
	 * @param scores higher = more anomalous; no NaN
	 * @param labels {@code true} = anomalous
	 * @throws IllegalArgumentException when empty, of different lengths, or a score is NaN
	 */
	public static F1Max of(float[] scores, boolean[] labels) {
		Sweep s = new Sweep();
		ScoreRanking.of(scores, labels).sweep(s);
		return s.result();
	}

	static final class Sweep implements ThresholdSweep {

		private long positives;
		private double best = Double.NEGATIVE_INFINITY;
		private float bestThreshold = Float.NaN;

		@Override
		public void start(long positives, long negatives, int regions) {
			this.positives = positives;
		}

		@Override
		public void step(float threshold, long truePositives, long falsePositives, double overlap) {
			if (positives == 0) return;
			double p = (double) truePositives / (truePositives + falsePositives);
			double r = (double) truePositives / positives;
			double f1 = p + r == 0 ? 0 : 2 * p * r / (p + r);
			// >= : thresholds arrive descending, and the lowest one reaching the maximum wins.
			if (f1 >= best) {
				best = f1;
				bestThreshold = threshold;
			}
		}

		F1Max result() {
			return positives == 0 ? new F1Max(Double.NaN, Float.NaN) : new F1Max(best, bestThreshold);
		}
	}
}
