package org.anomalyj.backbone.resnet50v2;

import org.anomalyj.io.Safetensors;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The shipped weight resource against the ONNX model zoo's .npy originals (in ../shared; skipped without them). */
class ResNet50V2WeightConverterTest {

	@Test
	void theShippedResourceIsTheConverterOutputOfTheOriginals() throws IOException {
		assumeTrue(Files.isDirectory(ResNet50V2Test.WEIGHTS), "ResNet50-v2 resource check skipped: no " + ResNet50V2Test.WEIGHTS + " (in the developers' ../shared)");
		byte[] shipped;
		try (InputStream in = ResNet50V2.class.getResourceAsStream(ResNet50V2.RESOURCE_NAME)) {
			shipped = in.readAllBytes();
		}
		byte[] regenerated = Safetensors.toBytes(ResNet50V2WeightConverter.convert(ResNet50V2Test.WEIGHTS, true),
			ResNet50V2WeightConverter.metadata(ResNet50V2Test.WEIGHTS, true));
		assertArrayEquals(regenerated, shipped, "regenerate with ResNet50V2WeightConverter (see the README beside the resource)");

		// And independently of the converter: every tensor is its .npy original, float16-rounded for convolutions.
		Safetensors.Contents c = Safetensors.read(new ByteArrayInputStream(shipped), shipped.length);
		assertEquals(ResNet50V2.params().size(), c.tensors().size());
		for (ResNet50V2.Param p : ResNet50V2.params()) {
			NpyFile npy = NpyFile.read(ResNet50V2Test.WEIGHTS.resolve(p.name() + ".npy"));
			Safetensors.Tensor t = c.require(p.name());
			assertArrayEquals(npy.shape(), t.shape(), p.name());
			float[] got = t.toFloats(), want = npy.values();
			boolean conv = p.name().endsWith("_weight");
			assertEquals(conv ? Safetensors.DType.F16 : Safetensors.DType.F32, t.dtype(), p.name());
			for (int i = 0; i < want.length; i++) {
				// Half precision keeps 11 significant bits: relative error at most 2^-11 for normal values, 2^-25 absolute below.
				float tolerance = conv ? Math.max(Math.abs(want[i]) * 0x1p-11f, 0x1p-25f) : 0;
				if (!(Math.abs(got[i] - want[i]) <= tolerance)) fail(p.name() + "[" + i + "]: " + got[i] + ", original " + want[i]);
			}
		}
	}

	/** Hand-checked binary16 encodings, ties to even, overflow and underflow. */
	@Test
	void floatToHalfRoundsToNearestEven() {
		Map<Float, Integer> cases = Map.of(1f, 0x3c00, -2f, 0xc000, 65504f, 0x7bff, 1e6f, 0x7c00, 0.1f, 0x2e66, 0x1p-24f, 0x0001, 0x1p-26f, 0x0000,
			1 + 0x1p-11f, 0x3c00, 1 + 3 * 0x1p-11f, 0x3c02, 6.0975552e-5f, 0x03ff);
		cases.forEach((v, h) -> assertEquals(h.intValue(), ResNet50V2WeightConverter.floatToHalf(v) & 0xffff, "half of " + v));
	}
}
