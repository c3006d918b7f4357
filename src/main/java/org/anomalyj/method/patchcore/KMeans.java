package org.anomalyj.method.patchcore;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.Arrays;

/**
 * The two halves of a Lloyd iteration over row-major {@code n x dim} points, shared by the coreset
 * sampler's anchors and the pruned search's clusters: assigning points to their nearest centre
 * (blocked matrix products on the engine) and moving each centre to its points' mean.
 */
final class KMeans {

	/** Rows per matrix product when assigning; bounds native memory. */
	private static final int ASSIGN_CHUNK = 16384;

	private KMeans() {}

	/** Index of each point's nearest centre (lowest index on ties). */
	static int[] assign(NDManager manager, float[] x, int n, float[] centres, int k, int dim) {
		int[] out = new int[n];
		try (NDManager local = manager.newSubManager(); NearestNeighbourSearch search = new NearestNeighbourSearch(local, centres, k, dim)) {
			for (int from = 0; from < n; from += ASSIGN_CHUNK) {
				int to = Math.min(n, from + ASSIGN_CHUNK);
				try (NDManager chunk = local.newSubManager()) {
					float[] part = Arrays.copyOfRange(x, from * dim, to * dim);
					int[] idx = search.nearest(chunk.create(part, new Shape(to - from, dim)));
					System.arraycopy(idx, 0, out, from, idx.length);
				}
			}
		}
		return out;
	}

	/** The mean of each centre's points, summed in double; a centre without points stays where it was. */
	static float[] means(float[] x, int n, int dim, int[] assignment, float[] previous, int k) {
		double[] sum = new double[k * dim];
		int[] count = new int[k];
		for (int i = 0; i < n; i++) {
			int c = assignment[i];
			count[c]++;
			for (int j = 0; j < dim; j++) sum[c * dim + j] += x[i * dim + j];
		}
		float[] out = previous.clone();
		for (int c = 0; c < k; c++) {
			if (count[c] == 0) continue;
			for (int j = 0; j < dim; j++) out[c * dim + j] = (float) (sum[c * dim + j] / count[c]);
		}
		return out;
	}
}
