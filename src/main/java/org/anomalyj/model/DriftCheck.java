package org.anomalyj.model;

import java.util.Arrays;
import java.util.Locale;

/**
 * Whether good images of today score above a model's calibration images beyond chance: the sign
 * that production has drifted from the images the thresholds were set on, so that the promised
 * false-alarm rate no longer holds.
 * <p>
 * Two one-sided tests, each exact under the very assumption the thresholds rest on (the goods and
 * the calibration images are exchangeable), combined by Bonferroni at level {@link #LEVEL}:
 * <ul>
 * <li>the <b>tail count</b>: of the {@code m} goods, {@code K} score above the threshold, the
 * {@code r}-th smallest of the {@code n} calibration scores. Without drift {@code K} follows
 * {@code P(K = k) = C(k + n - r, k) C(m - k + r - 1, m - k) / C(n + m, m)} (the ways the goods fall
 * into the {@code n + 1} gaps between calibration scores); more false alarms than that allows is the
 * symptom users feel. Ties between goods and the threshold count as not flagged, which only makes
 * the test conservative;</li>
 * <li>the <b>rank sum</b> (Wilcoxon / Mann-Whitney U) of the goods' scores against the calibration
 * scores, which sees a shift of the whole distribution before it reaches the tail. Its statistic is
 * the mean conformal p-value in disguise: {@code U = #{(i, j): s_i > c_j}} (ties one half) and the
 * goods' p-values {@code (1 + #{c_j >= s_i}) / (n + 1)} sum to {@code m - U / (n + 1)} plus a tie
 * term. Exact (the distribution of U by recursion) when scores do not tie and
 * {@code m * n <= }{@link #EXACT_LIMIT}, else the normal approximation with tie and continuity
 * corrections.</li>
 * </ul>
 * A Kolmogorov-Smirnov or binomial test on the goods' p-values would take them as independent; they
 * are not (all share one calibration set), and such tests report drift far too often with small
 * calibration sets.
 *
 * @param goods images tested ({@code m})
 * @param calibration calibration images of the model ({@code n})
 * @param medianP the median of the goods' conformal p-values (about 0.5 without drift)
 * @param flagged goods above the model's conformal image threshold
 * @param expectedFlagged the number of those expected without drift ({@code m} times the threshold's false-alarm rate)
 * @param tailPValue {@code P(K >= flagged)} without drift
 * @param rankSumPValue the rank-sum test's one-sided p-value
 */
public record DriftCheck(int goods, int calibration, double medianP, int flagged, double expectedFlagged, double tailPValue, double rankSumPValue) {

	/** The test's level: drift is reported when {@link #pValue} is below it. */
	public static final double LEVEL = 0.01;

	/** Largest {@code m * n} whose p-value is computed exactly. */
	static final long EXACT_LIMIT = 4000;

	/**
	 * @param thresholds a calibrated model's thresholds
	 * @param goodScores image scores of images known to be good
	 * @throws IllegalArgumentException when the thresholds are uncalibrated or no score is given
	 */
	public static DriftCheck of(Thresholds thresholds, float[] goodScores) {
		ConformalScores cal = thresholds.imageScores();
		if (cal == null) throw new IllegalArgumentException("the model has no calibration scores to compare with");
		if (goodScores.length == 0) throw new IllegalArgumentException("no good images to check for drift");
		double[] p = new double[goodScores.length];
		int flagged = 0;
		for (int i = 0; i < p.length; i++) {
			p[i] = cal.pValue(goodScores[i]);
			if (goodScores[i] > thresholds.conformalImage()) flagged++;
		}
		Arrays.sort(p);
		int m = p.length;
		double median = m % 2 == 1 ? p[m / 2] : (p[m / 2 - 1] + p[m / 2]) / 2;
		int n = cal.size(), r = cal.rank(thresholds.alpha());
		return new DriftCheck(m, n, median, flagged, m * thresholds.falseAlarmRate(), tailPValue(n, m, r, flagged),
			rankSumPValue(goodScores, cal.values()));
	}

	/** The combined p-value: twice the smaller of the two (Bonferroni), at most 1. */
	public double pValue() {
		return Math.min(1, 2 * Math.min(tailPValue, rankSumPValue));
	}

	public boolean drifted() {
		return pValue() < LEVEL;
	}

