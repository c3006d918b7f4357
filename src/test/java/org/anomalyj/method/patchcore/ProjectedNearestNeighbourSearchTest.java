package org.anomalyj.method.patchcore;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class ProjectedNearestNeighbourSearchTest {

	private static final int DIM = ProjectedNearestNeighbourSearch.MIN_DIM;

	/**
	 * Rows with a spectrum that falls off like image features' (variance of direction j ~ 1/(1+j)),
	 * in a random rotation so that the leading directions are not the coordinate axes, plus an offset.
	 */
	private static float[] features(Random r, int n, float[][] rotation, float noise) {
		float[] x = new float[n * DIM];
		double[] z = new double[DIM];
		for (int i = 0; i < n; i++) {
			for (int j = 0; j < DIM; j++) z[j] = r.nextGaussian() / Math.sqrt(1 + j) + noise * r.nextGaussian();
			for (int k = 0; k < DIM; k++) {
				double s = 2;
				for (int j = 0; j < 64; j++) s += rotation[j][k] * z[j]; // 64 strong directions, rotated
				x[i * DIM + k] = (float) (s + z[k] * 0.3);
			}
		}
		return x;
	}

	private static float[][] rotation(Random r) {
		float[][] q = new float[64][DIM];
		for (float[] row : q) for (int k = 0; k < DIM; k++) row[k] = (float) (r.nextGaussian() / Math.sqrt(DIM));
		return q;
	}

	/**
	 * Both searches compute {@code |q|^2 - 2 q.b + |b|^2} in float, so a squared distance is exact up
	 * to a rounding error proportional to the squared norms, not to the distance.
	 */
	private static void assertSameDistance(double want, double got, float[] q, int i, String what) {
		double norm = 0;
		for (int k = 0; k < DIM; k++) norm += q[i * DIM + k] * q[i * DIM + k];
		assertEquals(want * want, got * got, 1e-5 * 2 * (norm + 1), what + " query " + i + ": " + want + " vs " + got);
	}

	@Test
	void exactForNearAndFarQueriesAndCertifiesMostNearOnes() {
		Random r = new Random(3);
		float[][] rot = rotation(r);
		int m = ProjectedNearestNeighbourSearch.MIN_SIZE + 500, n = 300;
		float[] bank = features(r, m, rot, 0.05f);
		float[] q = features(r, n, rot, 0.05f);
		// Far outliers (anomalous patches) and exact copies of bank rows (distance 0).
		for (int i = 0; i < 10; i++) for (int k = 0; k < DIM; k++) q[i * DIM + k] = (float) r.nextGaussian() * 4;
		System.arraycopy(bank, 17 * DIM, q, 20 * DIM, DIM);
		System.arraycopy(bank, (m - 1) * DIM, q, (n - 1) * DIM, DIM);
		assertTrue(ProjectedNearestNeighbourSearch.suits(m, DIM));
		try (NDManager mgr = NDManager.newBaseManager(); ProjectedNearestNeighbourSearch s = new ProjectedNearestNeighbourSearch(mgr, bank, m, DIM, 1)) {
			float[] got = s.distances(mgr.create(q, new Shape(n, DIM))).toFloatArray();
			for (int i = 0; i < n; i++) {
				assertSameDistance(BruteForce.nearest(bank, m, q, i, DIM), got[i], q, i, "brute force");
			}
			assertTrue(s.certifiedFraction() > 0.5, "the bound answered only " + s.certifiedFraction() + " of the queries");
			// The same answers through the dense search, which it must equal up to rounding.
			float[] dense = s.dense().distances(mgr.create(q, new Shape(n, DIM))).toFloatArray();
			for (int i = 0; i < n; i++) assertSameDistance(dense[i], got[i], q, i, "dense search");
		}
	}

	/** With one candidate per query the certificate often fails: those queries must still come out exact. */
	@Test
	void queriesWithoutTheCertificateAreSearchedDensely() {
		Random r = new Random(4);
		float[][] rot = rotation(r);
		int m = ProjectedNearestNeighbourSearch.MIN_SIZE, n = 200;
		// Strong noise outside the leading directions: bounds loose enough that one candidate is often not the nearest.
		float[] bank = features(r, m, rot, 0.5f);
		float[] q = features(r, n, rot, 0.5f);
		try (NDManager mgr = NDManager.newBaseManager(); ProjectedNearestNeighbourSearch s = new ProjectedNearestNeighbourSearch(mgr, bank, m, DIM, 1, 1)) {
			float[] got = s.distances(mgr.create(q, new Shape(n, DIM))).toFloatArray();
			for (int i = 0; i < n; i++) assertSameDistance(BruteForce.nearest(bank, m, q, i, DIM), got[i], q, i, "brute force");
			double certified = s.certifiedFraction();
			assertTrue(certified < 0.9, "expected the single candidate to miss the nearest entry for some queries, certified " + certified);
		}
	}

	@Test
	void bankOfLowerRankThanTheSubspaceStillGivesExactDistances() {
		Random r = new Random(5);
		int m = ProjectedNearestNeighbourSearch.MIN_SIZE, n = 50, rank = 20;
		float[][] basis = new float[rank][DIM];
		for (float[] row : basis) for (int k = 0; k < DIM; k++) row[k] = (float) r.nextGaussian();
		float[] bank = new float[m * DIM];
		for (int i = 0; i < m; i++)
			for (int j = 0; j < rank; j++) {
				float c = (float) r.nextGaussian();
				for (int k = 0; k < DIM; k++) bank[i * DIM + k] += c * basis[j][k];
			}
		float[] q = new float[n * DIM];
		for (int i = 0; i < q.length; i++) q[i] = (float) r.nextGaussian() * 2;
		try (NDManager mgr = NDManager.newBaseManager(); ProjectedNearestNeighbourSearch s = new ProjectedNearestNeighbourSearch(mgr, bank, m, DIM, 9)) {
			float[] got = s.distances(mgr.create(q, new Shape(n, DIM))).toFloatArray();
			for (int i = 0; i < n; i++) {
				assertSameDistance(BruteForce.nearest(bank, m, q, i, DIM), got[i], q, i, "brute force");
			}
		}
	}

	@Test
	void gramSchmidtGivesOrthonormalRows() {
		Random r = new Random(1);
		int m = 12, dim = 40;
		double[] a = new double[m * dim];
		for (int i = 0; i < a.length; i++) a[i] = r.nextGaussian();
		System.arraycopy(a, 0, a, 3 * dim, dim); // a repeated row must be replaced, not divided by zero
		ProjectedNearestNeighbourSearch.orthonormalize(a, m, dim, new java.util.SplittableRandom(2));
		for (int i = 0; i < m; i++)
			for (int j = 0; j <= i; j++) {
				double dot = 0;
				for (int k = 0; k < dim; k++) dot += a[i * dim + k] * a[j * dim + k];
				assertEquals(i == j ? 1 : 0, dot, 1e-12, "rows " + i + ", " + j);
			}
	}
}
