package org.anomalyj.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.anomalyj.task.Progress;

import java.util.Arrays;
import java.util.SplittableRandom;
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
 */
public final class CoresetSampler {

	/** Rows per matrix product when assigning points to anchors; bounds native memory. */
	private static final int ASSIGN_CHUNK = 16384;
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
		if (n <= 0) throw new IllegalArgumentException("no points to select from");
		if (k >= n) return IntStream.range(0, n).toArray();
		if (k <= 0) throw new IllegalArgumentException("coreset size must be positive, was " + k);
		SplittableRandom random = new SplittableRandom(seed);
		int start = random.nextInt(n);

		Clusters clusters = Clusters.build(manager, x, n, dim, random);
		int m = clusters.count;
		// Points in cluster order so that a cluster's rows are contiguous in memory.
		int[] order = clusters.order;
		int[] clusterStart = clusters.start;
		float[] xs = new float[n * dim];
		for (int p = 0; p < n; p++) System.arraycopy(x, order[p] * dim, xs, p * dim, dim);
		float[] anchors = clusters.anchors;
		float[] toAnchor = new float[n];
		float[] radius = new float[m];
		for (int c = 0; c < m; c++) {
			float r = 0;
			for (int p = clusterStart[c]; p < clusterStart[c + 1]; p++) {
				toAnchor[p] = (float) Math.sqrt(SquaredDistance.between(xs, p * dim, anchors, c * dim, dim));
				r = Math.max(r, toAnchor[p]);
			}
			radius[c] = r;
		}

		// Squared distance of each point to its nearest selected centre.
		float[] nearest = new float[n];
		float[] clusterMax = new float[m];
		int[] clusterArg = new int[m];
		float[] centre = Arrays.copyOfRange(x, start * dim, (start + 1) * dim);
		IntStream.range(0, m).parallel().forEach(c -> {
			for (int p = clusterStart[c]; p < clusterStart[c + 1]; p++)
				nearest[p] = SquaredDistance.between(xs, p * dim, centre, 0, dim);
			refreshMax(c, clusterStart, nearest, order, clusterMax, clusterArg);
		});

		int[] selected = new int[k];
		float[] centreToAnchor = new float[m];
		for (int s = 0; s < k; s++) {
			if ((s & 255) == 0) {
				progress.checkCancelled();
				progress.update("coreset", s, k);
			}
			int best = 0;
			while (clusterArg[best] < 0) best++;
			for (int c = best + 1; c < m; c++)
				if (clusterArg[c] >= 0 && better(clusterMax[c], order[clusterArg[c]], clusterMax[best], order[clusterArg[best]])) best = c;
			int pick = clusterArg[best];
			selected[s] = order[pick];
			// A selected point is never taken again, even when duplicates leave every distance at zero.
			nearest[pick] = -1f;
			refreshMax(best, clusterStart, nearest, order, clusterMax, clusterArg);
			System.arraycopy(xs, pick * dim, centre, 0, dim);
			for (int c = 0; c < m; c++)
				centreToAnchor[c] = (float) Math.sqrt(SquaredDistance.between(centre, 0, anchors, c * dim, dim));
			IntStream.range(0, m).parallel().forEach(c -> {
				float lowerBound = centreToAnchor[c] - radius[c];
				if (lowerBound > 0 && sq(lowerBound) * (1 - BOUND_SLACK) > clusterMax[c]) return;
				boolean changed = false;
				for (int p = clusterStart[c]; p < clusterStart[c + 1]; p++) {
					float bound = centreToAnchor[c] - toAnchor[p];
					if (bound > 0 && sq(bound) * (1 - BOUND_SLACK) > nearest[p]) continue;
					float d = SquaredDistance.between(xs, p * dim, centre, 0, dim);
					if (d < nearest[p]) {
						nearest[p] = d;
						changed = true;
					}
				}
				if (changed) refreshMax(c, clusterStart, nearest, order, clusterMax, clusterArg);
			});
		}
		progress.update("coreset", k, k);
		return selected;
	}

	private static float sq(float v) {
		return v * v;
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

	/** A partition of the points around anchors: two rounds of Lloyd's k-means from random seeds. */
	private static final class Clusters {
		int count;
		float[] anchors;
		int[] order;
		int[] start;

		static Clusters build(NDManager manager, float[] x, int n, int dim, SplittableRandom random) {
			// ~2 sqrt(n) clusters balances the per-centre anchor pass against cluster size.
			int m = (int) Math.max(1, Math.min(n, Math.round(2 * Math.sqrt(n))));
			float[] anchors = new float[m * dim];
			int[] perm = IntStream.range(0, n).toArray();
			for (int i = 0; i < m; i++) {
				int j = i + random.nextInt(n - i);
				int t = perm[i];
				perm[i] = perm[j];
				perm[j] = t;
				System.arraycopy(x, perm[i] * dim, anchors, i * dim, dim);
			}
			int[] assignment = null;
			try (NDManager local = manager.newSubManager()) {
				NDArray points = local.create(x, new Shape(n, dim));
				for (int round = 0; round < 2; round++) {
					assignment = assign(local, points, anchors, m, dim);
					anchors = means(x, n, dim, assignment, anchors, m);
				}
				assignment = assign(local, points, anchors, m, dim);
			}
			int[] counts = new int[m + 1];
			for (int a : assignment) counts[a + 1]++;
			for (int c = 0; c < m; c++) counts[c + 1] += counts[c];
			int[] fill = Arrays.copyOf(counts, m);
			int[] order = new int[n];
			for (int i = 0; i < n; i++) order[fill[assignment[i]]++] = i;
			Clusters cl = new Clusters();
			cl.count = m;
			cl.anchors = anchors;
			cl.order = order;
			cl.start = counts;
			return cl;
		}

		private static int[] assign(NDManager manager, NDArray points, float[] anchors, int m, int dim) {
			int n = (int) points.getShape().get(0);
			int[] out = new int[n];
			try (NDManager local = manager.newSubManager()) {
				NDArray a = local.create(anchors, new Shape(m, dim));
				NDArray aT = a.transpose();
				NDArray aNorm = a.square().sum(new int[] {1});
				for (int from = 0; from < n; from += ASSIGN_CHUNK) {
					int to = Math.min(n, from + ASSIGN_CHUNK);
					try (NDManager chunk = local.newSubManager()) {
						NDArray rows = points.get(from + ":" + to);
						rows.attach(chunk);
						NDArray score = rows.matMul(aT).mul(-2f).add(aNorm);
						long[] idx = score.argMin(1).toLongArray();
						for (int i = 0; i < idx.length; i++) out[from + i] = (int) idx[i];
					}
				}
			}
			return out;
		}

		private static float[] means(float[] x, int n, int dim, int[] assignment, float[] previous, int m) {
			double[] sum = new double[m * dim];
			int[] count = new int[m];
			for (int i = 0; i < n; i++) {
				int c = assignment[i];
				count[c]++;
				for (int j = 0; j < dim; j++) sum[c * dim + j] += x[i * dim + j];
			}
			float[] out = previous.clone();
			for (int c = 0; c < m; c++) {
				if (count[c] == 0) continue; // an empty cluster keeps its anchor
				for (int j = 0; j < dim; j++) out[c * dim + j] = (float) (sum[c * dim + j] / count[c]);
			}
			return out;
		}
	}
}
