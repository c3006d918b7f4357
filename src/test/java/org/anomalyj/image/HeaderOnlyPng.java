package org.anomalyj.image;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/** A PNG whose header declares any size but holds no pixel data: an image too large to make, for size checks. */
public final class HeaderOnlyPng {

	private HeaderOnlyPng() {}

	/** 8-bit grey, {@code w x h}, an empty IDAT chunk. */
	public static byte[] grey8(int w, int h) {
		ByteBuffer b = ByteBuffer.allocate(8 + 25 + 12 + 12);
		b.put(new byte[] { (byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A });
		byte[] ihdr = ByteBuffer.allocate(17).put("IHDR".getBytes(StandardCharsets.US_ASCII)).putInt(w).putInt(h)
			.put((byte) 8).put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 0).array();
		b.putInt(13).put(ihdr).putInt(crc(ihdr));
		byte[] idat = "IDAT".getBytes(StandardCharsets.US_ASCII);
		b.putInt(0).put(idat).putInt(crc(idat));
		byte[] iend = "IEND".getBytes(StandardCharsets.US_ASCII);
		b.putInt(0).put(iend).putInt(crc(iend));
		return b.array();
	}

	private static int crc(byte[] b) {
		CRC32 c = new CRC32();
		c.update(b);
		return (int) c.getValue();
	}
}
