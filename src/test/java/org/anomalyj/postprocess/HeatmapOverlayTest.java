package org.anomalyj.postprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class HeatmapOverlayTest {

	/** The continuous scale, written out with {@code Math.round}: alpha-blend the jet colour, weight fading in from a quarter of the scale. */
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
	void staysWithinALevelOrTwoOfTheContinuousDefinition() {
		SplittableRandom random = new SplittableRandom(3);
		int w = 300, h = 200;
		int[] base = new int[w * h];
		float[] map = new float[w * h];
		for (int i = 0; i < base.length; i++) {
			base[i] = random.nextInt(1 << 24);
			// Below the scale, inside it, above it, exactly on the fade start, and NaN.
			map[i] = i % 97 == 0 ? 2.5f : i % 101 == 0 ? Float.NaN : (float) random.nextDouble(-2, 12);
		}
		HeatmapOverlay overlay = new HeatmapOverlay(0, 10, 0.7);
		int[] out = overlay.render(base, map, null, w, h);
		int worst = 0;
		for (int i = 0; i < base.length; i++) {
			int expected = Float.isNaN(map[i]) ? base[i] : definition(base[i], map[i], 0, 10, 0.7);
			for (int shift = 0; shift <= 16; shift += 8)
				worst = Math.max(worst, Math.abs(((out[i] >> shift) & 0xff) - ((expected >> shift) & 0xff)));
		}
		assertTrue(worst <= 2, "a channel differs from the continuous scale by " + worst + " levels");
	}

	@Test
	void blendsTheTopOfTheScaleAsComputedByHand() {
		// 1024 levels over 0..1023: a map value v is level v. At the top, jet is (0.5, 0, 0) -> 128, 0, 0
		// and the weight at opacity 0.5 is 128 / 256: (under * 128 + over * 128 + 128) >> 8 per channel.
		HeatmapOverlay overlay = new HeatmapOverlay(0, 1023, 0.5);
		int[] out = overlay.render(new int[] {0x000000, 0xffffff, 0xffffff, 0x123456}, new float[] {1023, 1023, 5000, 0}, null, 4, 1);
		assertArrayEquals(new int[] {0x400000, 0xc08080, 0xc08080, 0x123456}, out);
		assertEquals(0xff800000, overlay.argb(1023f), "ARGB for ImageJ: full alpha before the opacity, jet at the top");
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

	@Test
	void rowsBlendedOneByOneInAnyOrderAreTheWholeRenderingsRowsWithTheMasksOutline() {
		SplittableRandom random = new SplittableRandom(5);
		int w = 61, h = 47;
		int[] base = new int[w * h];
		float[] map = new float[w * h];
		byte[] mask = new byte[w * h];
		for (int i = 0; i < base.length; i++) {
			base[i] = random.nextInt(1 << 24);
			map[i] = (float) random.nextDouble(-0.2, 2.5);
			int x = i % w, y = i / w;
			mask[i] = (byte) (x > 55 ? 255 : (x - 20) * (x - 20) + (y - 25) * (y - 25) < 150 ? 1 : 0); // any non-zero value is a defect
		}
		HeatmapOverlay o = HeatmapOverlay.aroundThreshold(1f, 0.6);
		int[] whole = o.render(base, map, mask, w, h);
		byte[] row = new byte[3 * w];
		for (int y = h - 1; y >= 0; y--) { // any order
			for (int x = 0; x < w; x++) {
				int p = base[y * w + x];
				row[3 * x] = (byte) (p >> 16);
				row[3 * x + 1] = (byte) (p >> 8);
				row[3 * x + 2] = (byte) p;
			}
			o.blendRow(map, mask, w, h, y, row);
			for (int x = 0; x < w; x++) {
				int i = y * w + x;
				boolean border = mask[i] != 0 && (x == 0 || y == 0 || x == w - 1 || y == h - 1 || mask[i - 1] == 0 || mask[i + 1] == 0 || mask[i - w] == 0 || mask[i + w] == 0);
				// The outline by its definition; elsewhere the pixel's blend alone, as a 1 x 1 image without a mask.
				int expected = border ? HeatmapOverlay.OUTLINE : o.render(new int[] {base[i]}, new float[] {map[i]}, null, 1, 1)[0];
				assertEquals(expected, whole[i], "pixel " + x + "," + y + " of the whole rendering");
				assertEquals(expected, (row[3 * x] & 0xff) << 16 | (row[3 * x + 1] & 0xff) << 8 | row[3 * x + 2] & 0xff, "pixel " + x + "," + y);
			}
		}
	}

	/** Rows read from an image's planes (or a grey plane's one) are the rows blended in place from the same pixels. */
	@Test
	void rowsFromPlanesAreTheRowsBlendedInPlace() {
		SplittableRandom random = new SplittableRandom(6);
		int w = 37, h = 29, n = w * h;
		byte[] planes = new byte[3 * n + 5], mask = new byte[n];
		float[] map = new float[n];
		for (int i = 0; i < planes.length; i++) planes[i] = (byte) random.nextInt(256);
		for (int i = 0; i < n; i++) {
			map[i] = (float) random.nextDouble(-0.2, 2.5);
			int x = i % w, y = i / w;
			mask[i] = (byte) ((x - 10) * (x - 10) + (y - 12) * (y - 12) < 60 || y == 0 && x > 30 ? 255 : 0);
		}
		HeatmapOverlay o = HeatmapOverlay.aroundThreshold(1f, 0.6);
		byte[] inPlace = new byte[3 * w], fromPlanes = new byte[3 * w], fromGrey = new byte[3 * w];
		int at = 5; // the planes need not start the array
		for (int y = 0; y < h; y++) {
			for (int x = 0, i = at + y * w + x; x < w; x++, i++) {
				inPlace[3 * x] = planes[i];
				inPlace[3 * x + 1] = planes[i + n];
				inPlace[3 * x + 2] = planes[i + 2 * n];
			}
			o.blendRow(map, mask, w, h, y, inPlace);
			o.blendRow(map, mask, w, h, y, planes, at + y * w, 1, n, 2 * n, fromPlanes);
			assertArrayEquals(inPlace, fromPlanes, "row " + y);
			for (int x = 0, i = at + y * w + x; x < w; x++, i++) inPlace[3 * x] = inPlace[3 * x + 1] = inPlace[3 * x + 2] = planes[i];
			o.blendRow(map, mask, w, h, y, inPlace);
			o.blendRow(map, mask, w, h, y, planes, at + y * w, 1, 0, 0, fromGrey);
			assertArrayEquals(inPlace, fromGrey, "grey row " + y);
		}
		assertThrows(IllegalArgumentException.class, () -> o.blendRow(map, mask, w, h, h - 1, planes, at + (h - 1) * w, 1, n, 2 * n + 6, fromPlanes));
	}
}
