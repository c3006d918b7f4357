package org.anomalyj.method.patchcore;

import org.anomalyj.task.Progress;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/** Coreset selection of features wider than {@link PatchCoreFitter#SELECTION_DIM}: on a random projection, with exact bank entries. */
class WideFeatureSelectionTest {

	/** Johnson–Lindenstrauss: squared distances survive the projection to 128 dimensions within a few tens of percent. */
	@Test
	void projectionPreservesSquaredDistancesOnAverageAndIsDeterministic() {
		int d = 1536, n = 200;
		float[] x = new float[n * d];
		SplittableRandom r = new SplittableRandom(3);
		for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
		SparseRandomProjection p = new SparseRandomProjection(d, 128, 7);
		float[] y = p.apply(x, n);
		assertArrayEquals(y, new SparseRandomProjection(d, 128, 7).apply(x, n), "same seed, same projection");
		assertFalse(Arrays.equals(y, new SparseRandomProjection(d, 128, 8).apply(x, n)));
		double sumRatio = 0, worst = 0;
		int pairs = 0;
		for (int i = 0; i < n; i += 2) {
			double ratio = SquaredDistance.between(y, i * 128, y, (i + 1) * 128, 128) / (double) SquaredDistance.between(x, i * d, x, (i + 1) * d, d);
			sumRatio += ratio;
			worst = Math.max(worst, Math.abs(ratio - 1));
			pairs++;
		}
		// 128 dimensions: the ratio's standard deviation is about sqrt(2 / 128) = 0.125.
		assertEquals(1, sumRatio / pairs, 0.05);
		assertTrue(worst < 0.6, "worst ratio deviation " + worst);
	}

	@Test
	void wideFeaturesAreSelectedOnTheProjectionAndBankedExactly() {
		try (NDManager m = NDManager.newBaseManager()) {
			int d = 300, n = 1200;
			float[] x = CoresetSamplerTest.blobs(n, d, 6, 1);
			PatchCore.Settings settings = new PatchCore.Settings(0.1, 5, false, 9, 0);
			PatchCoreFitter f = new PatchCoreFitter(m, d, settings, Progress.NONE, 5000);
			f.addRows(x, n);
			float[] bank;
			try (PatchCore p = f.finish()) {
				bank = p.tensors().get(PatchCore.BANK).toFloats();
			}
			// The same greedy selection, run by hand on the projection.
			float[] projected = new SparseRandomProjection(d, PatchCoreFitter.SELECTION_DIM, settings.seed()).apply(x, n);
			int[] picked = new CoresetSampler(m, Progress.NONE).select(projected, n, PatchCoreFitter.SELECTION_DIM, 120, settings.seed());
			float[] expected = new float[picked.length * d];
			for (int i = 0; i < picked.length; i++) System.arraycopy(x, picked[i] * d, expected, i * d, d);
			assertArrayEquals(expected, bank, "exact input rows, in selection order");
		}
	}

	@Test
	void chunksAreBoundedByValuesForWideFeaturesOnly() {
		assertEquals(PatchCore.CHUNK_PATCHES, PatchCoreFitter.chunkRows(PatchCore.CHUNK_PATCHES, 128), "MobileNetV2's 128-d chunks are unchanged");
		assertEquals(87_381, PatchCoreFitter.chunkRows(PatchCore.CHUNK_PATCHES, 1536));
		assertEquals(10, PatchCoreFitter.chunkRows(10, 1536));
	}
}
