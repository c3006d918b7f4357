package org.anomalyj.io;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.Inflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.*;

class ModelArchiveTest {

	static final String SHA = "0123456789abcdef".repeat(4);

	@TempDir
	Path dir;

	static JsonObject manifest() {
		JsonObject m = ModelArchive.newManifest("patchcore", "wide_resnet50_2-imagenet", SHA, 256);
		JsonArray layers = new JsonArray();
		layers.add("layer2");
		layers.add("layer3");
		m.add("layers", layers);
		m.addProperty("coreset_ratio", 0.1);
		return m;
	}

	static Map<String, Safetensors.Tensor> tensors(long seed, int floats) {
		Random r = new Random(seed);
		float[] bank = new float[floats];
		for (int i = 0; i < bank.length; i++) bank[i] = (float) r.nextGaussian();
		byte[] ids = new byte[40];
		r.nextBytes(ids);
		Map<String, Safetensors.Tensor> t = new LinkedHashMap<>();
		t.put("memory_bank", Safetensors.Tensor.of(bank, floats / 64, 64));
		t.put("ids", new Safetensors.Tensor(Safetensors.DType.U8, new long[] {40}, ids));
		return t;
	}

	static ModelArchive validArchive() {
		return new ModelArchive(manifest(), tensors(42, 64 * 400));
	}

