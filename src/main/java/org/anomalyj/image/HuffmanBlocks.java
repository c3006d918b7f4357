package org.anomalyj.image;

import java.io.ByteArrayOutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Raw deflate (RFC 1951) of filtered image rows, mostly with Huffman codes only, no string
 * matching: what zlib's {@code HUFFMAN_ONLY} strategy writes, in some 70 % of its time. zlib codes
 * such data at some 165 MB/s on this machine (a 900 × 900 overlay's 2.4 MB in 14.5–15 ms, the
 * largest cost of {@code score}'s files); here one pass counts a sample of a block's bytes and one
 * codes them through a table, three bytes a step (4.6 ms with a full count and zlib's blocks of
 * runs, on one thread; docs/BENCHMARKS.md). Each block of {@link #BLOCK} bytes gets Huffman
 * codes of its own (dynamic block: literals and the end-of-block code; two unused one-bit distance
 * codes, as zlib writes, since some readers refuse an empty distance code), limited to 15 bits.
 * <p>
 * A block that Huffman codes would code near its floor of 1 bit per byte is runs (a flat
 * background), which string matching codes far smaller (a flat overlay: 27 against 300 kB): such
 * blocks go to zlib at {@code level}. Between the two coders the stream is byte-aligned by an empty
 * stored block (a sync flush), and zlib starts afresh after blocks of ours, so that none of its
 * matches reaches into data it did not see.
 * <p>
 * Bytes are {@linkplain #add added} in pieces of any size; {@link #finish} codes what is left and
 * either ends the stream or byte-aligns it, so that separately coded parts join into one stream.
 */
final class HuffmanBlocks {

	/** Bytes coded per block: small enough to follow the data's statistics, large enough that the block's code table (about 150 bytes) costs under 0.3 %. */
	static final int BLOCK = 64 << 10;
	private static final int LITERALS = 257, END_OF_BLOCK = 256, MAX_BITS = 15, MAX_LENGTH_BITS = 7;
	/** The order in which the code-length code's lengths are written (RFC 1951, 3.2.7). */
	private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
	private static final int[] LENGTH_ORDER = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};

	/** Bytes counted per byte coded: one in this many ({@link #count}). */
	static final int SAMPLE = 4;

	/** Below this many bits per byte under Huffman coding, a block is runs and goes to zlib. */
	static final double RUNS_BITS_PER_BYTE = 1.5;

	private final ByteArrayOutputStream out;
	private final int level;
	private final byte[] block;
	/** zlib for blocks of runs, made at the first; {@link #inZlib}: it coded the last block and has not been flushed. */
	private RawDeflater zlib;
	private boolean inZlib;
	private int filled;
	/**
	 * The coded stream, whose bytes go to {@link #out} per block, not per byte: room for a whole
	 * block at the longest code (15 bits a byte), so the coding loop never checks for room.
	 */
	private final DeflateBits coded;
	private final int[] freq = new int[LITERALS], lengths = new int[LITERALS], codes = new int[LITERALS], counts = new int[4 * 256];

	/**
	 * @param level zlib's level for blocks of runs
	 * @param minimumBlock a block holds at least this many bytes (e.g. a whole row), and at least {@link #BLOCK}
	 */
	HuffmanBlocks(ByteArrayOutputStream out, int level, int minimumBlock) {
		this.out = out;
		this.level = level;
		this.block = new byte[Math.max(BLOCK, minimumBlock)];
		this.coded = new DeflateBits(out, 2 * block.length + 1024);
	}

	/** Adds bytes; each block that fills is coded. */
	void add(byte[] b, int off, int len) {
		while (len > 0) {
			if (filled == block.length) {
				codeBlock(0);
				filled = 0;
			}
			int n = Math.min(len, block.length - filled);
			System.arraycopy(b, off, block, filled, n);
			filled += n;
			off += n;
			len -= n;
		}
	}

	/** Codes the pending bytes; ends the stream when {@code last}, else byte-aligns it (a sync flush). */
	void finish(boolean last) {
		if (filled > 0) codeBlock(last ? 1 : 0);
		else if (last && !inZlib) coded.write(0b011, 3 + 7); // a final fixed-code block holding only its end (7 zero bits)
		filled = 0;
		if (inZlib) {
			zlib.finish(last);
			inZlib = false;
		} else if (!last) coded.syncFlush();
		else {
			coded.alignToByte();
			coded.flush();
		}
		if (zlib != null) zlib.end();
	}

	/**
	 * The pending bytes as one block, by Huffman codes or, for runs, by zlib ({@link #finish} ends
	 * zlib's part). {@code last} is a bit, 1 for the stream's last block: as a boolean it was a
	 * branch the JIT had rarely seen taken (the last block of an overlay is mostly runs), and
	 * taking it sent the coder back to be compiled again.
	 */
	private void codeBlock(int last) {
		count();
		codeLengths(freq, LITERALS, MAX_BITS, lengths);
		long cost = 0;
		for (int s = 0; s < LITERALS; s++) cost += (long) freq[s] * lengths[s];
		if (cost < RUNS_BITS_PER_BYTE * filled) {
			if (!inZlib) {
				coded.syncFlush();
				if (zlib == null) zlib = new RawDeflater(out, level);
				else zlib.restart(); // its matches must not reach back over the blocks coded here meanwhile
				inZlib = true;
			}
			zlib.deflate(block, 0, filled);
		} else {
			if (inZlib) {
				zlib.finish(false);
				inZlib = false;
			}
			code(last);
		}
	}

	private void count() {
		// Every SAMPLE-th byte only, and every byte value counted once more, so that each has a code
		// (one the sample missed gets a long one): the codes of a block of filtered rows come out as
		// short as from a full count, within a few tenths of a per cent of the file, and the count
		// was a third of the coding time. Four tables, summed after: runs of one value (most of a
		// filtered overlay) would otherwise wait on the same counter's last increment byte after byte.
		int[] c = counts;
		Arrays.fill(c, 0);
		byte[] b = block;
		int i = 0, step = 4 * SAMPLE;
		for (; i + step - 1 < filled; i += step) {
			c[b[i] & 0xFF]++;
			c[256 + (b[i + SAMPLE] & 0xFF)]++;
			c[512 + (b[i + 2 * SAMPLE] & 0xFF)]++;
			c[768 + (b[i + 3 * SAMPLE] & 0xFF)]++;
		}
		for (; i < filled; i += SAMPLE) c[b[i] & 0xFF]++;
		for (int s = 0; s < 256; s++) freq[s] = SAMPLE * (c[s] + c[256 + s] + c[512 + s] + c[768 + s]) + 1;
		freq[END_OF_BLOCK] = 1;
	}

	/**
	 * One dynamic block of the pending bytes, whose {@link #freq} and {@link #lengths} are set. Its
	 * parts are methods of their own without loops here: the JIT compiled a loop-laden whole several
	 * times over (once per loop, entered while running) at a tenth of a second each.
	 */
	private void code(int last) {
		canonicalCodes(lengths, LITERALS, codes);
		writeHeader(last);
		codeBytes();
		coded.write(codes[END_OF_BLOCK], lengths[END_OF_BLOCK]);
		coded.drain();
	}

	/**
	 * The block's header: the code lengths of the literals and of two distance codes, each one bit
	 * long, coded in turn with a code of their own: lengths 0..15 only, no run-length symbols (the
	 * header is some 150 bytes of a 64 kB block).
	 */
	private void writeHeader(int last) {
		int[] all = Arrays.copyOf(lengths, LITERALS + 2);
		all[LITERALS] = 1;
		all[LITERALS + 1] = 1;
		int[] lengthFreq = new int[19], lengthLengths = new int[19], lengthCodes = new int[19];
		for (int l : all) lengthFreq[l]++;
		codeLengths(lengthFreq, 19, MAX_LENGTH_BITS, lengthLengths);
		canonicalCodes(lengthLengths, 19, lengthCodes);
		int hclen = 19;
		while (hclen > 4 && lengthLengths[LENGTH_ORDER[hclen - 1]] == 0) hclen--;

		coded.write(last, 1);
		coded.write(2, 2); // dynamic Huffman codes
		coded.write(LITERALS - 257, 5);
		coded.write(2 - 1, 5);
		coded.write(hclen - 4, 4);
		for (int i = 0; i < hclen; i++) coded.write(lengthLengths[LENGTH_ORDER[i]], 3);
		for (int l : all) coded.write(lengthCodes[l], lengthLengths[l]);
	}

	/**
	 * Codes the block's bytes. A method of its own, so that the JIT compiles this loop alone rather
	 * than with the block's header code.
	 */
	private void codeBytes() {
		// Code and length of each byte value in one int (code << 4 | length), so the loop reads one
		// table; made here, where the JIT knows its length, so that indexing it by a byte value
		// needs no bounds check.
		int[] table = new int[256];
		for (int v = 0; v < 256; v++) table[v] = codes[v] << 4 | lengths[v];
		DeflateBits s = coded;
		long acc = s.bits;
		int n = s.bitCount;
		byte[] b = block, o = s.buffer;
		int w = s.written, end = filled; // in locals, as the rest: the loop touches no field
		// Three bytes a step (their codes joined: at most 45 bits) and without branches: the word is
		// stored whole each time and the position advances by the bytes it filled, so fewer than 8
		// bits wait between steps and 8 + 45 fit in the word. The chain from one step to the next
		// (shift by n, or, advance) is what limits the speed, hence three bytes to a link (a bottle
		// overlay's 2.4 MB, counting and zlib's blocks included, on one thread: 5.2-6.0 ms two bytes
		// a step, 4.6-4.7 ms three).
		LONG.set(o, w, acc); // whole bytes out first, as each step ends (n is below 32 here)
		w += n >>> 3;
		acc >>>= n & ~7;
		n &= 7;
		int steps = end / 3;
		for (int k = 0; k < steps; k++) {
			int i = 3 * k;
			int t1 = table[b[i] & 0xFF], t2 = table[b[i + 1] & 0xFF], t3 = table[b[i + 2] & 0xFF];
			int n1 = t1 & 0xF, n12 = n1 + (t2 & 0xF);
			acc |= ((long) (t1 >>> 4) | (long) (t2 >>> 4) << n1 | (long) (t3 >>> 4) << n12) << n;
			n += n12 + (t3 & 0xF);
			LONG.set(o, w, acc);
			int full = n >>> 3;
			w += full;
			acc >>>= full << 3;
			n &= 7;
		}
		int i = 3 * steps;
		for (; i < end; i++) {
			int t = table[b[i] & 0xFF];
			acc |= (long) (t >>> 4) << n;
			n += t & 0xF;
			LONG.set(o, w, acc);
			int full = n >>> 3;
			w += full;
			acc >>>= full << 3;
			n &= 7;
		}
		s.written = w;
		s.bits = acc;
		s.bitCount = n;
	}

	/**
	 * Huffman code lengths for the symbols' frequencies, none above {@code maxBits}; symbols of
	 * frequency 0 get none. At least two symbols must occur. Too deep a tree is made shallower by
	 * halving the frequencies (keeping each at least 1) until it fits, as several coders do: often
	 * here, where a byte value the count's sample missed counts 1 against some 65 k.
	 */
	static void codeLengths(int[] freq, int n, int maxBits, int[] lengths) {
		int[] f = Arrays.copyOf(freq, n);
		while (true) {
			if (huffmanLengths(f, n, lengths) <= maxBits) return;
			for (int s = 0; s < n; s++) if (f[s] > 0) f[s] = Math.max(1, f[s] >> 1);
		}
	}

	/** Optimal (unlimited) code lengths; returns the longest. */
	private static int huffmanLengths(int[] f, int n, int[] lengths) {
		Arrays.fill(lengths, 0, n, 0);
		// Symbols by frequency, as (frequency << 9 | symbol).
		long[] leaves = new long[n];
		int used = 0;
		for (int s = 0; s < n; s++) if (f[s] > 0) leaves[used++] = (long) f[s] << 9 | s;
		if (used < 2) throw new IllegalArgumentException("a Huffman code needs two symbols, " + used + " occur");
		sortSmall(leaves, used);
		// Two queues (leaves in order, then inner nodes as made, also in order): each step joins the
		// two lightest. parent[] links leaves (0..used-1) and inner nodes (used..) to their parent.
		long[] weight = new long[2 * used - 1];
		int[] parent = new int[2 * used - 1];
		for (int i = 0; i < used; i++) weight[i] = leaves[i] >>> 9;
		int nextLeaf = 0, nextInner = used, made = used;
		for (; made < 2 * used - 1; made++) {
			int a = nextLeaf < used && (nextInner >= made || weight[nextLeaf] <= weight[nextInner]) ? nextLeaf++ : nextInner++;
			int b = nextLeaf < used && (nextInner >= made || weight[nextLeaf] <= weight[nextInner]) ? nextLeaf++ : nextInner++;
			weight[made] = weight[a] + weight[b];
			parent[a] = made;
			parent[b] = made;
		}
		int root = 2 * used - 2, longest = 0;
		int[] depth = new int[2 * used - 1];
		for (int i = root - 1; i >= 0; i--) depth[i] = depth[parent[i]] + 1;
		for (int i = 0; i < used; i++) {
			lengths[(int) (leaves[i] & 0x1FF)] = depth[i];
			longest = Math.max(longest, depth[i]);
		}
		return longest;
	}

	/**
	 * Sorts the first {@code n} values ascending by insertion: at most 257 here, and a loop the JIT
	 * compiles in a moment, where {@code Arrays.sort}'s was a tenth of the overlay's compile time.
	 */
	static void sortSmall(long[] a, int n) {
		for (int i = 1; i < n; i++) {
			long v = a[i];
			int j = i - 1;
			for (; j >= 0 && a[j] > v; j--) a[j + 1] = a[j];
			a[j + 1] = v;
		}
	}

	/** Canonical codes from code lengths (RFC 1951, 3.2.2), bit-reversed to be written least significant bit first. */
	static void canonicalCodes(int[] lengths, int n, int[] codes) {
		int[] count = new int[MAX_BITS + 2], next = new int[MAX_BITS + 2];
		for (int s = 0; s < n; s++) count[lengths[s]]++;
		count[0] = 0;
		for (int bits = 1, code = 0; bits <= MAX_BITS; bits++) {
			code = (code + count[bits - 1]) << 1;
			next[bits] = code;
		}
		for (int s = 0; s < n; s++) {
			int len = lengths[s];
			codes[s] = len == 0 ? 0 : Integer.reverse(next[len]++) >>> (32 - len);
		}
	}
}
