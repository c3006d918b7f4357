package org.anomalyj.image;

import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

import static org.junit.jupiter.api.Assertions.*;

/** zlib's inflater on a raw deflate stream, for the tests of our deflate coders. */
final class RawInflate {

	private RawInflate() {}

	/** The stream's bytes, asserting that it ends where it should, after no more than {@code expected} bytes. */
	static byte[] inflate(byte[] raw, int expected) throws DataFormatException {
		Inflater inf = new Inflater(true);
		inf.setInput(raw);
		byte[] out = new byte[expected + 16];
		int n = 0;
		while (!inf.finished()) {
			int k = inf.inflate(out, n, out.length - n);
			assertFalse(k == 0 && !inf.finished() && (inf.needsInput() || inf.needsDictionary()), "the stream ends early");
			n += k;
			assertTrue(n <= expected, "more bytes than coded");
		}
		assertEquals(0, inf.getRemaining(), "nothing after the stream's end");
		inf.end();
		return Arrays.copyOf(out, n);
	}
}
