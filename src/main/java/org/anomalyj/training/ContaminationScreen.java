package org.anomalyj.training;

import org.anomalyj.features.FeatureSession;
import org.anomalyj.method.AnomalyMethodPlugin;
import org.anomalyj.method.DefectPatches;
import org.anomalyj.task.Progress;

import com.google.gson.JsonObject;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Finds training images that are themselves anomalous. Each image is scored by the method fitted
 * on the other fold of a seeded two-fold split ({@link HeldOutScores#crossfit}), so an image is
 * never compared with itself; then {@link Contamination} decides which scores are outliers:
 * <ul>
 * <li>{@code FRACTION}: the highest {@code round(fraction * n)} scores;</li>
 * <li>{@code AUTO}: the scores beyond a robust outlier limit, {@link #autoLimit}: on the logarithm
 * of the scores (image scores are distances: positive, skewed to the right, and their spread grows
 * with their level), median plus {@link #AUTO_Z} robust standard deviations (1.4826 times the
 * median absolute deviation). Median and MAD ignore up to half of the images, so the anomalous ones
 * do not hide themselves by inflating the spread as they would a mean and standard deviation; the
 * limit needs no guess of how many there are.</li>
 * </ul>
 * Two folds, not the calibration's five: each fold model trains on half the images, which costs
 * about half a fit for PatchCore's coreset (quadratic in the patches) instead of three, and an
 * anomalous image meets fewer of its kind in the other fold than in four others, so repeated defects
 * of one type mask each other less.
 */
public final class ContaminationScreen {

	/** Folds of the screen's cross-fitting. */
	public static final int FOLDS = 2;

	/**
	 * Robust standard deviations above the median (of log scores) beyond which {@code auto} calls
	 * an image anomalous. Chosen from the tails of clean training sets (docs/RELIABILITY.md,
	 * "Contaminated training sets"): see {@link #autoLimit}.
	 */
	public static final double AUTO_Z = 4.5;

	/** Fewest images {@code auto} screens: below, median and MAD say too little about the goods. */
	public static final int AUTO_MIN_IMAGES = 10;

	/**
	 * @param scores every image's cross-fitted score, in the order of the images screened
	 * @param excluded the images left out, as indices into {@code scores}, ascending
	 * @param limit scores above it were left out ({@code auto}); for a fraction, the lowest score left out
	 */
	public record Result(float[] scores, int[] excluded, double limit) {

		/** The indices of the images kept, ascending. */
		public int[] kept() {
			boolean[] out = new boolean[scores.length];
			for (int i : excluded) out[i] = true;
			return IntStream.range(0, scores.length).filter(i -> !out[i]).toArray();
		}
	}

	private ContaminationScreen() {}

	/**
	 * Screens the images of {@code all} (at least 2).
	 *
	 * @param contamination {@code AUTO} or {@code FRACTION}
	 */
	public static Result run(Contamination contamination, AnomalyMethodPlugin plugin, JsonObject methodSettings, long seed, FeatureSession session,
		FeatureSession.Extracted all, int batchSize, Progress progress) {
		if (contamination.mode() == Contamination.Mode.NONE) throw new IllegalArgumentException("nothing to screen for contamination 0");
		float[] scores = HeldOutScores.crossfit(plugin, methodSettings, seed, session, all, DefectPatches.NONE, FOLDS, batchSize, progress, "screening folds").imageScores();
		return decide(contamination, scores);
	}

	/** Which of {@code scores} are outliers under {@code contamination}. */
	public static Result decide(Contamination contamination, float[] scores) {
		int n = scores.length;
		if (contamination.mode() == Contamination.Mode.FRACTION) {
			int drop = (int) Math.min(n - 1, Math.round(contamination.fraction() * n));
			Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
			// Highest first; ties by index, so the outcome is deterministic.
			Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> -scores[i]).thenComparingInt(i -> i));
			int[] excluded = new int[drop];
			for (int i = 0; i < drop; i++) excluded[i] = order[i];
			Arrays.sort(excluded);
			return new Result(scores, excluded, drop == 0 ? Double.NaN : scores[order[drop - 1]]);
		}
		double limit = autoLimit(scores);
		int[] excluded = IntStream.range(0, n).filter(i -> scores[i] > limit).toArray();
		return new Result(scores, excluded, limit);
	}

	/**
	 * The {@code auto} limit: {@code exp(median + AUTO_Z * 1.4826 * MAD)} of the log scores, or
	 * infinity when the scores are too few ({@link #AUTO_MIN_IMAGES}), not all positive, or have no
	 * spread (MAD 0: no robust scale to measure outliers by).
	 */
	public static double autoLimit(float[] scores) {
		int n = scores.length;
		if (n < AUTO_MIN_IMAGES) return Double.POSITIVE_INFINITY;
		double[] logs = new double[n];
		for (int i = 0; i < n; i++) {
			if (!(scores[i] > 0) || !Float.isFinite(scores[i])) return Double.POSITIVE_INFINITY;
			logs[i] = Math.log(scores[i]);
		}
		double median = median(logs);
		double[] dev = new double[n];
		for (int i = 0; i < n; i++) dev[i] = Math.abs(logs[i] - median);
		double mad = median(dev);
		if (!(mad > 0)) return Double.POSITIVE_INFINITY;
		return Math.exp(median + AUTO_Z * 1.4826 * mad);
	}

	static double median(double[] values) {
		double[] v = values.clone();
		Arrays.sort(v);
		int n = v.length;
		return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	}
}
