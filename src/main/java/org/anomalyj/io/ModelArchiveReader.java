package org.anomalyj.io;

import com.google.gson.JsonObject;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads a {@link ModelArchive} from an untrusted file. Everything is read into memory through
 * {@link ZipEntryStream}s; nothing is ever extracted to disk, so hostile entry names can do no
 * harm, and they are rejected anyway. Checks run cheapest first: file size, zip signature,
 * central directory (names, duplicates, declared sizes), manifest, then the tensor data.
 */
final class ModelArchiveReader {

	/** The manifest nests method settings a few levels deep; more is hostile. */
	static final int MAX_MANIFEST_DEPTH = 32;

	private static final Pattern DRIVE_LETTER = Pattern.compile("^[A-Za-z]:.*", Pattern.DOTALL);

	private final Path file;
	private final ModelArchive.Limits limits;

	private ModelArchiveReader(Path file, ModelArchive.Limits limits) {
		this.file = file;
		this.limits = limits;
	}

	static ModelArchive read(Path file, ModelArchive.Limits limits) throws IOException {
		return new ModelArchiveReader(file, limits).read();
	}

	private ModelArchive read() throws IOException {
		checkFile();
		try (ZipFile zip = open()) {
			Map<String, ZipEntry> entries = entries(zip);
			ZipEntry manifestEntry = entries.get(ModelArchive.MANIFEST_ENTRY);
			ZipEntry tensorsEntry = entries.get(ModelArchive.TENSORS_ENTRY);
			checkDeclaredSize(manifestEntry, limits.maxManifestBytes());
			checkDeclaredSize(tensorsEntry, limits.maxTensorBytes());

			JsonObject manifest = readManifest(zip, manifestEntry);
			String problem = ModelArchive.manifestProblem(manifest);
			if (problem != null) throw fail(problem);

			Map<String, Safetensors.Tensor> tensors = readTensors(zip, tensorsEntry);
			return new ModelArchive(manifest, tensors);
		} catch (ZipException | EOFException e) {
			// Raised by the JDK while inflating or locating entry data in a damaged file.
			throw fail("damaged zip file (" + reason(e) + ")");
		}
	}

	private void checkFile() throws IOException {
		if (!Files.exists(file)) throw new IOException(file + ": no such file");
		if (!Files.isRegularFile(file)) throw new IOException(file + ": not a regular file");
		long size = Files.size(file);
		if (size > limits.maxFileBytes())
			throw fail("file has " + size + " bytes, more than a model may have (" + limits.maxFileBytes() + ")");
		byte[] magic;
		try (InputStream in = Files.newInputStream(file)) {
			magic = in.readNBytes(4);
		} catch (AccessDeniedException e) {
			throw new IOException(file + ": permission denied");
		}
		// A local file header, or the end record of an empty zip.
		boolean zip = magic.length == 4 && magic[0] == 'P' && magic[1] == 'K'
			&& ((magic[2] == 3 && magic[3] == 4) || (magic[2] == 5 && magic[3] == 6));
		if (!zip) throw fail("not a zip file, so not an AnomalyJ model");
	}

	private ZipFile open() throws IOException {
		try {
			return new ZipFile(file.toFile());
		} catch (ZipException e) {
			throw fail("truncated or damaged zip file (" + reason(e) + ")");
		} catch (IllegalArgumentException e) {
			// Older JDKs report undecodable entry names this way.
			throw fail("damaged zip file (bad entry name)");
		}
	}

