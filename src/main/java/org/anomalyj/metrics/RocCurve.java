package org.anomalyj.metrics;

import java.util.Arrays;

/**
 * Receiver operating characteristic curve and its area, matching sklearn's {@code roc_curve} and
 * {@code roc_auc_score}: one point per distinct score (ties collapsed), starting at (0, 0), area
 * by the trapezoid rule.
 * <p>
 * The area is computed exactly in integer arithmetic over every distinct threshold. The stored
 * points omit those lying on a straight segment between their neighbours (like sklearn's
 * {@code drop_intermediate}), which keeps pixel-level curves small enough to plot and leaves the
 * area unchanged.
 * <p>
 * When only one class is present the curve is undefined: it has no points and {@link #auc()} is
 * NaN. A sample is predicted anomalous at threshold {@code t} when its score is {@code >= t}.
 */
public final class RocCurve {

	private final float[] thresholds;
	private final double[] fpr;
	private final double[] tpr;
	private final double auc;

	private RocCurve(float[] thresholds, double[] fpr, double[] tpr, double auc) {
		this.thresholds = thresholds;
		this.fpr = fpr;
		this.tpr = tpr;
		this.auc = auc;
	}

	/**
	 * @param scores higher = more anomalous; no NaN
	 * @param labels {@code true} = anomalous
	 * @throws IllegalArgumentException when empty, of different lengths, or a score is NaN
	 */
	public static RocCurve of(float[] scores, boolean[] labels) {
		Builder b = new Builder();
		ScoreRanking.of(scores, labels).sweep(b);
		return b.build();
	}

	/** Area under the curve; NaN when only one class is present. */
	public double auc() {
		return auc;
	}

	/** Number of stored points (0 when only one class is present). */
	public int size() {
		return fpr.length;
	}

	public double[] falsePositiveRates() {
		return fpr.clone();
	}

	public double[] truePositiveRates() {
		return tpr.clone();
	}

	/** Threshold of each point; the first, (0, 0), has +infinity. */
	public float[] thresholds() {
		return thresholds.clone();
	}

	@Override
	public String toString() {
		return "RocCurve[auc=" + auc + ", points=" + size() + "]";
	}

	/** Collects the curve during a {@link ScoreRanking} sweep. */
	static final class Builder implements ThresholdSweep {

		private long positives;
		private long negatives;
		private long prevTp;
		private long prevFp;
		/** Twice the area in units of (1 negative) x (1 positive): exact. */
		private long twiceArea;
		private final CollinearPoints points = new CollinearPoints();

		@Override
		public void start(long positives, long negatives, int regions) {
			this.positives = positives;
			this.negatives = negatives;
			points.add(Float.POSITIVE_INFINITY, 0, 0);
		}

		@Override
		public void step(float threshold, long truePositives, long falsePositives, double overlap) {
			twiceArea += (falsePositives - prevFp) * (truePositives + prevTp);
			prevTp = truePositives;
			prevFp = falsePositives;
			points.add(threshold, falsePositives, truePositives);
		}

		RocCurve build() {
			if (positives == 0 || negatives == 0)
				return new RocCurve(new float[0], new double[0], new double[0], Double.NaN);
			int n = points.size;
			double[] fpr = new double[n];
			double[] tpr = new double[n];
			for (int i = 0; i < n; i++) {
				fpr[i] = points.x[i] / (double) negatives;
				tpr[i] = points.y[i] / (double) positives;
			}
			double auc = twiceArea / (2.0 * positives * negatives);
			return new RocCurve(Arrays.copyOf(points.thresholds, n), fpr, tpr, auc);
		}
	}

	/** Integer curve points, dropping any point collinear with its neighbours as they arrive. */
	private static final class CollinearPoints {
		float[] thresholds = new float[64];
		long[] x = new long[64];
		long[] y = new long[64];
		int size;

		void add(float threshold, long px, long py) {
			if (size >= 2) {
				int b = size - 1;
				int a = size - 2;
				// Exact: counts are below 2^31, so the products stay below 2^62.
				if ((x[b] - x[a]) * (py - y[b]) == (px - x[b]) * (y[b] - y[a]))
					size--;
			}
			if (size == x.length) {
				int cap = 2 * size;
				thresholds = Arrays.copyOf(thresholds, cap);
				x = Arrays.copyOf(x, cap);
				y = Arrays.copyOf(y, cap);
			}
			thresholds[size] = threshold;
			x[size] = px;
			y[size] = py;
			size++;
		}
	}
}
