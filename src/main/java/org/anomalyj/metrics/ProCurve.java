package org.anomalyj.metrics;

import java.util.Arrays;
import java.util.List;

/**
 * Per-region overlap (PRO) against false positive rate, and its normalised area (AUPRO), as the
 * MVTec AD evaluation code defines them ({@code compute_pro} and {@code trapezoid} of
 * {@code mvtec_ad_evaluation}):
 * <ul>
 * <li>regions are the 8-connected components of each image's mask ({@link ConnectedRegions});</li>
 * <li>at a threshold, PRO is the mean over all regions of all images of the fraction of the
 * region's pixels scoring {@code >= threshold};</li>
 * <li>FPR is the fraction of all non-defect pixels of all images (good images included) scoring
 * {@code >= threshold};</li>
 * <li>pixels are swept by descending score with tied scores collapsed into one point; the curve
 * starts at (0, 0) and ends at (1, 1);</li>
 * <li>the area up to an FPR limit is the trapezoid rule, the last segment cut at the limit by
 * linear interpolation; AUPRO divides it by the limit (0.3 by convention).</li>
 * </ul>
 * Stored points omit interior points of horizontal and vertical runs (the area is unchanged).
 * When there is no defect region or no good pixel, the curve has no points and the areas are NaN.
 */
public final class ProCurve {

	/** The FPR limit the MVTec AD benchmark and anomalib report AUPRO at. */
	public static final double DEFAULT_FPR_LIMIT = 0.3;

	private final float[] thresholds;
	private final double[] fpr;
	private final double[] pro;

	private ProCurve(float[] thresholds, double[] fpr, double[] pro) {
		this.thresholds = thresholds;
		this.fpr = fpr;
		this.pro = pro;
	}

	/**
	 * @param maps one anomaly map and mask per image
	 * @throws IllegalArgumentException when the list is empty or a score is NaN
	 */
	public static ProCurve of(List<MaskedAnomalyMap> maps) {
		if (maps == null || maps.isEmpty())
			throw new IllegalArgumentException("no anomaly maps: the PRO curve needs at least one image");
		PixelKeyBuffer pixels = new PixelKeyBuffer();
		for (MaskedAnomalyMap m : maps)
			pixels.add(m);
		Builder b = new Builder();
		pixels.ranking().sweep(b);
		return b.build();
	}

	/** AUPRO up to FPR 0.3, normalised to [0, 1]. */
	public double aupro() {
		return aupro(DEFAULT_FPR_LIMIT);
	}

	/** Area up to {@code fprLimit} divided by {@code fprLimit}, in [0, 1]. */
	public double aupro(double fprLimit) {
		return area(fprLimit) / fprLimit;
	}

	/**
	 * Area under the curve from FPR 0 to {@code fprLimit} (in (0, 1]), the last trapezoid ending at
	 * the limit with PRO interpolated linearly; NaN for an empty curve.
	 */
	public double area(double fprLimit) {
		if (!(fprLimit > 0 && fprLimit <= 1))
			throw new IllegalArgumentException("FPR limit must be in (0, 1], got " + fprLimit);
		if (fpr.length == 0) return Double.NaN;
		double sum = 0;
		int i = 1;
		for (; i < fpr.length && fpr[i] <= fprLimit; i++)
			sum += 0.5 * (pro[i] + pro[i - 1]) * (fpr[i] - fpr[i - 1]);
		// fpr[i - 1] <= limit < fpr[i]: add the piece up to the limit.
		if (i < fpr.length && fpr[i - 1] != fprLimit) {
			double x0 = fpr[i - 1], y0 = pro[i - 1];
			double yAtLimit = y0 + (pro[i] - y0) * (fprLimit - x0) / (fpr[i] - x0);
			sum += 0.5 * (yAtLimit + y0) * (fprLimit - x0);
		}
		return sum;
	}

	public int size() {
		return fpr.length;
	}

	public double[] falsePositiveRates() {
		return fpr.clone();
	}

	public double[] pros() {
		return pro.clone();
	}

	/** Threshold of each point; the first, (0, 0), has +infinity. */
	public float[] thresholds() {
		return thresholds.clone();
	}

	@Override
	public String toString() {
		return "ProCurve[aupro@0.3=" + aupro() + ", points=" + size() + "]";
	}

	/** Collects the curve during a {@link ScoreRanking} sweep over pixels with region weights. */
	static final class Builder implements ThresholdSweep {

		private long positives;
		private long negatives;
		private int regions;
		private float[] thresholds = new float[64];
		private long[] fp = new long[64];
		private double[] overlap = new double[64];
		private int size;

		@Override
		public void start(long positives, long negatives, int regions) {
			this.positives = positives;
			this.negatives = negatives;
			this.regions = regions;
			add(Float.POSITIVE_INFINITY, 0, 0);
		}

		@Override
		public void step(float threshold, long truePositives, long falsePositives, double overlapSum) {
			// Once every defect pixel is in, PRO is exactly 1 (the running sum may be off by rounding).
			add(threshold, falsePositives, truePositives == positives ? regions : overlapSum);
		}

		private void add(float threshold, long f, double o) {
			if (size >= 2) {
				int b = size - 1;
				int a = size - 2;
				boolean vertical = fp[a] == fp[b] && fp[b] == f;
				boolean horizontal = overlap[a] == overlap[b] && overlap[b] == o;
				if (vertical || horizontal) size--;
			}
			if (size == fp.length) {
				int cap = 2 * size;
				thresholds = Arrays.copyOf(thresholds, cap);
				fp = Arrays.copyOf(fp, cap);
				overlap = Arrays.copyOf(overlap, cap);
			}
			thresholds[size] = threshold;
			fp[size] = f;
			overlap[size] = o;
			size++;
		}

		ProCurve build() {
			if (regions == 0 || negatives == 0)
				return new ProCurve(new float[0], new double[0], new double[0]);
			double[] x = new double[size];
			double[] y = new double[size];
			for (int i = 0; i < size; i++) {
				x[i] = fp[i] / (double) negatives;
				y[i] = Math.min(1.0, overlap[i] / regions);
			}
			return new ProCurve(Arrays.copyOf(thresholds, size), x, y);
		}
	}
}
