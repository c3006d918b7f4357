package org.anomalyj.image;

import org.anomalyj.task.HelperThreads;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.zip.Adler32;
import java.util.zip.CRC32;

/**
 * Writes 8-bit grey and RGB PNG files, for the outputs written once per scored image (masks,
 * overlays). javax.imageio's writer took 56–77 ms for one 900 × 900 RGB overlay of bottle, more than
 * scoring the image; one fixed filter and the native deflater at level 1 wrote the same pixels in
 * 29 ms, in a file 26 % smaller (645 against 870 kB); bands of rows deflated side by side then took
 * it to 25 ms on this 2-core machine, the Up filter with zlib's Huffman-only coding to 12–14 ms,
 * and Huffman coding of our own ({@link HuffmanBlocks}) to 7 ms, then 4 ms (docs/BENCHMARKS.md).
 * Any PNG reader gives back exactly the pixels given (PngEncoderTest decodes with javax.imageio).
 */
public final class PngEncoder {

	private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
	private static final int GREY = 0, RGB = 2;
	/**
	 * One filter per kind of image, so no per-row trial. RGB (overlays): Up, a byte subtraction;
	 * Paeth, which libpng's heuristics favour for photographs, made bottle's overlays 5 % smaller
	 * (753 against 794 kB) for 9 ms more per overlay, a third of the encoding. Grey (masks, a few
	 * distinct values in runs): None, which keeps the runs whole (zlib compressed it best: 57
	 * against 80 kB for 13 bottle masks), coded by {@link RunDeflater}.
	 */
	private static final int NONE = 0, UP = 2;

	/** Threads that filter and deflate bands beside the caller. */
	private static final ThreadPoolExecutor BANDS = HelperThreads.besideCaller("AnomalyJ PNG bands");
	/** zlib level: on a bottle overlay level 3 took 55–63 ms for 594 kB, level 6 164 ms for 538 kB, level 1 29 ms for 645 kB. */
	private static final int LEVEL = 1;

	private PngEncoder() {}

	/** @param rgb {@code width * height} pixels as {@code 0xRRGGBB} (alpha ignored), row-major */
	public static void writeRgb(int[] rgb, int width, int height, OutputStream out) throws IOException {
		check(rgb.length, width, height);
		writeRgb(width, height, (y, row) -> RgbRows.unpack(rgb, y * width, width, row), out);
	}

	/** An RGB image whose rows are made as the encoder asks for them (on its threads, in any order, some twice). */
	public static void writeRgb(int width, int height, Rows rgbRows, OutputStream out) throws IOException {
		if (width < 1 || height < 1) throw new IllegalArgumentException("a " + width + " x " + height + " image");
		writeImage(width, height, RGB, UP, out, rgbRows);
	}

	/**
	 * Coded for runs, as masks are: a grey photograph would come out about as large as its bytes.
	 * @param grey {@code width * height} 8-bit values, row-major
	 */
	public static void writeGrey(byte[] grey, int width, int height, OutputStream out) throws IOException {
		check(grey.length, width, height);
		writeImage(width, height, GREY, NONE, out, (y, row) -> System.arraycopy(grey, y * width, row, 0, width));
	}

	/** The image's rows as bytes, any row at any time (bands are filtered side by side). */
	public interface Rows {
		/** Puts row {@code y}'s bytes ({@code 3 * width} for RGB, {@code width} for grey) into {@code row}. */
		void read(int y, byte[] row);
	}

	private static void check(int length, int width, int height) {
		if (width < 1 || height < 1 || (long) width * height != length)
			throw new IllegalArgumentException(length + " pixels for a " + width + " x " + height + " image");
	}

