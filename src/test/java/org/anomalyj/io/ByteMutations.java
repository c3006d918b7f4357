package org.anomalyj.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

/**
 * Seeded damage to bytes, as storage, transfers and hostile editors cause it: bit flips,
 * truncations, random runs, duplicated, deleted and inserted ranges, extreme integers where a
 * size or offset field might be. Shared by the fuzz tests of the model file layers.
 */
public final class ByteMutations {

	private ByteMutations() {}

	/** A range that gets half of the damage (headers, directories). */
	public record Region(int start, int length) {}

	/** One to three mutations. */
	public static byte[] mutateRepeatedly(byte[] in, Random r, Region... hot) {
		byte[] out = in;
		for (int k = 1 + r.nextInt(3); k > 0; k--) out = mutate(out, r, hot);
		return out;
	}

	/** One random mutation: bit flips, truncation, random runs, duplicated or deleted ranges, inserts, extreme integers. */
	public static byte[] mutate(byte[] in, Random r, Region... hot) {
		if (in.length == 0) return new byte[] {(byte) r.nextInt()};
		int kind = r.nextInt(7);
		int pos = position(in.length, r, hot);
		byte[] out;
		switch (kind) {
			case 0 -> { // flip bits in 1-4 bytes
				out = in.clone();
				int n = 1 + r.nextInt(4);
				for (int i = 0; i < n; i++) out[position(in.length, r, hot)] ^= (byte) (1 + r.nextInt(255));
			}
			case 1 -> { // truncate
				out = Arrays.copyOf(in, r.nextInt(in.length));
			}
			case 2 -> { // overwrite a run with random bytes
				out = in.clone();
				int len = Math.min(1 + r.nextInt(64), in.length - pos);
				for (int i = 0; i < len; i++) out[pos + i] = randomByte(r);
			}
			case 3 -> { // duplicate a range and insert it elsewhere
				int len = Math.min(1 + r.nextInt(512), in.length - pos);
				int at = position(in.length, r, hot);
				out = new byte[in.length + len];
				System.arraycopy(in, 0, out, 0, at);
				System.arraycopy(in, pos, out, at, len);
				System.arraycopy(in, at, out, at + len, in.length - at);
			}
			case 4 -> { // delete a range
				int len = Math.min(1 + r.nextInt(256), in.length - pos);
				out = new byte[in.length - len];
				System.arraycopy(in, 0, out, 0, pos);
				System.arraycopy(in, pos + len, out, pos, in.length - pos - len);
			}
			case 5 -> { // insert random bytes
				int len = 1 + r.nextInt(32);
				out = new byte[in.length + len];
				System.arraycopy(in, 0, out, 0, pos);
				for (int i = 0; i < len; i++) out[pos + i] = randomByte(r);
				System.arraycopy(in, pos, out, pos + len, in.length - pos);
			}
			default -> { // an extreme value where a size, offset or count field might be
				out = in.clone();
				int[] extremes = {0, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, 1 << 30, 0xffff, 1};
				int v = extremes[r.nextInt(extremes.length)];
				int width = r.nextBoolean() ? 2 : 4;
				if (pos + width <= out.length) {
					ByteBuffer b = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
					if (width == 2) b.putShort(pos, (short) v);
					else b.putInt(pos, v);
				}
			}
		}
		return out;
	}

	private static final byte[] JSON_ALPHABET = "{}[]\":,0123456789-+.eE truefalsnul_abcxyz\\".getBytes(StandardCharsets.US_ASCII);

	/** Half the time a character JSON cares about, so damaged text still gets past the UTF-8 check. */
	private static byte randomByte(Random r) {
		return r.nextBoolean() ? (byte) r.nextInt() : JSON_ALPHABET[r.nextInt(JSON_ALPHABET.length)];
	}

	/** Half the time anywhere, half the time in one of the hot regions (clipped to the data). */
	private static int position(int length, Random r, Region... hot) {
		if (hot.length == 0 || r.nextBoolean()) return r.nextInt(length);
		Region h = hot[r.nextInt(hot.length)];
		int start = Math.max(0, Math.min(h.start, length - 1));
		int end = Math.max(start + 1, Math.min(h.start + h.length, length));
		return start + r.nextInt(end - start);
	}
}
