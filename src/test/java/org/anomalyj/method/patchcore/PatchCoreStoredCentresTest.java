package org.anomalyj.method.patchcore;

import org.anomalyj.features.FeatureGrid;
import org.anomalyj.io.JsonFields;
import org.anomalyj.io.Safetensors;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** The search's k-means centres travel with the bank, so that loading does not cluster again. */
class PatchCoreStoredCentresTest {

	private static final int DIM = 8, SIZE = 5000;
	private static final FeatureGrid GRID = new FeatureGrid(DIM, 4, 4);

	private static float[] values(Random r, int n) {
		float[] x = new float[n * DIM];
		for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
		return x;
	}

	private static final int IMAGES = 20;

	/** Patch scores of queries given as rows: row i is image i / positions, grid position i % positions. */
	private static float[] scores(NDManager m, PatchCore p, float[] rows) {
		int positions = GRID.positions();
		float[] chw = new float[rows.length];
		for (int i = 0; i < IMAGES * positions; i++)
			for (int c = 0; c < DIM; c++) chw[((i / positions) * DIM + c) * positions + i % positions] = rows[i * DIM + c];
		return p.patchScores(m.create(chw, new Shape(IMAGES, DIM, GRID.height(), GRID.width()))).toFloatArray();
	}

	private static PatchCore restore(NDManager m, PatchCore p, Map<String, Safetensors.Tensor> tensors) throws IOException {
		return PatchCore.restore(m, JsonFields.of(p.parameters(), "test"), tensors, GRID);
	}

	@Test
	void restoredModelKeepsItsCentresAndScoresAsAnOldFileWithoutThem() throws IOException {
		Random r = new Random(3);
		float[] bank = values(r, SIZE), q = values(r, IMAGES * GRID.positions());
		try (NDManager m = NDManager.newBaseManager();
			PatchCore trained = new PatchCore(m, new PatchCore.Settings(0.1, 7, false, 9, 0), bank, SIZE, DIM, null)) {
			Map<String, Safetensors.Tensor> tensors = trained.tensors();
			Safetensors.Tensor stored = tensors.get(PatchCore.CENTRES);
			assertNotNull(stored, "a bank this large is clustered, and its centres are written");
			assertArrayEquals(new long[] {ClusteredNearestNeighbourSearch.clusters(SIZE), DIM}, stored.shape());

			Map<String, Safetensors.Tensor> old = new HashMap<>(tensors);
			old.remove(PatchCore.CENTRES);
			old.remove(PatchCore.ASSIGNMENT); // written after the centres: a file without centres has no assignment either
			// Centres of another clustering (another seed), to tell using the stored ones from clustering again.
			float[] other;
			try (ClusteredNearestNeighbourSearch s = new ClusteredNearestNeighbourSearch(m, bank, SIZE, DIM, 99)) {
				other = s.centres();
			}
			assertFalse(java.util.Arrays.equals(other, stored.toFloats()));
			Map<String, Safetensors.Tensor> otherCentres = new HashMap<>(tensors);
			otherCentres.put(PatchCore.CENTRES, Safetensors.Tensor.of(other, stored.shape()));
			otherCentres.remove(PatchCore.ASSIGNMENT); // it belongs to the centres replaced
			try (PatchCore loaded = restore(m, trained, otherCentres); PatchCore oldFile = restore(m, trained, old)) {
				// Stored centres are used as they are; an old file clusters again, with the same seed, to the same centres.
				assertArrayEquals(other, loaded.tensors().get(PatchCore.CENTRES).toFloats());
				assertArrayEquals(stored.toFloats(), oldFile.tensors().get(PatchCore.CENTRES).toFloats());
				float[] a = scores(m, trained, q);
				assertArrayEquals(a, scores(m, loaded, q));
				assertArrayEquals(a, scores(m, oldFile, q));
				for (int i = 0; i < a.length; i++) assertEquals(BruteForce.nearest(bank, SIZE, q, i, DIM), a[i], 1e-3, "query " + i);
			}
		}
	}

	@Test
	void centresOfTheWrongShapeOrValueAreNamed() throws IOException {
		Random r = new Random(4);
		float[] bank = values(r, SIZE);
		try (NDManager m = NDManager.newBaseManager();
			PatchCore trained = new PatchCore(m, new PatchCore.Settings(0.1, 7, false, 9, 0), bank, SIZE, DIM, null)) {
			int k = ClusteredNearestNeighbourSearch.clusters(SIZE);
			Map<String, Safetensors.Tensor> wrongShape = new HashMap<>(trained.tensors());
			wrongShape.put(PatchCore.CENTRES, Safetensors.Tensor.of(new float[(k - 1) * DIM], k - 1, DIM));
			IOException e = assertThrows(IOException.class, () -> restore(m, trained, wrongShape));
			assertTrue(e.getMessage().contains(PatchCore.CENTRES), e.getMessage());

			float[] huge = trained.tensors().get(PatchCore.CENTRES).toFloats();
			huge[5] = 1e30f;
			Map<String, Safetensors.Tensor> wrongValue = new HashMap<>(trained.tensors());
			wrongValue.put(PatchCore.CENTRES, Safetensors.Tensor.of(huge, k, DIM));
			e = assertThrows(IOException.class, () -> restore(m, trained, wrongValue));
			assertTrue(e.getMessage().contains(PatchCore.CENTRES), e.getMessage());
		}
	}

	@Test
	void smallBanksHaveNoCentres() {
		Random r = new Random(5);
		try (NDManager m = NDManager.newBaseManager(); PatchCore p = new PatchCore(m, new PatchCore.Settings(0.1, 7, false, 9, 0), values(r, 500), 500, DIM, null)) {
			assertNull(p.tensors().get(PatchCore.CENTRES));
		}
	}

	@Test
	void theBoundedSearchIsStoredAndFilesWithoutItStayExact() throws IOException {
		Random r = new Random(6);
		float[] bank = values(r, SIZE);
		try (NDManager m = NDManager.newBaseManager();
			PatchCore trained = new PatchCore(m, new PatchCore.Settings(0.1, 7, false, 9, 4), bank, SIZE, DIM, null)) {
			com.google.gson.JsonObject parameters = trained.parameters();
			try (PatchCore loaded = PatchCore.restore(m, JsonFields.of(parameters, "test"), trained.tensors(), GRID)) {
				assertEquals(4, loaded.settings().probes());
			}
			// Written before the bounded search: its thresholds were calibrated on exact distances.
			parameters.remove("probes");
			try (PatchCore old = PatchCore.restore(m, JsonFields.of(parameters, "test"), trained.tensors(), GRID)) {
				assertEquals(0, old.settings().probes());
			}
		}
	}
}
