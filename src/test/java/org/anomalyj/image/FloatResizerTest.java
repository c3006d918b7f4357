package org.anomalyj.image;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FloatResizerTest {

	private static final JsonObject FIXTURE = Fixtures.json("pil_resize.json");

	@Test
	void bilinearMatchesPillow() {
		double worst = 0;
		for (JsonElement e : FIXTURE.getAsJsonArray("resize")) {
			JsonObject c = e.getAsJsonObject();
			int sw = c.get("srcW").getAsInt(), sh = c.get("srcH").getAsInt(), dw = c.get("dstW").getAsInt(), dh = c.get("dstH").getAsInt();
			float[] got = FloatResizer.bilinear(Fixtures.floats(c.getAsJsonArray("src")), sw, sh, dw, dh);
			double diff = Fixtures.maxAbsDiff(got, Fixtures.floats(c.getAsJsonArray("bilinear")));
			assertTrue(diff <= 1e-4, sw + "x" + sh + " -> " + dw + "x" + dh + ": max |diff| " + diff);
			worst = Math.max(worst, diff);
		}
		// Same algorithm and arithmetic as Pillow: expect agreement to float rounding, not just 1e-4.
		assertTrue(worst <= 1e-6, "max |diff| over all cases " + worst);
	}

	@Test
	void nearestMatchesPillow() {
		for (JsonElement e : FIXTURE.getAsJsonArray("resize")) {
			JsonObject c = e.getAsJsonObject();
			int sw = c.get("srcW").getAsInt(), sh = c.get("srcH").getAsInt(), dw = c.get("dstW").getAsInt(), dh = c.get("dstH").getAsInt();
			float[] got = FloatResizer.nearest(Fixtures.floats(c.getAsJsonArray("src")), sw, sh, dw, dh);
			assertArrayEquals(Fixtures.floats(c.getAsJsonArray("nearest")), got, sw + "x" + sh + " -> " + dw + "x" + dh);
		}
	}

	@Test
	void nearestIndicesMatchPillow() {
		for (JsonElement e : FIXTURE.getAsJsonArray("nearestIndex")) {
			JsonObject c = e.getAsJsonObject();
			int src = c.get("src").getAsInt(), dst = c.get("dst").getAsInt();
			assertArrayEquals(Fixtures.ints(c.getAsJsonArray("index")), FloatResizer.nearestIndices(src, dst), src + " -> " + dst);
		}
	}

	@Test
	void constantStaysConstantAtAnyScale() {
		float[] src = new float[17 * 9];
		Arrays.fill(src, 0.37f);
		for (int[] size : new int[][] { { 1, 1 }, { 4, 3 }, { 17, 9 }, { 100, 41 }, { 256, 256 } }) {
			for (float v : FloatResizer.bilinear(src, 17, 9, size[0], size[1])) assertEquals(0.37f, v, 1e-6f);
		}
	}

	@Test
	void onePixelUpscalesToItsValue() {
		float[] out = FloatResizer.bilinear(new float[] { 0.8f }, 1, 1, 256, 256);
		assertEquals(256 * 256, out.length);
		for (float v : out) assertEquals(0.8f, v);
	}

	@Test
	void downscalingAveragesEveryPixel() {
		// Antialiasing: halving a 1-pixel checkerboard gives its mean, where plain bilinear would alias.
		int n = 32;
		float[] board = new float[n * n];
		for (int y = 0; y < n; y++)
			for (int x = 0; x < n; x++) board[y * n + x] = (x + y) % 2;
		for (float v : FloatResizer.bilinear(board, n, n, n / 2, n / 2)) assertEquals(0.5f, v, 0.13f);
		float[] quarter = FloatResizer.bilinear(board, n, n, n / 4, n / 4);
		for (int y = 1; y < n / 4 - 1; y++)
			for (int x = 1; x < n / 4 - 1; x++) assertEquals(0.5f, quarter[y * n / 4 + x], 1e-6f);
	}

	@Test
	void resizesAPlaneBackToImageSize() {
		float[] map = new float[16 * 16];
		for (int i = 0; i < map.length; i++) map[i] = i % 16;
		var img = FloatResizer.bilinear(Planes.grey32(map, 16, 16), 565, 230);
		assertEquals(565, img.dimension(0));
		assertEquals(230, img.dimension(1));
		assertArrayEquals(FloatResizer.bilinear(map, 16, 16, 565, 230), Planes.channel(img, 0));
	}

	@Test
	void rejectsBadSizes() {
		assertThrows(IllegalArgumentException.class, () -> FloatResizer.bilinear(new float[5], 2, 2, 3, 3));
		assertThrows(IllegalArgumentException.class, () -> FloatResizer.bilinear(new float[4], 2, 2, 0, 3));
		assertThrows(IllegalArgumentException.class, () -> FloatResizer.nearestIndices(0, 3));
	}
}
