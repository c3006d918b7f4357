package org.anomalyj.method.patchcore;

import org.anomalyj.task.Progress;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

/** PatchCore's memory bank built chunk by chunk, with small chunks so that several fit in a test. */
class PatchCoreFitterTest {

	private static final int DIM = 8;

	private static PatchCore fit(NDManager m, float[] x, int n, double ratio, int chunkRows, int... batches) {
		return fitSliced(m, x, n, ratio, chunkRows, PatchCoreFitter.BANK_SLICE, batches);
	}

	private static PatchCore fitSliced(NDManager m, float[] x, int n, double ratio, int chunkRows, int bankSlice, int... batches) {
		PatchCoreFitter f = new PatchCoreFitter(m, DIM, new PatchCore.Settings(ratio, 5, false, 9, 0), Progress.NONE, chunkRows, bankSlice);
		int at = 0;
		for (int b : batches) {
			f.addRows(Arrays.copyOfRange(x, at * DIM, (at + b) * DIM), b);
			at += b;
		}
		f.addRows(Arrays.copyOfRange(x, at * DIM, n * DIM), n - at);
		return f.finish();
	}

	private static float[] bank(PatchCore p) {
		return p.tensors().get(PatchCore.BANK).toFloats();
	}

	private static float[] concat(float[] a, float[] b) {
		float[] out = Arrays.copyOf(a, a.length + b.length);
		System.arraycopy(b, 0, out, a.length, b.length);
		return out;
	}

	@Test
	void oneChunkIsThePlainGreedyCoresetWhateverTheBatches() {
		try (NDManager m = NDManager.newBaseManager()) {
			int n = 1500;
			float[] x = CoresetSamplerTest.blobs(n, DIM, 6, 1);
			int[] picked = new CoresetSampler(m, Progress.NONE).select(x, n, DIM, 150, 5);
			float[] expected = new float[picked.length * DIM];
			for (int i = 0; i < picked.length; i++) System.arraycopy(x, picked[i] * DIM, expected, i * DIM, DIM);
			try (PatchCore whole = fit(m, x, n, 0.1, 2000); PatchCore batched = fit(m, x, n, 0.1, 2000, 7, 300, 1, 64)) {
				assertArrayEquals(expected, bank(whole));
				assertArrayEquals(expected, bank(batched));
			}
		}
	}

	/**
	 * Each patch's feature spells out its own image, grid row and column (plus noise, so the
	 * selection has something to choose between): whatever entries the chunked selection keeps,
	 * each one's stored source must be what its feature says, across chunk and batch boundaries
	 * that do not line up with images.
	 */
	@Test
	void everyEntryKnowsTheImageAndGridPositionItCameFrom() {
		org.anomalyj.features.FeatureGrid grid = new org.anomalyj.features.FeatureGrid(DIM, 4, 5);
		int images = 12, positions = grid.positions();
		java.util.Random r = new java.util.Random(3);
		float[] x = new float[images * positions * DIM];
		for (int i = 0; i < images; i++)
			for (int p = 0; p < positions; p++) {
				int at = (i * positions + p) * DIM;
				x[at] = i;
				x[at + 1] = p / grid.width();
				x[at + 2] = p % grid.width();
				for (int d = 3; d < DIM; d++) x[at + d] = (float) r.nextGaussian();
			}
		try (NDManager m = NDManager.newBaseManager()) {
			PatchCoreFitter f = new PatchCoreFitter(m, DIM, new PatchCore.Settings(0.3, 5, false, 9, 0), Progress.NONE, 50, 16);
			for (int from = 0; from < images; from += 5) {
				int to = Math.min(images, from + 5);
				f.add(new org.anomalyj.features.FeatureRows(Arrays.copyOfRange(x, from * positions * DIM, to * positions * DIM), to - from, grid));
			}
			try (PatchCore p = f.finish()) {
				float[] bank = bank(p);
				float[] sources = p.tensors().get(PatchCore.SOURCES).toFloats();
				assertEquals(bank.length / DIM * 3, sources.length);
				assertTrue(bank.length / DIM > positions, "several chunks contributed");
				for (int e = 0; e < bank.length / DIM; e++)
					for (int k = 0; k < 3; k++) assertEquals(bank[e * DIM + k], sources[e * 3 + k], "entry " + e + " source value " + k);
				assertEquals(images, p.exemplars().sourceImages());
			}
		}
		// Rows given without their grid: the bank cannot know its sources.
		try (NDManager m = NDManager.newBaseManager(); PatchCore p = fit(m, x, images * positions, 0.3, 50)) {
			assertNull(p.tensors().get(PatchCore.SOURCES));
			assertFalse(p.exemplars().knowsSources());
		}
	}

	@Test
	void dataTheBankAlreadyCoversAddsAlmostNoCentres() {
		try (NDManager m = NDManager.newBaseManager()) {
			int n = 1000;
			float[] first = CoresetSamplerTest.blobs(n, DIM, 4, 2);
			CoresetSampler.Selection s = new CoresetSampler(m, Progress.NONE).selection(first, n, DIM, 100, 5);
			float[] bank = new float[100 * DIM];
			for (int i = 0; i < 100; i++) System.arraycopy(first, s.indices()[i] * DIM, bank, i * DIM, DIM);
			// The second chunk repeats the first. Its patches are within the radius of a centre, or
			// of the random start the first selection began from (not itself a centre): only around
			// that start may the bank grow, as the naive loop from the bank's distances says.
			int[] dims = CoresetSampler.dimensionOrder(first, n, DIM);
			int[] expected = CoresetSamplerTest.naiveFrom(CoresetSampler.permuteColumns(first, n, DIM, dims), n, DIM, 100,
				CoresetSamplerTest.toBank(first, n, bank, 100, DIM), s.radius());
			assertTrue(expected.length <= 5, "naive loop adds " + expected.length);
			try (PatchCore p = fit(m, concat(first, first), 2 * n, 0.1, n, 333, 900)) {
				assertEquals(100 + expected.length, p.bankSize());
				for (float d : CoresetSamplerTest.toBank(first, n, bank(p), p.bankSize(), DIM)) assertTrue(d <= s.radius() * (1 + 1e-4f));
			}
		}
	}

