package org.anomalyj.model;

import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import org.anomalyj.io.JsonFields;

import java.io.IOException;
import java.util.Arrays;

/**
 * Decision thresholds calibrated on good images held out of training (split conformal
 * prediction): with {@code n} calibration scores, the threshold is the
 * {@code ceil((n + 1)(1 - alpha))}-th smallest, so a new good image, exchangeable with them, is
 * flagged with probability at most {@code alpha}. The same holds for the defect mask, whose
 * threshold is calibrated on the maxima of the calibration images' maps: a good image then has an
 * empty mask with probability at least {@code 1 - alpha}.
 *
 * @param image threshold on the image score
 * @param pixel threshold on anomaly-map pixels
 * @param alpha the false-alarm rate asked for
 * @param achievedAlpha the rate actually guaranteed: {@code alpha}, or {@code 1/(n+1)} when too
 *        few calibration images exist to reach {@code alpha}
 * @param calibrationImages {@code n}
 */
public record Thresholds(float image, float pixel, double alpha, double achievedAlpha, int calibrationImages) {

	public static final double DEFAULT_ALPHA = 0.01;

	/** Conformal thresholds from calibration image scores and map maxima. */
	public static Thresholds calibrate(float[] imageScores, float[] mapMaxima, double alpha) {
		if (!(alpha > 0 && alpha < 1)) throw new IllegalArgumentException("false-alarm rate must be in (0, 1), was " + alpha);
		int n = imageScores.length;
		if (n == 0) throw new IllegalArgumentException("no calibration images");
		int rank = (int) Math.ceil((n + 1) * (1 - alpha));
		double achieved = rank <= n ? alpha : 1.0 / (n + 1);
		rank = Math.min(rank, n);
		return new Thresholds(kth(imageScores, rank), kth(mapMaxima, rank), alpha, achieved, n);
	}

	private static float kth(float[] v, int rank) {
		float[] s = v.clone();
		Arrays.sort(s);
		return s[rank - 1];
	}

	/** Whether an image score is anomalous. */
	public boolean anomalous(float imageScore) {
		return imageScore > image;
	}

	/**
	 * A score in [0, 1] with the threshold at 0.5, as anomalib shows them: linear in the raw score,
	 * 0 at raw 0, 1 at twice the threshold and beyond.
	 */
	public float normalise(float imageScore) {
		if (!(image > 0)) return imageScore > image ? 1f : 0f;
		return (float) Math.min(1, Math.max(0, 0.5 * imageScore / image));
	}

	public JsonObject toJson() {
		JsonObject o = new JsonObject();
		o.addProperty("image", image);
		o.addProperty("pixel", pixel);
		o.addProperty("alpha", alpha);
		// NaN (no held-out images) is not JSON: written as null, which reads back as NaN.
		if (Double.isNaN(achievedAlpha)) o.add("achieved_alpha", JsonNull.INSTANCE);
		else o.addProperty("achieved_alpha", achievedAlpha);
		o.addProperty("calibration_images", calibrationImages);
		return o;
	}

	/**
	 * Reads the {@code thresholds} object of a model file.
	 *
	 * @throws IOException naming the field that is missing or out of range
	 */
	public static Thresholds fromJson(JsonFields o) throws IOException {
		float image = o.floatNumber("image");
		float pixel = o.floatNumber("pixel");
		double alpha = o.fraction("alpha");
		if (alpha == 1) throw o.problem("alpha", "must be below 1");
		double achieved = o.has("achieved_alpha") ? o.number("achieved_alpha", 0, 1) : Double.NaN;
		int n = (int) o.integer("calibration_images", 0, Integer.MAX_VALUE);
		return new Thresholds(image, pixel, alpha, achieved, n);
	}
}
