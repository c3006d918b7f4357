package org.anomalyj.method.patchcore;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class SquaredDistanceTest {

	/** The summation the search and the coreset rely on, written plainly: element i goes to sum i mod 4 (the last dim mod 4 to sum 0). */
	private static float reference(float[] a, int ao, float[] b, int bo, int dim) {
		float[] s = new float[4];
		int grouped = dim & ~3;
		for (int i = 0; i < grouped; i++) {
			float d = a[ao + i] - b[bo + i];
			s[i & 3] += d * d;
		}
		for (int i = grouped; i < dim; i++) {
			float d = a[ao + i] - b[bo + i];
			s[0] += d * d;
		}
		return (s[0] + s[1]) + (s[2] + s[3]);
	}

	@Test
	void sameBitsAsThePlainSumAndAbandonsOnlyAtOrAboveTheLimit() {
		SplittableRandom r = new SplittableRandom(11);
		for (int dim : new int[] {1, 3, 4, 7, 15, 16, 17, 20, 31, 33, 48, 128, 130}) {
			int rows = 50;
			float[] a = new float[rows * dim + 3], b = new float[dim + 5];
			for (int i = 0; i < a.length; i++) a[i] = (float) (r.nextGaussian() * Math.exp(-(i % dim) / 30.0));
			for (int i = 0; i < b.length; i++) b[i] = (float) r.nextGaussian();
			for (int row = 0; row < rows; row++) {
				int ao = 3 + row * dim - (row == 0 ? 3 : 0), bo = 5;
				float want = reference(a, ao, b, bo, dim);
				assertEquals(Float.floatToIntBits(want), Float.floatToIntBits(SquaredDistance.between(a, ao, b, bo, dim)), "dim " + dim + " row " + row);
				for (float scale : new float[] {0.1f, 0.5f, 0.99f, 1f, 1.01f, 2f}) {
					float limit = want * scale;
					float got = SquaredDistance.below(a, ao, b, bo, dim, limit);
					if (want < limit) assertEquals(Float.floatToIntBits(want), Float.floatToIntBits(got), "dim " + dim + " below " + limit);
					else assertTrue(got >= limit, "dim " + dim + ": " + got + " returned under the limit " + limit);
				}
				if (dim % SquaredDistance.BLOCK == 0) {
					// The same row stored block-major among 7 rows: block j of row 2 at j * 7 * BLOCK + 2 * BLOCK.
					int stride = 7 * SquaredDistance.BLOCK;
					float[] blocked = new float[7 * dim];
					for (int i = 0; i < dim; i++) blocked[(i / SquaredDistance.BLOCK) * stride + 2 * SquaredDistance.BLOCK + i % SquaredDistance.BLOCK] = a[ao + i];
					assertEquals(Float.floatToIntBits(want), Float.floatToIntBits(SquaredDistance.between(blocked, 2 * SquaredDistance.BLOCK, stride, b, bo, dim)), "dim " + dim + " blocked");
					float got = SquaredDistance.below(blocked, 2 * SquaredDistance.BLOCK, stride, b, bo, dim, want * 0.5f);
					assertTrue(got >= want * 0.5f, "dim " + dim + " blocked, abandoned under the limit");
				}
			}
		}
	}
}
