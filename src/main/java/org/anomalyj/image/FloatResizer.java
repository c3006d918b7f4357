package org.anomalyj.image;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.real.FloatType;

/**
 * Resizing of float images with the semantics of Pillow's {@code Image.resize} on mode "F" images, so
 * that a Python reference pipeline and this one agree:
 * <ul>
 * <li>{@link #bilinear}: Pillow BILINEAR. Downscaling is antialiased: the triangle filter's support
 * widens with the scale factor, so every input pixel contributes. Upscaling is plain bilinear
 * interpolation with half-pixel centres and edge clamping (= PyTorch {@code align_corners=False}).
 * Separable: a horizontal pass into a float32 intermediate, then a vertical pass, each accumulated in
 * double, exactly as Pillow's 32-bit resampler.</li>
 * <li>{@link #nearest}: Pillow NEAREST (source index {@code floor((i + 0.5) * in / out)}, accumulated
 * the way Pillow accumulates it), for masks.</li>
 * </ul>
 * Arrays are row-major, x fastest.
 */
public final class FloatResizer {

	private FloatResizer() {}

	/** Pillow BILINEAR resize of a {@code srcW x srcH} image to {@code dstW x dstH}. */
	public static float[] bilinear(float[] src, int srcW, int srcH, int dstW, int dstH) {
		checkSizes(src.length, srcW, srcH, dstW, dstH);
		float[] current = src;
		int w = srcW;
		if (dstW != srcW) {
			Coefficients cx = Coefficients.bilinear(srcW, dstW);
			float[] out = new float[dstW * srcH];
			for (int y = 0; y < srcH; y++) {
				int row = y * srcW;
				for (int x = 0; x < dstW; x++) {
					int start = cx.start[x], base = x * cx.kSize;
					double ss = 0;
					for (int k = 0; k < cx.count[x]; k++) ss += current[row + start + k] * cx.weights[base + k];
					out[y * dstW + x] = (float) ss;
				}
			}
			current = out;
			w = dstW;
		}
		if (dstH != srcH) {
			Coefficients cy = Coefficients.bilinear(srcH, dstH);
			float[] out = new float[w * dstH];
			for (int y = 0; y < dstH; y++) {
				int start = cy.start[y], base = y * cy.kSize;
				for (int x = 0; x < w; x++) {
					double ss = 0;
					for (int k = 0; k < cy.count[y]; k++) ss += current[(start + k) * w + x] * cy.weights[base + k];
					out[y * w + x] = (float) ss;
				}
			}
			current = out;
		}
		return current == src ? src.clone() : current;
	}

	/** Pillow BILINEAR resize of a 2-D plane {@code (x, y)}, e.g. an anomaly map back to the image size. */
	public static ArrayImg<FloatType, FloatArray> bilinear(RandomAccessibleInterval<? extends RealType<?>> map, int dstW, int dstH) {
		if (map.numDimensions() != 2)
			throw new IllegalArgumentException("expected a 2-D map (x, y), got " + map.numDimensions() + " dimensions");
		float[] values = Planes.channel(map, 0);
		return Planes.grey32(bilinear(values, Planes.width(map), Planes.height(map), dstW, dstH), dstW, dstH);
	}

	/** Pillow NEAREST resize. */
	public static float[] nearest(float[] src, int srcW, int srcH, int dstW, int dstH) {
		checkSizes(src.length, srcW, srcH, dstW, dstH);
		int[] xs = nearestIndices(srcW, dstW), ys = nearestIndices(srcH, dstH);
		float[] out = new float[dstW * dstH];
		for (int y = 0; y < dstH; y++)
			for (int x = 0; x < dstW; x++) out[y * dstW + x] = src[ys[y] * srcW + xs[x]];
		return out;
	}

	/**
	 * For each of {@code dstSize} output samples, the input sample Pillow's NEAREST takes. Pillow
	 * accumulates the position ({@code x += in/out}) rather than multiplying; the rounding of that
	 * sum decides ties such as in = 10, out = 3, so it is done the same way here.
	 */
	public static int[] nearestIndices(int srcSize, int dstSize) {
		if (srcSize < 1 || dstSize < 1) throw new IllegalArgumentException("sizes must be >= 1, got " + srcSize + " -> " + dstSize);
		int[] index = new int[dstSize];
		double step = (double) srcSize / dstSize;
		double pos = step * 0.5;
		for (int i = 0; i < dstSize; i++) {
			index[i] = Math.min(srcSize - 1, Math.max(0, (int) pos));
			pos += step;
		}
		return index;
	}

	private static void checkSizes(int length, int srcW, int srcH, int dstW, int dstH) {
		if (srcW < 1 || srcH < 1 || dstW < 1 || dstH < 1)
			throw new IllegalArgumentException("sizes must be >= 1, got " + srcW + "x" + srcH + " -> " + dstW + "x" + dstH);
		if ((long) srcW * srcH != length)
			throw new IllegalArgumentException("array has " + length + " values, " + srcW + "x" + srcH + " needs " + (long) srcW * srcH);
	}

	/** Filter taps per output sample: Pillow's {@code precompute_coeffs} with the bilinear (triangle) filter. */
	private static final class Coefficients {
		final int kSize;
		final int[] start, count;
		final double[] weights;

		private Coefficients(int kSize, int[] start, int[] count, double[] weights) {
			this.kSize = kSize;
			this.start = start;
			this.count = count;
			this.weights = weights;
		}

		static Coefficients bilinear(int inSize, int outSize) {
			double scale = (double) inSize / outSize;
			double filterScale = Math.max(scale, 1.0);
			double support = 1.0 * filterScale; // triangle filter support 1, widened when downscaling
			int kSize = (int) Math.ceil(support) * 2 + 1;
			int[] start = new int[outSize], count = new int[outSize];
			double[] weights = new double[outSize * kSize];
			for (int xx = 0; xx < outSize; xx++) {
				double center = (xx + 0.5) * scale;
				double ss = 1.0 / filterScale;
				// (int) truncates toward zero, like the C cast Pillow uses.
				int xmin = (int) (center - support + 0.5);
				if (xmin < 0) xmin = 0;
				int xmax = (int) (center + support + 0.5);
				if (xmax > inSize) xmax = inSize;
				xmax -= xmin;
				double ww = 0;
				int base = xx * kSize;
				for (int x = 0; x < xmax; x++) {
					double w = triangle((x + xmin - center + 0.5) * ss);
					weights[base + x] = w;
					ww += w;
				}
				if (ww != 0)
					for (int x = 0; x < xmax; x++) weights[base + x] /= ww;
				start[xx] = xmin;
				count[xx] = xmax;
			}
			return new Coefficients(kSize, start, count, weights);
		}

		private static double triangle(double x) {
			if (x < 0) x = -x;
			return x < 1 ? 1 - x : 0;
		}
	}
}
