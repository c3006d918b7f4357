package org.anomalyj.method;

import ai.djl.ndarray.NDManager;
import org.anomalyj.task.Progress;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class CoresetSamplerTest {

	/** The textbook greedy k-center loop: one full pass per centre. The reference for the pruned one. */
	static int[] naive(float[] x, int n, int dim, int k, int start) {
		float[] nearest = new float[n];
		for (int i = 0; i < n; i++) nearest[i] = SquaredDistance.between(x, i * dim, x, start * dim, dim);
		int[] out = new int[k];
		for (int s = 0; s < k; s++) {
			int arg = 0;
			for (int i = 1; i < n; i++) if (nearest[i] > nearest[arg]) arg = i;
			out[s] = arg;
			nearest[arg] = -1f;
			for (int i = 0; i < n; i++) nearest[i] = Math.min(nearest[i], SquaredDistance.between(x, i * dim, x, arg * dim, dim));
		}
		return out;
	}

	static float[] blobs(int n, int dim, int centres, long seed) {
		Random r = new Random(seed);
		float[][] c = new float[centres][dim];
		for (float[] row : c) for (int j = 0; j < dim; j++) row[j] = (float) (r.nextGaussian() * 5);
		float[] x = new float[n * dim];
		for (int i = 0; i < n; i++) {
			float[] cc = c[r.nextInt(centres)];
			for (int j = 0; j < dim; j++) x[i * dim + j] = cc[j] + (float) r.nextGaussian();
		}
		return x;
	}

	private static int startFor(long seed, int n) {
		return new java.util.SplittableRandom(seed).nextInt(n);
	}

	@Test
	void selectsExactlyTheCentresOfTheNaiveGreedyLoop() {
		try (NDManager m = NDManager.newBaseManager()) {
			for (int trial = 0; trial < 3; trial++) {
				int n = 4000, dim = 24, k = 400;
				float[] x = trial == 2 ? uniform(n, dim, trial) : blobs(n, dim, 12, trial);
				long seed = 7 + trial;
				int[] fast = new CoresetSampler(m, Progress.NONE).select(x, n, dim, k, seed);
				// The sampler sums squared differences in decreasing-variance order; so does the reference.
				float[] permuted = CoresetSampler.permuteColumns(x, n, dim, CoresetSampler.dimensionOrder(x, n, dim));
				int[] slow = naive(permuted, n, dim, k, startFor(seed, n));
				assertArrayEquals(slow, fast, "trial " + trial);
			}
		}
	}

	@Test
	void theTwoThreadSelectionPicksTheSameCentres() {
		// Large enough for the second thread (when the machine has two cores).
		int n = CoresetSampler.SECOND_THREAD_MIN_POINTS + 5000, dim = 16, k = 300;
		float[] x = blobs(n, dim, 40, 21);
		try (NDManager m = NDManager.newBaseManager()) {
			int[] fast = new CoresetSampler(m, Progress.NONE).select(x, n, dim, k, 3);
			float[] permuted = CoresetSampler.permuteColumns(x, n, dim, CoresetSampler.dimensionOrder(x, n, dim));
			assertArrayEquals(naive(permuted, n, dim, k, startFor(3, n)), fast);
		}
	}

	@Test
	void isDeterministicForASeedAndDiffersAcrossSeeds() {
		try (NDManager m = NDManager.newBaseManager()) {
			float[] x = blobs(2000, 8, 5, 1);
			CoresetSampler s = new CoresetSampler(m, Progress.NONE);
			assertArrayEquals(s.select(x, 2000, 8, 100, 3), s.select(x, 2000, 8, 100, 3));
			assertFalse(Arrays.equals(s.select(x, 2000, 8, 100, 3), s.select(x, 2000, 8, 100, 4)));
		}
	}

	@Test
	void handlesTinyAndDegenerateInputs() {
		try (NDManager m = NDManager.newBaseManager()) {
			CoresetSampler s = new CoresetSampler(m, Progress.NONE);
			assertArrayEquals(new int[] {0}, s.select(new float[] {1, 2}, 1, 2, 1, 0));
			assertArrayEquals(new int[] {0, 1, 2}, s.select(new float[6], 3, 2, 5, 0));
			// All points identical: any order is right, but every index must be distinct and valid.
			int[] same = s.select(new float[100 * 4], 100, 4, 10, 0);
			assertEquals(10, Arrays.stream(same).distinct().count());
		}
	}

	@Test
	void cancels() {
		try (NDManager m = NDManager.newBaseManager()) {
			Progress cancelled = new Progress() {
				public void update(String stage, long done, long total) {}
				public boolean isCancelled() { return true; }
			};
			float[] x = blobs(1000, 4, 3, 2);
			assertThrows(Progress.Cancelled.class, () -> new CoresetSampler(m, cancelled).select(x, 1000, 4, 100, 0));
		}
	}

	static float[] uniform(int n, int dim, long seed) {
		Random r = new Random(seed);
		float[] x = new float[n * dim];
		for (int i = 0; i < x.length; i++) x[i] = r.nextFloat();
		return x;
	}
}
