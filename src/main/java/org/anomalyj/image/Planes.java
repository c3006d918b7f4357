package org.anomalyj.image;

import net.imglib2.Cursor;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.ByteArray;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.img.basictypeaccess.array.ShortArray;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.integer.UnsignedShortType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

/**
 * Building and reading planes in the package convention: {@code (x, y)} grey or {@code (x, y, c)} with
 * c = 3. Pixel arrays are row-major (x fastest); colour data is planar (all red, then green, then blue).
 */
public final class Planes {

	private Planes() {}

	/** Wraps 8-bit grey pixels without copying. */
	public static ArrayImg<UnsignedByteType, ByteArray> grey8(byte[] pixels, int width, int height) {
		checkLength(pixels.length, width, height, 1);
		return ArrayImgs.unsignedBytes(pixels, width, height);
	}

	/** Wraps unsigned 16-bit grey pixels without copying. */
	public static ArrayImg<UnsignedShortType, ShortArray> grey16(short[] pixels, int width, int height) {
		checkLength(pixels.length, width, height, 1);
		return ArrayImgs.unsignedShorts(pixels, width, height);
	}

	/** Wraps 32-bit float grey pixels without copying. */
	public static ArrayImg<FloatType, FloatArray> grey32(float[] pixels, int width, int height) {
		checkLength(pixels.length, width, height, 1);
		return ArrayImgs.floats(pixels, width, height);
	}

	/** Wraps planar 8-bit RGB (3 * width * height values, red plane first) without copying. */
	public static ArrayImg<UnsignedByteType, ByteArray> rgb8(byte[] planar, int width, int height) {
		checkLength(planar.length, width, height, 3);
		return ArrayImgs.unsignedBytes(planar, width, height, 3);
	}

	/** Wraps planar unsigned 16-bit RGB without copying. */
	public static ArrayImg<UnsignedShortType, ShortArray> rgb16(short[] planar, int width, int height) {
		checkLength(planar.length, width, height, 3);
		return ArrayImgs.unsignedShorts(planar, width, height, 3);
	}

	/** Unpacks 0xAARRGGBB pixels (ImageJ ColorProcessor, BufferedImage.getRGB) into an RGB plane; alpha is dropped. */
	public static ArrayImg<UnsignedByteType, ByteArray> rgbFromPacked(int[] argb, int width, int height) {
		checkLength(argb.length, width, height, 1);
		int n = argb.length;
		byte[] planar = new byte[3 * n];
		for (int i = 0; i < n; i++) {
			int p = argb[i];
			planar[i] = (byte) (p >> 16);
			planar[n + i] = (byte) (p >> 8);
			planar[2 * n + i] = (byte) p;
		}
		return ArrayImgs.unsignedBytes(planar, width, height, 3);
	}

	/** Copies three 16-bit channel arrays into one planar RGB plane. */
	public static ArrayImg<UnsignedShortType, ShortArray> rgb16(short[] red, short[] green, short[] blue, int width, int height) {
		int n = width * height;
		checkLength(red.length, width, height, 1);
		checkLength(green.length, width, height, 1);
		checkLength(blue.length, width, height, 1);
		short[] planar = new short[3 * n];
		System.arraycopy(red, 0, planar, 0, n);
		System.arraycopy(green, 0, planar, n, n);
		System.arraycopy(blue, 0, planar, 2 * n, n);
		return ArrayImgs.unsignedShorts(planar, width, height, 3);
	}

	/** Checks the convention: 2 dimensions, or 3 with 1 or 3 channels; sizes fit in an int array. */
	public static void check(RandomAccessibleInterval<?> plane) {
		int n = plane.numDimensions();
		if (n != 2 && n != 3)
			throw new IllegalArgumentException("a plane must have dimensions (x, y) or (x, y, c), got " + n + " dimensions");
		if (n == 3 && plane.dimension(2) != 1 && plane.dimension(2) != 3)
			throw new IllegalArgumentException("a colour plane must have 3 channels (RGB), got " + plane.dimension(2));
		if (plane.dimension(0) * plane.dimension(1) > Integer.MAX_VALUE - 8)
			throw new IllegalArgumentException("plane " + plane.dimension(0) + "x" + plane.dimension(1) + " is too large");
	}

	public static int width(RandomAccessibleInterval<?> plane) {
		return (int) plane.dimension(0);
	}

	public static int height(RandomAccessibleInterval<?> plane) {
		return (int) plane.dimension(1);
	}

	/** 1 for grey, 3 for RGB. */
	public static int channels(RandomAccessibleInterval<?> plane) {
		check(plane);
		return plane.numDimensions() == 2 ? 1 : (int) plane.dimension(2);
	}

	/** The values of channel {@code c} (0-based) as floats, row-major. Exact for 8-bit, 16-bit and float data. */
	public static float[] channel(RandomAccessibleInterval<? extends RealType<?>> plane, int c) {
		int channels = channels(plane);
		if (c < 0 || c >= channels) throw new IllegalArgumentException("channel " + c + " of a " + channels + "-channel plane");
		float[] direct = channelOfArrayImg(plane, c);
		if (direct != null) return direct;
		RandomAccessibleInterval<? extends RealType<?>> slice =
			plane.numDimensions() == 2 ? plane : Views.hyperSlice(plane, 2, plane.min(2) + c);
		float[] out = new float[Math.toIntExact(slice.dimension(0) * slice.dimension(1))];
		Cursor<? extends RealType<?>> cursor = Views.flatIterable(slice).cursor();
		for (int i = 0; i < out.length; i++)
			out[i] = cursor.next().getRealFloat();
		return out;
	}

	/**
	 * Channel {@code c} read straight from the primitive array of an {@link ArrayImg} of one of the
	 * package's three types (the planes the readers produce), skipping ImgLib2's per-pixel accessors;
	 * null for any other image. Values equal {@code getRealFloat()} of each pixel.
	 */
	private static float[] channelOfArrayImg(RandomAccessibleInterval<? extends RealType<?>> plane, int c) {
		if (!(plane instanceof ArrayImg<?, ?> img)) return null;
		int n = Math.toIntExact(plane.dimension(0) * plane.dimension(1)), from = c * n;
		Object type = plane.getType(), data = img.update(null);
		float[] out = new float[n];
		if (type instanceof UnsignedByteType && data instanceof ByteArray a) {
			byte[] v = a.getCurrentStorageArray();
			for (int i = 0; i < n; i++) out[i] = v[from + i] & 0xFF;
		}
		else if (type instanceof UnsignedShortType && data instanceof ShortArray a) {
			short[] v = a.getCurrentStorageArray();
			for (int i = 0; i < n; i++) out[i] = v[from + i] & 0xFFFF;
		}
		else if (type instanceof FloatType && data instanceof FloatArray a) System.arraycopy(a.getCurrentStorageArray(), from, out, 0, n);
		else return null;
		return out;
	}

	private static void checkLength(int length, int width, int height, int channels) {
		if (width < 1 || height < 1)
			throw new IllegalArgumentException("plane size must be >= 1x1, got " + width + "x" + height);
		if ((long) width * height * channels != length)
			throw new IllegalArgumentException("pixel array has " + length + " values, " + width + "x" + height
				+ (channels > 1 ? "x" + channels : "") + " needs " + (long) width * height * channels);
	}
}
