package org.anomalyj.image;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A minimal PNG writer for tests: chosen row filters (cycling through all five, so every reconstruction
 * path of a decoder runs), the deflate stream split over several IDAT chunks, optional extra chunks.
 */
final class PngBytes {

	private PngBytes() {}

	/** {@code samples}: interleaved samples, row after row, 16-bit ones as two big-endian bytes. */
	static byte[] encode(int w, int h, int colourType, int depth, byte[] samples, boolean interlaced, byte[]... extraChunks) {
		int perPixel = switch (colourType) { case 0 -> 1; case 2 -> 3; case 4 -> 2; case 6 -> 4; default -> 1; };
		int bpp = Math.max(1, perPixel * depth / 8), stride = (w * perPixel * depth + 7) / 8;
		ByteArrayOutputStream filtered = new ByteArrayOutputStream();
		byte[] prev = new byte[stride];
		for (int y = 0; y < h; y++) {
			int type = y % 5;
			filtered.write(type);
			for (int i = 0; i < stride; i++) {
				int x = samples[y * stride + i] & 0xFF, a = i >= bpp ? samples[y * stride + i - bpp] & 0xFF : 0;
				int b = prev[i] & 0xFF, c = i >= bpp ? prev[i - bpp] & 0xFF : 0;
				int predictor = switch (type) {
					case 1 -> a;
					case 2 -> b;
					case 3 -> (a + b) / 2;
					case 4 -> paeth(a, b, c);
					default -> 0;
				};
				filtered.write((x - predictor) & 0xFF);
			}
			System.arraycopy(samples, y * stride, prev, 0, stride);
		}
		Deflater deflater = new Deflater();
		deflater.setInput(filtered.toByteArray());
		deflater.finish();
		ByteArrayOutputStream z = new ByteArrayOutputStream();
		byte[] buf = new byte[4096];
		while (!deflater.finished()) z.write(buf, 0, deflater.deflate(buf));
		deflater.end();
		byte[] zlib = z.toByteArray();

		ByteArrayOutputStream png = new ByteArrayOutputStream();
		png.writeBytes(new byte[] { (byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A });
		byte[] ihdr = { (byte) (w >>> 24), (byte) (w >>> 16), (byte) (w >>> 8), (byte) w, (byte) (h >>> 24), (byte) (h >>> 16),
			(byte) (h >>> 8), (byte) h, (byte) depth, (byte) colourType, 0, 0, (byte) (interlaced ? 1 : 0) };
		chunk(png, "IHDR", ihdr);
		for (byte[] extra : extraChunks) png.writeBytes(extra);
		int piece = Math.max(1, zlib.length / 3 + 1);
		for (int at = 0; at < zlib.length; at += piece)
			chunk(png, "IDAT", java.util.Arrays.copyOfRange(zlib, at, Math.min(zlib.length, at + piece)));
		chunk(png, "IEND", new byte[0]);
		return png.toByteArray();
	}

	/** One complete chunk: length, type, data, CRC. */
	static byte[] chunk(String type, byte[] data) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		chunk(out, type, data);
		return out.toByteArray();
	}

	private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
		int n = data.length;
		out.writeBytes(new byte[] { (byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n });
		byte[] t = type.getBytes(StandardCharsets.US_ASCII);
		out.writeBytes(t);
		out.writeBytes(data);
		CRC32 crc = new CRC32();
		crc.update(t);
		crc.update(data);
		long v = crc.getValue();
		out.writeBytes(new byte[] { (byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v });
	}

	/** The Paeth predictor as the PNG specification writes it. */
	static int paeth(int a, int b, int c) {
		int p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
		if (pa <= pb && pa <= pc) return a;
		return pb <= pc ? b : c;
	}
}
