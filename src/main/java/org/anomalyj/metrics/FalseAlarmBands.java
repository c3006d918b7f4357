package org.anomalyj.metrics;

/**
 * How many false alarms to expect when checking a conformal threshold on good images.
 * <p>
 * With {@code n} calibration scores and the threshold at rank {@code r}, the false-alarm rate of
 * the threshold, over the draw of the calibration images, follows {@code Beta(n + 1 - r, r)}
 * (exchangeable, continuous scores). The {@code m} test images of one split share that rate, so
 * their false alarms follow a beta-binomial law, wider than a binomial one. Over independent
 * splits the counts add up; {@link #splitsInterval} gives the central interval of that sum.
 * {@link #clopperPearson} is the classic binomial confidence interval of an observed rate, which
 * treats the tested images as independent and is therefore too narrow here: it is reported for
 * comparison.
 */
public final class FalseAlarmBands {

	private FalseAlarmBands() {}

	/**
	 * Probabilities of 0..m false alarms among {@code m} good test images for a threshold at rank
	 * {@code r} of {@code n} calibration scores.
	 */
	public static double[] betaBinomial(int m, int n, int r) {
		if (m < 0 || n < 1 || r < 1 || r > n) throw new IllegalArgumentException("need m >= 0 and 1 <= r <= n, got m=" + m + ", n=" + n + ", r=" + r);
		int a = n + 1 - r, b = r;
		double[] lf = logFactorials(m + a + b + 1);
		double[] p = new double[m + 1];
		// P(x) = C(m, x) B(x + a, m - x + b) / B(a, b), with B(s, t) = (s-1)!(t-1)!/(s+t-1)! for integers.
		double logBab = lf[a - 1] + lf[b - 1] - lf[a + b - 1];
		for (int x = 0; x <= m; x++) {
			double logC = lf[m] - lf[x] - lf[m - x];
			double logB = lf[x + a - 1] + lf[m - x + b - 1] - lf[m + a + b - 1];
			p[x] = Math.exp(logC + logB - logBab);
		}
		return p;
	}

	/**
	 * The central {@code confidence} interval {@code [lo, hi]} of the total number of false alarms
	 * over independent splits, each with its own law (e.g. {@link #betaBinomial}).
	 */
	public static int[] splitsInterval(double[][] perSplit, double confidence) {
		double[] total = {1};
		for (double[] p : perSplit) total = convolve(total, p);
		double tail = (1 - confidence) / 2;
		int lo = quantile(total, tail), hi = quantile(total, 1 - tail);
		return new int[] {lo, hi};
	}

	/** Smallest x with P(X <= x) >= q. */
	private static int quantile(double[] pmf, double q) {
		double c = 0;
		for (int x = 0; x < pmf.length; x++) {
			c += pmf[x];
			if (c >= q - 1e-12) return x;
		}
		return pmf.length - 1;
	}

	private static double[] convolve(double[] a, double[] b) {
		double[] out = new double[a.length + b.length - 1];
		for (int i = 0; i < a.length; i++)
			for (int j = 0; j < b.length; j++) out[i + j] += a[i] * b[j];
		return out;
	}

	/** The Clopper-Pearson (exact binomial) interval of a rate from {@code x} of {@code n}. */
	public static double[] clopperPearson(int x, int n, double confidence) {
		if (n < 1 || x < 0 || x > n) throw new IllegalArgumentException("need 0 <= x <= n and n >= 1, got " + x + " of " + n);
		double tail = (1 - confidence) / 2;
		double[] lf = logFactorials(n);
		// lo: P(X >= x | lo) = tail; hi: P(X <= x | hi) = tail. Both monotone in p: bisection.
		double lo = x == 0 ? 0 : bisect(p -> 1 - binomialCdf(x - 1, n, p, lf) - tail);
		double hi = x == n ? 1 : bisect(p -> tail - binomialCdf(x, n, p, lf));
		return new double[] {lo, hi};
	}

	/** The root in (0, 1) of an increasing function. */
	private static double bisect(java.util.function.DoubleUnaryOperator f) {
		double lo = 0, hi = 1;
		for (int i = 0; i < 100; i++) {
			double mid = (lo + hi) / 2;
			if (f.applyAsDouble(mid) < 0) lo = mid;
			else hi = mid;
		}
		return (lo + hi) / 2;
	}

	private static double binomialCdf(int x, int n, double p, double[] lf) {
		double c = 0;
		for (int k = 0; k <= x; k++) c += Math.exp(lf[n] - lf[k] - lf[n - k] + k * Math.log(p) + (n - k) * Math.log1p(-p));
		return Math.min(1, c);
	}

	private static double[] logFactorials(int upTo) {
		double[] lf = new double[upTo + 1];
		for (int i = 2; i <= upTo; i++) lf[i] = lf[i - 1] + Math.log(i);
		return lf;
	}
}
