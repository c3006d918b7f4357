package org.anomalyj.method.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;

import java.util.List;
import java.util.Random;

/**
 * One 2-D convolution of a trained network: its weight {@code (out, in, k, k)}, bias {@code (out)},
 * stride and zero padding, applied with the engine's convolution (so gradients flow through it).
 */
public record Conv(NDArray weight, NDArray bias, int stride, int padding) {

	public Conv {
		Shape w = weight.getShape();
		if (w.dimension() != 4 || w.get(2) != w.get(3)) throw new IllegalArgumentException("a convolution weight is (out, in, k, k), was " + w);
		if (!bias.getShape().equals(new Shape(w.get(0)))) throw new IllegalArgumentException("bias " + bias.getShape() + " does not fit weight " + w);
		if (stride < 1 || padding < 0) throw new IllegalArgumentException("stride must be positive and padding at least 0");
	}

	/**
	 * A convolution with He-normal weights from the seeded generator (for layers followed by a
	 * ReLU) and zero bias.
	 */
	public static Conv he(NDManager manager, Random random, int in, int out, int kernel, int stride, int padding) {
		int fanIn = in * kernel * kernel;
		return new Conv(manager.create(Initialisation.heNormal(random, out * fanIn, fanIn), new Shape(out, in, kernel, kernel)),
			manager.zeros(new Shape(out)), stride, padding);
	}

	/** The weight's shape, as a model file stores it. */
	public static long[] weightShape(int in, int out, int kernel) {
		return new long[] {out, in, kernel, kernel};
	}

	public int inputs() {
		return (int) weight.getShape().get(1);
	}

	public int outputs() {
		return (int) weight.getShape().get(0);
	}

	public int kernel() {
		return (int) weight.getShape().get(2);
	}

	/** Output side for an input side: {@code floor((n + 2 padding - k) / stride) + 1}. */
	public int outputSize(int n) {
		return (n + 2 * padding - kernel()) / stride + 1;
	}

	/** Multiply-adds per output position. */
	public long multiplyAdds() {
		return (long) outputs() * inputs() * kernel() * kernel();
	}

	/** {@code (N, in, H, W)} to {@code (N, out, H', W')}. */
	public NDArray apply(NDArray x) {
		return Conv2d.conv2d(x, weight, bias, new Shape(stride, stride), new Shape(padding, padding), new Shape(1, 1), 1).singletonOrThrow();
	}

	public List<NDArray> parameters() {
		return List.of(weight, bias);
	}
}
