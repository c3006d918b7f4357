package org.anomalyj.model;

import org.anomalyj.io.JsonFields;
import org.anomalyj.io.Safetensors;

import com.google.gson.JsonObject;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A model's decision thresholds and the evidence behind them.
 * <p>
 * The conformal thresholds come from scores of good images the scoring model did not train on
 * ({@link ConformalScores}): the image threshold from their image scores, so a new good image is
 * flagged with probability at most {@code alpha}; the pixel (mask) threshold from the maxima of
 * their anomaly maps, so a good image gets an empty defect mask with probability at least
 * {@code 1 - alpha}. Those scores are kept in the model file to give every scored image its
 * p-value. How they were obtained is {@link #calibration()}: {@code holdout} (images held out of
 * training: the guarantee holds exactly), {@code crossfit} (out-of-fold scores of K models trained
 * on the other folds, the model itself trained on all images: approximately, see
 * docs/BENCHMARKS.md), {@code goods} (re-set after training from good images of current production
 * the model never saw, by {@code calibrate}: exactly, as for a hold-out, for images like those), or
 * {@code none} (too few images, or the user declined; then there is no
 * threshold, verdicts are "uncalibrated" and masks empty).
 * <p>
 * Optionally, {@link F1Thresholds} learned from labelled defects, and a pair a person chose
 * ({@link #withCustom}, e.g. with Fiji's Adjust Anomaly Threshold); {@link #active()} says which
 * pair decides verdicts and masks. The calibration scores stay whichever decides, so p-values and
 * the false-alarm rate of any threshold on the calibration goods ({@link #imageFalseAlarms},
 * {@link #pixelFalseAlarms}) keep their meaning.
 */
public final class Thresholds {

	public static final double DEFAULT_ALPHA = 0.01;
	/** How calibration scores can be obtained (besides {@code none}); see the class comment. */
	public static final java.util.Set<String> CALIBRATIONS = java.util.Set.of("holdout", "crossfit", "goods");

	public static final String IMAGE_SCORES = "calibration.image_scores", MAP_MAXIMA = "calibration.map_maxima";

	/** Which thresholds decide. */
	public enum Choice {
		CONFORMAL, F1, CUSTOM;

		public String id() {
			return name().toLowerCase(Locale.ROOT);
		}

		public static Choice parse(String s) {
			for (Choice c : values()) if (c.id().equals(s.trim().toLowerCase(Locale.ROOT))) return c;
			throw new IllegalArgumentException("threshold must be conformal, f1 or custom, was '" + s + "'");
		}
	}

	private final double alpha;
	private final String calibration;
	private final ConformalScores imageScores, mapMaxima;
	private final float image, pixel;
	private final F1Thresholds f1;
	private final Custom custom;
	private final Choice active;

	/** Thresholds a person chose, both finite. */
	public record Custom(float image, float pixel) {
		public Custom {
			if (!Float.isFinite(image)) throw new IllegalArgumentException("image threshold must be a finite number, was " + image);
			if (!Float.isFinite(pixel)) throw new IllegalArgumentException("pixel threshold must be a finite number, was " + pixel);
		}
	}

	private Thresholds(double alpha, String calibration, ConformalScores imageScores, ConformalScores mapMaxima, float image, float pixel,
		F1Thresholds f1, Choice active) {
		this(alpha, calibration, imageScores, mapMaxima, image, pixel, f1, null, active);
	}

	private Thresholds(double alpha, String calibration, ConformalScores imageScores, ConformalScores mapMaxima, float image, float pixel,
		F1Thresholds f1, Custom custom, Choice active) {
		if (!(alpha > 0 && alpha < 1)) throw new IllegalArgumentException("false-alarm rate must be in (0, 1), was " + alpha);
		if (active == Choice.F1 && f1 == null) throw new IllegalArgumentException("no F1 thresholds to use");
		if (active == Choice.CUSTOM && custom == null) throw new IllegalArgumentException("no custom thresholds to use");
		this.custom = custom;
		this.alpha = alpha;
		this.calibration = calibration;
		this.imageScores = imageScores;
		this.mapMaxima = mapMaxima;
		this.image = image;
		this.pixel = pixel;
		this.f1 = f1;
		this.active = active;
	}

	/**
	 * Conformal thresholds.
	 *
	 * @param imageScores image scores of good calibration images
	 * @param mapMaxima the maxima of the same images' anomaly maps
	 * @param calibration how the scores were obtained ({@code holdout}, {@code crossfit}, {@code goods})
	 */
	public static Thresholds calibrate(float[] imageScores, float[] mapMaxima, double alpha, String calibration) {
		if (imageScores.length != mapMaxima.length)
			throw new IllegalArgumentException(imageScores.length + " image scores but " + mapMaxima.length + " map maxima");
		ConformalScores s = ConformalScores.of(imageScores), m = ConformalScores.of(mapMaxima);
		return new Thresholds(alpha, calibration, s, m, s.threshold(alpha), m.threshold(alpha), null, Choice.CONFORMAL);
	}

	/** No calibration images: no threshold, no p-values. */
	public static Thresholds uncalibrated(double alpha) {
		return new Thresholds(alpha, "none", null, null, Float.NaN, Float.NaN, null, Choice.CONFORMAL);
	}

	/**
	 * The same choice of thresholds, with the conformal ones re-set from new calibration scores
	 * ({@code calibrate}); F1 thresholds, if any, are kept as learned.
	 */
	public Thresholds recalibrated(float[] imageScores, float[] mapMaxima, String calibration) {
		return withConformal(calibrate(imageScores, mapMaxima, alpha, calibration));
	}

	/**
	 * The same thresholds with more calibration scores joining the stored ones (images added to a
	 * model, scored by it without having trained it), calibrated as the stored ones were.
	 *
	 * @throws IllegalStateException when there are no stored scores to join
	 */
	public Thresholds withScoresAdded(float[] moreImageScores, float[] moreMapMaxima) {
		if (imageScores == null) throw new IllegalStateException("no calibration scores to add to");
		return recalibrated(concat(imageScores.values(), moreImageScores), concat(mapMaxima.values(), moreMapMaxima), calibration);
	}

	private static float[] concat(float[] a, float[] b) {
		float[] out = java.util.Arrays.copyOf(a, a.length + b.length);
		System.arraycopy(b, 0, out, a.length, b.length);
		return out;
	}

	/**
	 * These thresholds with the conformal part (calibration scores, thresholds, how they were
	 * obtained) of {@code other}: alpha, F1 and custom thresholds and the active choice stay. A part's
	 * thresholds in a model of several parts are the model's with the part's own calibration.
	 */
	public Thresholds withConformal(Thresholds other) {
		return new Thresholds(alpha, other.calibration, other.imageScores, other.mapMaxima, other.image, other.pixel, f1, custom, active);
	}

	/** Adds F1 thresholds (keeping the active choice). */
	public Thresholds withF1(F1Thresholds t) {
		return new Thresholds(alpha, calibration, imageScores, mapMaxima, image, pixel, t, custom, active);
	}

	/** Adds thresholds a person chose and makes them decide (the conformal and F1 ones are kept beside them). */
	public Thresholds withCustom(Custom t) {
		return new Thresholds(alpha, calibration, imageScores, mapMaxima, image, pixel, f1, t, Choice.CUSTOM);
	}

	/**
	 * @throws IllegalArgumentException when choosing F1 thresholds the model does not have
	 */
	public Thresholds withActive(Choice c) {
		if (c == Choice.F1 && f1 == null)
			throw new IllegalArgumentException("the model has no F1 thresholds; train it with --defects DIR to learn them");
		if (c == Choice.CUSTOM && custom == null)
			throw new IllegalArgumentException("the model has no custom thresholds; set them with Fiji's Adjust Anomaly Threshold");
		return new Thresholds(alpha, calibration, imageScores, mapMaxima, image, pixel, f1, custom, c);
	}

	/** The active image threshold; NaN when uncalibrated. */
	public float image() {
		return switch (active) {
			case F1 -> f1.image();
			case CUSTOM -> custom.image();
			case CONFORMAL -> image;
		};
	}

	/** The active map threshold for defect masks; NaN when uncalibrated. F1 falls back to the conformal one without masks. */
	public float pixel() {
		return switch (active) {
			case F1 -> Float.isNaN(f1.pixel()) ? pixel : f1.pixel();
			case CUSTOM -> custom.pixel();
			case CONFORMAL -> pixel;
		};
	}

	/** The conformal image threshold; NaN when uncalibrated. */
	public float conformalImage() {
		return image;
	}

	/** The conformal map threshold; NaN when uncalibrated. */
	public float conformalPixel() {
		return pixel;
	}

	/** The false-alarm rate asked for. */
	public double alpha() {
		return alpha;
	}

	/**
	 * The rate of good images the conformal image threshold flags, in expectation: at most
	 * {@link #alpha()}, or {@code 1/(n+1)} when {@code n} calibration images are too few for it;
	 * NaN when uncalibrated.
	 */
	public double falseAlarmRate() {
		return imageScores == null ? Double.NaN : imageScores.falseAlarmRate(alpha);
	}

	/** {@code holdout}, {@code crossfit}, {@code goods} or {@code none}. */
	public String calibration() {
		return calibration;
	}

	public boolean isCalibrated() {
		return !Float.isNaN(image());
	}

	/** Number of good images behind the conformal thresholds. */
	public int calibrationImages() {
		return imageScores == null ? 0 : imageScores.size();
	}

	/** The conformal calibration scores, or null when uncalibrated. */
	public ConformalScores imageScores() {
		return imageScores;
	}

	/** The anomaly-map maxima of the calibration images, or null when uncalibrated. */
	public ConformalScores mapMaxima() {
		return mapMaxima;
	}

	/**
	 * The share of the good calibration images whose image score is above {@code threshold}: the
	 * false-alarm rate that threshold has on them; NaN when uncalibrated.
	 */
	public double imageFalseAlarms(float threshold) {
		return imageScores == null ? Double.NaN : imageScores.shareAbove(threshold);
	}

	/**
	 * The share of the good calibration images whose anomaly map rises above {@code threshold}
	 * somewhere, i.e. that would get a non-empty defect mask; NaN when uncalibrated.
	 */
	public double pixelFalseAlarms(float threshold) {
		return mapMaxima == null ? Double.NaN : mapMaxima.shareAbove(threshold);
	}

	/** The custom thresholds, or null. */
	public Custom custom() {
		return custom;
	}

	/** The F1 thresholds, or null. */
	public F1Thresholds f1() {
		return f1;
	}

	public Choice active() {
		return active;
	}

	/** One line for people on how the conformal thresholds were set, with a note when the calibration images are too few for alpha. */
	public String describe() {
		if (imageScores == null) return "thresholds: none (too few images, or calibration turned off); verdicts will be 'uncalibrated'";
		int n = imageScores.size();
		String warn = falseAlarmRate() > alpha + 1e-12
			? String.format(Locale.ROOT, " (%d calibration images are too few for alpha %s; %d would reach it)", n, alpha,
				(int) Math.ceil(1 / alpha - 1 - 1e-9))
			: "";
		return String.format(Locale.ROOT, "thresholds (%s, %d images): image %.4g, pixel %.4g; expected false-alarm rate on good images %.4g%s",
			calibration, n, image, pixel, falseAlarmRate(), warn);
	}

	/** Whether an image score is anomalous; always false when uncalibrated. */
	public boolean anomalous(float imageScore) {
		return imageScore > image();
	}

	/**
	 * A score in [0, 1] with the active threshold at 0.5, as anomalib shows them: linear in the raw
	 * score, 0 at raw 0, 1 at twice the threshold and beyond. NaN when uncalibrated.
	 */
	public float normalise(float imageScore) {
		float t = image();
		if (Float.isNaN(t) || Float.isNaN(imageScore)) return Float.NaN;
		if (!(t > 0)) return imageScore > t ? 1f : 0f;
		return (float) Math.min(1, Math.max(0, 0.5 * imageScore / t));
	}

	/** The conformal p-value of an image score ({@link ConformalScores#pValue}); NaN when uncalibrated. */
	public double pValue(float imageScore) {
		return imageScores == null ? Double.NaN : imageScores.pValue(imageScore);
	}

	JsonObject toJson() {
		JsonObject o = new JsonObject();
		o.addProperty("alpha", alpha);
		addConformal(o);
		o.addProperty("active", active.id());
		if (f1 != null) o.add("f1", f1.toJson());
		if (custom != null) {
			JsonObject c = new JsonObject();
			c.addProperty("image", custom.image());
			c.addProperty("pixel", custom.pixel());
			o.add("custom", c);
		}
		return o;
	}

	/** The conformal part: how it was calibrated, on how many images, and the thresholds (for people reading the manifest). */
	void addConformal(JsonObject o) {
		o.addProperty("calibration", calibration);
		o.addProperty("calibration_images", calibrationImages());
		if (imageScores != null) {
			o.addProperty("image", image);
			o.addProperty("pixel", pixel);
			o.addProperty("false_alarm_rate", falseAlarmRate());
		}
	}

	/** The calibration scores, stored beside the method's tensors. */
	Map<String, Safetensors.Tensor> tensors() {
		return tensors("");
	}

	/** The calibration scores under names that start with {@code prefix} (a part's of a model of several). */
	Map<String, Safetensors.Tensor> tensors(String prefix) {
		Map<String, Safetensors.Tensor> t = new LinkedHashMap<>();
		if (imageScores != null) {
			t.put(prefix + IMAGE_SCORES, Safetensors.Tensor.of(imageScores.values(), imageScores.size()));
			t.put(prefix + MAP_MAXIMA, Safetensors.Tensor.of(mapMaxima.values(), mapMaxima.size()));
		}
		return t;
	}

	/**
	 * Reads what {@link #toJson} and {@link #tensors} wrote; the thresholds are recomputed from the
	 * stored scores and must equal the stored values.
	 *
	 * @throws IOException naming the field or tensor that is missing or out of range
	 */
	static Thresholds read(JsonFields o, Map<String, Safetensors.Tensor> tensors) throws IOException {
		double alpha = o.fraction("alpha");
		if (alpha == 1) throw o.problem("alpha", "must be below 1");
		Thresholds t = readConformal(o, tensors, "", alpha);
		if (o.has("f1")) t = t.withF1(F1Thresholds.fromJson(o.object("f1")));
		if (o.has("custom")) {
			JsonFields c = o.object("custom");
			float image = c.floatNumber("image"), pixel = c.floatNumber("pixel");
			try {
				t = t.withCustom(new Custom(image, pixel));
			} catch (IllegalArgumentException e) {
				throw o.problem("custom", e.getMessage());
			}
		}
		String active = o.string("active");
		try {
			return t.withActive(Choice.parse(active));
		} catch (IllegalArgumentException e) {
			throw o.problem("active", e.getMessage());
		}
	}

	/**
	 * Reads what {@link #addConformal} and {@link #tensors(String)} wrote: conformal thresholds
	 * recomputed from the stored scores, which must give the stored values.
	 *
	 * @param prefix what the names of the scores' tensors start with
	 */
	static Thresholds readConformal(JsonFields o, Map<String, Safetensors.Tensor> tensors, String prefix, double alpha) throws IOException {
		String calibration = o.string("calibration");
		int n = (int) o.integer("calibration_images", 0, Integer.MAX_VALUE);
		if (calibration.equals("none")) {
			if (n != 0) throw o.problem("calibration_images", "must be 0 when 'calibration' is none (found " + n + ")");
			return uncalibrated(alpha);
		}
		if (!CALIBRATIONS.contains(calibration)) throw o.problem("calibration", "must be holdout, crossfit, goods or none (found '" + calibration + "')");
		if (n < 1) throw o.problem("calibration_images", "must be at least 1 for " + calibration + " calibration");
		Thresholds t = calibrate(scores(tensors, prefix + IMAGE_SCORES, n), scores(tensors, prefix + MAP_MAXIMA, n), alpha, calibration);
		// The stored values are for people reading the manifest; one that disagrees with the
		// scores means the file was edited or damaged, and which of the two to trust is unknown.
		float image = o.floatNumber("image"), pixel = o.floatNumber("pixel");
		if (image != t.conformalImage())
			throw o.problem("image", "is " + image + " but the stored calibration scores give " + t.conformalImage());
		if (pixel != t.conformalPixel())
			throw o.problem("pixel", "is " + pixel + " but the stored calibration scores give " + t.conformalPixel());
		return t;
	}

	private static float[] scores(Map<String, Safetensors.Tensor> tensors, String name, int n) throws IOException {
		Safetensors.Tensor t = tensors.get(name);
		if (t == null) throw new IOException("the model has no tensor '" + name + "' (calibration scores)");
		long[] shape = t.shape();
		if (shape.length != 1 || shape[0] != n)
			throw new IOException("tensor '" + name + "' has shape " + java.util.Arrays.toString(shape) + ", expected [" + n + "] calibration scores");
		if (t.dtype() != Safetensors.DType.F32) throw new IOException("tensor '" + name + "' must be F32, was " + t.dtype());
		float[] v = t.toFloats();
		for (float x : v) if (!Float.isFinite(x)) throw new IOException("tensor '" + name + "' holds a non-finite value");
		return v;
	}
}
