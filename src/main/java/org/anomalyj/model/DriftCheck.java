package org.anomalyj.model;

import java.util.Arrays;
import java.util.Locale;

/**
 * Whether good images of today score above a model's calibration images beyond chance: the sign
 * that production has drifted from the images the thresholds were set on, so that the promised
 * false-alarm rate no longer holds.
 * <p>
 * The test is the one-sided Wilcoxon rank-sum (Mann-Whitney U) test of the given goods' image
 * scores against the calibration scores, at level {@link #LEVEL}. Its statistic is the mean
 * conformal p-value in disguise: {@code U = #{(i, j): s_i > c_j}} (ties count one half), and the
 * goods' p-values {@code (1 + #{c_j >= s_i}) / (n + 1)} sum to {@code m - U / (n + 1)} plus a tie
 * term, so "U large" is "p-values small". Unlike a Kolmogorov-Smirnov or binomial test on the
 * p-values, which would take them as independent (they are not: all share one calibration set),
 * the rank-sum test's null distribution is exact under the very assumption the thresholds rest on,
 * that the goods and the calibration images are exchangeable. The p-value is exact (the
 * distribution of U by recursion) when scores do not tie and {@code m * n <= }
 * {@link #EXACT_LIMIT}, else from the normal approximation with tie and continuity corrections.
 *
 * @param goods images tested ({@code m})
 * @param calibration calibration images of the model ({@code n})
 * @param medianP the median of the goods' conformal p-values (about 0.5 without drift)
 * @param flagged goods above the model's conformal image threshold
 * @param expectedFlagged the number of those expected without drift ({@code m} times the threshold's false-alarm rate)
 * @param pValue the test's one-sided p-value: small means the goods score higher than chance allows
 */
public record DriftCheck(int goods, int calibration, double medianP, int flagged, double expectedFlagged, double pValue) {

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
		return new DriftCheck(m, cal.size(), median, flagged, m * thresholds.falseAlarmRate(), rankSumPValue(goodScores, cal.values()));
	}

	public boolean drifted() {
		return pValue < LEVEL;
	}

	/** One line for people: the verdict, the p-value summary and what to do. */
	public String describe() {
		String summary = String.format(Locale.ROOT, "%d good images against %d calibration images: median conformal p-value %.3f, %d flagged "
			+ "(%.2g expected), one-sided rank-sum test p = %.2g", goods, calibration, medianP, flagged, expectedFlagged, pValue);
		return drifted()
			? "drift: " + summary + " < " + LEVEL + "; the goods score above the calibration images beyond chance, so false alarms will exceed"
				+ " the promised rate: re-set the thresholds with goods of today (calibrate --good DIR)"
			: "no drift: " + summary + " (drift is reported below " + LEVEL + ")";
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
