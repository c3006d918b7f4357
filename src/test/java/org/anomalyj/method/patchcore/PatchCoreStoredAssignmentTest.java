package org.anomalyj.method.patchcore;

import org.anomalyj.data.CategoryFolder;
import org.anomalyj.image.ImageFileReader;
import org.anomalyj.inspect.Inspection;
import org.anomalyj.inspect.Inspector;
import org.anomalyj.io.ModelFormatException;
import org.anomalyj.io.Safetensors;
import org.anomalyj.model.AnomalyModel;
import org.anomalyj.model.DeviceChoice;
import org.anomalyj.task.Progress;
import org.anomalyj.testing.ModelZips;
import org.anomalyj.testing.SmallModel;
import org.anomalyj.training.ModelTrainer;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The bank's assignment to the search's clusters travels with the centres, so that loading does
 * not assign the bank again; a file without it (written before) assigns on load and scores the same,
 * bit for bit, and a damaged one is refused naming the tensor.
 */
class PatchCoreStoredAssignmentTest {

	@TempDir
	static Path tmp;

	/** A model whose bank is large enough to be clustered (every patch of seven 256 px images), with the default bounded search. */
	static Path model;

	@BeforeAll
	static void trainAClusteredModel() throws IOException {
		ModelTrainer.Settings s = SmallModel.settings().withInputSize(256).withMethod("patchcore", Map.of("coreset", "1"));
		model = tmp.resolve("model.zip");
		try (AnomalyModel m = ModelTrainer.train(SmallModel.sampleTrainImages(SmallModel.IMAGES), s, Progress.NONE)) {
			m.save(model);
		}
	}

	@Test
	void aSavedModelScoresBitForBitAsTheSameFileWithoutTheAssignment() throws IOException {
		Map<String, Safetensors.Tensor> stored = ModelZips.tensors(ModelZips.entries(model));
		Safetensors.Tensor assignment = stored.get(PatchCore.ASSIGNMENT), bank = stored.get(PatchCore.BANK);
		assertNotNull(assignment, "a clustered bank's assignment is written");
		assertNotNull(stored.get(PatchCore.CENTRES));
		long size = bank.shape()[0];
		assertTrue(size >= ClusteredNearestNeighbourSearch.MIN_CLUSTERED_SIZE, "bank of " + size + " entries: clustered");
		assertArrayEquals(new long[] {size}, assignment.shape());
		assertEquals(Safetensors.DType.I32, assignment.dtype());

		Map<String, Safetensors.Tensor> old = new HashMap<>(stored);
		old.remove(PatchCore.ASSIGNMENT);
		Path oldFile = ModelZips.replaceTensors(model, tmp.resolve("without-assignment.zip"), old);
		List<Path> images = new ArrayList<>();
		CategoryFolder category = CategoryFolder.open(SmallModel.SAMPLE);
		images.add(category.testSamples("good").get(0).image());
		images.add(category.testSamples("pitting").get(0).image());
		images.add(category.testSamples("pitting").get(1).image());
		images.add(SmallModel.sampleTrainImages(1).get(0));
		try (AnomalyModel withIt = AnomalyModel.load(model, DeviceChoice.CPU); AnomalyModel without = AnomalyModel.load(oldFile, DeviceChoice.CPU)) {
			assertEquals(8, ((PatchCore) withIt.method()).settings().probes(), "the default bounded search, whose visits depend on the clusters");
			// Loading keeps the stored assignment; the old file assigns its bank again, to the same clusters.
			assertArrayEquals(assignment.data(), withIt.method().tensors().get(PatchCore.ASSIGNMENT).data());
			assertArrayEquals(assignment.data(), without.method().tensors().get(PatchCore.ASSIGNMENT).data());
			Inspector a = new Inspector(withIt), b = new Inspector(without);
			for (Path image : images) {
				var plane = ImageFileReader.read(image).singlePlane();
				Inspection x = a.inspect(plane), y = b.inspect(plane);
				assertEquals(Float.floatToRawIntBits(y.score()), Float.floatToRawIntBits(x.score()), image + ": score " + x.score() + " vs " + y.score());
				float[] mx = x.map(), my = y.map();
				assertEquals(my.length, mx.length);
				for (int i = 0; i < mx.length; i++)
					if (Float.floatToRawIntBits(mx[i]) != Float.floatToRawIntBits(my[i])) fail(image + ": map value " + i + " is " + mx[i] + ", " + my[i] + " without the assignment");
			}
		}
	}

	@Test
	void aDamagedAssignmentIsRefusedNamingTheTensor() throws IOException {
		Map<String, Safetensors.Tensor> stored = ModelZips.tensors(ModelZips.entries(model));
		int[] v = ints(stored.get(PatchCore.ASSIGNMENT));
		int k = ClusteredNearestNeighbourSearch.clusters(v.length);
		assertRefused(stored, t -> t.put(PatchCore.ASSIGNMENT, Safetensors.Tensor.of(withValue(v, 7, k), v.length)), "tensor '" + PatchCore.ASSIGNMENT + "' holds " + k + ", outside 0.." + (k - 1));
		assertRefused(stored, t -> t.put(PatchCore.ASSIGNMENT, Safetensors.Tensor.of(withValue(v, 0, -1), v.length)), "tensor '" + PatchCore.ASSIGNMENT + "' holds -1, outside");
		assertRefused(stored, t -> t.put(PatchCore.ASSIGNMENT, Safetensors.Tensor.of(java.util.Arrays.copyOf(v, v.length - 1), v.length - 1)),
			"tensor '" + PatchCore.ASSIGNMENT + "' has shape [" + (v.length - 1) + "], the model needs [" + v.length + "]");
		assertRefused(stored, t -> t.put(PatchCore.ASSIGNMENT, Safetensors.Tensor.of(v, v.length, 1)), "tensor '" + PatchCore.ASSIGNMENT + "' has shape");
		float[] f = new float[v.length];
		assertRefused(stored, t -> t.put(PatchCore.ASSIGNMENT, Safetensors.Tensor.of(f, v.length)), "tensor '" + PatchCore.ASSIGNMENT + "' must be I32, was F32");
		assertRefused(stored, t -> t.remove(PatchCore.CENTRES), "tensor '" + PatchCore.ASSIGNMENT + "' is present without the centres");
	}

	private static int[] withValue(int[] v, int at, int value) {
		int[] out = v.clone();
		out[at] = value;
		return out;
	}

	private static void assertRefused(Map<String, Safetensors.Tensor> stored, Consumer<Map<String, Safetensors.Tensor>> damage, String says) throws IOException {
		Map<String, Safetensors.Tensor> t = new HashMap<>(stored);
		damage.accept(t);
		Path f = ModelZips.replaceTensors(model, java.nio.file.Files.createTempFile(tmp, "damaged", ".zip"), t);
		ModelFormatException e = assertThrows(ModelFormatException.class, () -> AnomalyModel.load(f, DeviceChoice.CPU).close());
		assertTrue(e.getMessage().contains(says), e::getMessage);
		assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
	}

	private static int[] ints(Safetensors.Tensor t) {
		int[] v = new int[(int) t.elementCount()];
		ByteBuffer.wrap(t.data()).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(v);
		return v;
	}
}
