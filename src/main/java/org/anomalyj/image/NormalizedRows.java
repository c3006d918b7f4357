package org.anomalyj.image;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.basictypeaccess.array.ByteArray;
import net.imglib2.img.basictypeaccess.array.ShortArray;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.integer.UnsignedShortType;

/**
 * One channel of a plane, row by row, as floats scaled by an {@link IntensityRange}: the values
 * {@code range.normalize(pixel.getRealFloat())}. Planes backed by a primitive array (what the readers
 * produce) are read directly, 8-bit through a 256-entry table, so no per-pixel accessor or division
 * runs; any other plane is first copied out with {@link Planes#channel}.
 */
final class NormalizedRows {

	private final int width;
	private final int from;
	private final IntensityRange range;
	/** Exactly one of these holds the channel's pixels (from {@code from} on). */
	private final byte[] bytes;
	private final short[] shorts;
	private final float[] floats;
	/** {@code range.normalize(v)} for every 8-bit value v, when reading bytes. */
	private final double[] byteTable;

	private NormalizedRows(int width, int from, IntensityRange range, byte[] bytes, short[] shorts, float[] floats) {
		this.width = width;
		this.from = from;
		this.range = range;
		this.bytes = bytes;
		this.shorts = shorts;
		this.floats = floats;
		if (bytes == null) byteTable = null;
		else {
			byteTable = new double[256];
			for (int v = 0; v < 256; v++) byteTable[v] = range.normalize(v);
		}
	}

	static NormalizedRows of(RandomAccessibleInterval<? extends RealType<?>> plane, int c, IntensityRange range) {
		int w = Planes.width(plane), from = c * w * Planes.height(plane);
		if (plane instanceof ArrayImg<?, ?> img) {
			Object type = plane.getType(), data = img.update(null);
			if (type instanceof UnsignedByteType && data instanceof ByteArray a)
				return new NormalizedRows(w, from, range, a.getCurrentStorageArray(), null, null);
			if (type instanceof UnsignedShortType && data instanceof ShortArray a)
				return new NormalizedRows(w, from, range, null, a.getCurrentStorageArray(), null);
		}
		return new NormalizedRows(w, 0, range, null, null, Planes.channel(plane, c));
	}

	/** Writes row {@code y} into {@code row[offset .. offset + width)}; each value is a float, widened. */
	void read(int y, double[] row, int offset) {
		int at = from + y * width;
		if (bytes != null)
			for (int x = 0; x < width; x++) row[offset + x] = byteTable[bytes[at + x] & 0xFF];
		else if (shorts != null)
			for (int x = 0; x < width; x++) row[offset + x] = range.normalize(shorts[at + x] & 0xFFFF);
		else
			for (int x = 0; x < width; x++) row[offset + x] = range.normalize(floats[at + x]);
	}
}