	private static void writeImage(int width, int height, int colourType, int filter, OutputStream out, Rows rows) throws IOException {
		int channels = colourType == RGB ? 3 : 1;
		DataOutputStream data = new DataOutputStream(out);
		data.write(SIGNATURE);
		ChunkBuffer header = new ChunkBuffer(13);
		header.putInt(width).putInt(height).put(8).put(colourType).put(0).put(0).put(0);
		writeChunk(data, "IHDR", header.bytes, header.length);

		// One zlib stream made of bands deflated side by side, pigz's way: each band is raw deflate
		// of its own rows (no references into the band before), all but the last ending on a byte
		// boundary (sync flush), so that their concatenation is one valid stream. Band sizes do not
		// depend on the machine, so neither do the file's bytes.
		int stride = 1 + width * channels, bandRows = Math.max(1, BAND_BYTES / stride), bands = (height + bandRows - 1) / bandRows;
		// Bands in flight at most: enough to keep the pool busy, few enough that a 100-megapixel
		// overlay holds a few deflated bands at a time, not the whole file.
		int window = BANDS.getMaximumPoolSize() + 1;
		Deque<FutureTask<Band>> ahead = new ArrayDeque<>();
		ChunkBuffer idat = new ChunkBuffer(1 << 16);
		OutputStream z = idat.asStream(data);
		z.write(new byte[] {0x78, 0x01}); // zlib header: deflate, 32 kB window, fastest level
		long adler = 1;
		for (int b = 0, next = 1; b < bands; b++) {
			for (; next < bands && next <= b + window; next++) {
				int from = next * bandRows, to = Math.min(height, from + bandRows);
				ahead.add(HelperThreads.start(BANDS, () -> band(rows, width * channels, filter, from, to, to == height)));
			}
			Band p = b == 0 ? band(rows, width * channels, filter, 0, Math.min(height, bandRows), bands == 1) : join(ahead.removeFirst());
			z.write(p.deflated.buffer(), 0, p.deflated.size());
			adler = adlerCombine(adler, p.adler, p.length);
		}
		z.write(new byte[] {(byte) (adler >>> 24), (byte) (adler >>> 16), (byte) (adler >>> 8), (byte) adler});
		idat.flushAsIdat(data);
		writeChunk(data, "IEND", new byte[0], 0);
		data.flush();
	}

	/** Raw bytes per band of rows deflated on its own: a 900 x 900 overlay is three. */
	static final int BAND_BYTES = 1 << 20;

	private record Band(Bytes deflated, long adler, long length) {}

	/** Filters and deflates rows {@code from} to {@code to}; ends the stream when {@code last}, else flushes to a byte boundary. */
	private static Band band(Rows rows, int rowBytes, int filter, int from, int to, boolean last) {
		// Sized for a band of photograph coded to half its bytes, so it is rarely grown (by copying).
		Bytes out = new Bytes(filter == UP ? (to - from) * (rowBytes + 1) / 2 : 1 << 12);
		long adler = filter == UP ? upBand(rows, rowBytes, from, to, last, out) : plainBand(rows, rowBytes, from, to, last, out);
		return new Band(out, adler, (long) (to - from) * (rowBytes + 1));
	}

	// One method per filter, each a loop without tests on which coder or filter: the JIT compiles
	// each for its own rows (one shared loop was compiled again whenever masks followed overlays).

	/**
	 * RGB rows (overlays), Up-filtered and coded by HuffmanBlocks: Huffman codes only, as small on
	 * photographs as zlib's level 1 and faster than zlib's own Huffman-only coding; blocks of runs (a
	 * flat background) go to zlib's string matching, which codes them far smaller.
	 * @return the Adler-32 of the filtered rows
	 */
	private static long upBand(Rows rows, int rowBytes, int from, int to, boolean last, Bytes out) {
		// Row by row, so each row is filtered, summed and coded while it is in the cache. The first
		// image row is filtered against zeros, which leaves it as it is (as PNG defines Up there).
		byte[] row = new byte[rowBytes], above = new byte[rowBytes], filtered = new byte[rowBytes + 1];
		Adler32 adler = new Adler32();
		HuffmanBlocks huffman = new HuffmanBlocks(out, LEVEL, rowBytes + 1);
		if (from > 0) rows.read(from - 1, above);
		filtered[0] = UP;
		for (int y = from; y < to; y++) {
			rows.read(y, row);
			up(row, above, filtered);
			adler.update(filtered);
			huffman.add(filtered, 0, filtered.length);
			byte[] t = above;
			above = row;
			row = t;
		}
		huffman.finish(last);
		return adler.getValue();
	}

	/** A row's bytes less those above (PNG's Up filter), after the filter byte. */
	private static void up(byte[] row, byte[] above, byte[] filtered) {
		for (int i = 0; i < row.length; i++) filtered[i + 1] = (byte) (row[i] - above[i]);
	}

