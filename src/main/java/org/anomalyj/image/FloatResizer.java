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
		return new BilinearResize(srcW, srcH, dstW, dstH).apply(src);
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
}
