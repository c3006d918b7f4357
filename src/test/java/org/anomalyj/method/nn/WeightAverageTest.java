package org.anomalyj.method.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class WeightAverageTest {

	/** The average weighs step s of t by decay^(t-s), normalised: by hand for decay 0.5 and three steps. */
	@Test
	void normalisedExponentialAverageOfTheSteps() {
		try (NDManager m = NDManager.newBaseManager()) {
			NDArray a = m.create(new float[] {0f, 0f}), b = m.create(new float[] {5f});
			float[][] as = {{2f, -1f}, {4f, 2f}, {8f, 3f}}, bs = {{7f}, {0.5f}, {-1f}};
			try (WeightAverage avg = new WeightAverage(List.of(a, b), 0.5)) {
				assertThrows(IllegalStateException.class, avg::averages);
				a.set(as[0]);
				b.set(bs[0]);
				avg.update();
				// The first step's weights alone, not mixed with zeros.
				assertArrayEquals(as[0], avg.averages().get(0).toFloatArray(), 0f);
				for (int step = 1; step < 3; step++) {
					a.set(as[step]);
					b.set(bs[step]);
					avg.update();
				}
				assertEquals(3, avg.count());
				// (0.25 w1 + 0.5 w2 + w3) / 1.75: (0.5 + 2 + 8) / 1.75 = 6, (-0.25 + 1 + 3) / 1.75, (1.75 + 0.25 - 1) / 1.75.
				assertArrayEquals(new float[] {6f, 3.75f / 1.75f}, avg.averages().get(0).toFloatArray(), 1e-6f);
				assertArrayEquals(new float[] {1f / 1.75f}, avg.averages().get(1).toFloatArray(), 1e-6f);
				// The parameters themselves are untouched.
				assertArrayEquals(as[2], a.toFloatArray(), 0f);
			}
		}
	}

	@Test
	void decayMustBeAProperFraction() {
		assertThrows(IllegalArgumentException.class, () -> new WeightAverage(List.of(), 0));
		assertThrows(IllegalArgumentException.class, () -> new WeightAverage(List.of(), 1));
		assertThrows(IllegalArgumentException.class, () -> new WeightAverage(List.of(), Double.NaN));
	}
}