	/** A zip with the given entries, written by the JDK (well-formed, unlike {@link HandmadeZip}). */
	Path jdkZip(String fileName, Map<String, byte[]> entries) throws IOException {
		Path p = dir.resolve(fileName);
		try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(p))) {
			for (var e : entries.entrySet()) {
				zip.putNextEntry(new ZipEntry(e.getKey()));
				zip.write(e.getValue());
				zip.closeEntry();
			}
		}
		return p;
	}

	static byte[] utf8(String s) {
		return s.getBytes(StandardCharsets.UTF_8);
	}

	static byte[] tensorBytes() {
		return Safetensors.toBytes(tensors(1, 64), null);
	}

	Path withManifest(String manifestJson) throws IOException {
		Map<String, byte[]> e = new LinkedHashMap<>();
		e.put("manifest.json", utf8(manifestJson));
		e.put("tensors.safetensors", tensorBytes());
		return jdkZip("m.zip", e);
	}

	Path write(String name, byte[] bytes) throws IOException {
		Path p = dir.resolve(name);
		Files.write(p, bytes);
		return p;
	}

	/** Reading fails with a one-line ModelFormatException that names the file and contains {@code expected}. */
	static ModelFormatException assertRejected(Path file, String expected) {
		return assertRejected(file, ModelArchive.Limits.DEFAULT, expected);
	}

	static ModelFormatException assertRejected(Path file, ModelArchive.Limits limits, String expected) {
		ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelArchive.read(file, limits));
		String m = e.getMessage();
		assertTrue(m.startsWith(file.toString() + ": "), m);
		assertFalse(m.contains("\n") || m.contains("\r"), m);
		assertTrue(m.contains(expected), "expected '" + expected + "' in: " + m);
		return e;
	}

	static void assertSameContent(ModelArchive expected, ModelArchive actual) {
		assertEquals(expected.manifest(), actual.manifest());
		assertEquals(List.copyOf(expected.tensors().keySet()), List.copyOf(actual.tensors().keySet()));
		for (String k : expected.tensors().keySet()) {
			Safetensors.Tensor a = expected.tensors().get(k), b = actual.tensors().get(k);
			assertEquals(a.dtype(), b.dtype(), k);
			assertArrayEquals(a.shape(), b.shape(), k);
			assertArrayEquals(a.data(), b.data(), k);
		}
	}

	// ---- round trip and writing

	@Test
	void roundTrip() throws IOException {
		ModelArchive a = validArchive();
		Path p = dir.resolve("model.zip");
		a.write(p);
		ModelArchive b = ModelArchive.read(p);
		assertSameContent(a, b);
		assertEquals("patchcore", b.method());
		assertEquals("wide_resnet50_2-imagenet", b.backboneId());
		assertEquals(SHA, b.backboneSha256());
		assertEquals(256, b.inputSize());
		assertEquals(0.1, b.manifest().get("coreset_ratio").getAsDouble());
		assertEquals(List.of("layer2", "layer3"), b.manifest().getAsJsonArray("layers").asList().stream()
			.map(x -> x.getAsString()).toList());
		assertEquals(List.of("model.zip"), listing());
	}

	@Test
	void writingIsReproducibleAndReplacesAtomically() throws IOException {
		Path p = dir.resolve("model.zip");
		validArchive().write(p);
		byte[] first = Files.readAllBytes(p);
		Path q = dir.resolve("again.zip");
		validArchive().write(q);
		assertArrayEquals(first, Files.readAllBytes(q));
		new ModelArchive(manifest(), tensors(7, 64 * 3)).write(p);
		assertEquals(3, ModelArchive.read(p).tensors().get("memory_bank").shape()[0]);
		assertEquals(List.of("again.zip", "model.zip"), listing());
	}

	@Test
	void accessorsDoNotExposeInternals() {
		ModelArchive a = validArchive();
		a.manifest().addProperty("method", "changed");
		assertEquals("patchcore", a.method());
		assertThrows(UnsupportedOperationException.class, () -> a.tensors().clear());
	}

	@Test
	void constructorAndFactoryRefuseInvalidManifests() {
		assertThrows(IllegalArgumentException.class, () -> ModelArchive.newManifest("patchcore", "b", SHA, 100));
		assertThrows(IllegalArgumentException.class, () -> ModelArchive.newManifest("patchcore", "b", "ABC", 256));
		assertThrows(IllegalArgumentException.class, () -> ModelArchive.newManifest("", "b", SHA, 256));
		JsonObject m = manifest();
		m.addProperty("format_version", 2);
		assertThrows(IllegalArgumentException.class, () -> new ModelArchive(m, Map.of()));
	}

	private List<String> listing() throws IOException {
		try (Stream<Path> s = Files.list(dir)) {
			return s.map(p -> p.getFileName().toString()).sorted().toList();
		}
	}

	// ---- not a model at all

	@Test
	void notAZip() throws IOException {
		assertRejected(write("empty.zip", new byte[0]), "not a zip file");
		assertRejected(write("text.zip", utf8("{\"format\":\"anomalyj-model\"}")), "not a zip file");
		assertRejected(write("png.zip", new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0}), "not a zip file");
		IOException missing = assertThrows(IOException.class, () -> ModelArchive.read(dir.resolve("nope.zip")));
		assertTrue(missing.getMessage().endsWith("nope.zip: no such file"), missing.getMessage());
		IOException directory = assertThrows(IOException.class, () -> ModelArchive.read(dir));
		assertTrue(directory.getMessage().contains("not a regular file"), directory.getMessage());
	}

	@Test
	void truncatedZip() throws IOException {
		Path p = dir.resolve("model.zip");
		validArchive().write(p);
		byte[] whole = Files.readAllBytes(p);
		for (int len : new int[] {4, 30, 200, whole.length / 2, whole.length - 23, whole.length - 1})
			assertRejected(write("cut" + len + ".zip", Arrays.copyOf(whole, len)), "truncated or damaged zip");
	}

	@Test
	void foreignZip() throws IOException {
		assertRejected(jdkZip("photos.zip", Map.of("a.jpg", new byte[10], "b.jpg", new byte[10])), "no manifest.json");
		assertRejected(jdkZip("emptyzip.zip", Map.of()), "no manifest.json (it is empty)");
		assertRejected(jdkZip("only-tensors.zip", Map.of("tensors.safetensors", tensorBytes())), "no manifest.json");
	}

	// ---- structure

	@Test
	void extraAndMissingEntries() throws IOException {
		Map<String, byte[]> e = new LinkedHashMap<>();
		e.put("manifest.json", utf8(manifest().toString()));
		e.put("tensors.safetensors", tensorBytes());
		e.put("notes.txt", utf8("hi"));
		assertRejected(jdkZip("extra.zip", e), "unexpected zip entry 'notes.txt'");
		assertRejected(jdkZip("dir.zip", Map.of("manifest.json", utf8(manifest().toString()), "tensors/", new byte[0])),
			"unexpected zip entry 'tensors/'");
		assertRejected(jdkZip("notensors.zip", Map.of("manifest.json", utf8(manifest().toString()))), "no tensors.safetensors");
	}

	@Test
	void duplicateEntries() throws IOException {
		byte[] m = utf8(manifest().toString());
		byte[] zip = new HandmadeZip().add(HandmadeZip.stored("manifest.json", m))
			.add(HandmadeZip.stored("tensors.safetensors", tensorBytes()))
			.add(HandmadeZip.stored("manifest.json", utf8("{\"format\":\"evil\"}"))).build();
		assertRejected(write("dup.zip", zip), "duplicate zip entry 'manifest.json'");
	}

	@Test
	void zipSlipNames() throws IOException {
		String[][] cases = {
			{"../manifest.json", "'..'"}, {"models/../../etc/cron.d/x", "'..'"}, {"/etc/passwd", "absolute path"},
			{"\\Windows\\System32\\x.dll", "absolute path"}, {"C:/Users/x/evil.bat", "drive letter"},
			{"c:evil", "drive letter"}, {"sub\\..\\x", "backslash"}, {"a\nb", "control characters"}, {"..", "'..'"},
		};
		for (String[] c : cases) {
			byte[] zip = new HandmadeZip().add(HandmadeZip.stored("manifest.json", utf8(manifest().toString())))
				.add(HandmadeZip.stored("tensors.safetensors", tensorBytes()))
				.add(HandmadeZip.stored(c[0], utf8("payload"))).build();
			ModelFormatException e = assertRejected(write("slip.zip", zip), c[1]);
			assertTrue(e.problem().startsWith("zip entry '"), e.problem());
		}
		// Nothing was extracted anywhere near the test directory.
		assertEquals(List.of("slip.zip"), listing());
	}

	// ---- sizes and zip bombs

	@Test
	void declaredSizesOverTheLimits() throws IOException {
		Path p = dir.resolve("model.zip");
		validArchive().write(p);
		assertRejected(p, new ModelArchive.Limits(100, 1L << 30), "manifest.json declares");
		assertRejected(p, new ModelArchive.Limits(1 << 20, 1000), "tensors.safetensors declares");
		assertRejected(p, new ModelArchive.Limits(100, 100), "more than a model may have");
	}

	@Test
	void entryLargerThanDeclaredIsCaughtWhileStreaming() throws IOException {
		byte[] m = utf8(manifest().toString());
		byte[] zip = new HandmadeZip().add(HandmadeZip.deflated("manifest.json", m).withDeclaredSize(m.length - 5))
			.add(HandmadeZip.stored("tensors.safetensors", tensorBytes())).build();
		assertRejected(write("lie.zip", zip), "manifest.json holds more than its declared");
		byte[] shorter = new HandmadeZip().add(HandmadeZip.deflated("manifest.json", m).withDeclaredSize(m.length + 5))
			.add(HandmadeZip.stored("tensors.safetensors", tensorBytes())).build();
		assertRejected(write("lie2.zip", shorter), "but declares");
	}

	@Test
	void crcMismatchIsDamage() throws IOException {
		byte[] t = tensorBytes();
		byte[] zip = new HandmadeZip().add(HandmadeZip.stored("manifest.json", utf8(manifest().toString())))
			.add(HandmadeZip.stored("tensors.safetensors", t).withCrc(HandmadeZip.crc(t) ^ 1)).build();
		assertRejected(write("crc.zip", zip), "tensors.safetensors is damaged (CRC-32 mismatch)");

		// A flipped bit in stored tensor data: the JDK alone would hand back the wrong float.
		Path p = dir.resolve("model.zip");
		validArchive().write(p);
		byte[] bytes = Files.readAllBytes(p);
		bytes[bytes.length / 2] ^= 0x10;
		assertRejected(write("flipped.zip", bytes), "CRC-32 mismatch");
	}

	@Test
	void zipBombStopsAtTheDeclaredSizeWithoutInflatingItAll() throws IOException {
		int mib = 3 * 1024; // 3 GiB of zeros
		byte[] bomb = HandmadeZip.deflatedZeros(mib);
		assertTrue(bomb.length < 8 << 20, "bomb payload " + bomb.length);
		// The payload really is a zero stream (checked on a short prefix of the same construction).
		byte[] small = HandmadeZip.deflatedZeros(3);
		Inflater inf = new Inflater(true);
		inf.setInput(small);
		byte[] out = new byte[(3 << 20) + 10];
		int n = 0;
		try {
			while (!inf.finished()) n += inf.inflate(out, n, out.length - n);
		} catch (java.util.zip.DataFormatException e) {
			fail(e);
		}
		assertEquals(3 << 20, n);
		assertTrue(Arrays.equals(out, 0, n, new byte[n], 0, n));

		long zerosCrc = 0; // wrong, but the size check must come first
		byte[] m = utf8(manifest().toString());
		HandmadeZip.Entry manifestEntry = HandmadeZip.stored("manifest.json", m);
		HandmadeZip.Entry small1000 = new HandmadeZip.Entry("tensors.safetensors", HandmadeZip.DEFLATED, bomb, zerosCrc, 1000);
		HandmadeZip.Entry honest = small1000.withDeclaredSize((long) mib << 20);
		HandmadeZip.Entry atLimit = small1000.withDeclaredSize(64L << 20);
		Path declaredSmall = write("bomb-small.zip", new HandmadeZip().add(manifestEntry).add(small1000).build());
		Path declaredHonest = write("bomb-honest.zip", new HandmadeZip().add(manifestEntry).add(honest).build());
		Path declaredAtLimit = write("bomb-limit.zip", new HandmadeZip().add(manifestEntry).add(atLimit).build());
		ModelArchive.Limits limits64 = new ModelArchive.Limits(1 << 20, 64L << 20);

		assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
			long t0 = System.nanoTime();
			assertRejected(declaredSmall, "holds more than its declared 1000 bytes");
			assertRejected(declaredHonest, "declares 3221225472 bytes, more than the 2147483648 allowed");
			assertRejected(declaredAtLimit, limits64, "holds more than its declared 67108864 bytes");
			System.out.printf("zip bombs (3 GiB of zeros in %d KiB) rejected in %.0f ms%n", bomb.length >> 10,
				(System.nanoTime() - t0) / 1e6);
		});
	}

	// ---- manifest content

	@Test
	void manifestNotJson() throws IOException {
		assertRejected(withManifest("not json"), "manifest.json is not valid JSON");
		assertRejected(withManifest("{format: 'anomalyj-model'}"), "manifest.json is not valid JSON");
		assertRejected(withManifest("{\"format\":\"anomalyj-model\"} trailing"), "manifest.json is not valid JSON");
		assertRejected(withManifest("[1,2,3]"), "manifest.json is not a JSON object");
		assertRejected(withManifest(""), "manifest.json is not valid JSON");
		assertRejected(withManifest("{\"a\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}"), "nested deeper than 32");
		assertRejected(withManifest("{\"format\":\"anomalyj-model\",\"format\":\"other\"}"), "duplicate key 'format'");
		Map<String, byte[]> e = new LinkedHashMap<>();
		e.put("manifest.json", new byte[] {'{', '"', (byte) 0xff, '"', ':', '1', '}'});
		e.put("tensors.safetensors", tensorBytes());
		assertRejected(jdkZip("latin1.zip", e), "manifest.json is not valid UTF-8");
	}

	private String manifestWith(String key, Object value) {
		JsonObject m = manifest();
		if (value == null) m.remove(key);
		else if (value instanceof Number n) m.addProperty(key, n);
		else if (value instanceof String s) m.addProperty(key, s);
		else m.add(key, (com.google.gson.JsonElement) value);
		return m.toString();
	}

	@Test
	void formatAndVersion() throws IOException {
		assertRejected(withManifest(manifestWith("format", null)), "not an AnomalyJ model (manifest.json has no 'format')");
		assertRejected(withManifest(manifestWith("format", "tfjs-graph-model")),
			"not an AnomalyJ model (format 'tfjs-graph-model', expected 'anomalyj-model')");
		assertRejected(withManifest(manifestWith("format", 1)), "not an AnomalyJ model (format 1,");
		ModelFormatException newer = assertRejected(withManifest(manifestWith("format_version", 2)),
			"made by a newer AnomalyJ, please update");
		assertEquals("model format version 2 is newer than version 1, the one this AnomalyJ reads; "
			+ "the model was made by a newer AnomalyJ, please update", newer.problem());
		// A newer version is reported as such even if its fields no longer look like version 1's.
		JsonObject future = new JsonObject();
		future.addProperty("format", "anomalyj-model");
		future.addProperty("format_version", 7);
		future.addProperty("pipeline", "something new");
		assertRejected(withManifest(future.toString()), "version 7 is newer");
		assertRejected(withManifest(manifestWith("format_version", 0)), "version 0 is not supported; this AnomalyJ reads version 1");
		assertRejected(withManifest(manifestWith("format_version", "1")), "'format_version' is not an integer");
		assertRejected(withManifest(manifestWith("format_version", 1.5)), "'format_version' is not an integer");
		assertRejected(withManifest(manifestWith("format_version", null)), "'format_version' is missing");
	}

	@Test
	void commonFields() throws IOException {
		assertRejected(withManifest(manifestWith("method", null)), "'method' is missing");
		assertRejected(withManifest(manifestWith("method", 3)), "'method' is missing or not a non-empty string");
		assertRejected(withManifest(manifestWith("backbone", "resnet")), "'backbone' is missing or not an object");
		JsonObject noId = new JsonObject();
		noId.addProperty("sha256", SHA);
		assertRejected(withManifest(manifestWith("backbone", noId)), "'backbone.id'");
		JsonObject badSha = new JsonObject();
		badSha.addProperty("id", "x");
		badSha.addProperty("sha256", SHA.toUpperCase());
		assertRejected(withManifest(manifestWith("backbone", badSha)), "'backbone.sha256' must be 64 lowercase hexadecimal digits");
		for (Object size : new Object[] {16, 100, 4096, 2064, -256, 256.5, "256", null})
			assertRejected(withManifest(manifestWith("input_size", size)), "'input_size' must be an integer from 32 to 2048");
		for (int size : new int[] {32, 224, 2048})
			assertEquals(size, ModelArchive.read(withManifest(manifestWith("input_size", size))).inputSize());
		// Whole-valued numbers in another spelling are still integers.
		assertEquals(256, ModelArchive.read(withManifest(manifest().toString().replace("\"input_size\":256", "\"input_size\":2.56e2"))).inputSize());
	}

	@Test
	void methodSpecificFieldsPassThrough() throws IOException {
		JsonObject m = manifest();
		m.addProperty("unknown_to_this_class", "kept");
		ModelArchive a = ModelArchive.read(withManifest(m.toString()));
		assertEquals("kept", a.manifest().get("unknown_to_this_class").getAsString());
	}

	@Test
	void invalidTensorsFile() throws IOException {
		Map<String, byte[]> e = new LinkedHashMap<>();
		e.put("manifest.json", utf8(manifest().toString()));
		e.put("tensors.safetensors", utf8("this is not safetensors"));
		assertRejected(jdkZip("t1.zip", e), "tensors.safetensors: not a safetensors file");
		byte[] t = tensorBytes();
		e.put("tensors.safetensors", Arrays.copyOf(t, t.length - 3));
		assertRejected(jdkZip("t2.zip", e), "tensors.safetensors: safetensors header and data need 432 bytes but at most 429 are available");
		e.put("tensors.safetensors", Arrays.copyOf(t, t.length + 3));
		assertRejected(jdkZip("t3.zip", e), "tensors.safetensors: safetensors data has trailing bytes");
		e.put("tensors.safetensors", new byte[0]);
		assertRejected(jdkZip("t4.zip", e), "tensors.safetensors: truncated safetensors data (no header length)");
	}

	@Test
	void unreadableFileIsAnIOExceptionButNotAFormatProblem() throws IOException {
		Path p = dir.resolve("model.zip");
		validArchive().write(p);
		if (!p.toFile().setReadable(false) || Files.isReadable(p)) return; // running as root or on Windows
		IOException e = assertThrows(IOException.class, () -> ModelArchive.read(p));
		assertFalse(e instanceof ModelFormatException, e.toString());
		assertTrue(e.getMessage().contains("permission denied"), e.getMessage());
	}

	@Test
	void writeFailureKeepsThePreviousModel() throws IOException {
		Path p = dir.resolve("model.zip");
		validArchive().write(p);
		byte[] before = Files.readAllBytes(p);
		// A tensor the writer refuses only once it gets to it, after the manifest entry went out.
		Map<String, Safetensors.Tensor> bad = new LinkedHashMap<>(tensors(3, 64));
		bad.put("__metadata__", Safetensors.Tensor.of(new float[] {1}, 1));
		assertThrows(IllegalArgumentException.class, () -> new ModelArchive(manifest(), bad).write(p));
		assertArrayEquals(before, Files.readAllBytes(p));
		assertEquals(List.of("model.zip"), listing());
	}
}
