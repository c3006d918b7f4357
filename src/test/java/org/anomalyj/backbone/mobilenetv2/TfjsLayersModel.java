package org.anomalyj.backbone.mobilenetv2;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A TensorFlow.js layers model as the nsfwjs npm package ships it: {@code model.min.js}, a UMD
 * module whose export is the {@code model.json} object ({@code modelTopology} +
 * {@code weightsManifest}), and one {@code <path>.min.js} per weight shard, a UMD module whose
 * export is the shard's bytes as a base64 string. Weights are dequantised exactly as TF.js does
 * ({@code float32(q * scale + min)}, computed in double precision).
 *
 * @param topology the Keras {@code modelTopology} object
 * @param weights weight name (e.g. {@code block_1_expand/kernel}) → values, in manifest order
 * @param files the files read: {@code model.min.js}, then the shards in manifest order
 */
record TfjsLayersModel(JsonObject topology, Map<String, Weight> weights, List<Path> files) {

	/** A dequantised weight: Keras shape (e.g. HWIO for conv kernels) and row-major values. */
	record Weight(int[] shape, float[] values) {}

	private static final Pattern MODEL_EXPORT = Pattern.compile("\\{\\s*[\"']?modelTopology[\"']?\\s*:");
	private static final Pattern STRING_EXPORT = Pattern.compile("exports\\s*=\\s*[\"']");

	/** Reads {@code model.min.js} and the shards its manifest names from {@code dir}. */
	static TfjsLayersModel read(Path dir) throws IOException {
		Path modelFile = dir.resolve("model.min.js");
		JsonObject model = readModelObject(modelFile);
		JsonElement topology = model.get("modelTopology");
		JsonElement manifest = model.get("weightsManifest");
		if (topology == null || !topology.isJsonObject() || manifest == null || !manifest.isJsonArray())
			throw new IOException(modelFile + ": export lacks modelTopology or weightsManifest");

		Map<String, Weight> weights = new LinkedHashMap<>();
		List<Path> files = new ArrayList<>(List.of(modelFile));
		for (JsonElement groupEl : manifest.getAsJsonArray()) {
			JsonObject group = groupEl.getAsJsonObject();
			// A group's weights are laid out back to back across the concatenation of its shards.
			ByteBuffer bytes = ByteBuffer.wrap(readGroupBytes(dir, group.getAsJsonArray("paths"), files)).order(ByteOrder.LITTLE_ENDIAN);
			for (JsonElement wEl : group.getAsJsonArray("weights")) {
				JsonObject w = wEl.getAsJsonObject();
				String name = w.get("name").getAsString();
				try {
					weights.put(name, dequantise(w, bytes));
				} catch (RuntimeException e) {
					throw new IOException(modelFile + ": weight '" + name + "': " + e.getMessage());
				}
			}
			if (bytes.hasRemaining())
				throw new IOException(dir + ": shards of " + group.get("paths") + " hold " + bytes.remaining() + " bytes more than the manifest describes");
		}
		return new TfjsLayersModel(topology.getAsJsonObject(), Collections.unmodifiableMap(weights), List.copyOf(files));
	}

	/** The exported object literal of a UMD-wrapped {@code model.json}. */
	static JsonObject readModelObject(Path file) throws IOException {
		String src = Files.readString(file, StandardCharsets.UTF_8);
		Matcher m = MODEL_EXPORT.matcher(src);
		if (!m.find()) throw new IOException(file + ": no object literal with a modelTopology key");
		try {
			return JsLiteralParser.parse(src, m.start()).value().getAsJsonObject();
		} catch (IllegalArgumentException e) {
			throw new IOException(file + ": cannot parse the model object: " + e.getMessage());
		}
	}

	/** The bytes of a UMD-wrapped shard whose module export is one base64 string literal. */
	static byte[] readShard(Path file) throws IOException {
		String src = Files.readString(file, StandardCharsets.US_ASCII);
		Matcher m = STRING_EXPORT.matcher(src);
		if (!m.find()) throw new IOException(file + ": no string export (exports=\"...\")");
		if (m.find()) throw new IOException(file + ": more than one string export");
		m.reset().find();
		String base64;
		try {
			base64 = JsLiteralParser.parse(src, m.end() - 1).value().getAsString();
		} catch (IllegalArgumentException e) {
			throw new IOException(file + ": cannot parse the shard string: " + e.getMessage());
		}
		try {
			return Base64.getDecoder().decode(base64);
		} catch (IllegalArgumentException e) {
			throw new IOException(file + ": shard string is not base64: " + e.getMessage());
		}
	}

	private static byte[] readGroupBytes(Path dir, JsonArray paths, List<Path> files) throws IOException {
		var out = new java.io.ByteArrayOutputStream();
		for (JsonElement p : paths) {
			String name = p.getAsString();
			if (name.contains("/") || name.contains("\\") || name.startsWith("."))
				throw new IOException(dir + ": manifest names a shard outside the model folder: " + name);
			Path shard = dir.resolve(name + ".min.js");
			out.write(readShard(shard));
			files.add(shard);
		}
		return out.toByteArray();
	}

	private static Weight dequantise(JsonObject w, ByteBuffer bytes) {
		JsonArray shapeJson = w.getAsJsonArray("shape");
		int[] shape = new int[shapeJson.size()];
		long n = 1;
		for (int i = 0; i < shape.length; i++) {
			shape[i] = shapeJson.get(i).getAsInt();
			if (shape[i] < 0) throw new IllegalArgumentException("negative dimension");
			n = Math.multiplyExact(n, shape[i]);
		}
		if (!"float32".equals(w.get("dtype").getAsString()))
			throw new IllegalArgumentException("unsupported dtype " + w.get("dtype"));
		float[] values = new float[Math.toIntExact(n)];
		JsonElement qEl = w.get("quantization");
		if (qEl == null) {
			need(bytes, 4 * n);
			for (int i = 0; i < values.length; i++) values[i] = bytes.getFloat();
			return new Weight(shape, values);
		}
		JsonObject q = qEl.getAsJsonObject();
		String qType = q.get("dtype").getAsString();
		if (q.has("float16") || "float16".equals(qType)) throw new IllegalArgumentException("float16 quantisation is not supported");
		double scale = q.get("scale").getAsDouble();
		double min = q.get("min").getAsDouble();
		switch (qType) {
			case "uint8" -> {
				need(bytes, n);
				for (int i = 0; i < values.length; i++) values[i] = (float) ((bytes.get() & 0xff) * scale + min);
			}
			case "uint16" -> {
				need(bytes, 2 * n);
				for (int i = 0; i < values.length; i++) values[i] = (float) ((bytes.getShort() & 0xffff) * scale + min);
			}
			default -> throw new IllegalArgumentException("unsupported quantisation dtype " + qType);
		}
		return new Weight(shape, values);
	}

	private static void need(ByteBuffer bytes, long n) {
		if (bytes.remaining() < n) throw new IllegalArgumentException("shard data ends early (" + bytes.remaining() + " bytes left, " + n + " needed)");
	}
}
