package org.anomalyj.metrics;

import java.util.Arrays;

/**
 * Connected components of a defect mask with 8-connectivity, i.e. what
 * {@code scipy.ndimage.label(mask, structure=np.ones((3, 3)))} finds (the MVTec AD evaluation uses
 * exactly that to define PRO regions). Labels are numbered 1..count in raster order of each
 * region's first pixel, as scipy numbers them; 0 is background.
 */
public final class ConnectedRegions {

	private final int[] labels;
	private final int[] sizes;
	private final int width;

	private ConnectedRegions(int[] labels, int[] sizes, int width) {
		this.labels = labels;
		this.sizes = sizes;
		this.width = width;
	}

	/**
	 * @param mask row-major, nonzero = defect; {@code null} = no defect
	 */
	public static ConnectedRegions of(byte[] mask, int width, int height) {
		if (width <= 0 || height <= 0)
			throw new IllegalArgumentException("mask size must be positive, got " + width + "x" + height);
		int n = Math.multiplyExact(width, height);
		if (mask != null && mask.length != n)
			throw new IllegalArgumentException("mask has " + mask.length + " values, " + width + "x" + height + " needs " + n);
		int[] labels = new int[n];
		if (mask == null || !anyNonzero(mask))
			return new ConnectedRegions(labels, new int[1], width);
		int[] sizes = new int[16];
		int count = 0;
		int[] queue = new int[n];
		for (int start = 0; start < n; start++) {
			if (mask[start] == 0 || labels[start] != 0) continue;
			int label = ++count;
			if (label == sizes.length) sizes = Arrays.copyOf(sizes, 2 * sizes.length);
			sizes[label] = flood(mask, labels, queue, width, height, start, label);
		}
		return new ConnectedRegions(labels, Arrays.copyOf(sizes, count + 1), width);
	}

	private static boolean anyNonzero(byte[] mask) {
		for (byte b : mask)
			if (b != 0) return true;
		return false;
	}

	/** Breadth-first fill from {@code start}; returns the region's pixel count. */
	private static int flood(byte[] mask, int[] labels, int[] queue, int width, int height, int start, int label) {
		int head = 0;
		int tail = 0;
		labels[start] = label;
		queue[tail++] = start;
		while (head < tail) {
			int p = queue[head++];
			int x = p % width;
			int y = p / width;
			int y0 = Math.max(y - 1, 0), y1 = Math.min(y + 1, height - 1);
			int x0 = Math.max(x - 1, 0), x1 = Math.min(x + 1, width - 1);
			for (int yy = y0; yy <= y1; yy++) {
				for (int xx = x0; xx <= x1; xx++) {
					int q = yy * width + xx;
					if (mask[q] != 0 && labels[q] == 0) {
						labels[q] = label;
						queue[tail++] = q;
					}
				}
			}
		}
		return tail;
	}

	/** Number of regions. */
	public int count() {
		return sizes.length - 1;
	}

	/** Pixel count of region {@code label} (1..count). */
	public int size(int label) {
		if (label < 1 || label > count())
			throw new IllegalArgumentException("region " + label + " out of range 1.." + count());
		return sizes[label];
	}

	/** Region label of a pixel, 0 for background. */
	public int label(int x, int y) {
		return labels[y * width + x];
	}

	/** Row-major labels (a copy). */
	public int[] labels() {
		return labels.clone();
	}

	/** Row-major labels without copying, for the metrics' hot path. */
	int[] labelsView() {
		return labels;
	}
}
