package org.anomalyj.image;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * PNG files. The common layouts (8 or 16 bits per sample; grey, grey + alpha, RGB, RGBA; not
 * interlaced; no palette, transparency key or ICC profile) are decoded here straight into planes:
 * one zlib pass (the JDK's native inflater) and the row filters undone while the samples are split
 * into channels. javax.imageio's reader takes about twice as long for the same pixels, most of it in
 * per-row Java stream and raster calls.
 * <p>
 * The result is what {@link ImageIoFileDecoder} gives for these files (alpha dropped, 16-bit values
 * raw, no gamma applied). Everything else, and any file whose structure looks wrong in any way, is
 * passed to {@link ImageIoFileDecoder}, so other layouts and the error messages for damaged files
 * stay exactly as they were.
 */
final class PngFileDecoder implements FileDecoder {

	private static final int SIGNATURE = 8;
	/** Signature, IHDR length and type, the 13 IHDR bytes. */
	private static final int HEADER_BYTES = SIGNATURE + 8 + 13;

	private final Path file;
	private final ImageIoFileDecoder general;

	PngFileDecoder(Path file) {
		this.file = file;
		this.general = new ImageIoFileDecoder(file, ImageFormat.PNG);
	}

	@Override
	public ImageInfo readInfo() throws IOException {
		byte[] head;
		try (InputStream in = Files.newInputStream(file)) {
			head = in.readNBytes(HEADER_BYTES);
		}
		catch (IOException e) {
			return general.readInfo();
		}
		Header h = Header.parse(head);
		if (h == null) return general.readInfo();
		return new ImageInfo(ImageFormat.PNG.name(), h.bitDepth == 8 ? PixelType.UINT8 : PixelType.UINT16, h.width, h.height,
			h.colours, 1, PixelCalibration.NONE);
	}

	@Override
	public List<RandomAccessibleInterval<? extends RealType<?>>> readPlanes(ImageInfo header) throws IOException {
		RandomAccessibleInterval<? extends RealType<?>> plane = null;
		try {
			plane = decode(Files.readAllBytes(file));
		}
		catch (IOException e) {
			// Reported by the general reader below, in its words.
		}
		return plane != null ? List.of(plane) : general.readPlanes(header);
	}

	/** The plane of a PNG in one of the layouts handled here; null for any other file, including damaged ones. */
	static RandomAccessibleInterval<? extends RealType<?>> decode(byte[] png) {
		Header h = Header.parse(png);
		if (h == null) return null;
		int bpp = h.samples * h.bitDepth / 8;
		long stride = (long) h.width * bpp;
		long rawLength = (stride + 1) * h.height;
		if (rawLength > Integer.MAX_VALUE - 16) return null;
		// One spare byte, so the inflater can run to the stream's end (checking its checksum) once all rows are in.
		byte[] raw = new byte[(int) rawLength + 1];
		int filled = 0;
		Inflater inflater = new Inflater();
		try {
			int at = HEADER_BYTES + 4; // after the IHDR checksum
			boolean ended = false;
			while (!ended) {
				if (at + 8 > png.length) return null;
				long length = readInt(png, at) & 0xFFFFFFFFL;
				int type = readInt(png, at + 4);
				int data = at + 8;
				if (length > png.length - data - 4) return null;
				if (type == IDAT) {
					if (inflater.finished()) return null;
					inflater.setInput(png, data, (int) length);
					while (!inflater.needsInput() && !inflater.finished()) {
						int n = inflater.inflate(raw, filled, raw.length - filled);
						filled += n;
						if (n == 0 && (inflater.needsDictionary() || filled == raw.length)) return null;
					}
				}
				else if (type == IEND) ended = true;
				// Any other critical chunk (PLTE, or unknown), a transparency key or a colour profile:
				// leave the file to javax.imageio, which knows what it does with them.
				else if (isCritical(type) || type == TRNS || type == ICCP) return null;
				at = data + (int) length + 4;
			}
			if (!inflater.finished() || filled != rawLength) return null;
		}
		catch (DataFormatException e) {
			return null;
		}
		finally {
			inflater.end();
		}
		return unfilter(raw, h, bpp, (int) stride);
	}

	private static RandomAccessibleInterval<? extends RealType<?>> unfilter(byte[] raw, Header h, int bpp, int stride) {
		int w = h.width, rows = h.height, n = w * rows;
		byte[] prev = new byte[stride], cur = new byte[stride];
		byte[] out8 = h.bitDepth == 8 ? new byte[h.colours * n] : null;
		short[] out16 = h.bitDepth == 16 ? new short[h.colours * n] : null;
		for (int y = 0; y < rows; y++) {
			int at = y * (stride + 1);
			if (!RowFilter.undo(raw[at], raw, at + 1, prev, cur, bpp)) return null;
			int o = y * w;
			if (out8 != null) splitBytes(cur, h.samples, h.colours, w, out8, o, n);
			else splitShorts(cur, h.samples, h.colours, w, out16, o, n);
			byte[] t = prev;
			prev = cur;
			cur = t;
		}
		if (out8 != null) return h.colours == 1 ? Planes.grey8(out8, w, rows) : Planes.rgb8(out8, w, rows);
		return h.colours == 1 ? Planes.grey16(out16, w, rows) : Planes.rgb16(out16, w, rows);
	}

	private static void splitBytes(byte[] row, int samples, int colours, int w, byte[] out, int o, int n) {
		if (samples == 1) System.arraycopy(row, 0, out, o, w);
		else if (samples == 3)
			for (int x = 0, i = 0; x < w; x++, i += 3) {
				out[o + x] = row[i];
				out[n + o + x] = row[i + 1];
				out[2 * n + o + x] = row[i + 2];
			}
		else
			for (int c = 0; c < colours; c++)
				for (int x = 0, i = c; x < w; x++, i += samples) out[c * n + o + x] = row[i];
	}

	private static void splitShorts(byte[] row, int samples, int colours, int w, short[] out, int o, int n) {
		for (int c = 0; c < colours; c++)
			for (int x = 0, i = 2 * c; x < w; x++, i += 2 * samples)
				out[c * n + o + x] = (short) ((row[i] & 0xFF) << 8 | row[i + 1] & 0xFF);
	}

	private static final int IDAT = chunk("IDAT"), IEND = chunk("IEND"), TRNS = chunk("tRNS"), ICCP = chunk("iCCP");
	private static final int IHDR = chunk("IHDR");

	private static int chunk(String name) {
		return name.charAt(0) << 24 | name.charAt(1) << 16 | name.charAt(2) << 8 | name.charAt(3);
	}

	/** Chunks whose name starts with an upper-case letter must be understood to decode the image. */
	private static boolean isCritical(int type) {
		return (type & 0x20000000) == 0;
	}

	private static int readInt(byte[] b, int at) {
		return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | b[at + 3] & 0xFF;
	}

	/** The IHDR fields of a layout handled here. */
	private static final class Header {
		final int width, height, bitDepth, samples, colours;

		private Header(int width, int height, int bitDepth, int samples, int colours) {
			this.width = width;
			this.height = height;
			this.bitDepth = bitDepth;
			this.samples = samples;
			this.colours = colours;
		}

		/** Null unless the bytes start with a PNG signature and an IHDR of a layout handled here. */
		static Header parse(byte[] b) {
			if (b.length < HEADER_BYTES) return null;
			if (readInt(b, 0) != 0x89504E47 || readInt(b, 4) != 0x0D0A1A0A) return null;
			if (readInt(b, 8) != 13 || readInt(b, 12) != IHDR) return null;
			int w = readInt(b, 16), h = readInt(b, 20);
			int depth = b[24], colourType = b[25], compression = b[26], filter = b[27], interlace = b[28];
			if (w < 1 || h < 1 || compression != 0 || filter != 0 || interlace != 0) return null;
			if ((long) w * h > Integer.MAX_VALUE - 16) return null;
			if (depth != 8 && depth != 16) return null;
			return switch (colourType) {
				case 0 -> new Header(w, h, depth, 1, 1);
				case 2 -> new Header(w, h, depth, 3, 3);
				case 4 -> new Header(w, h, depth, 2, 1);
				case 6 -> new Header(w, h, depth, 4, 3);
				default -> null;
			};
		}
	}
}
