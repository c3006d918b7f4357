package org.anomalyj.io;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.CheckedOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A trained model file: a zip holding {@code manifest.json} (a JSON object) and
 * {@code tensors.safetensors}. This class checks what every model shares ({@code format},
 * {@code format_version}, {@code method}, {@code backbone}, {@code input_size}); method-specific
 * fields and tensor shapes are the method's to check.
 *
 * <p>Reading treats the file as untrusted (see {@link #read(Path, Limits)}); writing is atomic
 * and reproducible (fixed entry times, so the same model gives the same bytes).
 *
 * @param manifest a copy of the manifest; the accessor returns a fresh copy each time
 * @param tensors the tensors, in file order (the map is unmodifiable; tensor data arrays are shared)
 */
public record ModelArchive(JsonObject manifest, Map<String, Safetensors.Tensor> tensors) {

	public static final String FORMAT = "anomalyj-model";
	/** The manifest layout this code reads and writes; bump it when old readers would misread a file. */
	public static final int FORMAT_VERSION = 1;
	public static final String MANIFEST_ENTRY = "manifest.json";
	public static final String TENSORS_ENTRY = "tensors.safetensors";
	public static final int MIN_INPUT_SIZE = 32;
	public static final int MAX_INPUT_SIZE = 2048;
	/** Backbone strides divide 16 for the layers methods tap, so feature maps tile the input exactly. */
	public static final int INPUT_SIZE_MULTIPLE = 16;

	private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
	/** The earliest zip (DOS) time; a fixed time makes files reproducible. */
	private static final LocalDateTime ENTRY_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);

	/**
	 * Size limits for reading. The file as a whole may exceed the sum of the entries by a small
	 * margin for zip headers and deflate overhead.
	 */
	public record Limits(long maxManifestBytes, long maxTensorBytes) {

		public static final Limits DEFAULT = new Limits(1L << 20, 2L << 30);

		public Limits {
			if (maxManifestBytes <= 0 || maxTensorBytes <= 0) throw new IllegalArgumentException("limits must be positive");
		}

		public long maxFileBytes() {
			long entries = maxManifestBytes + maxTensorBytes;
			return entries + entries / 256 + (1L << 16);
		}
	}

	/**
	 * @throws IllegalArgumentException if the manifest lacks or misstates a common field, or a
	 *         tensor entry is null
	 */
	public ModelArchive {
		Objects.requireNonNull(manifest, "manifest");
		Objects.requireNonNull(tensors, "tensors");
		String problem = manifestProblem(manifest);
		if (problem != null) throw new IllegalArgumentException("invalid model manifest: " + problem);
		for (Map.Entry<String, Safetensors.Tensor> e : tensors.entrySet()) {
			if (e.getKey() == null || e.getValue() == null) throw new IllegalArgumentException("null tensor name or tensor");
		}
		manifest = manifest.deepCopy();
		tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
	}

	/** A manifest with the common fields filled in; methods add their own fields to it. */
	public static JsonObject newManifest(String method, String backboneId, String backboneSha256, int inputSize) {
		JsonObject m = new JsonObject();
		m.addProperty("format", FORMAT);
		m.addProperty("format_version", FORMAT_VERSION);
		m.addProperty("method", method);
		JsonObject backbone = new JsonObject();
		backbone.addProperty("id", backboneId);
		backbone.addProperty("sha256", backboneSha256);
		m.add("backbone", backbone);
		m.addProperty("input_size", inputSize);
		String problem = manifestProblem(m);
		if (problem != null) throw new IllegalArgumentException(problem);
		return m;
	}

	@Override
	public JsonObject manifest() {
		return manifest.deepCopy();
	}

	public String method() {
		return manifest.get("method").getAsString();
	}

	public String backboneId() {
		return manifest.getAsJsonObject("backbone").get("id").getAsString();
	}

	public String backboneSha256() {
		return manifest.getAsJsonObject("backbone").get("sha256").getAsString();
	}

	public int inputSize() {
		return (int) (long) StrictJson.exactLong(manifest.get("input_size"));
	}

	/** Reads a model file with the {@link Limits#DEFAULT default limits}. */
	public static ModelArchive read(Path file) throws IOException {
		return read(file, Limits.DEFAULT);
	}

	/**
	 * Reads a model file, treating it as untrusted: it is never extracted, entries are read into
	 * memory only up to the limits, and sizes and CRCs are checked against the zip directory.
	 *
	 * @throws ModelFormatException if the file is not a valid model of a supported version, with
	 *         a one-line message naming the file and the problem
	 * @throws IOException if the file cannot be read
	 */
	public static ModelArchive read(Path file, Limits limits) throws IOException {
		return ModelArchiveReader.read(file, limits);
	}

	/** Writes the model atomically: {@code target} is either replaced whole or left as it was. */
	public void write(Path target) throws IOException {
		Gson gson = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();
		byte[] manifestBytes = gson.toJson(manifest).getBytes(StandardCharsets.UTF_8);
		// The tensors are stored uncompressed (float data barely compresses and deflating
		// gigabytes is slow), which needs their size and CRC before the entry starts.
		CRC32 crc = new CRC32();
		long size;
		try (ByteCounter counter = new ByteCounter()) {
			Safetensors.write(new CheckedOutputStream(counter, crc), tensors, null);
			size = counter.count;
		}
		AtomicFiles.write(target, out -> {
			try (ZipOutputStream zip = new ZipOutputStream(out, StandardCharsets.UTF_8)) {
				ZipEntry m = new ZipEntry(MANIFEST_ENTRY);
				m.setTimeLocal(ENTRY_TIME);
				zip.putNextEntry(m);
				zip.write(manifestBytes);
				zip.closeEntry();

				ZipEntry t = new ZipEntry(TENSORS_ENTRY);
				t.setTimeLocal(ENTRY_TIME);
				t.setMethod(ZipEntry.STORED);
				t.setSize(size);
				t.setCompressedSize(size);
				t.setCrc(crc.getValue());
				zip.putNextEntry(t);
				Safetensors.write(zip, tensors, null);
				zip.closeEntry();
			}
		});
	}

	/**
	 * Why a manifest is unusable, or null if its common fields are fine. Format and version come
	 * first: a newer file may have changed the other fields, and "please update" is then the
	 * useful answer.
	 */
	static String manifestProblem(JsonObject m) {
		JsonElement format = m.get("format");
		if (format == null) return "not an AnomalyJ model (" + MANIFEST_ENTRY + " has no 'format')";
		String f = StrictJson.string(format);
		if (!FORMAT.equals(f))
			return "not an AnomalyJ model (format " + (f == null ? DisplayText.oneLine(format.toString()) : DisplayText.quote(f))
				+ ", expected '" + FORMAT + "')";
		JsonElement versionElement = m.get("format_version");
		Long version = StrictJson.exactLong(versionElement);
		if (version == null)
			return MANIFEST_ENTRY + ": 'format_version' is " + (versionElement == null ? "missing" : "not an integer");
		if (version > FORMAT_VERSION)
			return "model format version " + version + " is newer than version " + FORMAT_VERSION
				+ ", the one this AnomalyJ reads; the model was made by a newer AnomalyJ, please update";
		if (version < FORMAT_VERSION)
			return "model format version " + version + " is not supported; this AnomalyJ reads version " + FORMAT_VERSION;
		String method = StrictJson.string(m.get("method"));
		if (method == null || method.isBlank()) return MANIFEST_ENTRY + ": 'method' is missing or not a non-empty string";
		JsonElement backbone = m.get("backbone");
		if (backbone == null || !backbone.isJsonObject()) return MANIFEST_ENTRY + ": 'backbone' is missing or not an object";
		String id = StrictJson.string(backbone.getAsJsonObject().get("id"));
		if (id == null || id.isBlank()) return MANIFEST_ENTRY + ": 'backbone.id' is missing or not a non-empty string";
		String sha = StrictJson.string(backbone.getAsJsonObject().get("sha256"));
		if (sha == null || !SHA256.matcher(sha).matches())
			return MANIFEST_ENTRY + ": 'backbone.sha256' must be 64 lowercase hexadecimal digits";
		JsonElement sizeElement = m.get("input_size");
		Long size = StrictJson.exactLong(sizeElement);
		if (size == null || size < MIN_INPUT_SIZE || size > MAX_INPUT_SIZE || size % INPUT_SIZE_MULTIPLE != 0)
			return MANIFEST_ENTRY + ": 'input_size' must be an integer from " + MIN_INPUT_SIZE + " to " + MAX_INPUT_SIZE
				+ " and a multiple of " + INPUT_SIZE_MULTIPLE + " (found "
				+ (sizeElement == null ? "none" : DisplayText.oneLine(sizeElement.toString())) + ")";
		return null;
	}

	/** Measures the serialized tensors without keeping them. */
	private static final class ByteCounter extends OutputStream {

		long count;

		@Override
		public void write(int b) {
			count++;
		}

		@Override
		public void write(byte[] b, int off, int len) {
			count += len;
		}
	}
}
