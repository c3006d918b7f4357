package org.anomalyj.image;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.Random;
import java.util.zip.DataFormatException;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link HuffmanBlocks}' streams, inflated by zlib (java.util.zip, independent of the coder), give
 * back the bytes coded: across block edges, in pieces of any size, on skewed alphabets that need
 * the 15-bit limit, and joined from parts that end in a sync flush. Its code lengths are optimal
 * where no limit binds (a hand-computed case) and always form a complete prefix code.
 */
class HuffmanBlocksTest {

	private static byte[] code(byte[] data, int piece, boolean last) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		HuffmanBlocks h = new HuffmanBlocks(out, 1, 1);
		for (int off = 0; off < data.length; off += piece) h.add(data, off, Math.min(piece, data.length - off));
		h.finish(last);
		return out.toByteArray();
	}

	@Test
	void zlibInflatesWhatWasCoded() throws DataFormatException {
		Random r = new Random(3);
		int[] sizes = {1, 2, 1000, HuffmanBlocks.BLOCK - 1, HuffmanBlocks.BLOCK, HuffmanBlocks.BLOCK + 1, 3 * HuffmanBlocks.BLOCK + 777};
		for (int n : sizes) {
			byte[] noise = new byte[n], skewed = new byte[n], one = new byte[n], two = new byte[n];
			r.nextBytes(noise);
			for (int i = 0; i < n; i++) {
				// Geometric: byte k with probability 2^-(k+1), so the deepest codes would pass 15 bits.
				int k = Integer.numberOfTrailingZeros(r.nextInt() | 1 << 30);
				skewed[i] = (byte) (k == 0 ? r.nextInt(256) : k);
				one[i] = 42;
				two[i] = (byte) (i % 3 == 0 ? 7 : 200);
			}
			for (byte[] data : new byte[][] {noise, skewed, one, two})
				for (int piece : new int[] {1 + r.nextInt(5000), 70_000}) {
					byte[] coded = code(data, piece, true);
					assertArrayEquals(data, RawInflate.inflate(coded, n), n + " bytes in pieces of " + piece);
				}
		}
		assertArrayEquals(new byte[0], RawInflate.inflate(code(new byte[0], 1, true), 0), "an empty stream");
	}

	/** Codes come from a sample of each block's bytes: values the sample misses must still have codes. */
	@Test
	void valuesOutsideTheCountedSampleAreCoded() throws DataFormatException {
		Random r = new Random(5);
		int n = 2 * HuffmanBlocks.BLOCK + 100;
		byte[] data = new byte[n];
		for (int i = 0; i < n; i++) data[i] = (byte) r.nextInt(16); // 4 bits a byte: Huffman-coded, not runs
		// Each value of 16..255 once, at a place no sample reads (not a multiple of SAMPLE), in each block.
		for (int block = 0; block < 2; block++)
			for (int v = 16; v < 256; v++) data[block * HuffmanBlocks.BLOCK + v * HuffmanBlocks.SAMPLE + 1] = (byte) v;
		byte[] coded = code(data, 4096, true);
		assertArrayEquals(data, RawInflate.inflate(coded, n));
		assertTrue(coded.length < 0.55 * n, coded.length + " bytes for " + n + " of 4.1 bits each");
	}

	@Test
	void partsEndingInASyncFlushJoinIntoOneStream() throws DataFormatException {
		Random r = new Random(4);
		byte[] a = new byte[100_003], b = new byte[5], c = new byte[70_000];
		r.nextBytes(a);
		r.nextBytes(b);
		for (int i = 0; i < c.length; i++) c[i] = (byte) (i / 1000);
		ByteArrayOutputStream joined = new ByteArrayOutputStream();
		joined.writeBytes(code(a, 4096, false));
		joined.writeBytes(code(new byte[0], 1, false));
		joined.writeBytes(code(b, 1, false));
		joined.writeBytes(code(c, 999, true));
		ByteArrayOutputStream all = new ByteArrayOutputStream();
		all.writeBytes(a);
		all.writeBytes(b);
		all.writeBytes(c);
		assertArrayEquals(all.toByteArray(), RawInflate.inflate(joined.toByteArray(), all.size()));
	}

	@Test
	void blocksOfRunsAndOfNoiseAlternateInOneStream() throws DataFormatException {
		// Runs go to zlib, noise is Huffman-coded, runs again: zlib must start afresh, as a match back
		// into the first runs would skip the noise between. The same pattern makes such matches likely.
		int b = HuffmanBlocks.BLOCK;
		byte[] data = new byte[3 * b + 10];
		Random r = new Random(5);
		for (int i = 0; i < data.length; i++) data[i] = (byte) (i / b == 1 || i >= 3 * b ? r.nextInt(256) : "aaaaab".charAt(i % 6));
		for (boolean last : new boolean[] {true, false}) {
			byte[] coded = code(data, 1000, last);
			if (!last) {
				ByteArrayOutputStream ended = new ByteArrayOutputStream();
				ended.writeBytes(coded);
				ended.writeBytes(code(new byte[0], 1, true));
				coded = ended.toByteArray();
			}
			assertArrayEquals(data, RawInflate.inflate(coded, data.length));
			// Noise takes a byte per byte; both runs together a few hundred bytes (Huffman codes alone: some 50 kB).
			assertTrue(coded.length < b + 2_000, coded.length + " bytes");
		}
	}

	@Test
	void codeLengthsAreOptimalAndLimited() {
		// Hand-computed: frequencies 1, 1, 2, 4 give the lengths 3, 3, 2, 1 (costs 3+3+4+4 = 14 bits).
		int[] lengths = new int[4];
		HuffmanBlocks.codeLengths(new int[] {1, 1, 2, 4}, 4, 15, lengths);
		assertArrayEquals(new int[] {3, 3, 2, 1}, lengths);
		// Fibonacci frequencies make a tree 29 deep: limited to 15, and still a complete prefix code.
		int n = 30;
		int[] fib = new int[n];
		fib[0] = 1;
		fib[1] = 1;
		for (int i = 2; i < n; i++) fib[i] = fib[i - 1] + fib[i - 2];
		int[] limited = new int[n];
		HuffmanBlocks.codeLengths(fib, n, 15, limited);
		double kraft = 0;
		for (int l : limited) {
			assertTrue(l >= 1 && l <= 15, "length " + l);
			kraft += Math.pow(2, -l);
		}
		assertEquals(1.0, kraft, 1e-12, "Kraft sum of a complete code");
	}
}