	/** The two expected entries, after rejecting unsafe, duplicate and extra names. */
	private Map<String, ZipEntry> entries(ZipFile zip) throws IOException {
		List<ZipEntry> all = new ArrayList<>();
		var en = zip.entries();
		while (en.hasMoreElements()) all.add(en.nextElement());
		for (ZipEntry e : all) {
			String unsafe = unsafeNameProblem(e.getName());
			if (unsafe != null) throw fail("zip entry " + DisplayText.quote(e.getName()) + " " + unsafe);
		}
		Map<String, ZipEntry> byName = new HashMap<>();
		for (ZipEntry e : all) {
			if (byName.putIfAbsent(e.getName(), e) != null)
				throw fail("duplicate zip entry " + DisplayText.quote(e.getName()));
		}
		if (!byName.containsKey(ModelArchive.MANIFEST_ENTRY)) {
			String names = all.stream().limit(3).map(e -> DisplayText.quote(e.getName())).collect(Collectors.joining(", "));
			throw fail("not an AnomalyJ model: the zip has no " + ModelArchive.MANIFEST_ENTRY
				+ (all.isEmpty() ? " (it is empty)" : " (it holds " + names + (all.size() > 3 ? ", …" : "") + ")"));
		}
		for (ZipEntry e : all) {
			if (!e.getName().equals(ModelArchive.MANIFEST_ENTRY) && !e.getName().equals(ModelArchive.TENSORS_ENTRY))
				throw fail("unexpected zip entry " + DisplayText.quote(e.getName()) + "; a model holds only "
					+ ModelArchive.MANIFEST_ENTRY + " and " + ModelArchive.TENSORS_ENTRY);
		}
		if (!byName.containsKey(ModelArchive.TENSORS_ENTRY)) throw fail("the zip has no " + ModelArchive.TENSORS_ENTRY);
		return byName;
	}

	/** Why a name could escape an extraction directory (zip slip), or null if it could not. */
	static String unsafeNameProblem(String name) {
		if (name.isEmpty()) return "has an empty name";
		if (name.startsWith("/") || name.startsWith("\\")) return "has an absolute path";
		if (DRIVE_LETTER.matcher(name).matches()) return "has a drive letter";
		if (name.indexOf('\\') >= 0) return "contains a backslash";
		for (String part : name.split("/", -1)) {
			if (part.equals("..")) return "climbs out of its directory ('..')";
		}
		for (int i = 0; i < name.length(); i++) {
			if (name.charAt(i) < 0x20 || name.charAt(i) == 0x7f) return "contains control characters";
		}
		return null;
	}

	private void checkDeclaredSize(ZipEntry e, long max) throws IOException {
		long size = e.getSize();
		if (size < 0) throw fail(e.getName() + " does not declare its size");
		if (size > max) throw fail(e.getName() + " declares " + size + " bytes, more than the " + max + " allowed");
	}

	private JsonObject readManifest(ZipFile zip, ZipEntry entry) throws IOException {
		byte[] bytes;
		try (ZipEntryStream in = new ZipEntryStream(file, entry, zip.getInputStream(entry))) {
			bytes = in.readAllBytes();
			in.finish();
		}
		try {
			return StrictJson.parseObject(bytes, MAX_MANIFEST_DEPTH);
		} catch (IOException e) {
			throw fail(ModelArchive.MANIFEST_ENTRY + " " + e.getMessage());
		}
	}

	private Map<String, Safetensors.Tensor> readTensors(ZipFile zip, ZipEntry entry) throws IOException {
		try (ZipEntryStream in = new ZipEntryStream(file, entry, zip.getInputStream(entry))) {
			Safetensors.Contents contents;
			try {
				contents = Safetensors.read(in, entry.getSize());
			} catch (ModelFormatException e) {
				throw e;
			} catch (ZipException | EOFException e) {
				throw e;
			} catch (IOException e) {
				// A damaged zip explains malformed tensor data better than the parse error does.
				in.finish();
				throw fail(ModelArchive.TENSORS_ENTRY + ": " + e.getMessage());
			}
			in.finish();
			return contents.tensors();
		}
	}

	/** The JDK's explanation; some inflater errors come without one. */
	private static String reason(Exception e) {
		if (e.getMessage() != null) return DisplayText.oneLine(e.getMessage());
		return e instanceof java.io.EOFException ? "the data ends too early" : e.getClass().getSimpleName();
	}

	private ModelFormatException fail(String problem) {
		return new ModelFormatException(file, problem);
	}
}
