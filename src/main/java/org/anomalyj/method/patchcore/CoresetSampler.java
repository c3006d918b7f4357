package org.anomalyj.method.patchcore;

import org.anomalyj.task.Progress;

import ai.djl.ndarray.NDManager;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;

/**
 * Greedy k-center coreset selection (PatchCore, Roth et al. 2022, Alg. 1): starting from a seeded
 * random point, repeatedly take the point farthest from everything selected so far.
 * <p>
 * The textbook loop makes one full distance pass over all points per selected centre, which for
 * 200k patches and 20k centres is hours of memory traffic. This implementation selects exactly the
 * same centres (it computes the same float distances with the same tie-breaking) but skips most of
 * the work: points are grouped into clusters around anchors, and the triangle inequality
 * {@code |x - c| >= |c - a| - |x - a|} proves, per cluster and then per point, that a new centre
 * {@code c} cannot bring a point closer than its current nearest centre. Only points that might
 * change are measured.
 * <p>
 * {@link #continueFrom} continues a selection from centres chosen earlier (PatchCore's bank from
 * previous chunks, {@link PatchCoreFitter}): each point starts at its given distance to them instead
 * of infinity, and selection stops early once the farthest point is within a given radius. The
 * pruning is unchanged and stays exact: its bounds compare against each point's current distance
 * and each cluster's largest one, which now may start finite.
 */
public final class CoresetSampler {

	/** Clusters a thread claims at a time in a round: few enough to balance, enough to keep the shared counter quiet. */
	private static final int CLUSTERS_PER_CLAIM = 4;
	/** Below this many points, a round is too short to share with a second thread. */
	static final int SECOND_THREAD_MIN_POINTS = 20_000;
	/** Relative slack on the pruning bounds so float rounding can never skip a real update. */
	private static final float BOUND_SLACK = 1e-4f;

	private final NDManager manager;
	private final Progress progress;

	/**
	 * @param manager DJL manager (its device) used for the point-to-anchor assignment
	 * @param progress progress and cancellation
	 */
	public CoresetSampler(NDManager manager, Progress progress) {
		this.manager = manager;
		this.progress = progress;
	}

	/**
	 * Selects {@code k} row indices of the {@code n x dim} row-major matrix {@code x}.
	 *
	 * @return the indices in selection order; all rows in order when {@code k >= n}
	 */
	public int[] select(float[] x, int n, int dim, int k, long seed) {
		return selection(x, n, dim, k, seed).indices();
	}

	/**
	 * {@link #select(float[], int, int, int, long)} with each centre's distance when it was selected.
	 * When {@code k >= n} every row is a centre and every distance is 0.
	 */
	public Selection selection(float[] x, int n, int dim, int k, long seed) {
		if (n <= 0) throw new IllegalArgumentException("no points to select from");
		if (k >= n) return new Selection(IntStream.range(0, n).toArray(), new float[n]);
		if (k <= 0) throw new IllegalArgumentException("coreset size must be positive, was " + k);
		return run(x, n, dim, k, seed, null, Float.NEGATIVE_INFINITY);
	}

	/**
	 * The selected centres and, for each, its squared distance to the nearest earlier centre (or
	 * to the initial set) at the moment it was selected: non-increasing, so the last one is the
	 * coverage radius the selection reached — every point is within it of some centre.
	 */
	public record Selection(int[] indices, float[] distances) {

		/** Squared radius every point is within after the selection; +infinity when nothing was selected. */
		public float radius() {
			return distances.length == 0 ? Float.POSITIVE_INFINITY : distances[distances.length - 1];
		}
	}

	/**
	 * Continues a greedy selection from centres chosen elsewhere: {@code initial[i]} is the squared
	 * distance of row {@code i} to its nearest such centre (a memory bank built so far), and
	 * selection adds the farthest remaining row until {@code k} rows were added or the farthest
	 * remaining row is within {@code stop} (squared) of a centre. Selects exactly what the textbook
	 * loop started from these distances would, with the same pruning as {@link #select(float[], int, int, int, long)}:
	 * its bounds only compare against current distances, which may start finite.
	 *
	 * @param initial {@code n} non-negative squared distances (not modified)
	 * @param stop squared radius at which selection stops early; negative never stops early
	 * @param seed seeds the clustering (speed only, never the result)
	 * @return between 0 and {@code min(k, n)} centres
	 */
	public Selection continueFrom(float[] x, int n, int dim, int k, long seed, float[] initial, float stop) {
		if (n <= 0) throw new IllegalArgumentException("no points to select from");
		if (k <= 0) throw new IllegalArgumentException("coreset size must be positive, was " + k);
		if (initial.length != n) throw new IllegalArgumentException(initial.length + " initial distances for " + n + " points");
		for (float d : initial)
			if (!(d >= 0)) throw new IllegalArgumentException("initial distances must be non-negative, found " + d);
		return run(x, n, dim, Math.min(k, n), seed, initial, stop);
	}

