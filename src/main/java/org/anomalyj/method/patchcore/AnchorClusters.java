package org.anomalyj.method.patchcore;

import ai.djl.ndarray.NDManager;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * A quick partition of points around anchors, for pruning and grouping where cluster quality only
 * affects speed, never a result: seeded random seeds refined by one Lloyd step computed on a
 * subsample, then every point assigned to its nearest anchor by blocked matrix products.
 * Point {@code order[i]} for {@code start[c] <= i < start[c + 1]} belongs to anchor {@code c}.
 */
final class AnchorClusters {

	final int count;
	/** {@code count x dim}, row-major. */
	final float[] anchors;
	final int[] order;
	final int[] start;

	private AnchorClusters(int count, float[] anchors, int[] order, int[] start) {
		this.count = count;
		this.anchors = anchors;
		this.order = order;
		this.start = start;
	}

	/** @param clusters wanted; clamped to 1..n */
	static AnchorClusters build(NDManager manager, float[] x, int n, int dim, int clusters, SplittableRandom random) {
		int m = Math.max(1, Math.min(n, clusters));
		int[] perm = IntStream.range(0, n).toArray();
		int sample = Math.min(n, Math.max(m, n / 8));
		for (int i = 0; i < sample; i++) {
			int j = i + random.nextInt(n - i);
			int t = perm[i];
			perm[i] = perm[j];
			perm[j] = t;
		}
		float[] anchors = rows(x, perm, 0, m, dim);
		float[] subsample = rows(x, perm, 0, sample, dim);
		int[] assignment;
		try (NDManager local = manager.newSubManager()) {
			anchors = KMeans.means(subsample, sample, dim, KMeans.assign(local, subsample, sample, anchors, m, dim), anchors, m);
			assignment = KMeans.assign(local, x, n, anchors, m, dim);
		}
		int[] counts = new int[m + 1];
		for (int a : assignment) counts[a + 1]++;
		for (int c = 0; c < m; c++) counts[c + 1] += counts[c];
		int[] fill = Arrays.copyOf(counts, m);
		int[] order = new int[n];
		for (int i = 0; i < n; i++) order[fill[assignment[i]]++] = i;
		return new AnchorClusters(m, anchors, order, counts);
	}

	private static float[] rows(float[] x, int[] index, int from, int to, int dim) {
		float[] out = new float[(to - from) * dim];
		for (int i = from; i < to; i++) System.arraycopy(x, index[i] * dim, out, (i - from) * dim, dim);
		return out;
	}
}
