package org.anomalyj.postprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class HeatmapOverlayTest {

	/** The overlay's definition, written out with {@code Math.round}: alpha-blend the jet colour, weight fading in from a quarter of the scale. */
	private static int definition(int base, float v, float low, float high, double opacity) {
		double t = Math.max(0, Math.min(1, (v - low) / (high - low)));
		double a = opacity * Math.max(0, Math.min(1, (t - 0.25) / 0.5));
		long r = Math.round(255 * Math.max(0, Math.min(1, 1.5 - Math.abs(4 * t - 3))));
		long g = Math.round(255 * Math.max(0, Math.min(1, 1.5 - Math.abs(4 * t - 2))));
		long b = Math.round(255 * Math.max(0, Math.min(1, 1.5 - Math.abs(4 * t - 1))));
		long[] heat = {r, g, b};
		int out = 0;
		for (int c = 0; c < 3; c++) {
			int under = (base >> (16 - 8 * c)) & 0xff;
			out |= (int) Math.round(under * (1 - a) + heat[c] * a) << (16 - 8 * c);
		}
		return out;
	}

	@Test
	void blendsEveryPixelAsTheDefinitionSays() {
		SplittableRandom random = new SplittableRandom(3);
		int w = 300, h = 200;
		int[] base = new int[w * h];
		float[] map = new float[w * h];
		for (int i = 0; i < base.length; i++) {
			base[i] = random.nextInt(1 << 24);
			// Below the scale, inside it, above it, and exactly on the fade start.
			map[i] = i % 97 == 0 ? 2.5f : (float) random.nextDouble(-2, 12);
		}
		HeatmapOverlay overlay = new HeatmapOverlay(0, 10, 0.7);
		int[] expected = new int[base.length];
		for (int i = 0; i < base.length; i++) expected[i] = definition(base[i], map[i], 0, 10, 0.7);
		assertArrayEquals(expected, overlay.render(base, map, null, w, h));
	}

	@Test
	void leavesPixelsBelowTheFadeStartAsTheyWereAndOutlinesDefects() {
		int w = 5, h = 5;
		int[] base = new int[w * h];
		for (int i = 0; i < base.length; i++) base[i] = 0x102030 + i;
		float[] map = new float[w * h];
		java.util.Arrays.fill(map, 0.49f); // 0.245 of the scale 0..2: under the fade start
		byte[] mask = new byte[w * h];
		for (int y = 1; y <= 3; y++)
			for (int x = 1; x <= 3; x++) mask[y * w + x] = 1;
		int[] out = HeatmapOverlay.aroundThreshold(1f, 1.0).render(base, map, mask, w, h);
		for (int i = 0; i < base.length; i++) {
			int x = i % w, y = i / w;
			boolean border = mask[i] != 0 && !(x == 2 && y == 2);
			assertEquals(border ? HeatmapOverlay.OUTLINE : base[i], out[i], "pixel " + x + "," + y);
		}
	}
}