	private Selection run(float[] x, int n, int dim, int k, long seed, float[] initial, float stop) {
		SplittableRandom random = new SplittableRandom(seed);
		// Without initial distances the selection starts from a seeded random point (not itself a
		// centre, as in anomalib); drawn first so that the clustering draws stay as they were.
		int start = initial == null ? random.nextInt(n) : -1;

		// ~sqrt(n) clusters: finer ones prune more per centre but cost more to build (measured on bottle).
		AnchorClusters clusters = AnchorClusters.build(manager, x, n, dim, (int) Math.round(Math.sqrt(n)), random);
		int m = clusters.count;
		int[] clusterStart = clusters.start;
		// Dimensions in order of decreasing variance: partial sums then reach a point's current
		// nearest distance early, and most distances are abandoned after a few dimensions.
		int[] dims = dimensionOrder(x, n, dim);
		float[] anchors = permuteColumns(clusters.anchors, clusters.count, dim, dims);
		// Points in cluster order, so that a cluster's rows are contiguous in memory, and within a
		// cluster farthest from its anchor first (ties by index): a new centre toA from the anchor
		// can only come closer to points with toAnchor >= toA - sqrt(clusterMax), so a cluster's
		// scan stops at the first point below that. On texture that skips 60 % of the points the
		// scan used to test one by one (docs/BENCHMARKS.md).
		int[] order = clusters.order;
		float[] toAnchorOf = new float[n];
		float[] radius = new float[m];
		float[] row = new float[dim];
		for (int c = 0; c < m; c++) {
			float r = 0;
			for (int p = clusterStart[c]; p < clusterStart[c + 1]; p++) {
				int i = order[p];
				for (int j = 0; j < dim; j++) row[j] = x[i * dim + dims[j]];
				toAnchorOf[i] = (float) Math.sqrt(SquaredDistance.between(row, 0, anchors, c * dim, dim));
				r = Math.max(r, toAnchorOf[i]);
			}
			radius[c] = r;
			sortFarthestFirst(order, clusterStart[c], clusterStart[c + 1], toAnchorOf);
		}
		float[] toAnchor = new float[n];
		for (int p = 0; p < n; p++) toAnchor[p] = toAnchorOf[order[p]];
		// Stored block-major when the width allows (SquaredDistance.below): first the leading
		// dimensions of every point, then the next ones; a distance abandoned early reads only the
		// leading blocks, point after point. Point p starts at p * step, its blocks stride apart.
		boolean blocked = dim % SquaredDistance.BLOCK == 0;
		int step = blocked ? SquaredDistance.BLOCK : dim, stride = blocked ? n * SquaredDistance.BLOCK : SquaredDistance.BLOCK;
		float[] xs = new float[n * dim];
		for (int p = 0; p < n; p++) {
			int src = order[p] * dim;
			for (int j = 0; j < dim; j++) xs[p * step + (j / SquaredDistance.BLOCK) * stride + j % SquaredDistance.BLOCK] = x[src + dims[j]];
		}

		// Squared distance of each point to its nearest selected centre.
		float[] nearest = new float[n];
		float[] clusterMax = new float[m];
		int[] clusterArg = new int[m];
		float[] centre = new float[dim];
		if (initial == null) {
			for (int j = 0; j < dim; j++) centre[j] = x[start * dim + dims[j]];
			IntStream.range(0, m).parallel().forEach(c -> {
				for (int p = clusterStart[c]; p < clusterStart[c + 1]; p++)
					nearest[p] = SquaredDistance.between(xs, p * step, stride, centre, 0, dim);
				refreshMax(c, clusterStart, nearest, order, clusterMax, clusterArg);
			});
		} else {
			for (int c = 0; c < m; c++) {
				for (int p = clusterStart[c]; p < clusterStart[c + 1]; p++) nearest[p] = initial[order[p]];
				refreshMax(c, clusterStart, nearest, order, clusterMax, clusterArg);
			}
		}

		int[] selected = new int[k];
		// Per centre, clusters are updated independently of each other: the caller and a second thread
		// claim them a few at a time from a shared counter, so neither waits while the other still has
		// clusters left (a fixed split into odd and even ones left each thread waiting for the other
		// about a quarter of the time on texture). Same arithmetic per point whoever does it, so the
		// same centres.
		AtomicInteger next = new AtomicInteger();
		ClusterUpdate update = from -> {
			for (int claimed; (claimed = next.getAndAdd(CLUSTERS_PER_CLAIM)) < m;) {
				for (int c = claimed, end = Math.min(m, claimed + CLUSTERS_PER_CLAIM); c < end; c++) {
					if (clusterArg[c] < 0) continue;
					// Skip the cluster when |c - a| > r + sqrt(clusterMax): then no point in it can get
					// closer. clusterMax is the largest current distance, whether it came from earlier
					// centres or the initial ones. The distance to the anchor is abandoned as soon as its
					// partial sum proves that.
					float reach = radius[c] + (float) Math.sqrt(Math.max(0f, clusterMax[c]) / (1 - BOUND_SLACK));
					float d2 = SquaredDistance.below(from, 0, anchors, c * dim, dim, reach * reach);
					if (d2 >= reach * reach) continue;
					float toA = (float) Math.sqrt(d2);
					boolean changed = false;
					// Beyond `nearer`, toA - toAnchor exceeds sqrt(clusterMax): the per-point test below would skip them all.
					float nearer = toA - (float) Math.sqrt(Math.max(0f, clusterMax[c]) / (1 - BOUND_SLACK));
					for (int p = clusterStart[c], last = clusterStart[c + 1]; p < last && toAnchor[p] >= nearer; p++) {
						float bound = toA - toAnchor[p];
						if (bound > 0 && sq(bound) * (1 - BOUND_SLACK) > nearest[p]) continue;
						float d = SquaredDistance.below(xs, p * step, stride, from, 0, dim, nearest[p]);
						if (d < nearest[p]) {
							nearest[p] = d;
							changed = true;
						}
					}
					if (changed) refreshMax(c, clusterStart, nearest, order, clusterMax, clusterArg);
				}
			}
		};
		float[] at = new float[k];
		int s = 0;
		try (SecondThread second = SecondThread.start(n >= SECOND_THREAD_MIN_POINTS, update, centre)) {
			for (; s < k; s++) {
				if ((s & 255) == 0) {
					progress.checkCancelled();
					progress.update("coreset", s, k);
				}
				int best = 0;
				while (clusterArg[best] < 0) best++;
				for (int c = best + 1; c < m; c++)
					if (clusterArg[c] >= 0 && better(clusterMax[c], order[clusterArg[c]], clusterMax[best], order[clusterArg[best]])) best = c;
				// Everything is already covered as well as asked: stop early.
				if (clusterMax[best] <= stop) break;
				int pick = clusterArg[best];
				selected[s] = order[pick];
				at[s] = clusterMax[best];
				// A selected point is never taken again, even when duplicates leave every distance at zero.
				nearest[pick] = -1f;
				refreshMax(best, clusterStart, nearest, order, clusterMax, clusterArg);
				for (int j = 0; j < dim; j += SquaredDistance.BLOCK)
					System.arraycopy(xs, pick * step + (j / SquaredDistance.BLOCK) * stride, centre, j, Math.min(SquaredDistance.BLOCK, dim - j));
				next.set(0);
				if (second == null) {
					update.run(centre);
				} else {
					second.begin();
					update.run(centre);
					second.awaitDone();
				}
			}
		}
		progress.update("coreset", k, k);
		return new Selection(Arrays.copyOf(selected, s), Arrays.copyOf(at, s));
	}

