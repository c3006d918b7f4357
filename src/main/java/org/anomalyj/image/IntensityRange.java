package org.anomalyj.image;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;
import net.imglib2.view.Views;

/**
 * Linear map of raw intensities {@code [lo, hi]} to {@code [0, 1]}, clipped, for 16-bit and 32-bit
 * images. The trainer determines it from the training images ({@link Accumulator}) and stores it in
 * the model, so that every image is scaled the same way; per-image scaling would hide exactly the
 * brightness changes that can be anomalies. 8-bit and RGB images always use {@link #EIGHT_BIT}.
 *
 * @param lo raw value mapped to 0
 * @param hi raw value mapped to 1, &gt; lo
 */
public record IntensityRange(double lo, double hi) {

	/** The fixed scaling of 8-bit data: divide by 255. */
	public static final IntensityRange EIGHT_BIT = new IntensityRange(0, 255);

	public IntensityRange {
		if (!Double.isFinite(lo) || !Double.isFinite(hi) || !(hi > lo))
			throw new IllegalArgumentException("intensity range needs finite lo < hi, got [" + lo + ", " + hi + "]");
	}

	/** {@code (v - lo) / (hi - lo)} clipped to [0, 1]; NaN counts as lo (gives 0), infinities are clipped. */
	public float normalize(float v) {
		if (Float.isNaN(v)) return 0f;
		double t = (v - lo) / (hi - lo);
		return (float) (t < 0 ? 0 : t > 1 ? 1 : t);
	}

	public static Accumulator accumulator() {
		return new Accumulator();
	}

	/**
	 * Minimum and maximum over the finite pixels of all images added, one image at a time (no need
	 * to hold the training set in memory). All channels share one range, so colours keep their balance.
	 */
	public static final class Accumulator {

		private double min = Double.POSITIVE_INFINITY;
		private double max = Double.NEGATIVE_INFINITY;
		private long count;

		public Accumulator add(RandomAccessibleInterval<? extends RealType<?>> plane) {
			for (RealType<?> t : Views.iterable(plane)) add(t.getRealDouble());
			return this;
		}

		/** Adds one value; NaN and infinities are ignored. */
		public Accumulator add(double v) {
			if (Double.isFinite(v)) {
				if (v < min) min = v;
				if (v > max) max = v;
				count++;
			}
			return this;
		}

		/** Number of finite values seen. */
		public long count() {
			return count;
		}

		/**
		 * The range seen. If every value was the same, {@code [v, v + 1]}: such a training set has no
		 * contrast to scale, and this keeps the trained value at 0 and anything brighter visible.
		 *
		 * @throws IllegalStateException when no finite value was added
		 */
		public IntensityRange range() {
			if (count == 0) throw new IllegalStateException("no finite pixel values seen; cannot determine an intensity range");
			return max > min ? new IntensityRange(min, max) : new IntensityRange(min, min + 1);
		}
	}
}
