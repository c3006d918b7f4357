package org.anomalyj.model;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import java.util.ArrayList;
import java.util.List;

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
 * @param contamination the contamination setting the images were screened with ({@code auto} or a fraction), {@code 0} when
 *        they were not, empty when the file predates screening or the set was too small or large to screen
 * @param excluded training images the screen found anomalous and left out of training and calibration
 * @param screenLimit scores above it were called anomalous ({@code auto}; for a fraction the lowest score left out); NaN if not screened
 * @param screenSeconds the screen's fits and scoring
 * @param categories the parts one model was trained for (several categories, the multi-class setting); empty for one
 *        ({@link Categories} holds what decides: their thresholds and descriptors)
 */
public record TrainingReport(int images, long patches, int skippedFiles, long seed, String calibration, int folds, double featureSeconds,
	double fitSeconds, double calibrationSeconds, double seconds, String contamination, List<Excluded> excluded, double screenLimit,
	double screenSeconds, List<Category> categories) {

	/**
	 * One of the categories a model was trained on.
	 *
	 * @param name the category's name (its folder's name)
	 * @param images its training files
	 * @param calibration how many of them (planes of a stack count singly) calibrate the thresholds: those held out, or
	 *        with cross-fitting every one scored out of fold
	 * @param recognised how many of those calibration images the model recognises as this category
	 *        ({@link Categories#nearest}); -1 when not known (files written before categories were recognised)
	 */
	public record Category(String name, int images, int calibration, int recognised) {}

	/**
	 * A training image left out as anomalous.
	 *
	 * @param image its file, relative to the folder the training images share (with the plane of a stack)
	 * @param score its cross-fitted score
	 */
	public record Excluded(String image, float score) {}

	public TrainingReport {
		contamination = contamination == null ? "" : contamination;
		excluded = excluded == null ? List.of() : List.copyOf(excluded);
		categories = categories == null ? List.of() : List.copyOf(categories);
	}

	/** This report with the categories the model was trained on. */
	public TrainingReport withCategories(List<Category> c) {
		return new TrainingReport(images, patches, skippedFiles, seed, calibration, folds, featureSeconds, fitSeconds, calibrationSeconds, seconds,
			contamination, excluded, screenLimit, screenSeconds, c);
	}

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
		if (!contamination.isEmpty()) {
			JsonObject c = new JsonObject();
			c.addProperty("setting", contamination);
			if (Double.isFinite(screenLimit)) c.addProperty("limit", screenLimit);
			c.addProperty("seconds", screenSeconds);
			JsonArray list = new JsonArray();
			for (Excluded e : excluded) {
				JsonObject x = new JsonObject();
				x.addProperty("image", e.image());
				x.addProperty("score", e.score());
				list.add(x);
			}
			c.add("excluded", list);
			o.add("contamination", c);
		}
		if (!categories.isEmpty()) {
			JsonArray list = new JsonArray();
			for (Category c : categories) {
				JsonObject x = new JsonObject();
				x.addProperty("name", c.name());
				x.addProperty("images", c.images());
				x.addProperty("calibration", c.calibration());
				if (c.recognised() >= 0) x.addProperty("recognised", c.recognised());
				list.add(x);
			}
			o.add("categories", list);
		}
		return o;
	}

	/** The report of a model file; absent or malformed keys read as 0, NaN or "". */
	public static TrainingReport fromJson(JsonObject o) {
		JsonObject c = o != null && o.has("contamination") && o.get("contamination").isJsonObject() ? o.getAsJsonObject("contamination") : null;
		List<Excluded> excluded = new ArrayList<>();
		if (c != null && c.has("excluded") && c.get("excluded").isJsonArray())
			for (JsonElement e : c.getAsJsonArray("excluded"))
				if (e.isJsonObject()) excluded.add(new Excluded(text(e.getAsJsonObject(), "image"), (float) number(e.getAsJsonObject(), "score", Double.NaN)));
		List<Category> categories = new ArrayList<>();
		if (o != null && o.has("categories") && o.get("categories").isJsonArray())
			for (JsonElement e : o.getAsJsonArray("categories"))
				if (e.isJsonObject()) {
					JsonObject x = e.getAsJsonObject();
					categories.add(new Category(text(x, "name"), (int) number(x, "images", 0), (int) number(x, "calibration", 0),
						(int) number(x, "recognised", -1)));
				}
		return new TrainingReport((int) number(o, "images", 0), (long) number(o, "patches", 0), (int) number(o, "skipped_files", 0),
			(long) number(o, "seed", 0), text(o, "calibration"), (int) number(o, "folds", 0), number(o, "feature_seconds", Double.NaN),
			number(o, "fit_seconds", Double.NaN), number(o, "calibration_seconds", Double.NaN), number(o, "seconds", Double.NaN), text(c, "setting"),
			excluded, number(c, "limit", Double.NaN), number(c, "seconds", 0), categories);
	}

	/** One line naming the categories with their image and calibration counts; empty for a model of one. */
	public String describeCategories() {
		if (categories.isEmpty()) return "";
		StringBuilder b = new StringBuilder();
		String how = calibration.equals("crossfit") ? " cross-fitted for calibration)" : " held out for calibration)";
		for (Category c : categories)
			b.append(b.length() == 0 ? "" : ", ").append(c.name()).append(' ').append(c.images()).append(" images")
				.append(c.calibration() > 0 ? " (" + c.calibration() + how : "");
		return categories.size() + " categories in one model: " + b;
	}

	/**
	 * One line on how many calibration images the model recognises as their own category, which
	 * decides whose thresholds judge them; empty when not known.
	 */
	public String describeRecognition() {
		if (categories.isEmpty() || categories.stream().anyMatch(c -> c.recognised() < 0)) return "";
		int right = 0, of = 0;
		StringBuilder b = new StringBuilder();
		for (Category c : categories) {
			right += c.recognised();
			of += c.calibration();
			b.append(b.length() == 0 ? "" : ", ").append(c.name()).append(' ').append(c.recognised()).append(" of ").append(c.calibration());
		}
		return String.format(java.util.Locale.ROOT, "categories recognised: %d of %d calibration images nearest their own category (%s)", right, of, b);
	}

	/**
	 * One line on the screen for anomalous training images: what was left out and why, or that
	 * nothing was; empty when the images were not screened.
	 */
	public String describeContamination() {
		if (contamination.isEmpty() || contamination.equals("0")) return "";
		if (excluded.isEmpty())
			return String.format(java.util.Locale.ROOT, "contamination %s: no training image looks anomalous (screen limit %.4g, %.1f s)", contamination,
				screenLimit, screenSeconds);
		StringBuilder b = new StringBuilder();
		for (Excluded e : excluded) b.append(b.length() == 0 ? "" : ", ").append(e.image()).append(String.format(java.util.Locale.ROOT, " (%.4g)", e.score()));
		return String.format(java.util.Locale.ROOT, "contamination %s: %d training image(s) left out as anomalous (limit %.4g; %.1f s): %s",
			contamination, excluded.size(), screenLimit, screenSeconds, b);
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
