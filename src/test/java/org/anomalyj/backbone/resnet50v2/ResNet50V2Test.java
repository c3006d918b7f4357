package org.anomalyj.backbone.resnet50v2;

import org.anomalyj.backbone.BackboneCatalog;
import org.anomalyj.backbone.BackbonePlugin;
import org.anomalyj.image.InputNormalization;
import org.anomalyj.io.Safetensors;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The shipped network; the port check against the independent reference needs ../shared and is skipped without it. */
class ResNet50V2Test {

	static final Path WEIGHTS = Path.of("../shared/weights/resnet50-v2");
	static final Path FIXTURES = Path.of("../shared/fixtures/resnet50-v2");

	private static NDManager root;
	private static ResNet50V2 shipped;

	@BeforeAll
	static void load() throws IOException {
		root = NDManager.newBaseManager();
		shipped = ResNet50V2.loadResource(root);
	}

	@AfterAll
	static void close() {
		shipped.close();
		root.close();
	}

	/**
	 * The float32 originals, run on the reference input, match the independent numpy port's stage
	 * ends to 1e-4 of each stage's largest value.
	 */
	@Test
	void float32OriginalsMatchTheIndependentPortPerStage() throws IOException {
		assumeTrue(Files.isDirectory(WEIGHTS) && Files.isDirectory(FIXTURES),
			"ResNet50-v2 port check skipped: no " + WEIGHTS + " and " + FIXTURES + " (they are in the developers' ../shared)");
		Safetensors.Contents originals = new Safetensors.Contents(ResNet50V2WeightConverter.convert(WEIGHTS, false),
			ResNet50V2WeightConverter.metadata(WEIGHTS, false));
		try (NDManager m = root.newSubManager(); ResNet50V2 net = ResNet50V2.load(originals, "originals", "originals", m)) {
			NDArray x = npy(m, FIXTURES.resolve("ref_r50v2_corgi_input_nchw_normalized.npy"));
			Map<String, NDArray> out = net.forward(x, List.of("stage1", "stage2", "stage3"));
			for (int s = 1; s <= 3; s++) {
				NpyFile ref = NpyFile.read(FIXTURES.resolve("ref_r50v2_corgi_stage" + s + "_out.npy"));
				double rel = maxRelative(out.get("stage" + s), ref);
				System.out.printf("ResNet50-v2 (float32 originals) vs reference at stage %d: max abs diff / max |value| = %.3g%n", s, rel);
				assertTrue(rel <= 1e-4, "stage " + s + ": relative difference " + rel);
			}
		}
	}

	/** The shipped float16 convolutions stay close to the float32 network on the reference input. */
	@Test
	void shippedWeightsStayCloseToTheReference() throws IOException {
		assumeTrue(Files.isDirectory(FIXTURES), "ResNet50-v2 reference check skipped: no " + FIXTURES + " (in the developers' ../shared)");
		try (NDManager m = root.newSubManager()) {
			NDArray x = npy(m, FIXTURES.resolve("ref_r50v2_corgi_input_nchw_normalized.npy"));
			Map<String, NDArray> out = shipped.forward(x, List.of("stage1", "stage2", "stage3"));
			for (int s = 1; s <= 3; s++) {
				double rel = maxRelative(out.get("stage" + s), NpyFile.read(FIXTURES.resolve("ref_r50v2_corgi_stage" + s + "_out.npy")));
				System.out.printf("ResNet50-v2 (shipped resource) vs reference at stage %d: max abs diff / max |value| = %.3g%n", s, rel);
				assertTrue(rel <= 1e-2, "stage " + s + ": relative difference " + rel);
			}
		}
	}

	private static double maxRelative(NDArray actual, NpyFile ref) {
		assertArrayEquals(ref.shape(), actual.getShape().getShape());
		float[] a = actual.toFloatArray(), e = ref.values();
		double diff = 0, max = 0;
		for (int i = 0; i < e.length; i++) {
			diff = Math.max(diff, Math.abs(a[i] - e[i]));
			max = Math.max(max, Math.abs(e[i]));
		}
		return diff / max;
	}

	private static NDArray npy(NDManager m, Path file) throws IOException {
		NpyFile f = NpyFile.read(file);
		return m.create(f.values(), new Shape(f.shape()));
	}

	@Test
	void theShippedChecksumIsThatOfTheResourceBytes() throws IOException {
		byte[] bytes;
		try (java.io.InputStream in = ResNet50V2.class.getResourceAsStream(ResNet50V2.RESOURCE_NAME)) {
			bytes = in.readAllBytes();
		}
		assertEquals(org.anomalyj.backbone.ForwardPass.sha256(bytes), shipped.weightsSha256());
	}

