package org.anomalyj.testing;

import org.anomalyj.io.ModelArchive;
import org.anomalyj.io.Safetensors;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Takes model files apart and packs edited ones, bypassing every check {@link ModelArchive}
 * makes when writing: for tests that hand the loader files no AnomalyJ would write (a wrong
 * version, contradicting tensors, damaged entries with correct CRCs).
 */
public final class ModelZips {

	private ModelZips() {}

	/** The entries of a trusted zip, in order. */
	public static Map<String, byte[]> entries(Path zip) throws IOException {
		Map<String, byte[]> out = new LinkedHashMap<>();
		try (ZipFile z = new ZipFile(zip.toFile())) {
			for (Enumeration<? extends ZipEntry> e = z.entries(); e.hasMoreElements();) {
				ZipEntry entry = e.nextElement();
				out.put(entry.getName(), z.getInputStream(entry).readAllBytes());
			}
		}
		return out;
	}

	/** Packs entries into a well-formed zip (correct sizes and CRCs), whatever they hold. */
	public static byte[] pack(Map<String, byte[]> entries) {
		java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
		try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
			for (Map.Entry<String, byte[]> e : entries.entrySet()) {
				zip.putNextEntry(new ZipEntry(e.getKey()));
				zip.write(e.getValue());
				zip.closeEntry();
			}
		} catch (IOException e) {
			throw new IllegalStateException(e); // in memory
		}
		return bytes.toByteArray();
	}

	public static JsonObject manifest(Map<String, byte[]> entries) {
		return JsonParser.parseString(new String(entries.get(ModelArchive.MANIFEST_ENTRY), StandardCharsets.UTF_8)).getAsJsonObject();
	}

	public static Map<String, Safetensors.Tensor> tensors(Map<String, byte[]> entries) throws IOException {
		byte[] t = entries.get(ModelArchive.TENSORS_ENTRY);
		return Safetensors.read(new ByteArrayInputStream(t), t.length).tensors();
	}

	/** A copy of {@code model} at {@code target} with its manifest edited. */
	public static Path editManifest(Path model, Path target, Consumer<JsonObject> edit) throws IOException {
		Map<String, byte[]> e = entries(model);
		JsonObject m = manifest(e);
		edit.accept(m);
		e.put(ModelArchive.MANIFEST_ENTRY, new Gson().toJson(m).getBytes(StandardCharsets.UTF_8));
		return Files.write(target, pack(e));
	}

	/** A copy of {@code model} at {@code target} with other tensors. */
	public static Path replaceTensors(Path model, Path target, Map<String, Safetensors.Tensor> tensors) throws IOException {
		Map<String, byte[]> e = entries(model);
		e.put(ModelArchive.TENSORS_ENTRY, Safetensors.toBytes(tensors, null));
		return Files.write(target, pack(e));
	}
}
