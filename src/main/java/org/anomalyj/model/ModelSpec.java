package org.anomalyj.model;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import org.anomalyj.image.InputNormalization;
import org.anomalyj.image.IntensityRange;
import org.anomalyj.postprocess.AnomalyMapper;

import java.util.ArrayList;
import java.util.List;

/**
 * How a model turns an image into patch features and a map: everything besides the method's own
 * state. Stored in the manifest, so a model scores exactly as it was trained.
 *
 * @param backbone backbone id
 * @param inputSize side of the square network input (multiple of 16)
 * @param normalization network input range
 * @param intensity range mapped to [0, 1] for 16/32-bit images, learned from the training images; null when all were 8-bit
 * @param taps feature taps
 * @param poolSize neighbourhood aggregation size (odd)
 * @param sigma Gaussian smoothing of the map, in input pixels
 */
public record ModelSpec(String backbone, int inputSize, InputNormalization normalization, IntensityRange intensity,
	List<String> taps, int poolSize, double sigma) {

	public static final List<String> DEFAULT_TAPS = List.of("block_5_add", "block_10_project_BN");
	public static final int DEFAULT_SIZE = 256;

	public ModelSpec {
		if (inputSize < 32 || inputSize > 2048 || inputSize % 16 != 0)
			throw new IllegalArgumentException("input size must be a multiple of 16 between 32 and 2048, was " + inputSize);
		taps = List.copyOf(taps);
	}

	public static ModelSpec defaults(String backbone, int inputSize) {
		return new ModelSpec(backbone, inputSize, InputNormalization.UNIT, null, DEFAULT_TAPS, 3, AnomalyMapper.defaultSigma(inputSize));
	}

	public ModelSpec withIntensity(IntensityRange range) {
		return new ModelSpec(backbone, inputSize, normalization, range, taps, poolSize, sigma);
	}

	JsonObject toJson() {
		JsonObject o = new JsonObject();
		o.addProperty("normalization", normalization.name().toLowerCase(java.util.Locale.ROOT));
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

	static ModelSpec fromJson(String backbone, int inputSize, JsonObject o) {
		IntensityRange range = null;
		if (o.has("intensity_range")) {
			JsonArray r = o.getAsJsonArray("intensity_range");
			range = new IntensityRange(r.get(0).getAsDouble(), r.get(1).getAsDouble());
		}
		List<String> taps = new ArrayList<>();
		o.getAsJsonArray("taps").forEach(e -> taps.add(e.getAsString()));
		return new ModelSpec(backbone, inputSize, InputNormalization.valueOf(o.get("normalization").getAsString().toUpperCase(java.util.Locale.ROOT)),
			range, taps, o.get("pool").getAsInt(), o.get("sigma").getAsDouble());
	}
}
