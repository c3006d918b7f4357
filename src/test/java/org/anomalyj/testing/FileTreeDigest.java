package org.anomalyj.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** SHA-256 and modification time of every file (not links) under some paths: to show that inputs were not touched. */
public final class FileTreeDigest {

	private FileTreeDigest() {}

	public static Map<String, String> of(Path... roots) {
		Map<String, String> out = new TreeMap<>();
		for (Path root : roots) {
			try (Stream<Path> files = Files.walk(root)) {
				for (Path f : (Iterable<Path>) files.filter(f -> Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS))::iterator)
					out.put(f.toString(), HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f))) + " "
						+ Files.getLastModifiedTime(f).toMillis());
			} catch (IOException e) {
				throw new UncheckedIOException(e);
			} catch (NoSuchAlgorithmException e) {
				throw new IllegalStateException(e);
			}
		}
		return out;
	}
}
