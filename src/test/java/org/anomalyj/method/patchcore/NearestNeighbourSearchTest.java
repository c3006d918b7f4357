package org.anomalyj.method.patchcore;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class NearestNeighbourSearchTest {

	@Test
	void matchesBruteForceAcrossBlocks() {
		// More than one bank block and more than one query tile, neither a whole multiple.
		int m = NearestNeighbourSearch.BLOCK * 2 + 123, d = 20, n = NearestNeighbourSearch.QUERY_TILE + 300;
		Random r = new Random(3);
		float[] bank = new float[m * d], q = new float[n * d];
		for (int i = 0; i < bank.length; i++) bank[i] = (float) r.nextGaussian() * 3;
		for (int i = 0; i < q.length; i++) q[i] = (float) r.nextGaussian() * 3;
		// Plant exact matches so zero distances are exercised.
		System.arraycopy(bank, 4100 * d, q, 7 * d, d);
		System.arraycopy(bank, 17 * d, q, (n - 1) * d, d);
		// Ties go to the lowest index: a row repeated in a later block, and one repeated next to itself.
		System.arraycopy(bank, 5 * d, bank, (NearestNeighbourSearch.BLOCK + 5) * d, d);
		System.arraycopy(bank, 5 * d, q, 8 * d, d);
		System.arraycopy(bank, 30 * d, bank, 31 * d, d);
		System.arraycopy(bank, 31 * d, q, 9 * d, d);
		try (NDManager mgr = NDManager.newBaseManager(); NearestNeighbourSearch s = new NearestNeighbourSearch(mgr, bank, m, d)) {
			float[] got = s.distances(mgr.create(q, new Shape(n, d))).toFloatArray();
			long[] idx = s.nearestIndices(mgr.create(q, new Shape(n, d)), 3).toLongArray();
			int[] nearest = s.nearest(mgr.create(q, new Shape(n, d)));
			for (int i = 0; i < n; i++) {
				double best = Double.MAX_VALUE;
				int arg = -1;
				for (int j = 0; j < m; j++) {
					double s2 = 0;
					for (int k = 0; k < d; k++) {
						double diff = q[i * d + k] - bank[j * d + k];
						s2 += diff * diff;
					}
					if (s2 < best) {
						best = s2;
						arg = j;
					}
				}
				assertEquals(Math.sqrt(best), got[i], 2e-3 + 1e-4 * Math.sqrt(best), "query " + i);
				// topK may put either of two equal rows first.
				int top = (int) idx[i * 3];
				assertArrayEquals(Arrays.copyOfRange(bank, arg * d, arg * d + d), Arrays.copyOfRange(bank, top * d, top * d + d), "nearest index of query " + i);
				assertEquals(arg, nearest[i], "nearest() of query " + i);
			}
			assertEquals(0f, got[7], 2e-2f);
			assertEquals(0f, got[n - 1], 2e-2f);
			assertEquals(5, nearest[8]);
			assertEquals(30, nearest[9]);
		}
	}
}
