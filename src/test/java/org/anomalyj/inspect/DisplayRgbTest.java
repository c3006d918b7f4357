package org.anomalyj.inspect;

import org.anomalyj.image.IntensityRange;
import org.anomalyj.image.Planes;

import net.imglib2.view.Views;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** The 8-bit fast path of the overlay's display colours gives what the pixel-by-pixel path gives. */
class DisplayRgbTest {

	private static byte[] random(int n, long seed) {
		byte[] b = new byte[n];
		new Random(seed).nextBytes(b);
		return b;
	}

	@Test
	void eightBitPlanesReadDirectlyEqualThePixelByPixelPath() {
		int w = 37, h = 23;
		var rgb = Planes.rgb8(random(3 * w * h, 1), w, h);
		var grey = Planes.grey8(random(w * h, 2), w, h);
		for (var plane : java.util.List.of(rgb, grey)) {
			// A view over the same pixels is not an ArrayImg: it takes the pixel-by-pixel path.
			int[] slow = InspectionFiles.DisplayRgb.of(Views.interval(plane, plane), null);
			int[] fast = InspectionFiles.DisplayRgb.of(plane, null);
			assertArrayEquals(slow, fast);
		}
		// Channel by channel, as a hand check: red in bits 16-23, green 8-15, blue 0-7; grey in all three.
		byte[] planar = random(3 * w * h, 1);
		int[] fast = InspectionFiles.DisplayRgb.of(Planes.rgb8(planar, w, h), null);
		for (int k = 0; k < w * h; k++)
			assertEquals(((planar[k] & 0xFF) << 16) | ((planar[w * h + k] & 0xFF) << 8) | (planar[2 * w * h + k] & 0xFF), fast[k], "pixel " + k);
		byte[] g = random(w * h, 2);
		int[] greyRgb = InspectionFiles.DisplayRgb.of(Planes.grey8(g, w, h), IntensityRange.EIGHT_BIT);
		for (int k = 0; k < w * h; k++) assertEquals((g[k] & 0xFF) * 0x010101, greyRgb[k], "grey pixel " + k);
	}
}
