package org.anomalyj.model;

import java.util.Arrays;

/**
 * Scores of good images that the scoring model did not train on, the reference of split-conformal
 * prediction. If a new good image is exchangeable with these {@code n} images, its score's rank
 * among the {@code n + 1} is uniform, which gives both:
 * <ul>
 * <li>the threshold for a false-alarm rate {@code alpha}: the {@code r}-th smallest score with
 * {@code r = ceil((n + 1)(1 - alpha))}; a new good image scores above it with probability
 * {@code (n + 1 - r) / (n + 1) <= alpha} (exactly, for continuous scores). With fewer than
 * {@code 1/alpha - 1} images {@code r} would exceed {@code n}; the largest score is then used,
 * whose rate {@code 1 / (n + 1)} is more than asked, and {@link #falseAlarmRate} says so;</li>
 * <li>the p-value of a score {@code s}: {@code (1 + #{scores >= s}) / (n + 1)}; for a good image
 * {@code P(p <= a) <= a} for every {@code a}, and {@code s} is above the threshold exactly when
 * {@code p <= falseAlarmRate(alpha)}.</li>
 * </ul>
 */
public final class ConformalScores {

	private final float[] sorted;

	private ConformalScores(float[] sorted) {
		this.sorted = sorted;
	}

	/**
	 * @throws IllegalArgumentException when empty or a score is not finite
	 */
	public static ConformalScores of(float[] scores) {
		if (scores.length == 0) throw new IllegalArgumentException("no calibration scores");
		for (float s : scores) if (!Float.isFinite(s)) throw new IllegalArgumentException("calibration score " + s + " is not finite");
		float[] s = scores.clone();
		Arrays.sort(s);
		return new ConformalScores(s);
	}

	public int size() {
		return sorted.length;
	}

	/** The scores, ascending (a copy). */
	public float[] values() {
		return sorted.clone();
	}

	/** The rank {@code r} (1-based) of the threshold for {@code alpha}, at most {@code n}. */
	public int rank(double alpha) {
		if (!(alpha > 0 && alpha < 1)) throw new IllegalArgumentException("false-alarm rate must be in (0, 1), was " + alpha);
		int n = sorted.length;
		// Guard against (n + 1)(1 - alpha) landing a hair above an integer through rounding.
		long r = (long) Math.ceil((n + 1) * (1 - alpha) - 1e-9);
		return (int) Math.max(1, Math.min(n, r));
	}

	/** Scores strictly above this are flagged. */
	public float threshold(double alpha) {
		return sorted[rank(alpha) - 1];
	}

	/**
	 * The false-alarm rate the threshold for {@code alpha} gives good images, in expectation over the
	 * calibration draw: {@code (n + 1 - r) / (n + 1)}; at most {@code alpha} when there are at least
	 * {@code 1/alpha - 1} scores, else {@code 1 / (n + 1)}. An upper bound when scores tie.
	 */
	public double falseAlarmRate(double alpha) {
		int n = sorted.length;
		return (double) (n + 1 - rank(alpha)) / (n + 1);
	}

	/** The share of the scores strictly above {@code threshold} (a threshold flags scores above it). */
	public double shareAbove(float threshold) {
		int above = 0;
		for (float s : sorted) if (s > threshold) above++;
		return (double) above / sorted.length;
	}

	/** The conformal p-value of a score: small means unlike the good images. NaN for a NaN score. */
	public double pValue(float score) {
		if (Float.isNaN(score)) return Double.NaN;
		int n = sorted.length;
		// Index of the first score >= s.
		int lo = 0, hi = n;
		while (lo < hi) {
			int mid = (lo + hi) >>> 1;
			if (sorted[mid] < score) lo = mid + 1;
			else hi = mid;
		}
		return (1.0 + (n - lo)) / (n + 1);
	}
}
