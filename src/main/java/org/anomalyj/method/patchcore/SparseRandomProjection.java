package org.anomalyj.method.patchcore;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * A very sparse random projection (Li, Hastie and Church 2006; what anomalib's PatchCore uses via
 * scikit-learn) from {@code inputDim} to {@code outputDim} dimensions: each entry of the
 * projection matrix is {@code +-sqrt(1 / (density * outputDim))} with probability
 * {@code density / 2} each and 0 otherwise, with {@code density = 1 / sqrt(inputDim)}. Squared
 * distances are preserved in expectation, so the greedy coreset can be selected in the projected
 * space (PatchCore, section 3.2: 128 dimensions) at a fraction of the cost, while the memory bank
 * keeps the exact features. Deterministic for a seed; each output value is summed in a fixed order.
 */
final class SparseRandomProjection {

	private final int inputDim, outputDim;
	/** Per output dimension: input dimensions added, then those subtracted. */
	private final int[][] plus, minus;
	private final float scale;

	SparseRandomProjection(int inputDim, int outputDim, long seed) {
		if (inputDim < 1 || outputDim < 1) throw new IllegalArgumentException("dimensions must be positive, were " + inputDim + ", " + outputDim);
		this.inputDim = inputDim;
		this.outputDim = outputDim;
		double density = 1 / Math.sqrt(inputDim);
		this.scale = (float) Math.sqrt(1 / (density * outputDim));
		SplittableRandom random = new SplittableRandom(seed);
		plus = new int[outputDim][];
		minus = new int[outputDim][];
		for (int o = 0; o < outputDim; o++) {
			List<Integer> p = new ArrayList<>(), m = new ArrayList<>();
			for (int j = 0; j < inputDim; j++) {
				double u = random.nextDouble();
				if (u < density / 2) p.add(j);
				else if (u < density) m.add(j);
			}
			plus[o] = p.stream().mapToInt(Integer::intValue).toArray();
			minus[o] = m.stream().mapToInt(Integer::intValue).toArray();
		}
	}

	int outputDim() {
		return outputDim;
	}

	/** The first {@code n} rows of the row-major {@code x} ({@code inputDim} columns), projected. */
	float[] apply(float[] x, int n) {
		float[] out = new float[Math.multiplyExact(n, outputDim)];
		IntStream.range(0, n).parallel().forEach(i -> {
			int row = i * inputDim;
			for (int o = 0; o < outputDim; o++) {
				float s = 0;
				for (int j : plus[o]) s += x[row + j];
				for (int j : minus[o]) s -= x[row + j];
				out[i * outputDim + o] = s * scale;
			}
		});
		return out;
	}
}
