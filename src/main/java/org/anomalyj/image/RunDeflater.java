package org.anomalyj.image;

import java.io.ByteArrayOutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Raw deflate (RFC 1951) of runs, for defect masks (0 and 255 in long runs): one block with the
 * fixed Huffman codes, each run its first byte as a literal and the rest copies of the byte before
 * (distance 1), up to 258 bytes a copy, 13 bits each. Runs are found 8 bytes at a time. zlib's
 * string matching took 0.8 ns a byte on a mask's runs, most of it in sliding its window
 * (docs/BENCHMARKS.md); bytes that are not runs cost 8–9 bits each here, as stored.
 * <p>
 * Bytes are {@linkplain #add added} in pieces of any size (a run goes on across them);
 * {@link #finish} ends the stream, or byte-aligns it so that separately coded parts join into one.
 */
final class RunDeflater {

	private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
	private static final int MAX_COPY = 258;
	/** Per byte value, its fixed code, bit-reversed to be written least significant bit first, {@code << 4 | length}. */
	private static final int[] LITERAL = new int[256];
	/** Per copy length 3..258, its length code and extra bits and the distance code of 1, as written, {@code << 5 | bits}. */
	private static final long[] COPY = new long[MAX_COPY + 1];

	static {
		for (int v = 0; v < 256; v++) LITERAL[v] = v < 144 ? reversed(0x30 + v, 8) << 4 | 8 : reversed(0x190 + v - 144, 9) << 4 | 9;
		// RFC 1951, 3.2.5: length codes 257..284 cover 3..257 in groups of four with 0..5 extra bits; 285 is 258.
		int symbol = 257, base = 3;
		for (int extra = 0; extra <= 5; extra++)
			for (int k = 0; k < (extra == 0 ? 8 : 4); k++, symbol++) {
				for (int e = 0; e < 1 << extra; e++) {
					int length = base + e;
					if (length >= MAX_COPY) break;
					long bits = lengthCode(symbol) | (long) e << codeBits(symbol);
					int n = codeBits(symbol) + extra + 5; // the distance code 0 (distance 1): five zero bits
					COPY[length] = bits << 5 | n;
				}
				base += 1 << extra;
			}
		COPY[MAX_COPY] = lengthCode(285) << 5 | (codeBits(285) + 5);
	}

	/** The fixed code of length symbol 257..287, bit-reversed. */
	private static long lengthCode(int symbol) {
		return symbol < 280 ? reversed(symbol - 256, 7) : reversed(0xC0 + symbol - 280, 8);
	}

	private static int codeBits(int symbol) {
		return symbol < 280 ? 7 : 8;
	}

	private static int reversed(int code, int bits) {
		return Integer.reverse(code) >>> (32 - bits);
	}

	private final DeflateBits coded;
	/** The current run's value (-1 before the first byte) and its bytes after the literal, not yet coded. */
	private int value = -1;
	private long pending;

	/** @param last whether this part ends the stream (its block is then the final one) */
	RunDeflater(ByteArrayOutputStream out, boolean last) {
		coded = new DeflateBits(out, 1 << 12);
		coded.write(last ? 1 : 0, 1);
		coded.write(1, 2); // fixed Huffman codes
	}

	void add(byte[] b, int off, int len) {
		int i = off, end = off + len;
		while (i < end) {
			if ((b[i] & 0xFF) != value) {
				endRun();
				value = b[i] & 0xFF;
				coded.write(LITERAL[value] >>> 4, LITERAL[value] & 0xF);
				i++;
				continue;
			}
			long all = (value & 0xFFL) * 0x0101010101010101L;
			int j = i;
			while (j + 8 <= end && (long) LONG.get(b, j) == all) j += 8;
			while (j < end && (b[j] & 0xFF) == value) j++;
			pending += j - i;
			i = j;
			for (; pending > MAX_COPY; pending -= MAX_COPY) copy(MAX_COPY);
		}
	}

	/** Codes the run's pending bytes: a copy, or one or two literals (copies are 3 bytes at least). */
	private void endRun() {
		if (pending >= 3) copy((int) pending);
		else for (; pending > 0; pending--) coded.write(LITERAL[value] >>> 4, LITERAL[value] & 0xF);
		pending = 0;
	}

	private void copy(int length) {
		long c = COPY[length];
		coded.write(c >>> 5, (int) c & 0x1F);
	}

	/** Ends the block; when not {@code last}, byte-aligns the stream with an empty stored block (a sync flush). */
	void finish(boolean last) {
		endRun();
		coded.write(0, 7); // end of block
		if (!last) coded.syncFlush();
		else {
			coded.alignToByte();
			coded.flush();
		}
	}
}
