package org.anomalyj.image;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Hand-made little-endian TIFFs for header-level tests (sizes and structures no writer would produce). */
public final class TiffBytes {

	private final List<int[]> entries = new ArrayList<>(); // tag, type, count, value
	private String description;

	public TiffBytes entry(int tag, int type, int count, int value) {
		entries.add(new int[] { tag, type, count, value });
		return this;
	}

	/** An 8-bit grey image directory of the given size with one strip at {@code stripOffset}. */
	public static TiffBytes grey8(int width, int height, int stripOffset) {
		return new TiffBytes().entry(256, 4, 1, width).entry(257, 4, 1, height).entry(258, 3, 1, 8).entry(259, 3, 1, 1)
			.entry(262, 3, 1, 1).entry(273, 4, 1, stripOffset).entry(277, 3, 1, 1).entry(278, 4, 1, height)
			.entry(279, 4, 1, width * height);
	}

	public TiffBytes description(String text) {
		this.description = text;
		return this;
	}

	/** Header, one directory at byte 8 whose next-directory pointer is {@code nextIfd}, then the description. */
	public byte[] build(long nextIfd) {
		List<int[]> all = new ArrayList<>(entries);
		byte[] desc = description == null ? null : (description + "\0").getBytes(StandardCharsets.US_ASCII);
		int ifdSize = 2 + 12 * (all.size() + (desc == null ? 0 : 1)) + 4;
		if (desc != null) all.add(new int[] { 270, 2, desc.length, 8 + ifdSize });
		all.sort((a, b) -> Integer.compare(a[0], b[0]));
		ByteBuffer b = ByteBuffer.allocate(8 + ifdSize + (desc == null ? 0 : desc.length)).order(ByteOrder.LITTLE_ENDIAN);
		b.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(8);
		b.putShort((short) all.size());
		for (int[] e : all) {
			b.putShort((short) e[0]).putShort((short) e[1]).putInt(e[2]);
			if (e[1] == 3 && e[2] == 1) b.putShort((short) e[3]).putShort((short) 0);
			else b.putInt(e[3]);
		}
		b.putInt((int) nextIfd);
		if (desc != null) b.put(desc);
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.writeBytes(b.array());
		return out.toByteArray();
	}
}
