package org.anomalyj.image;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;
import net.imglib2.view.Views;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** The restructured resize and preprocessing loops give bit-identical results to the straightforward ones. */
class FastResizeEqualityTest {

	private static final int[][] SIZES = {
		{ 900, 900, 256, 256 }, { 333, 517, 256, 256 }, { 1, 1, 7, 5 }, { 1, 9, 4, 3 }, { 17, 3, 17, 11 }, { 29, 31, 29, 31 },
		{ 10, 10, 3, 3 }, { 64, 48, 9, 13 }, { 5, 7, 300, 2 }, { 257, 255, 256, 256 }, { 13, 1, 6, 1 }
	};

	@Test
	void floatResizerEqualsReferenceOnRandomAndSpecialValues() {
		Random rnd = new Random(6);
		for (int[] s : SIZES) {
			float[] src = new float[s[0] * s[1]];
			for (int i = 0; i < src.length; i++) {
				int pick = rnd.nextInt(20);
				src[i] = pick == 0 ? -0.0f : pick == 1 ? 1e30f * (float) rnd.nextGaussian() : (float) rnd.nextGaussian() * 100;
			}
			assertArrayEquals(ReferenceBilinear.resize(src, s[0], s[1], s[2], s[3]), FloatResizer.bilinear(src, s[0], s[1], s[2], s[3]),
				s[0] + "x" + s[1] + " -> " + s[2] + "x" + s[3]);
		}
	}

	@Test
	void preprocessorEqualsReferenceOnRealLookingImages() {
		Random rnd = new Random(7);
		for (int[] s : SIZES) {
			int w = s[0], h = s[1], n = w * h, size = Math.max(s[2], 1);
			byte[] rgb = new byte[3 * n];
			short[] grey16 = new short[n];
			float[] grey32 = new float[n];
			for (int y = 0; y < h; y++)
				for (int x = 0; x < w; x++) {
					// A lit object with a sharp edge, a gradient background and sensor noise.
					double r = Math.hypot(x - w * 0.5, y - h * 0.45), edge = r < Math.min(w, h) * 0.3 ? 90 : 0;
					double base = 40 + 120.0 * x / w + edge + rnd.nextGaussian() * 6;
					int i = y * w + x;
					for (int c = 0; c < 3; c++) rgb[c * n + i] = (byte) Math.max(0, Math.min(255, (int) (base * (0.8 + 0.15 * c))));
					grey16[i] = (short) Math.max(0, Math.min(65535, (int) (base * 250)));
					grey32[i] = rnd.nextInt(50) == 0 ? Float.NaN : (float) (base / 3.7 - 20);
				}
			check(Planes.rgb8(rgb, w, h), size, IntensityRange.EIGHT_BIT, InputNormalization.UNIT);
			check(Planes.rgb8(rgb, w, h), size, IntensityRange.EIGHT_BIT, InputNormalization.SYMMETRIC);
			check(Planes.grey8(java.util.Arrays.copyOf(rgb, n), w, h), size, IntensityRange.EIGHT_BIT, InputNormalization.UNIT);
			check(Planes.rgb8(rgb, w, h), size, IntensityRange.EIGHT_BIT, InputNormalization.IMAGENET);
			check(Planes.grey8(java.util.Arrays.copyOf(rgb, n), w, h), size, IntensityRange.EIGHT_BIT, InputNormalization.IMAGENET);
			IntensityRange r16 = new IntensityRange(3000, 61000);
			check(Planes.grey16(grey16, w, h), size, r16, InputNormalization.SYMMETRIC);
			IntensityRange r32 = new IntensityRange(-5, 40.5);
			check(Planes.grey32(grey32, w, h), size, r32, InputNormalization.UNIT);
			// Not backed by a plain array: the general path.
			check(Views.translate(Planes.rgb16(new short[3 * n], w, h), 0, 0, 0), size, r16, InputNormalization.UNIT);
			check(Views.zeroMin(Views.interval(Planes.rgb8(rgb, w, h), new long[] { 0, 0, 0 }, new long[] { w - 1, h - 1, 2 })),
				size, IntensityRange.EIGHT_BIT, InputNormalization.UNIT);
		}
	}

	private static void check(RandomAccessibleInterval<? extends RealType<?>> plane, int size, IntensityRange range, InputNormalization norm) {
		boolean eightBit = !Preprocessor.needsIntensityRange(plane);
		Preprocessor p = new Preprocessor(size, eightBit ? null : range, norm);
		float[] expected = ReferenceBilinear.preprocess(plane, size, eightBit ? IntensityRange.EIGHT_BIT : range, norm);
		String what = plane.getType().getClass().getSimpleName() + " " + Planes.width(plane) + "x" + Planes.height(plane) + " -> " + size;
		assertArrayEquals(expected, p.toInput(plane), what);
		// Twice: the second call reuses the cached resize plan.
		assertArrayEquals(expected, p.toInput(plane), what + " (again)");
		float[] batch = new float[2 + 3 * size * size];
		p.toInput(plane, batch, 2);
		assertArrayEquals(expected, java.util.Arrays.copyOfRange(batch, 2, batch.length), what + " (at an offset)");
	}
}