	@Test
	void foundThroughTheCatalogWithItsTapsAndNormalisation() throws IOException {
		BackbonePlugin p = BackboneCatalog.get("resnet50v2");
		assertInstanceOf(ResNet50V2Plugin.class, p);
		assertSame(p, BackboneCatalog.forModelId(ResNet50V2.ID));
		assertEquals(InputNormalization.IMAGENET, p.normalization());
		assertEquals(List.of("stage2_relu", "stage3_relu"), p.defaultTaps());
		assertEquals(1536, p.defaultTaps().stream().mapToInt(t -> p.tap(t).channels()).sum());
		assertEquals(16, p.inputMultiple(p.defaultTaps()));
		assertEquals(BackboneCatalog.DEFAULT, BackboneCatalog.choices().get(0), "the embedded MobileNetV2 stays the default");
		assertTrue(BackboneCatalog.choices().contains("resnet50v2"));
		for (BackbonePlugin.Tap t : p.taps()) {
			assertEquals(t.stride(), shipped.stride(t.name()), t.name());
			assertEquals(t.channels(), shipped.channels(t.name()), t.name());
		}
		assertEquals(p.taps().stream().map(BackbonePlugin.Tap::name).toList(), shipped.taps());
	}

	@Test
	void everyTapHasItsDeclaredShapeAndPostActivationViewsAreNonNegative() {
		try (NDManager m = root.newSubManager()) {
			NDArray x = randomInput(m, 2, 64, 48);
			Map<String, NDArray> all = shipped.forward(x, shipped.taps());
			assertEquals(shipped.taps(), List.copyOf(all.keySet()), "all taps, in network order");
			for (String t : shipped.taps()) {
				int s = shipped.stride(t);
				assertEquals(new Shape(2, shipped.channels(t), 64 / s, 48 / s), all.get(t).getShape(), t);
				if (t.endsWith("_relu")) assertTrue(all.get(t).min().getFloat() >= 0, t);
			}
			assertTrue(all.get("stage2").min().getFloat() < 0, "the raw stream is not rectified");
		}
	}

	/** Batch inference is per image: an image's features do not depend on the rest of its batch. */
	@Test
	void batchedImagesGiveTheirSingleImageFeatures() {
		try (NDManager m = root.newSubManager()) {
			NDArray batch = randomInput(m, 3, 32, 32);
			NDArray together = shipped.forward(batch, List.of("stage3_relu")).get("stage3_relu");
			NDArray alone = shipped.forward(batch.get("1:2"), List.of("stage3_relu")).get("stage3_relu");
			float[] a = together.get("1:2").toFloatArray(), b = alone.toFloatArray();
			for (int i = 0; i < a.length; i++) assertEquals(b[i], a[i], 1e-4f * (1 + Math.abs(b[i])));
		}
	}

	@Test
	void stopsEarlyAndEarlyTapsDoNotDependOnWhatElseIsAsked() {
		try (NDManager m = root.newSubManager()) {
			NDArray x = randomInput(m, 1, 32, 32);
			Map<String, NDArray> early = shipped.forward(x, List.of("stage2_relu"));
			assertEquals(List.of("stage2_relu"), List.copyOf(early.keySet()));
			Map<String, NDArray> both = shipped.forward(x, List.of("stage3_relu", "stage2_relu"));
			assertEquals(List.of("stage2_relu", "stage3_relu"), List.copyOf(both.keySet()));
			assertArrayEquals(early.get("stage2_relu").toFloatArray(), both.get("stage2_relu").toFloatArray());
			assertEquals(4, m.getManagedArrays().size(), "only the input and the three maps asked for stay in the caller's manager");
		}
	}

