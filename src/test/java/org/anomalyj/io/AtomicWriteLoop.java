package org.anomalyj.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;

/**
 * Test program: rewrites one file through {@link AtomicFiles} in an endless loop, each version
 * self-checking (its number, a body of that number's byte, a CRC), and reports each commit on
 * stderr. A test kills it at a random moment and checks that the file is one complete version.
 */
public final class AtomicWriteLoop {

	private AtomicWriteLoop() {}

	public static void main(String[] args) throws IOException {
		Path target = Path.of(args[0]);
		int bytes = Integer.parseInt(args[1]);
		for (long n = 1; ; n++) {
			byte[] content = version(n, bytes);
			AtomicFiles.write(target, out -> {
				// In pieces, so that a kill lands in the middle of the writing, not only before or after it.
				for (int off = 0; off < content.length; off += 1 << 16) out.write(content, off, Math.min(1 << 16, content.length - off));
			});
			System.err.println("committed " + n);
		}
	}

	static byte[] version(long n, int bytes) {
		ByteBuffer b = ByteBuffer.allocate(bytes);
		b.putLong(n);
		while (b.remaining() > 8) b.put((byte) n);
		CRC32 crc = new CRC32();
		crc.update(b.array(), 0, bytes - 8);
		b.putLong(crc.getValue());
		return b.array();
	}

	/** The version a file holds, or an exception if it is not one complete version. */
	static long check(Path file, int bytes) throws IOException {
		byte[] b = Files.readAllBytes(file);
		if (b.length != bytes) throw new IOException(file + ": " + b.length + " bytes, a version has " + bytes);
		long n = ByteBuffer.wrap(b).getLong();
		if (!java.util.Arrays.equals(b, version(n, bytes))) throw new IOException(file + ": not a complete version " + n);
		return n;
	}
}
