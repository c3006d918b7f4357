package org.anomalyj.io;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Builds zip files byte by byte, for the cases {@code ZipOutputStream} refuses to make:
 * duplicate names, sizes and CRCs that lie, pre-compressed bomb payloads.
 */
final class HandmadeZip {

	static final int STORED = 0, DEFLATED = 8;

	/** One entry: its name, how the payload is compressed, and what the headers claim. */
	record Entry(String name, int method, byte[] payload, long crc, long declaredSize) {

		Entry withDeclaredSize(long size) {
			return new Entry(name, method, payload, crc, size);
		}

		Entry withCrc(long c) {
			return new Entry(name, method, payload, c, declaredSize);
		}
	}

	private final List<Entry> entries = new ArrayList<>();

	HandmadeZip add(Entry e) {
		entries.add(e);
		return this;
	}

	static Entry stored(String name, byte[] data) {
		return new Entry(name, STORED, data, crc(data), data.length);
	}

	static Entry deflated(String name, byte[] data) {
		Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
		d.setInput(data);
		d.finish();
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		byte[] buf = new byte[8192];
		while (!d.finished()) out.write(buf, 0, d.deflate(buf));
		d.end();
		return new Entry(name, DEFLATED, out.toByteArray(), crc(data), data.length);
	}

	static long crc(byte[] data) {
		CRC32 c = new CRC32();
		c.update(data);
		return c.getValue();
	}

	byte[] build() {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ByteArrayOutputStream cen = new ByteArrayOutputStream();
		for (Entry e : entries) {
			byte[] name = e.name.getBytes(StandardCharsets.UTF_8);
			int offset = out.size();
			ByteBuffer loc = le(30 + name.length);
			loc.putInt(0x04034b50).putShort((short) 20).putShort((short) 0x0800).putShort((short) e.method)
				.putShort((short) 0).putShort((short) 0x21) // 1980-01-01 00:00
				.putInt((int) e.crc).putInt(e.payload.length).putInt((int) e.declaredSize)
				.putShort((short) name.length).putShort((short) 0).put(name);
			out.writeBytes(loc.array());
			out.writeBytes(e.payload);
			ByteBuffer c = le(46 + name.length);
			c.putInt(0x02014b50).putShort((short) 20).putShort((short) 20).putShort((short) 0x0800)
				.putShort((short) e.method).putShort((short) 0).putShort((short) 0x21)
				.putInt((int) e.crc).putInt(e.payload.length).putInt((int) e.declaredSize)
				.putShort((short) name.length).putShort((short) 0).putShort((short) 0)
				.putShort((short) 0).putShort((short) 0).putInt(0).putInt(offset).put(name);
			cen.writeBytes(c.array());
		}
		int cenOffset = out.size();
		out.writeBytes(cen.toByteArray());
		ByteBuffer end = le(22);
		end.putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) entries.size())
			.putShort((short) entries.size()).putInt(cen.size()).putInt(cenOffset).putShort((short) 0);
		out.writeBytes(end.array());
		return out.toByteArray();
	}

	/**
	 * A raw deflate stream that inflates to {@code mebibytes} MiB of zeros while being about a
	 * thousand times smaller: one independently decodable 1 MiB block (full flush) repeated,
	 * then an empty final block. Building it costs no more than compressing 1 MiB.
	 */
	static byte[] deflatedZeros(int mebibytes) {
		Deflater d = new Deflater(Deflater.BEST_COMPRESSION, true);
		d.setInput(new byte[1 << 20]);
		ByteArrayOutputStream chunk = new ByteArrayOutputStream();
		byte[] buf = new byte[1 << 16];
		int n;
		do {
			n = d.deflate(buf, 0, buf.length, Deflater.FULL_FLUSH);
			chunk.write(buf, 0, n);
		} while (n == buf.length);
		d.finish();
		ByteArrayOutputStream tail = new ByteArrayOutputStream();
		while (!d.finished()) tail.write(buf, 0, d.deflate(buf));
		d.end();
		byte[] c = chunk.toByteArray(), t = tail.toByteArray();
		byte[] all = Arrays.copyOf(c, c.length * mebibytes + t.length);
		for (int i = 1; i < mebibytes; i++) System.arraycopy(c, 0, all, i * c.length, c.length);
		System.arraycopy(t, 0, all, c.length * mebibytes, t.length);
		return all;
	}

	private static ByteBuffer le(int size) {
		return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
	}
}
