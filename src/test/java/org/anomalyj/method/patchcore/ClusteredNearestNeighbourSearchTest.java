package org.anomalyj.method.patchcore;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class ClusteredNearestNeighbourSearchTest {

	private static final int DIM = 16;

	/** Points around {@code blobs} random centres, spread {@code spread}. */
	private static float[] blobs(Random r, int n, float[] centres, float spread) {
		int k = centres.length / DIM;
		float[] x = new float[n * DIM];
		for (int i = 0; i < n; i++) {
			int c = r.nextInt(k);
			for (int j = 0; j < DIM; j++) x[i * DIM + j] = centres[c * DIM + j] + (float) r.nextGaussian() * spread;
		}
		return x;
	}

	/** A bank of {@code m} and {@code n} queries around the same {@code blobs} random centres (spread 3), each point spread {@code spread}. */
	private static float[][] bankAndQueries(Random r, int blobs, int m, int n, float spread) {
		float[] centres = gaussian(r, blobs, 3);
		return new float[][] {blobs(r, m, centres, spread), blobs(r, n, centres, spread)};
	}

	private static float[] gaussian(Random r, int n, float scale) {
		float[] x = new float[n * DIM];
		for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian() * scale;
		return x;
	}

	private static void assertNearest(float[] bank, int m, float[] q, int n, float[] got) {
		for (int i = 0; i < n; i++) {
			double want = BruteForce.nearest(bank, m, q, i, DIM);
			assertEquals(want, got[i], 2e-3 + 1e-4 * want, "query " + i);
		}
	}

	@Test
	void exactOnClusteredDataWhileSearchingLittleOfTheBank() {
		Random r = new Random(11);
		int m = 6000, n = 1500;
		float[][] data = bankAndQueries(r, 60, m, n, 0.3f);
		float[] bank = data[0], q = data[1];
		// Outliers far from every blob, and exact copies of bank rows (distance 0).
		for (int i = 0; i < 20; i++) for (int j = 0; j < DIM; j++) q[i * DIM + j] = (float) r.nextGaussian() * 12;
		System.arraycopy(bank, 123 * DIM, q, 30 * DIM, DIM);
		System.arraycopy(bank, (m - 1) * DIM, q, (n - 1) * DIM, DIM);
		try (NDManager mgr = NDManager.newBaseManager(); ClusteredNearestNeighbourSearch s = new ClusteredNearestNeighbourSearch(mgr, bank, m, DIM, 5)) {
			assertTrue(s.clusters() > 1);
			float[] got = s.distances(mgr.create(q, new Shape(n, DIM))).toFloatArray();
			assertNearest(bank, m, q, n, got);
			assertEquals(0f, got[30], 2e-2f);
			assertEquals(0f, got[n - 1], 2e-2f);
			// The point of the clusters: well-separated blobs rule out most of the bank.
			assertTrue(s.lastSearchedFraction() < 0.3, "searched " + s.lastSearchedFraction());
			// Same distances as the dense search, whatever the seed of the clustering.
			float[] dense = s.dense().distances(mgr.create(q, new Shape(n, DIM))).toFloatArray();
			try (ClusteredNearestNeighbourSearch other = new ClusteredNearestNeighbourSearch(mgr, bank, m, DIM, 99)) {
				float[] again = other.distances(mgr.create(q, new Shape(n, DIM))).toFloatArray();
				for (int i = 0; i < n; i++) {
					assertEquals(dense[i], got[i], 1e-4f * Math.max(1, dense[i]), "query " + i);
					assertEquals(got[i], again[i], 1e-4f * Math.max(1, got[i]), "query " + i);
				}
			}
		}
	}

	/**
	 * A stored assignment is used unchecked: the exact search must stay exact when entries are not
	 * in their nearest centre's cluster (a cluster's radius comes from the members it was given).
	 */
	@Test
	void exactWhateverClusterTheEntriesWereAssignedTo() {
		float[][] data = bankAndQueries(new Random(15), 60, 6000, 1500, 0.3f);
		float[] bank = data[0], q = data[1];
		int m = bank.length / DIM, n = q.length / DIM;
		try (NDManager mgr = NDManager.newBaseManager(); ClusteredNearestNeighbourSearch nearest = new ClusteredNearestNeighbourSearch(mgr, bank, m, DIM, 5)) {
			Random r = new Random(16);
			int k = nearest.clusters();
			int[] assignment = nearest.assignment();
			// All of cluster 0 moved to cluster 1 (0 left empty), and a few entries to a random other cluster.
			for (int i = 0; i < m; i++) if (assignment[i] == 0) assignment[i] = 1;
			int[] moved = {3, 400, 2500, 5999};
			for (int i : moved) assignment[i] = (assignment[i] + 1 + r.nextInt(k - 1)) % k;
			// Copies of moved entries among the queries: their nearest distance is 0, found only in their wrong cluster.
			for (int j = 0; j < moved.length; j++) System.arraycopy(bank, moved[j] * DIM, q, j * DIM, DIM);
			try (ClusteredNearestNeighbourSearch s = new ClusteredNearestNeighbourSearch(mgr, bank, m, DIM, 5, nearest.centres(), assignment, 0)) {
				assertArrayEquals(assignment, s.assignment());
				float[] got = s.distances(mgr.create(q, new Shape(n, DIM))).toFloatArray();
				assertTrue(s.lastSearchedFraction() < 0.5, "the bounds still rule out clusters: searched " + s.lastSearchedFraction());
				// The product form leaves a few thousandths at distance 0; the next entry is far beyond that.
				for (int j = 0; j < moved.length; j++) assertEquals(0f, got[j], 2e-2f, "a copy of moved entry " + moved[j]);
				for (int i = moved.length; i < n; i++) assertEquals(BruteForce.nearest(bank, m, q, i, DIM), got[i], 2e-3 + 1e-4 * got[i], "query " + i);
			}
			int[] bad = nearest.assignment();
			bad[17] = k;
			assertThrows(IllegalArgumentException.class, () -> new ClusteredNearestNeighbourSearch(mgr, bank, m, DIM, 5, nearest.centres(), bad, 0).close());
		}
	}

	@Test
	void fallsBackToDenseWhenBoundsRuleOutNothing() {
		// Isotropic noise in 16 dimensions: every cluster overlaps every query's reach.
		Random r = new Random(12);
		int m = 5000, n = 400;
		float[] bank = gaussian(r, m, 1), q = gaussian(r, n, 1);
		try (NDManager mgr = NDManager.newBaseManager(); ClusteredNearestNeighbourSearch s = new ClusteredNearestNeighbourSearch(mgr, bank, m, DIM, 0)) {
			float[] got = s.distances(mgr.create(q, new Shape(n, DIM))).toFloatArray();
			assertEquals(1.0, s.lastSearchedFraction());
			assertNearest(bank, m, q, n, got);
		}
	}

	@Test
	void smallBanksUseTheDenseSearch() {
		Random r = new Random(13);
		int m = ClusteredNearestNeighbourSearch.MIN_CLUSTERED_SIZE - 1, n = 50;
		float[] bank = gaussian(r, m, 2), q = gaussian(r, n, 2);
		try (NDManager mgr = NDManager.newBaseManager(); ClusteredNearestNeighbourSearch s = new ClusteredNearestNeighbourSearch(mgr, bank, m, DIM, 0)) {
			assertEquals(0, s.clusters());
			assertNearest(bank, m, q, n, s.distances(mgr.create(q, new Shape(n, DIM))).toFloatArray());
		}
	}
	@Test
	void boundedProbesCapTheWorkAndNeverUnderestimateADistance() {
		// Texture-like data: isotropic noise, where the bounds rule out nothing and the exact search falls back to dense.
		Random r = new Random(14);
		int m = 8000, n = 600, probes = 3;
		float[] bank = gaussian(r, m, 1), q = gaussian(r, n, 1);
		System.arraycopy(bank, 77 * DIM, q, 5 * DIM, DIM);
		try (NDManager mgr = NDManager.newBaseManager();
			ClusteredNearestNeighbourSearch bounded = new ClusteredNearestNeighbourSearch(mgr, bank, m, DIM, 0, null, probes);
			ClusteredNearestNeighbourSearch exact = new ClusteredNearestNeighbourSearch(mgr, bank, m, DIM, 0, exactCentres(mgr, bank, m), 0)) {
			float[] got = bounded.distances(mgr.create(q, new Shape(n, DIM))).toFloatArray();
			// Work: at most probes + 1 clusters per query, whatever the data; the clusters are k-means ones of ~equal size.
			int k = bounded.clusters();
			assertTrue(bounded.lastSearchedFraction() <= 2.0 * (probes + 1) / k, "searched " + bounded.lastSearchedFraction() + " of " + k + " clusters");
			int hits = 0;
			for (int i = 0; i < n; i++) {
				double want = BruteForce.nearest(bank, m, q, i, DIM);
				// Only clusters are skipped, never entries within one: a distance can be too large, not too small.
				assertTrue(got[i] >= want - (2e-3 + 1e-4 * want), "query " + i + ": " + got[i] + " below the true " + want);
				if (got[i] <= want + 2e-3 + 1e-4 * want) hits++;
			}
			assertEquals(0f, got[5], 2e-2f, "a bank row lies in its own cluster, which is always visited");
			// The nearest clusters first: most queries still find their true neighbour even in 16-d noise.
			assertTrue(hits > n / 2, hits + " of " + n + " exact");
			exact.distances(mgr.create(q, new Shape(n, DIM)));
			assertEquals(1.0, exact.lastSearchedFraction(), "the exact search falls back to dense here");
		}
	}

	@Test
	void asManyProbesAsClustersIsExactAndTheSameForAnyBatch() {
		Random r = new Random(15);
		int m = 5000, n = 300;
		float[][] data = bankAndQueries(r, 40, m, n, 0.5f);
		float[] bank = data[0], q = data[1];
		try (NDManager mgr = NDManager.newBaseManager();
			ClusteredNearestNeighbourSearch all = new ClusteredNearestNeighbourSearch(mgr, bank, m, DIM, 0, null, 10_000);
			ClusteredNearestNeighbourSearch few = new ClusteredNearestNeighbourSearch(mgr, bank, m, DIM, 0, null, 2)) {
			assertNearest(bank, m, q, n, all.distances(mgr.create(q, new Shape(n, DIM))).toFloatArray());
			// A bounded search never falls back to dense for a whole batch: a query's distance is the same alone or in a batch.
			float[] batch = few.distances(mgr.create(q, new Shape(n, DIM))).toFloatArray();
			for (int i = 0; i < n; i += 37) {
				float alone = few.distances(mgr.create(java.util.Arrays.copyOfRange(q, i * DIM, (i + 1) * DIM), new Shape(1, DIM))).toFloatArray()[0];
				assertEquals(batch[i], alone, 1e-4f * Math.max(1, alone), "query " + i);
			}
		}
	}

	private static float[] exactCentres(NDManager mgr, float[] bank, int m) {
		try (ClusteredNearestNeighbourSearch s = new ClusteredNearestNeighbourSearch(mgr, bank, m, DIM, 0)) {
			return s.centres();
		}
	}
}
