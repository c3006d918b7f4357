package org.anomalyj.model;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * What a training run recorded, stored in the model file under {@code training} (the keys as
 * {@link #toJson()} writes them; files of every release so far have them). Read leniently: a key an
 * older file lacks reads as 0, NaN or empty, since the report informs and never decides scores.
 *
 * @param images images the method was fitted on (calibration images excluded)
 * @param patches patch features those images gave
 * @param skippedFiles unreadable training files, skipped
 * @param seed the run's seed
 * @param calibration how thresholds were calibrated: holdout, crossfit or none
 * @param folds cross-fitting folds, 0 otherwise
 * @param featureSeconds decoding and backbone time
 * @param fitSeconds the method's own training time
 * @param calibrationSeconds scoring calibration images (and cross-fitting)
 * @param seconds the whole run
 */
public record TrainingReport(int images, long patches, int skippedFiles, long seed, String calibration, int folds, double featureSeconds,
	double fitSeconds, double calibrationSeconds, double seconds) {

	public JsonObject toJson() {
		JsonObject o = new JsonObject();
		o.addProperty("images", images);
		o.addProperty("patches", patches);
		o.addProperty("skipped_files", skippedFiles);
		o.addProperty("seed", seed);
		o.addProperty("calibration", calibration);
		if (folds > 0) o.addProperty("folds", folds);
		o.addProperty("feature_seconds", featureSeconds);
		o.addProperty("fit_seconds", fitSeconds);
		o.addProperty("calibration_seconds", calibrationSeconds);
		o.addProperty("seconds", seconds);
		return o;
	}

	/** The report of a model file; absent or malformed keys read as 0, NaN or "". */
	public static TrainingReport fromJson(JsonObject o) {
		return new TrainingReport((int) number(o, "images", 0), (long) number(o, "patches", 0), (int) number(o, "skipped_files", 0),
			(long) number(o, "seed", 0), text(o, "calibration"), (int) number(o, "folds", 0), number(o, "feature_seconds", Double.NaN),
			number(o, "fit_seconds", Double.NaN), number(o, "calibration_seconds", Double.NaN), number(o, "seconds", Double.NaN));
	}

	private static double number(JsonObject o, String key, double absent) {
		JsonElement e = o == null ? null : o.get(key);
		if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) return absent;
		return e.getAsDouble();
	}

	private static String text(JsonObject o, String key) {
		JsonElement e = o == null ? null : o.get(key);
		return e != null && e.isJsonPrimitive() ? e.getAsString() : "";
	}
}
