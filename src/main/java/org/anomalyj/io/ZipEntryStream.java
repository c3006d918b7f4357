package org.anomalyj.io;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;

/**
 * The bytes of one zip entry, checked against what the central directory declares: never more
 * bytes than the declared size (a zip bomb stops one byte past it, before anything large is
 * allocated), and, once {@link #finish()}ed, exactly that size and the declared CRC-32. The JDK's
 * {@code ZipFile} checks neither, so a flipped bit in a stored entry would otherwise go unnoticed.
 */
final class ZipEntryStream extends FilterInputStream {

	private final Path file;
	private final String name;
	private final long declaredSize;
	private final long declaredCrc;
	private final CRC32 crc = new CRC32();
	private long count;

	ZipEntryStream(Path file, ZipEntry entry, InputStream in) {
		super(in);
		this.file = file;
		this.name = entry.getName();
		this.declaredSize = entry.getSize();
		this.declaredCrc = entry.getCrc();
	}

	@Override
	public int read() throws IOException {
		byte[] one = new byte[1];
		int n = read(one, 0, 1);
		return n < 0 ? -1 : one[0] & 0xff;
	}

	@Override
	public int read(byte[] b, int off, int len) throws IOException {
		if (len == 0) return 0;
		// Ask for one byte more than may remain, so an oversized entry shows itself.
		long allowed = declaredSize - count + 1;
		int n = in.read(b, off, (int) Math.min(len, allowed));
		if (n < 0) return -1;
		count += n;
		if (count > declaredSize)
			throw new ModelFormatException(file, name + " holds more than its declared " + declaredSize
				+ " bytes (damaged or malicious zip)");
		crc.update(b, off, n);
		return n;
	}

	@Override
	public long skip(long n) throws IOException {
		// Skipped bytes must still be counted and checksummed.
		byte[] buf = new byte[8192];
		long done = 0;
		while (done < n) {
			int r = read(buf, 0, (int) Math.min(buf.length, n - done));
			if (r < 0) break;
			done += r;
		}
		return done;
	}

	@Override
	public boolean markSupported() {
		return false;
	}

	/** Reads what is left and checks the entry's size and CRC-32 against the declared ones. */
	void finish() throws IOException {
		skip(Long.MAX_VALUE);
		if (count != declaredSize)
			throw new ModelFormatException(file, name + " has " + count + " bytes but declares " + declaredSize
				+ " (truncated or damaged zip)");
		if (declaredCrc != -1 && crc.getValue() != declaredCrc)
			throw new ModelFormatException(file, name + " is damaged (CRC-32 mismatch)");
	}
}
