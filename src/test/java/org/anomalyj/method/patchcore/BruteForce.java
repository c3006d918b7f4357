package org.anomalyj.method.patchcore;

/** The independent reference for the searches: every distance, in double precision. */
final class BruteForce {

	private BruteForce() {}

	/** Euclidean distance from query row {@code i} of {@code q} to its nearest row of {@code bank} ({@code m x dim}). */
	static double nearest(float[] bank, int m, float[] q, int i, int dim) {
		double best = Double.MAX_VALUE;
		for (int j = 0; j < m; j++) {
			double s2 = 0;
			for (int k = 0; k < dim; k++) {
				double diff = q[i * dim + k] - bank[j * dim + k];
				s2 += diff * diff;
			}
			best = Math.min(best, s2);
		}
		return Math.sqrt(best);
	}
}
