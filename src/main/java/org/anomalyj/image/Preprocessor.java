package org.anomalyj.image;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.integer.UnsignedByteType;

/**
 * One plane to the network input: a float array of {@code 3 x S x S}, channel-major (CHW), ready for a
 * DJL {@code NDArray} of shape (3, S, S).
 * <ol>
 * <li>Intensities to [0, 1]: 8-bit grey and RGB divided by 255; any other type (16-bit, 32-bit) through
 * the model's {@link IntensityRange} (clipped; NaN becomes 0).</li>
 * <li>Resize each channel to S x S with {@link FloatResizer#bilinear} (Pillow BILINEAR on float data:
 * antialiased when downscaling). Scaling comes first so NaN cannot spread and values stay in [0, 1].
 * For 8-bit input the result equals Pillow resizing the float image {@code x / 255}; Pillow resizing
 * the uint8 image first would differ by its rounding to integers (at most 1/255).</li>
 * <li>{@link InputNormalization} to the network range.</li>
 * </ol>
 * A grey plane is replicated to the three channels. Any input size works, down to 1 x 1 (upscaled).
 */
public final class Preprocessor {

	public static final int DEFAULT_SIZE = 256;

	private final int size;
	private final IntensityRange intensity;
	private final InputNormalization normalization;
	/** Immutable, so a plan published to another thread without locking is still complete. */
	private volatile BilinearResize lastResize;

	/**
	 * @param size          side S of the square network input
	 * @param intensity     range for non-8-bit images, from training; null if the model only knows 8-bit images
	 * @param normalization network input range
	 */
	public Preprocessor(int size, IntensityRange intensity, InputNormalization normalization) {
		if (size < 1) throw new IllegalArgumentException("input size must be >= 1, got " + size);
		if (normalization == null) throw new IllegalArgumentException("normalization must not be null");
		this.size = size;
		this.intensity = intensity;
		this.normalization = normalization;
	}

	/** 8-bit input only, range 0..1. */
	public Preprocessor(int size) {
		this(size, null, InputNormalization.UNIT);
	}

	public int size() {
		return size;
	}

	/** Whether a plane is scaled by an {@link IntensityRange} (anything but 8-bit), i.e. whether training must measure one. */
	public static boolean needsIntensityRange(RandomAccessibleInterval<? extends RealType<?>> plane) {
		return !(plane.getType() instanceof UnsignedByteType);
	}

	/** The network input for one plane: {@code 3 * S * S} floats, CHW. */
	public float[] toInput(RandomAccessibleInterval<? extends RealType<?>> plane) {
		float[] out = new float[3 * size * size];
		toInput(plane, out, 0);
		return out;
	}

	/** Writes the network input for one plane into {@code out[offset .. offset + 3*S*S)}, e.g. one item of a batch. */
	public void toInput(RandomAccessibleInterval<? extends RealType<?>> plane, float[] out, int offset) {
		int channels = Planes.channels(plane);
		int plane2 = size * size;
		if (offset < 0 || out.length - offset < 3 * plane2)
			throw new IllegalArgumentException("output has no room for 3x" + size + "x" + size + " values at offset " + offset);
		IntensityRange range = rangeFor(plane);
		int w = Planes.width(plane), h = Planes.height(plane);
		BilinearResize resize = resizeFor(w, h);
		// Source rows are converted a small block at a time, so they are still in cache when resized.
		int block = Math.min(BilinearResize.ROW_BLOCK, h);
		double[] rowBlock = new double[block * w];
		float[] intermediate = new float[size * h];
		for (int c = 0; c < channels; c++) {
			NormalizedRows rows = NormalizedRows.of(plane, c, range);
			for (int y0 = 0; y0 < h; y0 += block) {
				int n = Math.min(block, h - y0);
				for (int i = 0; i < n; i++) rows.read(y0 + i, rowBlock, i * w);
				resize.resizeRows(rowBlock, 0, n, intermediate, y0 * size);
			}
			resize.resizeColumns(intermediate, out, offset + c * plane2);
		}
		if (channels == 1) {
			System.arraycopy(out, offset, out, offset + plane2, plane2);
			System.arraycopy(out, offset, out, offset + 2 * plane2, plane2);
		}
		if (!normalization.isIdentity()) // per channel, after a grey plane is replicated: the channels' means differ
			for (int c = 0; c < 3; c++)
				for (int i = offset + c * plane2, end = i + plane2; i < end; i++) out[i] = normalization.apply(out[i], c);
	}

	/** The resize plan for this source size; training images usually share one size, so the last plan is kept. */
	private BilinearResize resizeFor(int w, int h) {
		BilinearResize last = lastResize;
		if (last != null && last.fits(w, h, size, size)) return last;
		last = new BilinearResize(w, h, size, size);
		lastResize = last;
		return last;
	}

	private IntensityRange rangeFor(RandomAccessibleInterval<? extends RealType<?>> plane) {
		if (!needsIntensityRange(plane)) return IntensityRange.EIGHT_BIT;
		if (intensity == null)
			throw new IllegalArgumentException("this " + plane.getType().getClass().getSimpleName()
				+ " image needs an intensity range, but the model was trained on 8-bit images only; "
				+ "train with images of the same bit depth");
		return intensity;
	}
}
