package org.anomalyj.model;

import org.anomalyj.backbone.Backbone;
import org.anomalyj.backbone.BackboneCatalog;
import org.anomalyj.image.ImageFileReader;
import org.anomalyj.inspect.Inspection;
import org.anomalyj.inspect.Inspector;
import org.anomalyj.io.ByteMutations;
import org.anomalyj.io.ModelArchive;
import org.anomalyj.io.ModelFormatException;
import org.anomalyj.io.Safetensors;
import org.anomalyj.testing.ModelZips;
import org.anomalyj.testing.NativeArrays;
import org.anomalyj.testing.SmallModel;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;
import net.imglib2.view.Views;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Fuzzes the whole model loader, not only the zip layer ({@code ModelArchiveFuzzTest}): damaged
 * copies of a real trained model go through {@link ModelArchive#read} and then through
 * {@link AnomalyModel#restore}, which checks the manifest's fields and the tensors against each
 * other and against the backbone. Every case must end in a {@link ModelFormatException} with a
 * one-line message naming the file, or in a model that scores an image to finite values; no
 * other exception, no native arrays left behind. The backbone is loaded once and lent to every
 * case (loading it is the one step that does not depend on the file).
 */
class ModelLoaderFuzzTest {

	static final long SEED = 20260511L;
	static final int WHOLE_FILE = 1000, MANIFEST = 1200, TENSORS = 800;

	@TempDir
	static Path dir;

	static NDManager base;
	static Backbone shared;
	static Map<String, byte[]> entries;
	static RandomAccessibleInterval<? extends RealType<?>> image;

	@BeforeAll
	static void loadBackboneOnce() throws IOException {
		entries = ModelZips.entries(SmallModel.file());
		// The training record holds timings; fixed values make the mutants, and so the run, depend on the seed only.
		JsonObject m = ModelZips.manifest(entries);
		for (String timing : List.of("seconds", "feature_seconds", "coreset_seconds")) m.getAsJsonObject("training").addProperty(timing, 1.5);
		entries.put(ModelArchive.MANIFEST_ENTRY, new Gson().toJson(m).getBytes(StandardCharsets.UTF_8));
		base = NDManager.newBaseManager(Device.cpu());
		shared = new Borrowed(BackboneCatalog.get(BackboneCatalog.DEFAULT).load(base));
		// A small crop keeps the ~500 valid cases' scoring cheap; the size is not what is tested here.
		image = Views.zeroMin(Views.interval(ImageFileReader.read(SmallModel.sampleTrainImages(1).get(0)).plane(0), new long[] {200, 100, 0},
			new long[] {263, 147, 2}));
	}

	@AfterAll
	static void closeBackbone() {
		base.close();
	}

	@Test
	void damagedModelFilesEndInAValidModelOrAOneLineError() {
		Map<String, Integer> outcomes = new TreeMap<>();
		Random random = new Random(SEED);
		byte[] pristine = ModelZips.pack(entries);
		byte[] manifest = entries.get(ModelArchive.MANIFEST_ENTRY);
		byte[] tensors = entries.get(ModelArchive.TENSORS_ENTRY);
		int header = 8 + (int) ByteBuffer.wrap(tensors).order(ByteOrder.LITTLE_ENDIAN).getLong();
		JsonObject json = JsonParser.parseString(new String(manifest, StandardCharsets.UTF_8)).getAsJsonObject();
		int arraysBefore = NativeArrays.live();
		long t0 = System.nanoTime();
		assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
			for (int i = 0; i < WHOLE_FILE + MANIFEST + TENSORS; i++) {
				byte[] mutant;
				String kind;
				if (i < WHOLE_FILE) {
					kind = "file bytes";
					mutant = ByteMutations.mutateRepeatedly(pristine, random, new ByteMutations.Region(0, 1024),
						new ByteMutations.Region(pristine.length - 256, 256));
				} else if (i < WHOLE_FILE + MANIFEST) {
					boolean structural = random.nextInt(4) != 0;
					kind = structural ? "manifest fields" : "manifest bytes";
					byte[] m = structural ? new Gson().toJson(JsonFields.mutate(json, random)).getBytes(StandardCharsets.UTF_8)
						: ByteMutations.mutateRepeatedly(manifest, random, new ByteMutations.Region(0, manifest.length));
					mutant = repack(m, tensors);
				} else {
					boolean structural = random.nextBoolean();
					kind = structural ? "tensors" : "tensor bytes";
					byte[] t = structural ? Safetensors.toBytes(TensorDamage.apply(ModelZips.tensors(entries), random), null)
						: ByteMutations.mutateRepeatedly(tensors, random, new ByteMutations.Region(0, header));
					mutant = repack(manifest, t);
				}
				outcomes.merge(kind + ": " + load(i, mutant), 1, Integer::sum);
			}
		});
		System.out.printf("model loader fuzz: %d cases in %.1f s%n", WHOLE_FILE + MANIFEST + TENSORS, (System.nanoTime() - t0) / 1e9);
		outcomes.forEach((k, v) -> System.out.printf("  %5d  %s%n", v, k));
		assertEquals(arraysBefore, NativeArrays.live(), "native arrays left behind by refused or closed models");
		// The fuzzing must reach the model-level checks and also produce models that still work.
		assertTrue(outcomes.keySet().stream().anyMatch(k -> k.startsWith("manifest fields: refused")), outcomes.toString());
		assertTrue(outcomes.keySet().stream().anyMatch(k -> k.startsWith("tensors: refused")), outcomes.toString());
		assertTrue(outcomes.keySet().stream().anyMatch(k -> k.startsWith("manifest fields: valid")), outcomes.toString());
		assertTrue(outcomes.keySet().stream().anyMatch(k -> k.startsWith("tensors: valid")), outcomes.toString());
	}

	/** The outcome of loading one mutant: "valid" or "refused: " and the kind of problem. */
	private static String load(int i, byte[] mutant) throws IOException {
		Path file = dir.resolve("case-" + i + ".zip");
		Files.write(file, mutant);
		try {
			ModelArchive archive;
			try {
				archive = ModelArchive.read(file);
			} catch (ModelFormatException e) {
				assertOneLine(file, e);
				return "refused by the archive";
			}
			try (AnomalyModel model = AnomalyModel.restore(file, archive, base.newSubManager(), shared)) {
				Inspection r = new Inspector(model).inspect(image);
				boolean finite = Float.isFinite(r.score());
				for (float v : r.map()) finite &= Float.isFinite(v);
				if (!finite) fail("case " + i + ": a non-finite score or map value; manifest:\n" + manifestOf(file));
				return "valid";
			} catch (ModelFormatException e) {
				assertOneLine(file, e);
				return "refused: " + category(e.problem());
			}
		} catch (AssertionError e) {
			throw e;
		} catch (Throwable t) {
			throw new AssertionError("case " + i + " ended in " + t + "; manifest:\n" + manifestOf(file), t);
		} finally {
			Files.deleteIfExists(file);
		}
	}

	private static String manifestOf(Path file) {
		try {
			return new String(ModelZips.entries(file).get(ModelArchive.MANIFEST_ENTRY), StandardCharsets.UTF_8);
		} catch (IOException | RuntimeException e) {
			return "(unreadable: " + e + ")";
		}
	}

	private static void assertOneLine(Path file, ModelFormatException e) {
		assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
		assertFalse(e.getMessage().contains("\n"), e.getMessage());
		assertFalse(e.problem().contains("Exception"), e.getMessage());
	}

	private static String category(String problem) {
		String p = problem.replaceAll("'[^']*'", "'…'").replaceAll("\\(.*\\)", "(…)").replaceAll("-?\\d[\\d.E+-]*", "N");
		return p.length() > 80 ? p.substring(0, 80) + "…" : p;
	}

	private static byte[] repack(byte[] manifest, byte[] tensors) {
		Map<String, byte[]> e = new LinkedHashMap<>();
		e.put(ModelArchive.MANIFEST_ENTRY, manifest);
		e.put(ModelArchive.TENSORS_ENTRY, tensors);
		return ModelZips.pack(e);
	}

	/** Damage to the manifest's structure: valid JSON with fields removed, retyped or set to edge values. */
	static final class JsonFields {

		private static final JsonElement[] VALUES = {
			new JsonPrimitive(0), new JsonPrimitive(-1), new JsonPrimitive(1), new JsonPrimitive(2), new JsonPrimitive(3), new JsonPrimitive(4),
			new JsonPrimitive(31), new JsonPrimitive(32), new JsonPrimitive(33), new JsonPrimitive(48), new JsonPrimitive(64), new JsonPrimitive(96),
			new JsonPrimitive(127), new JsonPrimitive(0.5), new JsonPrimitive(-0.5), new JsonPrimitive(1e-300), new JsonPrimitive(1e308),
			new JsonPrimitive(-1e308), new JsonPrimitive(1e39), new JsonPrimitive(Integer.MAX_VALUE), new JsonPrimitive(2147483648L),
			new JsonPrimitive(Long.MAX_VALUE), new JsonPrimitive(new BigDecimal("1e19")), new JsonPrimitive(new BigDecimal("1e-400")),
			new JsonPrimitive(""), new JsonPrimitive("x"), new JsonPrimitive("patchcore"), new JsonPrimitive("mobilenet_v2-nsfwjs-4.4.0"),
			new JsonPrimitive("block_5_add"), new JsonPrimitive("Conv1_relu"), new JsonPrimitive("symmetric"), new JsonPrimitive("unit"),
			new JsonPrimitive(true), new JsonPrimitive(false), JsonNull.INSTANCE, new JsonArray(), new JsonObject(),
			array(1, 2), array(5, 1), array(0, 65535), strings("block_5_add"), strings("block_10_project_BN", "block_5_add"),
			strings("block_5_add", "block_5_add"), JsonParser.parseString("{\"a\":{\"b\":[1]}}") };

		static JsonObject mutate(JsonObject original, Random r) {
			JsonObject m = original.deepCopy();
			for (int k = 1 + r.nextInt(2); k > 0; k--) {
				List<Object[]> slots = new ArrayList<>();
				collect(m, slots);
				Object[] slot = slots.get(r.nextInt(slots.size()));
				JsonElement parent = (JsonElement) slot[0];
				int action = r.nextInt(5);
				JsonElement value = action == 4 ? nudge(get(parent, slot[1]), r) : VALUES[r.nextInt(VALUES.length)].deepCopy();
				if (action == 0 && parent.isJsonObject()) parent.getAsJsonObject().remove((String) slot[1]);
				else if (action == 1 && parent.isJsonObject()) parent.getAsJsonObject().add("unknown_" + r.nextInt(3), value);
				else if (parent.isJsonObject()) parent.getAsJsonObject().add((String) slot[1], value);
				else parent.getAsJsonArray().set((Integer) slot[1], value);
			}
			return m;
		}

		/** A number moved a little or far (off by one, doubled, negated), anything else left as is. */
		private static JsonElement nudge(JsonElement e, Random r) {
			if (!(e instanceof JsonPrimitive p) || !p.isNumber()) return e;
			double v = p.getAsDouble();
			double[] options = {v + 1, v - 1, v * 2, -v, v / 2, v * 1e6, Math.nextUp(v)};
			return new JsonPrimitive(options[r.nextInt(options.length)]);
		}

		private static JsonElement get(JsonElement parent, Object key) {
			return parent.isJsonObject() ? parent.getAsJsonObject().get((String) key) : parent.getAsJsonArray().get((Integer) key);
		}

		private static void collect(JsonElement e, List<Object[]> slots) {
			if (e.isJsonObject()) for (String k : e.getAsJsonObject().keySet()) {
				slots.add(new Object[] {e, k});
				collect(e.getAsJsonObject().get(k), slots);
			}
			else if (e.isJsonArray()) for (int i = 0; i < e.getAsJsonArray().size(); i++) {
				slots.add(new Object[] {e, i});
				collect(e.getAsJsonArray().get(i), slots);
			}
		}

		private static JsonArray array(double... v) {
			JsonArray a = new JsonArray();
			for (double x : v) a.add(x);
			return a;
		}

		private static JsonArray strings(String... v) {
			JsonArray a = new JsonArray();
			for (String x : v) a.add(x);
			return a;
		}
	}

	/** Damage to the tensors that keeps the safetensors file well-formed: shapes, dtypes, values, names. */
	static final class TensorDamage {

		static Map<String, Safetensors.Tensor> apply(Map<String, Safetensors.Tensor> tensors, Random r) {
			Map<String, Safetensors.Tensor> t = new LinkedHashMap<>(tensors);
			Safetensors.Tensor bank = t.get("memory_bank");
			float[] v = bank.toFloats();
			int rows = (int) bank.shape()[0], cols = (int) bank.shape()[1];
			switch (r.nextInt(8)) {
				case 0 -> { // fewer or more rows, consistent data
					int n = Math.max(0, rows + r.nextInt(7) - 3);
					t.put("memory_bank", Safetensors.Tensor.of(Arrays.copyOf(v, n * cols), n, cols));
				}
				case 1 -> { // other columns
					int c = new int[] {1, 32, 96, 127, 129, 256}[r.nextInt(6)];
					t.put("memory_bank", Safetensors.Tensor.of(new float[rows * c], rows, c));
				}
				case 2 -> { // an extreme value somewhere
					float[] extremes = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1e13f, -3e38f, -0f, Float.MIN_VALUE, 1e11f};
					v[r.nextInt(v.length)] = extremes[r.nextInt(extremes.length)];
					t.put("memory_bank", Safetensors.Tensor.of(v, rows, cols));
				}
				case 3 -> { // another dtype over the same or random bytes
					Safetensors.DType d = Safetensors.DType.values()[r.nextInt(Safetensors.DType.values().length)];
					byte[] data = new byte[rows * cols * d.bytes];
					if (r.nextBoolean()) r.nextBytes(data);
					else System.arraycopy(bank.data(), 0, data, 0, Math.min(data.length, bank.data().length));
					t.put("memory_bank", new Safetensors.Tensor(d, new long[] {rows, cols}, data));
				}
				case 4 -> t.put("memory_bank", Safetensors.Tensor.of(v, (long) rows * cols)); // flattened
				case 5 -> t.put("memory_bank", Safetensors.Tensor.of(v, 1, rows, cols)); // one more dimension
				case 6 -> { // missing, renamed or with company
					int what = r.nextInt(3);
					if (what < 2) t.remove("memory_bank");
					if (what == 1) t.put("memory_bank ", bank);
					if (what == 2) t.put("extra", Safetensors.Tensor.of(new float[] {1, 2, 3}, 3));
				}
				default -> { // a few values scaled: still a finite bank, a different model
					for (int k = 0; k < 5; k++) v[r.nextInt(v.length)] *= 1 + r.nextFloat();
					t.put("memory_bank", Safetensors.Tensor.of(v, rows, cols));
				}
			}
			return t;
		}
	}

	/** The shared backbone, lent to each case's model: closing the model must not close it. */
	private record Borrowed(Backbone backbone) implements Backbone {
		public String id() {
			return backbone.id();
		}

		public String weightsSha256() {
			return backbone.weightsSha256();
		}

		public List<String> taps() {
			return backbone.taps();
		}

		public int channels(String tap) {
			return backbone.channels(tap);
		}

		public int stride(String tap) {
			return backbone.stride(tap);
		}

		public Map<String, NDArray> forward(NDArray input, Collection<String> taps) {
			return backbone.forward(input, taps);
		}

		public long multiplyAdds(int height, int width, Collection<String> taps) {
			return backbone.multiplyAdds(height, width, taps);
		}

		public void close() {
			// Closed once, with the base manager, after all cases.
		}
	}
}
