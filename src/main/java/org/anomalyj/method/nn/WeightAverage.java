package org.anomalyj.method.nn;

import org.anomalyj.method.GradientFree;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;

import java.util.ArrayList;
import java.util.List;

/**
 * An exponential moving average of parameters over the training steps (Polyak averaging in its
 * exponential form, as kept by Mean Teacher, the EMA of many image models, and the paper's "stochastic
 * weight averaging" relatives): after step t the average is {@code sum_s decay^(t-s) w_s / sum_s decay^(t-s)}
 * over the steps so far, the weights {@code w_s} after each step. The normalisation (Adam's bias
 * correction) means the first step's weights are the average, not a mix with zeros or with the
 * initial weights. A net with the averaged weights follows the last mini-batches' noise less than the
 * last weights do. Kept on arrays of the parameters' manager, updated outside gradient recording;
 * nothing random, so it repeats exactly.
 */
public final class WeightAverage implements AutoCloseable {

	private final List<NDArray> parameters;
	private final List<NDArray> averages = new ArrayList<>();
	private final double decay;
	private double decayPower = 1;
	private long count;

	/**
	 * @param parameters the arrays to average, read at every {@link #update}
	 * @param decay the weight of the average so far against each new step, in (0, 1)
	 */
	public WeightAverage(List<NDArray> parameters, double decay) {
		if (!(decay > 0 && decay < 1)) throw new IllegalArgumentException("average decay must be in (0, 1), was " + decay);
		this.parameters = List.copyOf(parameters);
		this.decay = decay;
	}

	/** After a step: the parameters' current values join the average. */
	public void update() {
		count++;
		// a_t = a_{t-1} + (w_t - a_{t-1}) (1 - decay) / (1 - decay^t): the normalised exponential average, without a sum that grows.
		double before = decayPower;
		decayPower *= decay;
		float weight = (float) ((1 - decay) / (1 - decayPower));
		try (NDScope scope = new NDScope(); GradientFree noGrad = GradientFree.open()) {
			scope.suppressNotUsedWarning();
			for (int i = 0; i < parameters.size(); i++) {
				NDArray p = parameters.get(i);
				if (before == 1) {
					NDArray copy = p.duplicate();
					NDScope.unregister(copy);
					averages.add(copy);
				} else {
					averages.get(i).addi(p.sub(averages.get(i)).muli(weight));
				}
			}
		}
	}

	/** Steps averaged so far. */
	public long count() {
		return count;
	}

	/** The averages, in the parameters' order (arrays of this object until {@link #close}; copy them to keep them). */
	public List<NDArray> averages() {
		if (count == 0) throw new IllegalStateException("no step averaged yet");
		return List.copyOf(averages);
	}

	@Override
	public void close() {
		averages.forEach(NDArray::close);
	}
}
