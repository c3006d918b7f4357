package org.anomalyj.image;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.DataFormatException;

import static org.junit.jupiter.api.Assertions.*;

/**
 * RunDeflater's streams are what zlib's inflater reads back byte for byte: runs of every length
 * around the copies' limits, in pieces of any size, parts joined after a sync flush; and runs take
 * some 13 bits per 258 bytes.
 */
class RunDeflaterTest {

	private static void code(ByteArrayOutputStream out, byte[] data, int from, int to, int piece, boolean last) {
		RunDeflater d = new RunDeflater(out, last);
		for (int off = from; off < to; off += piece) d.add(data, off, Math.min(piece, to - off));
		d.finish(last);
	}

	/** Runs of the given lengths, alternating values of a mask and some others. */
	private static byte[] runs(int[] lengths, Random r) {
		int n = Arrays.stream(lengths).sum();
		byte[] b = new byte[n];
		int at = 0, k = 0;
		for (int len : lengths) {
			byte v = (byte) (k++ % 3 == 2 ? r.nextInt(256) : k % 2 == 0 ? 0 : 255);
			Arrays.fill(b, at, at + len, v);
			at += len;
		}
		return b;
	}

	@Test
	void zlibInflatesWhatWasCoded() throws DataFormatException {
		Random r = new Random(11);
		int[] edges = {1, 2, 3, 4, 7, 8, 9, 10, 11, 257, 258, 259, 260, 261, 515, 516, 517, 518, 519, 774, 1000, 4096};
		byte[] data = runs(edges, r);
		byte[] noise = new byte[3000];
		r.nextBytes(noise);
		int[] random = new int[400];
		for (int i = 0; i < random.length; i++) random[i] = 1 + r.nextInt(r.nextBoolean() ? 5 : 700);
		for (byte[] b : new byte[][] {data, noise, runs(random, r), new byte[1], new byte[70_000]})
			for (int piece : new int[] {1, 5, 64, 4097, b.length}) {
				ByteArrayOutputStream out = new ByteArrayOutputStream();
				code(out, b, 0, b.length, Math.max(1, piece), true);
				assertArrayEquals(b, RawInflate.inflate(out.toByteArray(), b.length), b.length + " bytes in pieces of " + piece);
			}
		ByteArrayOutputStream empty = new ByteArrayOutputStream();
		code(empty, new byte[0], 0, 0, 1, true);
		assertArrayEquals(new byte[0], RawInflate.inflate(empty.toByteArray(), 0), "an empty stream");
	}

	@Test
	void partsEndingInASyncFlushJoinIntoOneStream() throws DataFormatException {
		Random r = new Random(12);
		int[] lengths = new int[300];
		for (int i = 0; i < lengths.length; i++) lengths[i] = 1 + r.nextInt(2000);
		byte[] b = runs(lengths, r);
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		int[] cuts = {0, 1, 999, b.length / 2, b.length / 2 + 3, b.length};
		for (int k = 0; k + 1 < cuts.length; k++) code(out, b, cuts[k], cuts[k + 1], 333, k + 2 == cuts.length);
		assertArrayEquals(b, RawInflate.inflate(out.toByteArray(), b.length));
	}

	@Test
	void aRunTakes13BitsPer258Bytes() {
		int n = 1 << 20;
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		code(out, new byte[n], 0, n, 1025, true);
		// A literal (8 bits), 4064 copies of 258 (code 285, 8 bits, and distance 1, 5 bits), one of the
		// 63 left (code 276: 7 bits and 3 extra, and 5), the block's header and end (3 + 7 bits).
		assertEquals(n - 1, 4064 * 258 + 63);
		long bits = 8 + 4064 * 13L + 15 + 10;
		assertEquals((bits + 7) / 8, out.size());
	}
}
