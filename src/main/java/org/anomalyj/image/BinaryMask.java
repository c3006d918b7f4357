package org.anomalyj.image;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;

/**
 * Ground truth of one image: which pixels are anomalous. Row-major, x fastest. Built from a mask
 * image with "value &gt; 0 is anomalous" (the MVTec AD convention).
 */
public final class BinaryMask {

	private final int width, height;
	private final boolean[] anomalous;

	public BinaryMask(int width, int height, boolean[] anomalous) {
		if (width < 1 || height < 1) throw new IllegalArgumentException("mask size must be >= 1x1, got " + width + "x" + height);
		if ((long) width * height != anomalous.length)
			throw new IllegalArgumentException("mask array has " + anomalous.length + " values, " + width + "x" + height + " needs " + (long) width * height);
		this.width = width;
		this.height = height;
		this.anomalous = anomalous.clone();
	}

	/** A mask with no anomalous pixel, for good images. */
	public static BinaryMask empty(int width, int height) {
		return new BinaryMask(width, height, new boolean[width * height]);
	}

	/** A pixel is anomalous when its value is &gt; 0 in any channel (NaN is not). */
	public static BinaryMask fromPlane(RandomAccessibleInterval<? extends RealType<?>> plane) {
		int w = Planes.width(plane), h = Planes.height(plane);
		boolean[] a = new boolean[w * h];
		for (int c = 0; c < Planes.channels(plane); c++) {
			float[] v = Planes.channel(plane, c);
			for (int i = 0; i < v.length; i++) a[i] |= v[i] > 0;
		}
		return new BinaryMask(w, h, a);
	}

	public int width() {
		return width;
	}

	public int height() {
		return height;
	}

	public boolean get(int x, int y) {
		return anomalous[y * width + x];
	}

	/** A copy of the values, row-major. */
	public boolean[] toArray() {
		return anomalous.clone();
	}

	/** Number of anomalous pixels. */
	public long count() {
		long n = 0;
		for (boolean b : anomalous) if (b) n++;
		return n;
	}

	public boolean isEmpty() {
		return count() == 0;
	}

	/** Resized with Pillow's NEAREST semantics, e.g. to the model's map size for evaluation. */
	public BinaryMask resizeNearest(int newWidth, int newHeight) {
		int[] xs = FloatResizer.nearestIndices(width, newWidth), ys = FloatResizer.nearestIndices(height, newHeight);
		boolean[] out = new boolean[newWidth * newHeight];
		for (int y = 0; y < newHeight; y++)
			for (int x = 0; x < newWidth; x++) out[y * newWidth + x] = anomalous[ys[y] * width + xs[x]];
		return new BinaryMask(newWidth, newHeight, out);
	}
}
