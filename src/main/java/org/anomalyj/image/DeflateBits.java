package org.anomalyj.image;

import java.io.ByteArrayOutputStream;

/**
 * The bits of a raw deflate stream (RFC 1951), least significant first, gathered 32 at a time into
 * a buffer that goes to the output a buffer at a time. Our deflate coders ({@link HuffmanBlocks},
 * {@link RunDeflater}) write through it; {@link HuffmanBlocks}' coding loop works on its fields
 * directly, in locals, and puts them back.
 */
final class DeflateBits {

	private final ByteArrayOutputStream out;
	/** Bytes not yet handed to the output, {@link #written} of them. */
	final byte[] buffer;
	int written;
	/** Bits not yet in the buffer, {@link #bitCount} of them (fewer than 32 between calls). */
	long bits;
	int bitCount;

	DeflateBits(ByteArrayOutputStream out, int capacity) {
		this.out = out;
		this.buffer = new byte[capacity];
	}

	/** Appends the low {@code count} (at most 32) bits of {@code value}. */
	void write(long value, int count) {
		bits |= value << bitCount;
		bitCount += count;
		if (bitCount >= 32) {
			writeInt((int) bits);
			bits >>>= 32;
			bitCount -= 32;
		}
	}

	private void writeInt(int v) {
		if (written + 4 > buffer.length) drain();
		buffer[written] = (byte) v;
		buffer[written + 1] = (byte) (v >>> 8);
		buffer[written + 2] = (byte) (v >>> 16);
		buffer[written + 3] = (byte) (v >>> 24);
		written += 4;
	}

	/** Pads with zero bits to a byte boundary. */
	void alignToByte() {
		bitCount = (bitCount + 7) & ~7;
		if (bitCount >= 32) {
			writeInt((int) bits);
			bits >>>= 32;
			bitCount -= 32;
		}
	}

	/** Byte-aligns the stream with an empty stored block, not final (a sync flush), and writes out all it holds. */
	void syncFlush() {
		write(0, 3); // stored block, not final
		alignToByte();
		write(0xFFFF0000L, 32); // LEN 0, NLEN its complement
		flush();
	}

	/** Writes out all bytes held; the stream is byte-aligned here. */
	void flush() {
		drain();
		for (; bitCount > 0; bitCount -= 8, bits >>>= 8) out.write((int) bits);
		bits = 0;
		bitCount = 0;
	}

	/** Hands the buffered bytes to the output stream. */
	void drain() {
		out.write(buffer, 0, written);
		written = 0;
	}
}