	/** Updates the clusters it can still claim for a new centre at {@code centre}. */
	private interface ClusterUpdate {
		void run(float[] centre);
	}

	/**
	 * A thread that claims clusters of each round beside the caller. Rounds are ~100 microseconds,
	 * too short to hand to an executor, so the two threads meet on volatile counters: the caller's
	 * {@code begin} publishes the new centre, the helper's {@code done} publishes its updates. It
	 * spins briefly, then parks, so a busy machine does not lose a core to it.
	 */
	private static final class SecondThread implements AutoCloseable {
		private static final int SPINS = 20_000;

		private final ClusterUpdate update;
		private final float[] centre;
		private final Thread thread;
		private volatile int round, done;
		private volatile boolean stop;
		private volatile Throwable failure;

		private SecondThread(ClusterUpdate update, float[] centre) {
			this.update = update;
			this.centre = centre;
			this.thread = new Thread(this::loop, "anomalyj-coreset");
			thread.setDaemon(true);
		}

		/** @return null when not wanted or when there is only one core */
		static SecondThread start(boolean wanted, ClusterUpdate update, float[] centre) {
			if (!wanted || Runtime.getRuntime().availableProcessors() < 2) return null;
			SecondThread t = new SecondThread(update, centre);
			t.thread.start();
			return t;
		}