	/**
	 * Grey rows (masks), unfiltered, their runs coded by {@link RunDeflater}, some 64 kB at a time.
	 * @return the Adler-32 of the rows with their filter bytes
	 */
	private static long plainBand(Rows rows, int rowBytes, int from, int to, boolean last, Bytes out) {
		int stride = rowBytes + 1, perChunk = Math.max(1, (1 << 16) / stride);
		byte[] chunk = new byte[perChunk * stride], row = new byte[rowBytes];
		Adler32 adler = new Adler32();
		RunDeflater runs = new RunDeflater(out, last);
		int filled = 0;
		for (int y = from; y < to; y++) {
			rows.read(y, row);
			chunk[filled] = NONE;
			System.arraycopy(row, 0, chunk, filled + 1, rowBytes);
			filled += stride;
			if (filled == chunk.length || y == to - 1) {
				adler.update(chunk, 0, filled);
				runs.add(chunk, 0, filled);
				filled = 0;
			}
		}
		runs.finish(last);
		return adler.getValue();
	}

	private static Band join(FutureTask<Band> band) {
		try {
			return HelperThreads.join(band);
		} catch (ExecutionException e) {
			if (e.getCause() instanceof RuntimeException r) throw r;
			if (e.getCause() instanceof Error r) throw r;
			throw new IllegalStateException(e.getCause());
		}
	}

	/** The Adler-32 of two byte sequences one after the other, from each one's checksum and the second's length (zlib's adler32_combine). */
	static long adlerCombine(long adler1, long adler2, long length2) {
		final long base = 65521;
		long rem = length2 % base;
		long sum1 = adler1 & 0xffff;
		long sum2 = rem * sum1 % base;
		sum1 += (adler2 & 0xffff) + base - 1;
		sum2 += ((adler1 >>> 16) & 0xffff) + ((adler2 >>> 16) & 0xffff) + base - rem;
		if (sum1 >= base) sum1 -= base;
		if (sum1 >= base) sum1 -= base;
		if (sum2 >= base << 1) sum2 -= base << 1;
		if (sum2 >= base) sum2 -= base;
		return sum1 | sum2 << 16;
	}

	/** A byte array output stream whose buffer is read in place. */
	private static final class Bytes extends java.io.ByteArrayOutputStream {
		Bytes(int size) {
			super(size);
		}

		byte[] buffer() {
			return buf;
		}
	}

	private static void writeChunk(DataOutputStream out, String type, byte[] body, int length) throws IOException {
		byte[] t = type.getBytes(StandardCharsets.US_ASCII);
		CRC32 crc = new CRC32();
		crc.update(t);
		crc.update(body, 0, length);
		out.writeInt(length);
		out.write(t);
		out.write(body, 0, length);
		out.writeInt((int) crc.getValue());
	}

	/** Bytes of one chunk's body; full IDAT buffers go out as chunks of their own as they fill. */
	private static final class ChunkBuffer {
		byte[] bytes;
		int length;

		ChunkBuffer(int capacity) {
			bytes = new byte[capacity];
		}

		ChunkBuffer put(int b) {
			bytes[length++] = (byte) b;
			return this;
		}

		ChunkBuffer putInt(int v) {
			return put(v >>> 24).put(v >>> 16).put(v >>> 8).put(v);
		}

		OutputStream asStream(DataOutputStream target) {
			return new OutputStream() {
				@Override
				public void write(int b) throws IOException {
					write(new byte[] {(byte) b}, 0, 1);
				}

				@Override
				public void write(byte[] b, int off, int len) throws IOException {
					while (len > 0) {
						int n = Math.min(len, bytes.length - length);
						System.arraycopy(b, off, bytes, length, n);
						length += n;
						off += n;
						len -= n;
						if (length == bytes.length) flushAsIdat(target);
					}
				}

				@Override
				public void close() {
					// The chunk stream stays open: the last IDAT and IEND follow.
				}
			};
		}

		void flushAsIdat(DataOutputStream target) throws IOException {
			if (length == 0) return;
			writeChunk(target, "IDAT", bytes, length);
			length = 0;
		}
	}
}
