package org.anomalyj.io;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes files so that readers and crashes only ever see the old or the new complete file, never
 * a partial one: the content goes to a hidden temporary file in the target's directory
 * ({@code .name.tmp-<random>}), is forced to disk, then renamed over the target in one step. If
 * the writer throws, the temporary file is deleted and the target is untouched.
 *
 * <p>Notes: a symbolic link at the target is replaced by the new file, not followed (so writing
 * cannot reach through a link into someone else's file). The new file gets default permissions,
 * or the old file's POSIX permissions when it replaces one. On file systems without atomic
 * rename the move falls back to a plain replacing move (the old file still stays intact until
 * the new one is complete).
 *
 * <p>Leftovers: temporary names carry the writing process's id ({@code .name.tmp-<pid>-<random>}).
 * A JVM that is shut down (Ctrl-C, SIGTERM, Fiji quitting) deletes the temporary files it is
 * still writing; one that is killed outright leaves them, and the first write of a later
 * process into the same directory deletes those whose process is no longer running. Neither
 * ever touches a target file.
 *
 * <p>Outputs must not overwrite inputs: callers that write results next to their inputs check
 * with {@link #requireNotSame}.
 */
public final class AtomicFiles {

	/** Keeps temporary names within the usual 255-byte file name limit. */
	private static final int MAX_BASE_CHARS = 100;

	private static final long PID = ProcessHandle.current().pid();

	/** Our temporary names: {@code .<name>.tmp-<pid>-<hex>} with the target's extension optionally repeated. */
	static final Pattern TEMP_NAME = Pattern.compile("\\..+\\.tmp-(\\d{1,19})-[0-9a-f]{1,16}(\\..{1,9})?");

	/** Temporary files being written now, deleted if the JVM shuts down before they are committed. */
	private static final Set<Path> IN_FLIGHT = ConcurrentHashMap.newKeySet();

	/** Directories already cleared of dead processes' temporary files by this process (listing once per directory keeps big batches fast). */
	private static final Set<Path> SWEPT = ConcurrentHashMap.newKeySet();

	static {
		try {
			Runtime.getRuntime().addShutdownHook(new Thread(AtomicFiles::deleteInFlight, "AtomicFiles cleanup"));
		} catch (IllegalStateException | SecurityException e) {
			// Already shutting down (or not allowed): leftovers are then swept by a later process.
		}
	}

	private AtomicFiles() {}

	/**
	 * Writes {@code target} with the bytes {@code writer} puts into the stream. The stream is
	 * buffered; the writer may close it (closing only flushes).
	 */
	public static void write(Path target, IOConsumer<OutputStream> writer) throws IOException {
		writeChannel(target, ch -> {
			OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
			writer.accept(new CloseShield(out));
			out.flush();
		});
	}

	/**
	 * Writes {@code target} with the bytes {@code writer} puts into the file's channel: for writers
	 * of large outputs from buffers of their own, which a direct buffer takes to the file without the
	 * copy a stream's heap arrays go through. The writer must not close the channel.
	 */
	public static void writeChannel(Path target, IOConsumer<WritableByteChannel> writer) throws IOException {
		Path dest = checkTarget(target);
		Path tmp = createTemp(dest, "");
		try {
			try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
				writer.accept(ch);
				ch.force(true);
			}
			commit(tmp, dest);
		} catch (Throwable t) {
			discard(tmp, t);
			throw t;
		}
	}

	/**
	 * Writes {@code target} with a writer that needs a file path (e.g. ImageJ's {@code FileSaver}).
	 * The writer gets an existing empty temporary file in the target's directory, named with the
	 * target's extension, and must overwrite it. Writers that report failure by a return value
	 * (as {@code FileSaver} does) must turn it into an exception, or a failed write would replace
	 * the target.
	 */
	public static void writeVia(Path target, IOConsumer<Path> writerToTempPath) throws IOException {
		Path dest = checkTarget(target);
		Path tmp = createTemp(dest, extension(dest.getFileName().toString()));
		try {
			writerToTempPath.accept(tmp);
			if (!Files.isRegularFile(tmp, LinkOption.NOFOLLOW_LINKS))
				throw new IOException(target + ": the writer did not leave a file at " + tmp.getFileName());
			try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
				ch.force(true);
			}
			commit(tmp, dest);
		} catch (Throwable t) {
			discard(tmp, t);
			throw t;
		}
	}

	/**
	 * Throws if {@code out} is the same file as any of {@code inputs} (through links, case
	 * folding or different spellings of the path), so a result never overwrites its source.
	 */
	public static void requireNotSame(Path out, Path... inputs) throws IOException {
		if (!Files.exists(out)) return;
		for (Path in : inputs) {
			if (in != null && Files.exists(in) && Files.isSameFile(out, in))
				throw new IOException(out + ": refusing to overwrite the input file " + in);
		}
	}

	private static Path checkTarget(Path target) throws IOException {
		Path dest = target.toAbsolutePath().normalize();
		if (dest.getFileName() == null) throw new IOException(target + ": not a file path");
		Path dir = dest.getParent();
		if (!Files.isDirectory(dir)) throw new IOException(target + ": directory " + dir + " does not exist");
		if (Files.isDirectory(dest, LinkOption.NOFOLLOW_LINKS)) throw new IOException(target + ": is a directory");
		return dest;
	}

	private static Path createTemp(Path dest, String suffix) throws IOException {
		sweepOnce(dest.getParent());
		String name = dest.getFileName().toString();
		String base = name.length() > MAX_BASE_CHARS ? name.substring(0, MAX_BASE_CHARS) : name;
		for (int attempt = 0; ; attempt++) {
			String random = Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
			Path tmp = dest.resolveSibling("." + base + ".tmp-" + PID + "-" + random + suffix);
			try {
				Files.createFile(tmp);
				IN_FLIGHT.add(tmp);
				return tmp;
			} catch (FileAlreadyExistsException e) {
				if (attempt >= 10) throw e;
			} catch (AccessDeniedException e) {
				throw new IOException(dest + ": no permission to write in " + dest.getParent());
			}
		}
	}

	private static void commit(Path tmp, Path dest) throws IOException {
		copyPermissions(dest, tmp);
		try {
			Files.move(tmp, dest, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		} catch (AtomicMoveNotSupportedException e) {
			Files.move(tmp, dest, StandardCopyOption.REPLACE_EXISTING);
		}
		IN_FLIGHT.remove(tmp);
		syncDirectory(dest.getParent());
	}

	/**
	 * Deletes the temporary files in {@code dir} left by processes that are no longer running (a
	 * killed JVM), once per directory and process. A file of a live process, ours included, is
	 * kept: it may be a write in progress.
	 */
	static void sweepOnce(Path dir) {
		if (!SWEPT.add(dir)) return;
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, p -> TEMP_NAME.matcher(p.getFileName().toString()).matches())) {
			for (Path p : entries) {
				Matcher m = TEMP_NAME.matcher(p.getFileName().toString());
				if (!m.matches()) continue;
				long pid;
				try {
					pid = Long.parseLong(m.group(1));
				} catch (NumberFormatException e) {
					continue;
				}
				boolean alive = pid == PID || ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
				if (!alive && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) Files.deleteIfExists(p);
			}
		} catch (IOException | RuntimeException e) {
			// Leftovers cost disk space only; never fail a write over them.
		}
	}

	private static void deleteInFlight() {
		for (Path p : IN_FLIGHT) {
			try {
				Files.deleteIfExists(p);
			} catch (IOException | RuntimeException e) {
				// Nothing more can be done while the JVM exits.
			}
		}
	}

	private static void copyPermissions(Path from, Path to) {
		try {
			var view = Files.getFileAttributeView(from, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
			if (view != null && Files.isRegularFile(from, LinkOption.NOFOLLOW_LINKS))
				Files.setPosixFilePermissions(to, view.readAttributes().permissions());
		} catch (IOException | UnsupportedOperationException e) {
			// Permissions are a courtesy; the content is what must not be lost.
		}
	}

	/** Makes the rename itself durable; not possible on every platform (Windows), so best effort. */
	private static void syncDirectory(Path dir) {
		try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
			ch.force(true);
		} catch (IOException | RuntimeException e) {
			// The file content is already on disk; only the rename's durability is at stake.
		}
	}

	private static void discard(Path tmp, Throwable cause) {
		IN_FLIGHT.remove(tmp);
		try {
			Files.deleteIfExists(tmp);
		} catch (IOException | RuntimeException e) {
			cause.addSuppressed(e);
		}
	}

	private static String extension(String name) {
		int dot = name.lastIndexOf('.');
		return dot > 0 && name.length() - dot <= 10 ? name.substring(dot) : "";
	}

	/** Lets writers close the stream (e.g. try-with-resources on a ZipOutputStream) without closing the file before it is synced. */
	private static final class CloseShield extends FilterOutputStream {

		CloseShield(OutputStream out) {
			super(out);
		}

		@Override
		public void write(byte[] b, int off, int len) throws IOException {
			out.write(b, off, len);
		}

		@Override
		public void close() throws IOException {
			out.flush();
		}
	}
}
