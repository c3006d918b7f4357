package org.anomalyj.image;

import ij.ImageJ;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;

/**
 * Writes a 32-bit float image as the TIFF that ImageJ's {@code FileSaver} writes for it
 * (byte for byte with ImageJ's default Intel byte order, {@code FloatTiffEncoderTest}): one strip,
 * uncompressed, with ImageJ's description giving the display range. Anomaly maps are written once
 * per scored image; {@code FileSaver} needs an {@code ImagePlus}, whose first use loads ImageJ's
 * and AWT's classes, 0.13–0.2 s of a command-line run's start.
 */
public final class FloatTiffEncoder {

	private static final int ENTRIES = 12, HEADER = 8, IFD = 2 + ENTRIES * 12 + 4;
	private static final short LONG = 4, SHORT = 3, ASCII = 2;
	/**
	 * Each writing thread's buffer for the values, 1 MB, kept for its next map (and freed with the
	 * thread): a new one per map, its memory mapped afresh, made a 1024 x 1024 map take 1.4 ms
	 * instead of 1.0 (to /dev/null, docs/BENCHMARKS.md).
	 */
	private static final ThreadLocal<ByteBuffer> CHUNK = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(1 << 20).order(ByteOrder.LITTLE_ENDIAN));

	private FloatTiffEncoder() {}

	/** @param values {@code width * height} values, row-major */
	public static void write(float[] values, int width, int height, OutputStream out) throws IOException {
		write(values, width, height, Channels.newChannel(out));
	}

	/** @param values {@code width * height} values, row-major */
	public static void write(float[] values, int width, int height, WritableByteChannel out) throws IOException {
		if (width < 1 || height < 1 || (long) width * height != values.length)
			throw new IllegalArgumentException(values.length + " values for a " + width + " x " + height + " image");
		if (4L * values.length > 0xffff_ffffL - HEADER - IFD - 100) throw new IllegalArgumentException("a " + width + " x " + height + " TIFF exceeds 4 GB");
		// The display range as ImageJ keeps it: the values' range without NaN (NaN when all are), printed as doubles.
		float[] range = range(values);
		float min = range[0], max = range[1];
		if (min > max) min = max = Float.NaN;
		byte[] description = ("ImageJ=" + ImageJ.VERSION + "\nmin=" + (double) min + "\nmax=" + (double) max + "\n\0").getBytes(StandardCharsets.US_ASCII);
		int dataOffset = HEADER + IFD + description.length;
		ByteBuffer head = ByteBuffer.allocate(dataOffset).order(ByteOrder.LITTLE_ENDIAN);
		head.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(HEADER);
		head.putShort((short) ENTRIES);
		entry(head, 0x00fe, LONG, 0); // new subfile type: a full image
		entry(head, 0x0100, LONG, width);
		entry(head, 0x0101, LONG, height);
		entry(head, 0x0102, SHORT, 32); // bits per sample
		entry(head, 0x0103, SHORT, 1); // no compression
		entry(head, 0x0106, SHORT, 1); // black is zero
		head.putShort((short) 0x010e).putShort(ASCII).putInt(description.length).putInt(HEADER + IFD);
		entry(head, 0x0111, LONG, dataOffset); // the one strip's offset
		entry(head, 0x0115, SHORT, 1); // samples per pixel
		entry(head, 0x0116, LONG, height); // rows per strip
		entry(head, 0x0117, LONG, 4 * values.length); // strip bytes
		entry(head, 0x0153, SHORT, 3); // sample format: floating point
		head.putInt(0); // no next image
		head.put(description);
		head.clear(); // the whole array, as ImageJ writes it
		writeAll(head, out);
		// The values through a direct buffer in the machine's order, copied in bulk where that is
		// the file's little-endian order (a heap buffer's float view stored them one by one).
		ByteBuffer chunk = CHUNK.get();
		for (int from = 0; from < values.length; from += chunk.capacity() / 4) {
			int n = Math.min(chunk.capacity() / 4, values.length - from);
			chunk.clear();
			chunk.asFloatBuffer().put(values, from, n);
			chunk.limit(4 * n);
			writeAll(chunk, out);
		}
	}

	/**
	 * The values' least and greatest, NaN left out, as one loop over them in order finds them (of
	 * equal values, the first: a zero's sign shows in the description). Four quarters side by side,
	 * each with a least and greatest of its own: over a map just made elsewhere, not in this core's
	 * cache, one compare-and-keep chain ran at 2.1 ns a value, four at 0.7 (one copy of it, 0.5).
	 */
	private static float[] range(float[] values) {
		int q = values.length >>> 2;
		float min0 = Float.POSITIVE_INFINITY, min1 = min0, min2 = min0, min3 = min0;
		float max0 = Float.NEGATIVE_INFINITY, max1 = max0, max2 = max0, max3 = max0;
		for (int i = 0; i < q; i++) {
			float a = values[i], b = values[q + i], c = values[2 * q + i], d = values[3 * q + i];
			if (a < min0) min0 = a;
			if (a > max0) max0 = a;
			if (b < min1) min1 = b;
			if (b > max1) max1 = b;
			if (c < min2) min2 = c;
			if (c > max2) max2 = c;
			if (d < min3) min3 = d;
			if (d > max3) max3 = d;
		}
		for (int i = 4 * q; i < values.length; i++) {
			float v = values[i];
			if (v < min3) min3 = v;
			if (v > max3) max3 = v;
		}
		// In the quarters' order (the tail is the fourth's), keeping the first of equals: so the same
		// zero as one loop keeps, where 0 and -0 are both least or greatest.
		float min = min0, max = max0;
		if (min1 < min) min = min1;
		if (min2 < min) min = min2;
		if (min3 < min) min = min3;
		if (max1 > max) max = max1;
		if (max2 > max) max = max2;
		if (max3 > max) max = max3;
		return new float[] {min, max};
	}

	private static void writeAll(ByteBuffer b, WritableByteChannel out) throws IOException {
		while (b.hasRemaining()) out.write(b);
	}

	/** A one-value entry, the value left-aligned in its four bytes as TIFF wants. */
	private static void entry(ByteBuffer b, int tag, short type, int value) {
		b.putShort((short) tag).putShort(type).putInt(1);
		if (type == SHORT) b.putShort((short) value).putShort((short) 0);
		else b.putInt(value);
	}
}
