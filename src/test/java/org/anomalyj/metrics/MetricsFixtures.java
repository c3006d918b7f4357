package org.anomalyj.metrics;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reads the reference cases written by make_fixtures.py (scikit-learn and MVTec AD code). */
final class MetricsFixtures {

	private MetricsFixtures() {}

	record BinaryCase(String name, float[] scores, boolean[] labels, JsonObject expected) {}

	record PixelImage(float[] scores, byte[] mask, float imageScore, boolean anomalous) {}

	record PixelCase(String name, int width, int height, List<PixelImage> images, JsonObject expected) {}

	static List<BinaryCase> binaryCases() {
		List<BinaryCase> out = new ArrayList<>();
		for (JsonElement e : read("binary_cases.json")) {
			JsonObject o = e.getAsJsonObject();
			out.add(new BinaryCase(o.get("name").getAsString(), floats(o.getAsJsonArray("scores")),
				booleans(o.getAsJsonArray("labels")), o.getAsJsonObject("expected")));
		}
		return out;
	}

	static List<PixelCase> pixelCases() {
		List<PixelCase> out = new ArrayList<>();
		for (JsonElement e : read("pixel_cases.json")) {
			JsonObject o = e.getAsJsonObject();
			List<PixelImage> images = new ArrayList<>();
			for (JsonElement ie : o.getAsJsonArray("images")) {
				JsonObject i = ie.getAsJsonObject();
				JsonArray m = i.getAsJsonArray("mask");
				byte[] mask = new byte[m.size()];
				for (int k = 0; k < mask.length; k++)
					mask[k] = (byte) m.get(k).getAsInt();
				images.add(new PixelImage(floats(i.getAsJsonArray("scores")), mask, i.get("imageScore").getAsFloat(),
					i.get("anomalous").getAsBoolean()));
			}
			out.add(new PixelCase(o.get("name").getAsString(), o.get("width").getAsInt(), o.get("height").getAsInt(),
				images, o.getAsJsonObject("expected")));
		}
		return out;
	}

	/** Float.parseFloat of the shortest float32 repr gives back the exact float Python used. */
	static float[] floats(JsonArray a) {
		float[] f = new float[a.size()];
		for (int i = 0; i < f.length; i++)
			f[i] = a.get(i).getAsFloat();
		return f;
	}

	static double[] doubles(JsonArray a) {
		double[] d = new double[a.size()];
		for (int i = 0; i < d.length; i++)
			d[i] = a.get(i).getAsDouble();
		return d;
	}

	private static boolean[] booleans(JsonArray a) {
		boolean[] b = new boolean[a.size()];
		for (int i = 0; i < b.length; i++)
			b[i] = a.get(i).getAsInt() != 0;
		return b;
	}

	private static JsonArray read(String resource) {
		try (InputStream in = MetricsFixtures.class.getResourceAsStream(resource)) {
			if (in == null) throw new IllegalStateException("missing test resource " + resource);
			return JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonArray();
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}
}