		private void loop() {
			int seen = 0;
			while (true) {
				int spins = 0;
				while (round == seen && !stop) {
					if (++spins < SPINS) Thread.onSpinWait();
					else LockSupport.parkNanos(20_000);
				}
				if (stop) return;
				seen = round;
				try {
					update.run(centre);
				} catch (Throwable e) {
					failure = e;
				}
				done = seen;
			}
		}

		void begin() {
			round = round + 1;
			LockSupport.unpark(thread);
		}

		void awaitDone() {
			int target = round, spins = 0;
			while (done != target) {
				if (++spins < SPINS) Thread.onSpinWait();
				else LockSupport.parkNanos(20_000);
			}
			Throwable f = failure;
			if (f instanceof RuntimeException r) throw r;
			if (f instanceof Error e) throw e;
			if (f != null) throw new IllegalStateException(f);
		}

		@Override
		public void close() {
			stop = true;
			LockSupport.unpark(thread);
		}
	}

	/** Dimensions sorted by decreasing variance (ties by index). Part of the algorithm's definition: distances sum in this order. */
	static int[] dimensionOrder(float[] x, int n, int dim) {
		double[] sum = new double[dim], sum2 = new double[dim];
		for (int i = 0; i < n; i++)
			for (int j = 0; j < dim; j++) {
				double v = x[i * dim + j];
				sum[j] += v;
				sum2[j] += v * v;
			}
		Integer[] idx = new Integer[dim];
		double[] var = new double[dim];
		for (int j = 0; j < dim; j++) {
			idx[j] = j;
			var[j] = sum2[j] / n - (sum[j] / n) * (sum[j] / n);
		}
		Arrays.sort(idx, (a, b) -> var[a] != var[b] ? Double.compare(var[b], var[a]) : Integer.compare(a, b));
		int[] out = new int[dim];
		for (int j = 0; j < dim; j++) out[j] = idx[j];
		return out;
	}

	static float[] permuteColumns(float[] x, int n, int dim, int[] dims) {
		float[] out = new float[x.length];
		for (int i = 0; i < n; i++)
			for (int j = 0; j < dim; j++) out[i * dim + j] = x[i * dim + dims[j]];
		return out;
	}

	private static float sq(float v) {
		return v * v;
	}

	/** Sorts {@code order[from..to)} by decreasing {@code key[order[i]]}, ties by increasing index. */
	static void sortFarthestFirst(int[] order, int from, int to, float[] key) {
		long[] packed = new long[to - from];
		// Non-negative floats order as their bits do; the complement sorts them descending.
		for (int i = from; i < to; i++) packed[i - from] = ((long) (Integer.MAX_VALUE - Float.floatToRawIntBits(key[order[i]])) << 32) | order[i];
		Arrays.sort(packed);
		for (int i = from; i < to; i++) order[i] = (int) packed[i - from];
	}

	/** Larger distance wins; equal distances go to the lower original index, as a plain argmax would. */
	private static boolean better(float value, int index, float bestValue, int bestIndex) {
		return value > bestValue || (value == bestValue && index < bestIndex);
	}

	private static void refreshMax(int c, int[] clusterStart, float[] nearest, int[] order, float[] clusterMax, int[] clusterArg) {
		int arg = clusterStart[c];
		if (arg == clusterStart[c + 1]) { // empty cluster: never the farthest
			clusterMax[c] = Float.NEGATIVE_INFINITY;
			clusterArg[c] = -1;
			return;
		}
		float max = nearest[arg];
		for (int p = arg + 1; p < clusterStart[c + 1]; p++) {
			if (better(nearest[p], order[p], max, order[arg])) {
				max = nearest[p];
				arg = p;
			}
		}
		clusterMax[c] = max;
		clusterArg[c] = arg;
	}
}
