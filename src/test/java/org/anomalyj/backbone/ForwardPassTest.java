package org.anomalyj.backbone;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.anomalyj.model.NativeEngine;
import org.junit.jupiter.api.Test;

/** A pass frees its intermediates as it goes, but never the caller's input nor a tap it returns. */
class ForwardPassTest {

	@Test
	void freeClosesIntermediatesButNeitherTheInputNorTaps() {
		NativeEngine.get();
		List<NDArray> intermediates = new ArrayList<>();
		try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
			NDArray input = m.ones(new Shape(1, 3, 2, 2));
			Map<String, NDArray> taps = ForwardPass.scoped(input, (x, out) -> {
				NDArray a = x.add(1);
				NDArray b = a.mul(2);
				out.put("b", b);
				NDArray c = b.add(a);
				ForwardPass.free(x, x, out);
				ForwardPass.free(b, x, out);
				ForwardPass.free(a, x, out);
				out.put("c", c);
				intermediates.add(a);
			});
			assertTrue(intermediates.get(0).isReleased(), "the intermediate was freed");
			assertFalse(input.isReleased(), "the input stays the caller's");
			float[] four = new float[12], six = new float[12];
			java.util.Arrays.fill(four, 4);
			java.util.Arrays.fill(six, 6);
			assertArrayEquals(four, taps.get("b").toFloatArray(), "a tap freed as an operand is still there");
			assertArrayEquals(six, taps.get("c").toFloatArray());
		}
	}

	@Test
	void aShippedChecksumIsUsedAndAMalformedOneRefused() throws java.io.IOException {
		byte[] bytes = {1, 2, 3};
		// No checksum file beside this name: computed from the bytes (sha256sum of 01 02 03).
		org.junit.jupiter.api.Assertions.assertEquals("039058c6f2c0cb492c533b0a4d14ef77cc0f78abccced5287d84a1a2011cfb81",
			ForwardPass.sha256(ForwardPassTest.class, "no-such-weights.safetensors", bytes));
		// weights-with-bad-checksum.safetensors.sha256 (a test resource) holds no checksum.
		java.io.IOException e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
			() -> ForwardPass.sha256(ForwardPassTest.class, "weights-with-bad-checksum.safetensors", bytes));
		org.junit.jupiter.api.Assertions.assertEquals("weights-with-bad-checksum.safetensors.sha256: not a SHA-256 checksum", e.getMessage());
	}
}
