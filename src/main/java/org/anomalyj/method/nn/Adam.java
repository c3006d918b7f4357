package org.anomalyj.method.nn;

import ai.djl.ndarray.NDArray;
import org.anomalyj.method.GradientFree;
import ai.djl.ndarray.NDScope;

import java.util.ArrayList;
import java.util.List;

/**
 * Adam (Kingma and Ba, 2015) with decoupled weight decay (AdamW, Loshchilov and Hutter, 2019),
 * written out on the parameters' own arrays: no optimiser state outside these arrays, nothing random,
 * so a training run repeats exactly. Parameters are leaf arrays that collect gradients
 * ({@link NDArray#setRequiresGradient}); {@link #step} updates them in place from their gradients
 * and sets the gradients back to zero, outside gradient collection.
 */
public final class Adam implements AutoCloseable {

	/** One group of parameters sharing a learning rate and weight decay. */
	public record Group(List<NDArray> parameters, double learningRate, double weightDecay) {

		public Group {
			parameters = List.copyOf(parameters);
			if (!(learningRate > 0 && Double.isFinite(learningRate))) throw new IllegalArgumentException("learning rate must be positive, was " + learningRate);
			if (!(weightDecay >= 0 && Double.isFinite(weightDecay))) throw new IllegalArgumentException("weight decay must be at least 0, was " + weightDecay);
		}
	}

	private static final double BETA1 = 0.9, BETA2 = 0.999, EPSILON = 1e-8;

	private final List<Group> groups;
	private final List<NDArray> firstMoments = new ArrayList<>(), secondMoments = new ArrayList<>();
	private int steps;

	public Adam(List<Group> groups) {
		this.groups = List.copyOf(groups);
		for (Group g : this.groups)
			for (NDArray p : g.parameters()) {
				firstMoments.add(p.zerosLike());
				secondMoments.add(p.zerosLike());
			}
	}

	/** Steps taken so far. */
	public int steps() {
		return steps;
	}

	/** One update of every parameter from its gradient; the gradients are zero afterwards. */
	public void step() {
		step(1);
	}

	/**
	 * One update with every group's learning rate (and so its decoupled weight decay) scaled by
	 * {@code rateFactor}: a learning-rate schedule.
	 */
	public void step(double rateFactor) {
		if (!(rateFactor > 0 && Double.isFinite(rateFactor))) throw new IllegalArgumentException("learning rate factor must be positive, was " + rateFactor);
		steps++;
		float correction1 = (float) (1 - Math.pow(BETA1, steps)), correction2 = (float) (1 - Math.pow(BETA2, steps));
		int k = 0;
		for (Group g : groups)
			for (NDArray p : g.parameters()) {
				NDArray m = firstMoments.get(k), v = secondMoments.get(k);
				double rate = g.learningRate() * rateFactor;
				k++;
				// Outside gradient recording: on a thread where PyTorch records (every thread but the engine's first), in-place updates of
				// parameters that require gradients are refused.
				try (NDScope scope = new NDScope(); GradientFree noGrad = GradientFree.open()) {
					scope.suppressNotUsedWarning();
					NDArray grad = p.getGradient();
					m.muli((float) BETA1).addi(grad.mul((float) (1 - BETA1)));
					v.muli((float) BETA2).addi(grad.square().muli((float) (1 - BETA2)));
					NDArray update = m.div(correction1).divi(v.div(correction2).sqrt().addi((float) EPSILON)).muli((float) rate);
					if (g.weightDecay() > 0) p.muli((float) (1 - rate * g.weightDecay()));
					p.subi(update);
					grad.subi(grad);
				}
			}
	}

	@Override
	public void close() {
		firstMoments.forEach(NDArray::close);
		secondMoments.forEach(NDArray::close);
	}
}
