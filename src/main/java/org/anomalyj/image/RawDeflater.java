package org.anomalyj.image;

import java.io.ByteArrayOutputStream;
import java.util.zip.Deflater;

/** zlib's raw deflate (no header, no checksum) of one part of a stream into a byte stream. */
final class RawDeflater {

	private final Deflater deflater;
	private final ByteArrayOutputStream out;
	private final byte[] buffer = new byte[1 << 16];

	RawDeflater(ByteArrayOutputStream out, int level) {
		this.deflater = new Deflater(level, true);
		this.out = out;
	}

	void deflate(byte[] b, int off, int len) {
		deflater.setInput(b, off, len);
		while (!deflater.needsInput()) out.write(buffer, 0, deflater.deflate(buffer, 0, buffer.length, Deflater.NO_FLUSH));
	}

	/** Ends the stream when {@code last}; else ends this part on a byte boundary (a sync flush), so that other coding can follow. */
	void finish(boolean last) {
		if (last) {
			deflater.finish();
			while (!deflater.finished()) out.write(buffer, 0, deflater.deflate(buffer));
		} else {
			int n;
			do {
				n = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
				out.write(buffer, 0, n);
			} while (n == buffer.length);
		}
	}

	/** Forgets the data seen, so that no match reaches back into it (for a part that does not follow it in the stream). */
	void restart() {
		deflater.reset();
	}

	/** Frees zlib's memory. */
	void end() {
		deflater.end();
	}
}
