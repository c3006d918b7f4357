package org.anomalyj.method.padim;

import org.anomalyj.features.FeatureGrid;
import org.anomalyj.features.FeatureRows;
import org.anomalyj.method.AnomalyMethod;
import org.anomalyj.method.Fitter;
import org.anomalyj.task.Progress;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** {@code update}: PaDiM fitted on A and updated with B has the Gaussians of A and B fitted together. */
class PadimUpdateTest {

	private static FeatureRows random(int images, FeatureGrid g, long seed, float offset) {
		Random r = new Random(seed);
		float[] v = new float[images * g.valuesPerImage()];
		for (int i = 0; i < v.length; i++) v[i] = offset + (float) r.nextGaussian() * (1 + i % 3);
		return new FeatureRows(v, images, g);
	}

	@Test
	void updatingMatchesFittingOnTheUnion() {
		FeatureGrid g = new FeatureGrid(6, 3, 2);
		// B is shifted: the update must move the mean and widen the covariance as the union does.
		FeatureRows a = random(23, g, 1, 5f), b = random(17, g, 2, 6f);
		FeatureRows union = new FeatureRows(concat(a.values(), b.values()), 40, g);
		Padim.Settings s = new Padim.Settings(4, 0.01);
		PadimPlugin plugin = new PadimPlugin();
		try (NDManager m = NDManager.newBaseManager(); Padim first = Padim.fit(m, a, s, 9, Progress.NONE); Padim all = Padim.fit(m, union, s, 9, Progress.NONE);
			AnomalyMethod updated = plugin.update(first, org.anomalyj.method.InMemoryFeatures.of(m, b), 9, Progress.NONE)) {
			Padim u = (Padim) updated;
			assertArrayEquals(all.channels(), u.channels());
			assertEquals(40, u.images());
			assertArrayEquals(all.tensors().get(Padim.MEAN).toFloats(), u.tensors().get(Padim.MEAN).toFloats(), 1e-4f);
			float[] expected = all.tensors().get(Padim.INVERSE_COVARIANCE).toFloats(), got = u.tensors().get(Padim.INVERSE_COVARIANCE).toFloats();
			for (int i = 0; i < expected.length; i++)
				assertEquals(expected[i], got[i], 1e-4 * Math.max(1, Math.abs(expected[i])), "inverse covariance entry " + i);
			// Not the old model: the update changed it.
			assertNotEquals(first.tensors().get(Padim.MEAN).toFloats()[0], u.tensors().get(Padim.MEAN).toFloats()[0]);
		}
	}

	private static float[] concat(float[] x, float[] y) {
		float[] out = java.util.Arrays.copyOf(x, x.length + y.length);
		System.arraycopy(y, 0, out, x.length, y.length);
		return out;
	}
}
