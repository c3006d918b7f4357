package org.anomalyj.method.nn;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class AdamTest {

	/** f(x) = sum((x - c)^2), gradient 2 (x - c), computed by the engine's autograd. */
	private static float loss(NDArray x, NDArray c) {
		try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
			NDArray f = x.sub(c).square().sum();
			gc.backward(f);
			return f.getFloat();
		}
	}

	@Test
	void firstStepMovesEveryParameterByTheLearningRateAgainstItsGradient() {
		try (NDManager m = NDManager.newBaseManager()) {
			NDArray x = m.create(new float[] {1f, -2f, 0.5f});
			NDArray c = m.create(new float[] {3f, -5f, 0.5f + 1e-2f});
			x.setRequiresGradient(true);
			try (Adam adam = new Adam(List.of(new Adam.Group(List.of(x), 0.1, 0)))) {
				loss(x, c);
				assertArrayEquals(new float[] {-4f, 6f, -0.02f}, x.getGradient().toFloatArray(), 1e-5f);
				adam.step();
				// Adam's first step is lr * m / sqrt(v) = lr * sign(gradient), whatever the gradient's size.
				assertArrayEquals(new float[] {1.1f, -2.1f, 0.6f}, x.toFloatArray(), 1e-5f);
				assertArrayEquals(new float[3], x.getGradient().toFloatArray(), 0f, "gradients are zero after a step");
			}
		}
	}

	@Test
	void convergesToTheMinimumOfAQuadratic() {
		try (NDManager m = NDManager.newBaseManager()) {
			NDArray x = m.zeros(new ai.djl.ndarray.types.Shape(4));
			NDArray c = m.create(new float[] {1f, -1f, 2f, 0.25f});
			x.setRequiresGradient(true);
			float first;
			try (Adam adam = new Adam(List.of(new Adam.Group(List.of(x), 0.05, 0)))) {
				first = loss(x, c);
				adam.step();
				for (int i = 0; i < 600; i++) {
					loss(x, c);
					adam.step();
				}
				assertEquals(600 + 1, adam.steps());
			}
			assertTrue(loss(x, c) < 1e-3 * first);
			assertArrayEquals(c.toFloatArray(), x.toFloatArray(), 0.02f);
		}
	}

	@Test
	void weightDecayShrinksParametersWithoutGradient() {
		try (NDManager m = NDManager.newBaseManager()) {
			NDArray x = m.create(new float[] {2f, -4f});
			x.setRequiresGradient(true);
			try (Adam adam = new Adam(List.of(new Adam.Group(List.of(x), 0.1, 0.5)))) {
				try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
					gc.backward(x.mul(0f).sum()); // zero gradient: only the decay acts
				}
				adam.step();
				assertArrayEquals(new float[] {2f * 0.95f, -4f * 0.95f}, x.toFloatArray(), 1e-6f);
			}
		}
	}
}