	@Test
	void novelDataGrowsTheBankUntilItIsCoveredAsWellAsTheFirstChunk() {
		try (NDManager m = NDManager.newBaseManager()) {
			int chunk = 1000;
			float[] first = CoresetSamplerTest.blobs(chunk, DIM, 4, 3);
			float[] second = CoresetSamplerTest.blobs(chunk, DIM, 4, 4); // other blobs: new data
			float[] x = concat(first, second);
			CoresetSampler.Selection s = new CoresetSampler(m, Progress.NONE).selection(first, chunk, DIM, 100, 5);
			float radius = s.radius();
			try (PatchCore p = fit(m, x, 2 * chunk, 0.1, chunk)) {
				int added = p.bankSize() - 100;
				assertTrue(added > 0 && added <= 100, "added " + added);
				float[] b = bank(p);
				// The first chunk's centres come first, unchanged.
				for (int i = 0; i < 100; i++) assertArrayEquals(Arrays.copyOfRange(first, s.indices()[i] * DIM, (s.indices()[i] + 1) * DIM),
					Arrays.copyOfRange(b, i * DIM, (i + 1) * DIM));
				float[] toBank = CoresetSamplerTest.toBank(second, chunk, b, p.bankSize(), DIM);
				float worst = 0;
				for (float d : toBank) worst = Math.max(worst, d);
				if (added < 100) assertTrue(worst <= radius * (1 + 1e-4f), worst + " > " + radius);
			}
			// With a generous ratio the cap never binds: the second chunk stops at the radius.
			try (PatchCore p = fit(m, x, 2 * chunk, 0.5, chunk)) {
				assertTrue(p.bankSize() - 500 < 500, "the radius stopped the second chunk");
				float r2 = new CoresetSampler(m, Progress.NONE).selection(first, chunk, DIM, 500, 5).radius();
				float[] toBank = CoresetSamplerTest.toBank(second, chunk, bank(p), p.bankSize(), DIM);
				for (float d : toBank) assertTrue(d <= r2 * (1 + 1e-4f), d + " > " + r2);
			}
		}
	}

	@Test
	void laterChunksContinueTheGreedyLoopFromTheirExactDistancesToTheBank() {
		try (NDManager m = NDManager.newBaseManager()) {
			// A first chunk, a noisy repeat of it (mostly covered by its own bank clusters) and new data.
			float[] first = CoresetSamplerTest.blobs(800, DIM, 4, 21), repeat = first.clone(), novel = CoresetSamplerTest.blobs(800, DIM, 5, 22);
			java.util.Random r = new java.util.Random(3);
			for (int i = 0; i < repeat.length; i++) repeat[i] += (float) (r.nextGaussian() * 0.3);
			float[][] chunks = {first, repeat, novel};
			// The textbook continuation: exact squared distances to the bank so far, the first chunk's radius as the stop.
			CoresetSampler sampler = new CoresetSampler(m, Progress.NONE);
			CoresetSampler.Selection s = sampler.selection(first, 800, DIM, 80, 5);
			float[] expected = rows(first, s.indices());
			for (int c = 1; c < 3; c++) {
				float[] toBank = CoresetSamplerTest.toBank(chunks[c], 800, expected, expected.length / DIM, DIM);
				expected = concat(expected, rows(chunks[c], sampler.continueFrom(chunks[c], 800, DIM, 80, 5 + c, toBank, s.radius()).indices()));
			}
			try (PatchCore p = fit(m, concat(concat(first, repeat), novel), 2400, 0.1, 800)) {
				assertTrue(expected.length / DIM > 100, "later chunks added centres");
				assertArrayEquals(expected, bank(p));
			}
		}
	}

	private static float[] rows(float[] x, int[] index) {
		float[] out = new float[index.length * DIM];
		for (int i = 0; i < index.length; i++) System.arraycopy(x, index[i] * DIM, out, i * DIM, DIM);
		return out;
	}

	@Test
	void searchingTheBankInSlicesSelectsTheSameCentres() {
		try (NDManager m = NDManager.newBaseManager()) {
			// Three chunks, the middle one a repeat (mostly covered), the last one new data.
			float[] x = concat(concat(CoresetSamplerTest.blobs(800, DIM, 4, 11), CoresetSamplerTest.blobs(800, DIM, 4, 11)),
				CoresetSamplerTest.blobs(800, DIM, 5, 12));
			try (PatchCore whole = fit(m, x, 2400, 0.1, 800); PatchCore sliced = fitSliced(m, x, 2400, 0.1, 800, 7)) {
				assertTrue(whole.bankSize() > 80);
				assertArrayEquals(bank(whole), bank(sliced));
			}
		}
	}

	@Test
	void isDeterministicAndRefusesAnEmptyFit() {
		try (NDManager m = NDManager.newBaseManager()) {
			float[] x = CoresetSamplerTest.uniform(2500, DIM, 7);
			try (PatchCore a = fit(m, x, 2500, 0.1, 1000); PatchCore b = fit(m, x, 2500, 0.1, 1000, 999, 2, 17)) {
				assertArrayEquals(bank(a), bank(b));
			}
			PatchCoreFitter f = new PatchCoreFitter(m, DIM, PatchCore.Settings.DEFAULT, Progress.NONE, 100);
			assertThrows(IllegalStateException.class, f::finish);
		}
	}
}
