package org.anomalyj.method.patchcore;

import org.anomalyj.task.Progress;

import ai.djl.ndarray.NDManager;
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

	static int startFor(long seed, int n) {
		return new java.util.SplittableRandom(seed).nextInt(n);
	}

	@Test
	void selectsExactlyTheCentresOfTheNaiveGreedyLoop() {
		try (NDManager m = NDManager.newBaseManager()) {
			// 24 dimensions are stored row by row, 48 in three blocks of 16 (SquaredDistance.BLOCK).
			for (int trial = 0; trial < 4; trial++) {
				int n = 4000, dim = trial == 3 ? 48 : 24, k = 400;
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
		int n = CoresetSampler.SECOND_THREAD_MIN_POINTS + 5000, dim = 32, k = 300;
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

	/** The textbook loop started from given squared distances, stopping at {@code stop}. */
	static int[] naiveFrom(float[] x, int n, int dim, int k, float[] initial, float stop) {
		float[] nearest = initial.clone();
		int[] out = new int[k];
		int s = 0;
		for (; s < k; s++) {
			int arg = 0;
			for (int i = 1; i < n; i++) if (nearest[i] > nearest[arg]) arg = i;
			if (nearest[arg] <= stop) break;
			out[s] = arg;
			nearest[arg] = -1f;
			for (int i = 0; i < n; i++) nearest[i] = Math.min(nearest[i], SquaredDistance.between(x, i * dim, x, arg * dim, dim));
		}
		return Arrays.copyOf(out, s);
	}

	/** Squared distances of every row of {@code x} to its nearest row of {@code bank}, exhaustively. */
	static float[] toBank(float[] x, int n, float[] bank, int size, int dim) {
		float[] d = new float[n];
		for (int i = 0; i < n; i++) {
			d[i] = Float.POSITIVE_INFINITY;
			for (int b = 0; b < size; b++) d[i] = Math.min(d[i], SquaredDistance.between(x, i * dim, bank, b * dim, dim));
		}
		return d;
	}

	@Test
	void continuingFromInitialDistancesSelectsExactlyWhatTheNaiveLoopDoes() {
		try (NDManager m = NDManager.newBaseManager()) {
			int n = 3000, dim = 16;
			for (int trial = 0; trial < 3; trial++) {
				float[] all = blobs(n + 300, dim, 8, 20 + trial);
				// A "bank" of 300 points from the same data; the chunk continues from it.
				float[] bank = Arrays.copyOfRange(all, n * dim, (n + 300) * dim);
				float[] x = Arrays.copyOf(all, n * dim);
				float[] permuted = CoresetSampler.permuteColumns(x, n, dim, CoresetSampler.dimensionOrder(x, n, dim));
				int[] dims = CoresetSampler.dimensionOrder(x, n, dim);
				float[] initial = toBank(permuted, n, CoresetSampler.permuteColumns(bank, 300, dim, dims), 300, dim);
				float[] sorted = initial.clone();
				Arrays.sort(sorted);
				// No stop, a stop that ends the selection early, and one that selects nothing.
				for (float stop : new float[] {-1f, sorted[n - 150], sorted[n - 1]}) {
					CoresetSampler.Selection got = new CoresetSampler(m, Progress.NONE).continueFrom(x, n, dim, 400, 3 + trial, initial, stop);
					int[] expected = naiveFrom(permuted, n, dim, 400, initial, stop);
					assertArrayEquals(expected, got.indices(), "trial " + trial + ", stop " + stop);
					for (float d : got.distances()) assertTrue(d > stop);
				}
			}
		}
	}

	@Test
	void stopsOnceEveryPointIsWithinTheRadiusAndDoesNotDependOnTheSeed() {
		try (NDManager m = NDManager.newBaseManager()) {
			int n = 2000, dim = 8;
			float[] x = blobs(n, dim, 5, 4);
			float[] initial = new float[n];
			Arrays.fill(initial, Float.MAX_VALUE);
			initial[0] = 0; // as if row 0 were already in the bank
			float stop = 4f;
			CoresetSampler s = new CoresetSampler(m, Progress.NONE);
			CoresetSampler.Selection a = s.continueFrom(x, n, dim, n, 1, initial, stop);
			assertTrue(a.indices().length > 1 && a.indices().length < n, "stopped early: " + a.indices().length);
			// Distances at selection never increase; every one was beyond the stop radius.
			for (int i = 1; i < a.distances().length; i++) assertTrue(a.distances()[i] <= a.distances()[i - 1]);
			assertTrue(a.radius() > stop);
			// Every point is within the stop radius of a centre (row 0 counts, as the initial bank).
			int[] centres = Arrays.copyOf(a.indices(), a.indices().length + 1);
			centres[centres.length - 1] = 0;
			for (int i = 0; i < n; i++) {
				float best = Float.POSITIVE_INFINITY;
				for (int c : centres) best = Math.min(best, SquaredDistance.between(x, i * dim, x, c * dim, dim));
				assertTrue(best <= stop * (1 + 1e-5f), "point " + i + " at " + best);
			}
			// The seed only shapes the clustering, which never changes the result.
			assertArrayEquals(a.indices(), s.continueFrom(x, n, dim, n, 99, initial, stop).indices());
			// The cap on centres holds.
			assertEquals(10, s.continueFrom(x, n, dim, 10, 1, initial, stop).indices().length);
		}
	}

	@Test
	void selectionReportsTheCoverageRadius() {
		try (NDManager m = NDManager.newBaseManager()) {
			int n = 1500, dim = 6;
			float[] x = uniform(n, dim, 3);
			CoresetSampler.Selection sel = new CoresetSampler(m, Progress.NONE).selection(x, n, dim, 60, 2);
			assertArrayEquals(new CoresetSampler(m, Progress.NONE).select(x, n, dim, 60, 2), sel.indices());
			// Distances start from the seeded random start point, which covers points without being a centre.
			int[] centres = Arrays.copyOf(sel.indices(), 61);
			centres[60] = startFor(2, n);
			float max = 0;
			for (int i = 0; i < n; i++) {
				float best = Float.POSITIVE_INFINITY;
				for (int c : centres) best = Math.min(best, SquaredDistance.between(x, i * dim, x, c * dim, dim));
				max = Math.max(max, best);
			}
			// The farthest point from the centres is no farther than the last centre was when taken.
			assertTrue(max <= sel.radius() * (1 + 1e-5f), max + " > " + sel.radius());
		}
	}

	static float[] uniform(int n, int dim, long seed) {
		Random r = new Random(seed);
		float[] x = new float[n * dim];
		for (int i = 0; i < x.length; i++) x[i] = r.nextFloat();
		return x;
	}
}
