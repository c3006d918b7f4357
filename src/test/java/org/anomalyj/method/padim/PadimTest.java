package org.anomalyj.method.padim;

import org.anomalyj.features.FeatureGrid;
import org.anomalyj.features.FeatureRows;
import org.anomalyj.io.JsonFields;
import org.anomalyj.io.Safetensors;
import org.anomalyj.task.Progress;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class PadimTest {

	private static JsonObject reference() throws IOException {
		try (var in = PadimTest.class.getResourceAsStream("padim_reference.json")) {
			return JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonObject();
		}
	}

	private static float[] floats(JsonArray a) {
		float[] f = new float[a.size()];
		for (int i = 0; i < f.length; i++) f[i] = a.get(i).getAsFloat();
		return f;
	}

	/** NCHW features to image-major rows (image, position, channel). */
	private static FeatureRows rows(float[] nchw, int n, FeatureGrid g) {
		int p = g.positions(), d = g.channels();
		float[] rows = new float[nchw.length];
		for (int i = 0; i < n; i++)
			for (int c = 0; c < d; c++)
				for (int q = 0; q < p; q++) rows[(i * p + q) * d + c] = nchw[(i * d + c) * p + q];
		return new FeatureRows(rows, n, g);
	}

	@Test
	void matchesNumpyGaussianFitAndMahalanobisDistances() throws IOException {
		JsonObject ref = reference();
		FeatureGrid g = new FeatureGrid(ref.get("channels").getAsInt(), ref.get("height").getAsInt(), ref.get("width").getAsInt());
		Padim.Settings settings = new Padim.Settings(g.channels(), ref.get("regularisation").getAsDouble());
		for (String name : new String[] {"many", "one"}) {
			JsonObject c = ref.getAsJsonObject("cases").getAsJsonObject(name);
			int n = c.get("images").getAsInt();
			float[] expected = floats(c.getAsJsonArray("distances"));
			try (NDManager m = NDManager.newBaseManager(); Padim p = Padim.fit(m, rows(floats(c.getAsJsonArray("train")), n, g), settings, 3, Progress.NONE)) {
				NDArray test = m.create(floats(c.getAsJsonArray("test")), new Shape(3, g.channels(), g.height(), g.width()));
				float[] got = p.patchScores(test).toFloatArray();
				for (int i = 0; i < expected.length; i++)
					assertEquals(expected[i], got[i], 1e-3 * Math.max(1, expected[i]), name + " distance " + i);
				// The image score is the largest patch score.
				float[] images = p.imageScores(test, p.patchScores(test));
				for (int i = 0; i < 3; i++) {
					double max = 0;
					for (int q = 0; q < g.positions(); q++) max = Math.max(max, expected[i * g.positions() + q]);
					assertEquals(max, images[i], 1e-3 * max, name + " image " + i);
				}
			}
		}
	}

	@Test
	void keepsASeededSubsetOfChannelsAndScoresOnlyThose() {
		FeatureGrid g = new FeatureGrid(12, 2, 2);
		Random r = new Random(5);
		float[] v = new float[20 * g.valuesPerImage()];
		for (int i = 0; i < v.length; i++) v[i] = (float) r.nextGaussian();
		FeatureRows rows = new FeatureRows(v, 20, g);
		try (NDManager m = NDManager.newBaseManager();
			Padim a = Padim.fit(m, rows, new Padim.Settings(5, 0.01), 42, Progress.NONE);
			Padim b = Padim.fit(m, rows, new Padim.Settings(5, 0.01), 42, Progress.NONE);
			Padim c = Padim.fit(m, rows, new Padim.Settings(5, 0.01), 43, Progress.NONE)) {
			int[] ch = a.channels();
			assertEquals(5, ch.length);
			assertEquals(5, Arrays.stream(ch).distinct().count());
			assertTrue(Arrays.stream(ch).allMatch(x -> x >= 0 && x < 12));
			assertArrayEquals(ch, b.channels(), "same seed, same channels");
			assertFalse(Arrays.equals(ch, c.channels()), "another seed draws other channels");
			// Changing a channel that is not kept leaves the scores unchanged.
			int dropped = 0;
			while (Arrays.binarySearch(ch, dropped) >= 0) dropped++;
			float[] q = Arrays.copyOf(v, g.valuesPerImage());
			NDArray before = new FeatureRows(q.clone(), 1, g).batch(m, 0, 1);
			for (int p = 0; p < g.positions(); p++) q[p * 12 + dropped] += 100;
			NDArray after = new FeatureRows(q, 1, g).batch(m, 0, 1);
			assertArrayEquals(a.patchScores(before).toFloatArray(), a.patchScores(after).toFloatArray(), 1e-4f);
		}
	}

	@Test
	void moreChannelsThanTheFeaturesHaveKeepsThemAll() {
		FeatureGrid g = new FeatureGrid(3, 1, 2);
		float[] v = {1, 2, 3, 4, 5, 6, 2, 2, 2, 5, 5, 5};
		try (NDManager m = NDManager.newBaseManager(); Padim p = Padim.fit(m, new FeatureRows(v, 2, g), Padim.Settings.DEFAULT, 0, Progress.NONE)) {
			assertArrayEquals(new int[] {0, 1, 2}, p.channels());
			assertEquals(3, p.settings().dims());
		}
	}

	@Test
	void restoresWhatItStoredAndRefusesMismatches() throws IOException {
		FeatureGrid g = new FeatureGrid(8, 3, 2);
		Random r = new Random(9);
		float[] v = new float[6 * g.valuesPerImage()];
		for (int i = 0; i < v.length; i++) v[i] = (float) r.nextGaussian();
		FeatureRows rows = new FeatureRows(v, 6, g);
		try (NDManager m = NDManager.newBaseManager(); Padim p = Padim.fit(m, rows, new Padim.Settings(4, 0.05), 1, Progress.NONE)) {
			JsonObject params = p.parameters();
			Map<String, Safetensors.Tensor> tensors = p.tensors();
			NDArray x = rows.batch(m, 0, 6);
			try (Padim back = Padim.restore(m, g, JsonFields.of(params, "padim"), tensors)) {
				assertArrayEquals(p.patchScores(x).toFloatArray(), back.patchScores(x).toFloatArray(), 0f);
				assertArrayEquals(p.channels(), back.channels());
			}
			IOException e = assertThrows(IOException.class, () -> Padim.restore(m, new FeatureGrid(8, 3, 3), JsonFields.of(params, "padim"), tensors));
			assertTrue(e.getMessage().contains("shape"), e.getMessage());
			JsonObject badChannel = params.deepCopy();
			badChannel.getAsJsonArray("channels").set(0, new com.google.gson.JsonPrimitive(8));
			e = assertThrows(IOException.class, () -> Padim.restore(m, g, JsonFields.of(badChannel, "padim"), tensors));
			assertTrue(e.getMessage().contains("channel"), e.getMessage());
			Map<String, Safetensors.Tensor> missing = new HashMap<>(tensors);
			missing.remove(Padim.INVERSE_COVARIANCE);
			e = assertThrows(IOException.class, () -> Padim.restore(m, g, JsonFields.of(params, "padim"), missing));
			assertTrue(e.getMessage().contains(Padim.INVERSE_COVARIANCE), e.getMessage());
		}
	}
}
