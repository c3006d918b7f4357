package org.anomalyj.features;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.Arrays;

/**
 * Patch features of several images held in memory, one row of {@code channels} values per patch:
 * image after image, each image's patches in row-major grid order (the layout of
 * {@link PatchFeatures#asRows}). What methods fit on; also lets training score held-out images
 * without running the backbone a second time.
 */
public final class FeatureRows {

	private final float[] rows;
	private final int images;
	private final FeatureGrid grid;

	/**
	 * @param rows {@code images * grid.positions() * grid.channels()} values; not copied
	 */
	public FeatureRows(float[] rows, int images, FeatureGrid grid) {
		if ((long) images * grid.valuesPerImage() != rows.length)
			throw new IllegalArgumentException(rows.length + " feature values do not make " + images + " images of " + grid);
		this.rows = rows;
		this.images = images;
		this.grid = grid;
	}

	public int images() {
		return images;
	}

	public FeatureGrid grid() {
		return grid;
	}

	/** Patches over all images. */
	public int rowCount() {
		return images * grid.positions();
	}

	/** Images {@code from} (inclusive) to {@code to} (exclusive), as a copy. */
	public FeatureRows range(int from, int to) {
		if (from < 0 || to > images || from > to) throw new IndexOutOfBoundsException("images " + from + ".." + to + " of " + images);
		int per = grid.valuesPerImage();
		return new FeatureRows(Arrays.copyOfRange(rows, from * per, to * per), to - from, grid);
	}

	/** The values, row-major {@code rowCount() x channels}; shared, not copied: do not modify. */
	public float[] values() {
		return rows;
	}

	/** The given images' features, in the given order (a copy). */
	public FeatureRows subset(int[] imageIndices) {
		int per = grid.valuesPerImage();
		float[] out = new float[Math.multiplyExact(imageIndices.length, per)];
		for (int i = 0; i < imageIndices.length; i++) {
			int k = imageIndices[i];
			if (k < 0 || k >= images) throw new IndexOutOfBoundsException("image " + k + " of " + images);
			System.arraycopy(rows, k * per, out, i * per, per);
		}
		return new FeatureRows(out, imageIndices.length, grid);
	}

	/**
	 * Images {@code from} (inclusive) to {@code to} (exclusive) as the backbone gives features:
	 * {@code (n, channels, height, width)}.
	 */
	public NDArray batch(NDManager manager, int from, int to) {
		if (from < 0 || to > images || from >= to) throw new IndexOutOfBoundsException("images " + from + ".." + to + " of " + images);
		int per = grid.valuesPerImage();
		float[] part = Arrays.copyOfRange(rows, from * per, to * per);
		return manager.create(part, new Shape(to - from, grid.height(), grid.width(), grid.channels())).transpose(0, 3, 1, 2);
	}

	/** Collects whole images' rows without boxing; grows like an array list. */
	public static final class Builder {
		private final FeatureGrid grid;
		private float[] data = new float[1 << 20];
		private int size, images;

		public Builder(FeatureGrid grid) {
			this.grid = grid;
		}

		public FeatureGrid grid() {
			return grid;
		}

		/** Patches held so far. */
		public long rowCount() {
			return (long) images * grid.positions();
		}

		/** Adds the rows of {@code count} images, laid out as {@link PatchFeatures#asRows} gives them. */
		public void add(float[] imageRows, int count) {
			if (imageRows.length != (long) count * grid.valuesPerImage())
				throw new IllegalArgumentException(imageRows.length + " feature values are not " + count + " images of " + grid);
			if ((long) size + imageRows.length > data.length) {
				long grow = Math.max((long) size + imageRows.length, (long) data.length * 3 / 2);
				if (grow > Integer.MAX_VALUE - 16)
					throw new IllegalStateException("too many training patches to hold (" + ((long) size + imageRows.length) / grid.channels()
						+ "); use fewer images or a smaller input size");
				data = Arrays.copyOf(data, (int) grow);
			}
			System.arraycopy(imageRows, 0, data, size, imageRows.length);
			size += imageRows.length;
			images += count;
		}

		public int images() {
			return images;
		}

		/** Forgets the rows held, keeping the storage for reuse; rows built before stay valid. */
		public void clear() {
			if (size == data.length) data = new float[data.length]; // build() handed this array out
			size = 0;
			images = 0;
		}

		public FeatureRows build() {
			return new FeatureRows(size == data.length ? data : Arrays.copyOf(data, size), images, grid);
		}
	}
}
