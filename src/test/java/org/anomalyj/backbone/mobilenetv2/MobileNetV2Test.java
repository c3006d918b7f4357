package org.anomalyj.backbone.mobilenetv2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class MobileNetV2Test {

	/** SHA-256 of the committed weight resource, also recorded in the README beside it. */
	static final String RESOURCE_SHA256 = "b5a629365c11d57e821692214e6eaa3eba1332d03a414c6f8210ce941148e458";

	private static NDManager root;
	private static MobileNetV2 net;

	@BeforeAll
	static void load() throws IOException {
		root = NDManager.newBaseManager();
		net = MobileNetV2.loadEmbedded(root);
	}

	@AfterAll
	static void close() {
		net.close();
		root.close();
	}

	/** TF.js (nsfwjs' own runtime, float32 CPU backend) outputs for one fixed input, NHWC. */
	@Test
	void matchesTensorflowJsReference() throws IOException {
		try (NDManager m = root.newSubManager()) {
			NDArray nhwc = m.create(readFloats("nsfw_mnv2.input.f32"), new Shape(1, 224, 224, 3));
			Map<String, NDArray> out = net.forward(nhwc.transpose(0, 3, 1, 2), List.of("block_5_add", "block_10_project_BN"));
			assertMatches("block_5_add", out.get("block_5_add"), new Shape(1, 28, 28, 32));
			assertMatches("block_10_project_BN", out.get("block_10_project_BN"), new Shape(1, 14, 14, 96));
		}
	}

	private static void assertMatches(String tap, NDArray nchw, Shape nhwcShape) throws IOException {
		float[] expected = readFloats("nsfw_mnv2." + tap + ".f32");
		NDArray nhwc = nchw.transpose(0, 2, 3, 1);
		assertEquals(nhwcShape, nhwc.getShape(), tap);
		float[] actual = nhwc.toFloatArray();
		double maxDiff = 0, maxAbs = 0;
		for (int i = 0; i < expected.length; i++) {
			maxDiff = Math.max(maxDiff, Math.abs(actual[i] - expected[i]));
			maxAbs = Math.max(maxAbs, Math.abs(expected[i]));
		}
		System.out.printf("MobileNetV2 vs TF.js at %s: max abs diff %.3g (max |value| %.3g)%n", tap, maxDiff, maxAbs);
		assertTrue(maxDiff <= 1e-4, tap + ": max abs diff " + maxDiff);
	}

	@Test
	void checksumIsThatOfTheResourceBytes() throws Exception {
		byte[] bytes;
		try (InputStream in = MobileNetV2.class.getResourceAsStream(MobileNetV2.RESOURCE_NAME)) {
			bytes = in.readAllBytes();
		}
		String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
		assertEquals(sha, net.weightsSha256());
		assertEquals(RESOURCE_SHA256, net.weightsSha256(), "committed weight resource changed; update README and this test deliberately");
		assertEquals("mobilenet_v2-nsfwjs-4.4.0", net.id());
	}

	@Test
	void tapsHaveKerasStridesAndChannels() {
		assertEquals(8, net.stride("block_5_add"));
		assertEquals(32, net.channels("block_5_add"));
		assertEquals(16, net.stride("block_10_project_BN"));
		assertEquals(96, net.channels("block_10_project_BN"));
		assertEquals(4, net.stride("block_2_add"));
		assertEquals(24, net.channels("block_2_add"));
		for (String t : List.of("block_1_project_BN", "block_2_add", "block_4_add", "block_5_add", "block_8_add", "block_9_add",
				"block_10_project_BN"))
			assertTrue(net.taps().contains(t), t);
		assertFalse(net.taps().contains("block_10_add"), "block_10 changes width and has no shortcut");
		assertEquals("block_10_project_BN", net.taps().get(net.taps().size() - 1));
		assertThrows(IllegalArgumentException.class, () -> net.stride("block_11_add"));
	}

	@Test
	void size256GivesStride8And16MapsAndEveryTapHasItsDeclaredShape() {
		try (NDManager m = root.newSubManager()) {
			NDArray x = randomInput(m, 256, 256);
			Map<String, NDArray> all = net.forward(x, net.taps());
			assertEquals(net.taps(), List.copyOf(all.keySet()), "all taps, in network order");
			for (String t : net.taps())
				assertEquals(new Shape(1, net.channels(t), 256 / net.stride(t), 256 / net.stride(t)), all.get(t).getShape(), t);
			assertEquals(new Shape(1, 32, 32, 32), all.get("block_5_add").getShape());
			assertEquals(new Shape(1, 96, 16, 16), all.get("block_10_project_BN").getShape());

			// Warm up, then time the pass PatchCore makes (two taps, one image).
			List<String> taps = List.of("block_5_add", "block_10_project_BN");
			for (int i = 0; i < 3; i++) net.forward(x, taps).values().forEach(NDArray::close);
			int runs = 10;
			long t0 = System.nanoTime();
			for (int i = 0; i < runs; i++) net.forward(x, taps).values().forEach(NDArray::close);
			System.out.printf("MobileNetV2 forward 1x3x256x256 to block_10 on %s: %.1f ms/image (mean of %d after warm-up)%n",
					net.device(), (System.nanoTime() - t0) / 1e6 / runs, runs);
		}
	}

	@Test
	void stopsEarlyAndEarlyTapsDoNotDependOnWhatElseIsAsked() {
		try (NDManager m = root.newSubManager()) {
			NDArray x = randomInput(m, 64, 64);
			Map<String, NDArray> early = net.forward(x, List.of("block_2_add"));
			assertEquals(List.of("block_2_add"), List.copyOf(early.keySet()));
			Map<String, NDArray> both = net.forward(x, List.of("block_10_project_BN", "block_2_add"));
			assertEquals(List.of("block_2_add", "block_10_project_BN"), List.copyOf(both.keySet()));
			assertArrayEquals(early.get("block_2_add").toFloatArray(), both.get("block_2_add").toFloatArray());
		}
	}

	/** Keras correct_pad: (0, 1) along an even axis, (1, 1) along an odd one, so maps are ceil(size / stride). */
	@Test
	void oddAndNonSquareSizesFollowCorrectPad() {
		try (NDManager m = root.newSubManager()) {
			NDArray x = randomInput(m, 50, 34);
			Map<String, NDArray> out = net.forward(x, List.of("Conv1_relu", "block_5_add", "block_10_project_BN"));
			assertEquals(new Shape(1, 32, 25, 17), out.get("Conv1_relu").getShape());
			assertEquals(new Shape(1, 32, 7, 5), out.get("block_5_add").getShape());
			assertEquals(new Shape(1, 96, 4, 3), out.get("block_10_project_BN").getShape());
		}
	}

	@Test
	void padForStride2PadsBottomAndRightOnEvenAxesAndBothSidesOnOddOnes() {
		try (NDManager m = root.newSubManager()) {
			// 2 rows (even: pad bottom only) x 3 columns (odd: pad left and right).
			NDArray x = m.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(1, 1, 2, 3));
			NDArray p = MobileNetV2.padForStride2(x);
			assertEquals(new Shape(1, 1, 3, 5), p.getShape());
			assertArrayEquals(new float[] {
					0, 1, 2, 3, 0,
					0, 4, 5, 6, 0,
					0, 0, 0, 0, 0}, p.toFloatArray());
		}
		assertArrayEquals(new int[] {0, 1}, MobileNetV2Structure.correctPad(224));
		assertArrayEquals(new int[] {1, 1}, MobileNetV2Structure.correctPad(7));
	}

	/** Intermediates are freed: the caller's manager ends up holding only the input and what it asked for. */
	@Test
	void forwardLeavesOnlyTheRequestedMapsInTheCallersManager() {
		try (NDManager m = root.newSubManager()) {
			NDArray x = randomInput(m, 64, 64);
			for (int i = 0; i < 3; i++) {
				Map<String, NDArray> out = net.forward(x, List.of("block_5_add", "block_10_project_BN"));
				assertEquals(3, m.getManagedArrays().size());
				for (NDArray a : out.values()) assertSame(m, a.getManager());
				out.values().forEach(NDArray::close);
				assertEquals(1, m.getManagedArrays().size());
				assertSame(m, x.getManager(), "input returns to its manager");
			}
		}
	}

	@Test
	void rejectsBadInputAndUnknownTaps() {
		try (NDManager m = root.newSubManager()) {
			NDArray gray = m.zeros(new Shape(1, 1, 32, 32));
			assertThrows(IllegalArgumentException.class, () -> net.forward(gray, List.of("block_5_add")));
			NDArray hwc = m.zeros(new Shape(32, 32, 3));
			assertThrows(IllegalArgumentException.class, () -> net.forward(hwc, List.of("block_5_add")));
			NDArray x = m.zeros(new Shape(1, 3, 32, 32));
			assertThrows(IllegalArgumentException.class, () -> net.forward(x, List.of("block_16_project_BN")));
			assertThrows(IllegalArgumentException.class, () -> net.forward(x, List.of()));
		}
	}

	@Test
	void rejectsWeightsForAnotherArchitecture() {
		byte[] other = org.anomalyj.io.Safetensors.toBytes(Map.of(), Map.of("architecture", "ResNet18"));
		IOException e = assertThrows(IOException.class, () -> MobileNetV2.load(other, "other.safetensors", root));
		assertTrue(e.getMessage().startsWith("other.safetensors: "), e.getMessage());
	}

	private static NDArray randomInput(NDManager m, int h, int w) {
		Random r = new Random(42);
		float[] v = new float[3 * h * w];
		for (int i = 0; i < v.length; i++) v[i] = r.nextFloat();
		return m.create(v, new Shape(1, 3, h, w));
	}

	static float[] readFloats(String resource) throws IOException {
		try (InputStream in = MobileNetV2Test.class.getResourceAsStream(resource)) {
			if (in == null) throw new IOException("test resource " + resource + " is missing");
			byte[] b = in.readAllBytes();
			float[] f = new float[b.length / 4];
			ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
			return f;
		}
	}
}
