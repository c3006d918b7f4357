package org.anomalyj.model;

import org.anomalyj.backbone.BackbonePlugin;
import org.anomalyj.image.InputNormalization;
import org.anomalyj.image.IntensityRange;
import org.anomalyj.io.JsonFields;
import org.anomalyj.postprocess.AnomalyMapper;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import java.io.IOException;
import java.util.List;
import java.util.Locale;

/**
 * How a model turns an image into patch features and a map: everything besides the method's own
 * state. Stored in the manifest, so a model scores exactly as it was trained.
 *
 * @param backbone backbone id
 * @param inputSize side of the square network input (a multiple of the backbone's largest tap stride)
 * @param normalization network input range
 * @param intensity range mapped to [0, 1] for 16/32-bit images, learned from the training images; null when all were 8-bit
 * @param taps feature taps
 * @param poolSize neighbourhood aggregation size (odd)
 * @param sigma Gaussian smoothing of the map, in input pixels
 */
public record ModelSpec(String backbone, int inputSize, InputNormalization normalization, IntensityRange intensity,
	List<String> taps, int poolSize, double sigma) {

	public static final int DEFAULT_SIZE = 256;
	/** Larger neighbourhoods would average mostly padding on the feature grids; the bound also keeps pooling cheap. */
	public static final int MAX_POOL_SIZE = 31;
	static final int MAX_TAPS = 16;

	/**
	 * @throws IllegalArgumentException for values no model can have; a model file is checked
	 *         field by field first ({@link #fromJson}), with messages naming the field
	 */
	public ModelSpec {
		if (inputSize < 32 || inputSize > 2048)
			throw new IllegalArgumentException("input size must be between 32 and 2048, was " + inputSize);
		if (normalization == null) throw new IllegalArgumentException("no input normalization given");
		if (taps.isEmpty() || taps.size() > MAX_TAPS) throw new IllegalArgumentException("1 to " + MAX_TAPS + " feature taps needed, got " + taps.size());
		if (poolSize < 1 || poolSize > MAX_POOL_SIZE || poolSize % 2 == 0)
			throw new IllegalArgumentException("neighbourhood size must be odd, from 1 to " + MAX_POOL_SIZE + ", was " + poolSize);
		// The blur's kernel is 8 sigma wide and built in memory: bound it by the map it smooths.
		if (!(sigma >= 0 && sigma <= inputSize)) throw new IllegalArgumentException("map smoothing sigma must be from 0 to the input size, was " + sigma);
		taps = List.copyOf(taps);
	}

	/**
	 * The spec of a new model on a backbone: its default taps and input normalisation (or
	 * {@code normalization} when given), 3x3 neighbourhoods and the default smoothing.
	 *
	 * @throws IllegalArgumentException when the input size does not suit the backbone's taps
	 */
	public static ModelSpec defaults(BackbonePlugin backbone, int inputSize, InputNormalization normalization, IntensityRange intensity) {
		int multiple = backbone.inputMultiple(backbone.defaultTaps());
		if (inputSize % multiple != 0)
			throw new IllegalArgumentException("input size must be a multiple of " + multiple + " for backbone " + backbone.name() + ", was " + inputSize);
		return new ModelSpec(backbone.modelId(), inputSize, normalization != null ? normalization : backbone.normalization(), intensity,
			backbone.defaultTaps(), 3, AnomalyMapper.defaultSigma(inputSize));
	}

	public ModelSpec withIntensity(IntensityRange range) {
		return new ModelSpec(backbone, inputSize, normalization, range, taps, poolSize, sigma);
	}

	public JsonObject toJson() {
		JsonObject o = new JsonObject();
		o.addProperty("normalization", normalization.id());
		if (intensity != null) {
			JsonArray r = new JsonArray();
			r.add(intensity.lo());
			r.add(intensity.hi());
			o.add("intensity_range", r);
		}
		JsonArray t = new JsonArray();
		taps.forEach(t::add);
		o.add("taps", t);
		o.addProperty("pool", poolSize);
		o.addProperty("sigma", sigma);
		return o;
	}

	/**
	 * Reads the {@code features} object of a model file, checking every field.
	 *
	 * @throws IOException naming the field that is missing or out of range
	 */
	public static ModelSpec fromJson(String backbone, int inputSize, JsonFields o) throws IOException {
		IntensityRange range = null;
		if (o.has("intensity_range")) {
			double[] r = o.numbers("intensity_range", 2);
			if (!(r[1] > r[0])) throw o.problem("intensity_range", "must be [low, high] with low < high");
			range = new IntensityRange(r[0], r[1]);
		}
		InputNormalization normalization;
		try {
			normalization = InputNormalization.parse(o.string("normalization"));
		} catch (IllegalArgumentException e) {
			throw o.problem("normalization", "must be one of " + InputNormalization.ids());
		}
		List<String> taps = o.strings("taps", MAX_TAPS);
		long pool = o.integer("pool", 1, MAX_POOL_SIZE);
		if (pool % 2 == 0) throw o.problem("pool", "must be odd (found " + pool + ")");
		double sigma = o.number("sigma", 0, inputSize);
		return new ModelSpec(backbone, inputSize, normalization, range, taps, (int) pool, sigma);
	}
}
