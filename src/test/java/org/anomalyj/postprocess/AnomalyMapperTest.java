package org.anomalyj.postprocess;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.*;

class AnomalyMapperTest {

	private static float[] floats(JsonObject o, String key) {
		var a = o.getAsJsonArray(key);
		float[] f = new float[a.size()];
		for (int i = 0; i < f.length; i++) f[i] = a.get(i).getAsFloat();
		return f;
	}

	@Test
	void matchesScipyUpsamplingAndMirrorBlur() throws Exception {
		JsonObject fx;
		try (var in = getClass().getResourceAsStream("anomaly_map_fixture.json")) {
			fx = JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonObject();
		}
		int out = fx.get("out").getAsInt();
		double sigma = fx.get("sigma").getAsDouble();
		try (NDManager m = NDManager.newBaseManager()) {
			NDArray grid = m.create(floats(fx, "grid"), new Shape(1, 8, 8));
			try (AnomalyMapper plain = new AnomalyMapper(m, 8, 8, out, out, 0);
				AnomalyMapper blurred = new AnomalyMapper(m, 8, 8, out, out, sigma)) {
				assertArrayEquals(floats(fx, "upsampled"), plain.map(grid).toFloatArray(), 1e-5f);
				assertArrayEquals(floats(fx, "blurred"), blurred.map(grid).toFloatArray(), 1e-5f);
			}
		}
	}

	@Test
	void bilinearMatchesPyTorchOnAHandCase() {
		// torch.nn.functional.interpolate([0, 1], size=4, mode="linear", align_corners=False) = [0, .25, .75, 1]
		float[] m = ResamplingMatrix.bilinear(2, 4);
		float[] v = ResamplingMatrix.multiply(m, new float[] {0, 1}, 4, 2, 1);
		assertArrayEquals(new float[] {0, 0.25f, 0.75f, 1}, v, 1e-7f);
	}

	@Test
	void blurPreservesConstantsAndMass() {
		float[] g = ResamplingMatrix.gaussianReflect(40, 4);
		for (int i = 0; i < 40; i++) {
			float sum = 0;
			for (int j = 0; j < 40; j++) sum += g[i * 40 + j];
			assertEquals(1f, sum, 1e-5f, "row " + i);
		}
		assertEquals(33, java.util.stream.IntStream.range(0, 40).filter(j -> g[20 * 40 + j] > 0).count(), "kernel 2*int(4*4+0.5)+1 = 33 taps");
	}
}