	/** One line for people: the verdict, the p-value summary and what to do. */
	public String describe() {
		String summary = String.format(Locale.ROOT, "%d good images against %d calibration images: median conformal p-value %.3f, %d flagged "
			+ "(%.2g expected; tail-count test p = %.2g), rank-sum test p = %.2g; combined p = %.2g", goods, calibration, medianP, flagged,
			expectedFlagged, tailPValue, rankSumPValue, pValue());
		return drifted()
			? "drift: " + summary + " < " + LEVEL + "; the goods score above the calibration images beyond chance, so false alarms will exceed"
				+ " the promised rate: re-set the thresholds with goods of today (calibrate --good DIR)"
			: "no drift: " + summary + " (drift is reported below " + LEVEL + ")";
	}

	/**
	 * {@code P(K >= k)} for the number {@code K} of {@code m} exchangeable new scores above the
	 * {@code r}-th smallest of {@code n} calibration scores (continuous scores).
	 */
	static double tailPValue(int n, int m, int r, int k) {
		if (k <= 0) return 1;
		double logTotal = logChoose(n + m, m), p = 0;
		for (int j = k; j <= m; j++) p += Math.exp(logChoose(j + n - r, j) + logChoose(m - j + r - 1, m - j) - logTotal);
		return Math.min(1, p);
	}

	private static double logChoose(int a, int b) {
		double v = 0;
		for (int i = 1; i <= b; i++) v += Math.log((double) (a - b + i) / i);
		return v;
	}

	/**
	 * {@code P(U >= u)} under exchangeability, where {@code U} counts pairs with {@code x_i > y_j}
	 * (ties one half): small when the {@code x} tend to exceed the {@code y}.
	 */
	static double rankSumPValue(float[] x, float[] y) {
		int m = x.length, n = y.length;
		double u = 0;
		for (float a : x)
			for (float b : y) u += a > b ? 1 : a == b ? 0.5 : 0;
		float[] pooled = new float[m + n];
		System.arraycopy(x, 0, pooled, 0, m);
		System.arraycopy(y, 0, pooled, m, n);
		Arrays.sort(pooled);
		double tieTerm = 0;
		for (int i = 0; i < pooled.length;) {
			int j = i;
			while (j < pooled.length && pooled[j] == pooled[i]) j++;
			double t = j - i;
			tieTerm += t * t * t - t;
			i = j;
		}
		if (tieTerm == 0 && (long) m * n <= EXACT_LIMIT) return exactUpperTail(m, n, (int) Math.round(u));
		int total = m + n;
		double variance = m * (double) n / 12 * ((total + 1) - tieTerm / ((double) total * (total - 1)));
		if (!(variance > 0)) return 1; // every score equal: no evidence either way
		double z = (u - m * (double) n / 2 - 0.5) / Math.sqrt(variance);
		return upperNormalTail(z);
	}

	/**
	 * {@code P(U >= u)} for samples of sizes {@code m} and {@code n} without ties, from the
	 * recursion {@code P_{m,n}(u) = m/(m+n) P_{m-1,n}(u - n) + n/(m+n) P_{m,n-1}(u)} (the largest
	 * value belongs to the first sample, beating all {@code n} of the second, or to the second).
	 */
	static double exactUpperTail(int m, int n, int u) {
		// row[j] = distribution of U for sizes (i, j), over 0..i*j; rows i - 1 and i are kept
		double[][] previous = null, row = null;
		for (int i = 0; i <= m; i++) {
			row = new double[n + 1][];
			for (int j = 0; j <= n; j++) {
				double[] d = new double[i * j + 1];
				if (i == 0 || j == 0) d[0] = 1;
				else {
					double a = (double) i / (i + j), b = (double) j / (i + j);
					double[] first = previous[j], second = row[j - 1];
					for (int k = 0; k < first.length; k++) d[k + j] += a * first[k];
					for (int k = 0; k < second.length; k++) d[k] += b * second[k];
				}
				row[j] = d;
			}
			previous = row;
		}
		double[] d = row[n];
		double tail = 0;
		for (int k = Math.max(0, u); k < d.length; k++) tail += d[k];
		return Math.min(1, tail);
	}

	/** {@code P(Z > z)} for a standard normal {@code Z} (complementary error function, Numerical Recipes' erfc, relative error below 1.2e-7). */
	static double upperNormalTail(double z) {
		double x = z / Math.sqrt(2);
		double t = 1 / (1 + 0.5 * Math.abs(x));
		double erfc = t * Math.exp(-x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807
			+ t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
		if (x < 0) erfc = 2 - erfc;
		return erfc / 2;
	}
}