	/**
	 * Convolution multiply-adds at 224 px: the well-known ~4.1 G of a full ResNet-50 less stage 4
	 * (0.81 G) and the classifier (2 M); hand-computed: stem 118.0 M, stage 1 0.680 G, stage 2
	 * 1.034 G, stage 3 1.470 G (conv weights x output positions).
	 */
	@Test
	void multiplyAddsCountEveryConvolutionUpToTheLastTap() {
		long stem = 112L * 112 * 64 * 3 * 49;
		long stage1 = 56L * 56 * (64 * 64 + 64 * 64 * 9 + 64 * 256 + 64 * 256) + 2 * 56L * 56 * (256 * 64 + 64 * 64 * 9 + 64 * 256);
		long stage2 = 56L * 56 * 256 * 128 + 28L * 28 * (128 * 128 * 9 + 128 * 512 + 256 * 512) + 3 * 28L * 28 * (512 * 128 + 128 * 128 * 9 + 128 * 512);
		long stage3 = 28L * 28 * 512 * 256 + 14L * 14 * (256 * 256 * 9 + 256 * 1024 + 512 * 1024) + 5 * 14L * 14 * (1024 * 256 + 256 * 256 * 9 + 256 * 1024);
		assertEquals(stem + stage1, shipped.multiplyAdds(224, 224, List.of("stage1")));
		assertEquals(stem + stage1 + stage2, shipped.multiplyAdds(224, 224, List.of("stage2_relu")));
		assertEquals(stem + stage1 + stage2 + stage3, shipped.multiplyAdds(224, 224, List.of("stage2_relu", "stage3_relu")));
		assertEquals(3.30e9, shipped.multiplyAdds(224, 224, List.of("stage3")), 0.05e9);
	}

	@Test
	void rejectsBadInputAndUnknownTaps() {
		try (NDManager m = root.newSubManager()) {
			assertThrows(IllegalArgumentException.class, () -> shipped.forward(m.zeros(new Shape(1, 1, 32, 32)), List.of("stage2")));
			NDArray x = m.zeros(new Shape(1, 3, 32, 32));
			assertThrows(IllegalArgumentException.class, () -> shipped.forward(x, List.of("stage4")));
			assertThrows(IllegalArgumentException.class, () -> shipped.forward(x, List.of()));
		}
	}

	@Test
	void weightFilesOfAnotherShapeDtypeOrArchitectureAreRefusedInOneLine() throws IOException {
		byte[] other = Safetensors.toBytes(Map.of(), Map.of("architecture", "ResNet18"));
		IOException e = assertThrows(IOException.class, () -> ResNet50V2.load(other, "other.safetensors", root));
		assertTrue(e.getMessage().startsWith("other.safetensors: weights are for architecture 'ResNet18'"), e.getMessage());

		Safetensors.Contents good;
		try (var in = ResNet50V2.class.getResourceAsStream(ResNet50V2.RESOURCE_NAME)) {
			byte[] b = in.readAllBytes();
			good = Safetensors.read(new java.io.ByteArrayInputStream(b), b.length);
		}
		String conv = "resnetv24_stage2_conv4_weight";
		Map<String, Safetensors.Tensor> t = new java.util.LinkedHashMap<>(good.tensors());
		t.put(conv, Safetensors.Tensor.of(new float[128 * 512], 512, 128, 1, 1));
		e = assertThrows(IOException.class, () -> ResNet50V2.load(new Safetensors.Contents(t, good.metadata()), "x", "bad.safetensors", root));
		assertEquals("bad.safetensors: tensor '" + conv + "' is F32 [512, 128, 1, 1], expected F32 or F16 [128, 512, 1, 1]", e.getMessage());

		t.put(conv, new Safetensors.Tensor(Safetensors.DType.I32, new long[] {128, 512, 1, 1}, new byte[4 * 512 * 128]));
		e = assertThrows(IOException.class, () -> ResNet50V2.load(new Safetensors.Contents(t, good.metadata()), "x", "bad.safetensors", root));
		assertTrue(e.getMessage().contains("is I32"), e.getMessage());

		t.remove(conv);
		e = assertThrows(IOException.class, () -> ResNet50V2.load(new Safetensors.Contents(t, good.metadata()), "x", "bad.safetensors", root));
		assertTrue(e.getMessage().startsWith("bad.safetensors: missing tensor '" + conv + "'"), e.getMessage());
		assertFalse(e.getMessage().contains("\n"));
	}

	@Test
	void withoutTheWeightsJarTheMessageSaysWhichJarToAdd() {
		IOException e = assertThrows(IOException.class, () -> ResNet50V2.load((java.io.InputStream) null, root));
		assertTrue(e.getMessage().contains("anomalyj-backbone-resnet50v2-<version>.jar"), e.getMessage());
		assertFalse(e.getMessage().contains("\n"));
		assertDoesNotThrow(() -> BackboneCatalog.get("resnet50v2").checkInstalled(), "the tests see the weights jar's resource");
	}

	private static NDArray randomInput(NDManager m, int n, int h, int w) {
		Random r = new Random(42);
		float[] v = new float[n * 3 * h * w];
		for (int i = 0; i < v.length; i++) v[i] = (float) r.nextGaussian();
		return m.create(v, new Shape(n, 3, h, w));
	}
}
