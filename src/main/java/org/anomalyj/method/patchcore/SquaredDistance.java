package org.anomalyj.method.patchcore;

/**
 * Squared Euclidean distance between rows of flat row-major float arrays. One function for every
 * caller so that pruned and exhaustive searches produce bit-identical distances.
 */
final class SquaredDistance {

	private SquaredDistance() {}

	/** Dimensions per block of the blocked layout ({@link #below(float[], int, int, float[], int, int, float)}). */
	static final int BLOCK = 16;

	static float between(float[] a, int aOffset, float[] b, int bOffset, int dim) {
		return below(a, aOffset, BLOCK, b, bOffset, dim, Float.POSITIVE_INFINITY);
	}

	static float between(float[] a, int aOffset, int blockStride, float[] b, int bOffset, int dim) {
		return below(a, aOffset, blockStride, b, bOffset, dim, Float.POSITIVE_INFINITY);
	}

	/**
	 * The same value as {@link #between}, or any value {@code >= limit} as soon as the running sum
	 * reaches {@code limit}. Sums of squares only grow (float addition of non-negative terms is
	 * monotone), so abandoning never hides a distance below the limit, and a completed sum is
	 * bit-identical to {@link #between}.
	 */
	static float below(float[] a, int aOffset, float[] b, int bOffset, int dim, float limit) {
		return below(a, aOffset, BLOCK, b, bOffset, dim, limit);
	}

	/**
	 * {@link #below(float[], int, float[], int, int, float)} for a row of {@code a} stored in blocks
	 * of {@link #BLOCK} dimensions, {@code blockStride} apart: dimension {@code i} at
	 * {@code aOffset + (i / BLOCK) * blockStride + i % BLOCK}. A stride of {@code BLOCK} is a plain
	 * row. Storing many rows block-major (the first block of every row, then the second...) lets a
	 * distance abandoned after its first blocks read only those, contiguously from row to row,
	 * instead of touching each row's whole width: the coreset's first chunk on ball screws took 6.2
	 * instead of 9.5 s (docs/BENCHMARKS.md). Same sums in the same order whatever the layout.
	 */
	static float below(float[] a, int aOffset, int blockStride, float[] b, int bOffset, int dim, float limit) {
		// Four independent accumulators let the CPU overlap the additions (the JIT keeps FP order).
		float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
		int i = 0;
		while (i + 3 < dim) {
			int end = Math.min(dim & ~3, i + BLOCK);
			int at = aOffset + (i / BLOCK) * blockStride - i; // i is a block's first dimension here
			for (; i < end; i += 4) {
				float d0 = a[at + i] - b[bOffset + i];
				float d1 = a[at + i + 1] - b[bOffset + i + 1];
				float d2 = a[at + i + 2] - b[bOffset + i + 2];
				float d3 = a[at + i + 3] - b[bOffset + i + 3];
				s0 += d0 * d0;
				s1 += d1 * d1;
				s2 += d2 * d2;
				s3 += d3 * d3;
			}
			float partial = (s0 + s1) + (s2 + s3);
			if (partial >= limit) return partial;
		}
		for (; i < dim; i++) {
			float d = a[aOffset + (i / BLOCK) * blockStride + i % BLOCK] - b[bOffset + i];
			s0 += d * d;
		}
		return (s0 + s1) + (s2 + s3);
	}
}
