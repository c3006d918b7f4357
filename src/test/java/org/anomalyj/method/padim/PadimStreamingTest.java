package org.anomalyj.method.padim;

import org.anomalyj.features.FeatureGrid;
import org.anomalyj.features.FeatureRows;
import org.anomalyj.method.Fitter;
import org.anomalyj.task.Progress;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** PaDiM fed batch by batch, as training streams it, against the fit on all features at once. */
class PadimStreamingTest {

	private static FeatureRows random(int images, FeatureGrid g, long seed) {
		Random r = new Random(seed);
		float[] v = new float[images * g.valuesPerImage()];
		// A large common offset: the running sums must not cancel it away.
		for (int i = 0; i < v.length; i++) v[i] = 50f + (float) r.nextGaussian() * (1 + i % 3);
		return new FeatureRows(v, images, g);
	}

	@Test
	void streamingInUnevenBatchesGivesBitIdenticalGaussians() {
		FeatureGrid g = new FeatureGrid(6, 3, 2);
		FeatureRows all = random(41, g, 5);
		Padim.Settings s = new Padim.Settings(4, 0.01);
		try (NDManager m = NDManager.newBaseManager(); Padim whole = Padim.fit(m, all, s, 9, Progress.NONE)) {
			Fitter f = Padim.fitter(m, g, s, 9, Progress.NONE);
			int[] sizes = {1, 3, 7, 16, 2, 5, 4, 3};
			int at = 0;
			for (int b : sizes) {
				f.add(all.range(at, at + b));
				at += b;
			}
			assertEquals(41, at);
			try (Padim streamed = (Padim) f.finish()) {
				assertArrayEquals(whole.channels(), streamed.channels());
				for (String t : new String[] {Padim.MEAN, Padim.INVERSE_COVARIANCE})
					assertArrayEquals(whole.tensors().get(t).toFloats(), streamed.tensors().get(t).toFloats(), t);
			}
		}
	}

	@Test
	void matchesATwoPassDoublePrecisionFit() {
		FeatureGrid g = new FeatureGrid(5, 2, 2);
		int n = 37;
		FeatureRows all = random(n, g, 8);
		double reg = 0.01;
		try (NDManager m = NDManager.newBaseManager(); Padim p = Padim.fit(m, all, new Padim.Settings(5, reg), 1, Progress.NONE)) {
			int[] ch = p.channels();
			int d = ch.length, positions = g.positions();
			float[] mean = p.tensors().get(Padim.MEAN).toFloats(), inv = p.tensors().get(Padim.INVERSE_COVARIANCE).toFloats();
			float[] v = all.values();
			for (int q = 0; q < positions; q++) {
				double[] mu = new double[d];
				for (int i = 0; i < n; i++)
					for (int a = 0; a < d; a++) mu[a] += v[(i * positions + q) * g.channels() + ch[a]];
				for (int a = 0; a < d; a++) {
					mu[a] /= n;
					assertEquals(mu[a], mean[q * d + a], 1e-4, "mean at position " + q);
				}
				double[][] cov = new double[d][d];
				for (int i = 0; i < n; i++)
					for (int a = 0; a < d; a++)
						for (int b = 0; b < d; b++)
							cov[a][b] += (v[(i * positions + q) * g.channels() + ch[a]] - mu[a]) * (v[(i * positions + q) * g.channels() + ch[b]] - mu[b]) / (n - 1);
				for (int a = 0; a < d; a++) cov[a][a] += reg;
				// cov x inverse must be the identity.
				for (int a = 0; a < d; a++)
					for (int b = 0; b < d; b++) {
						double e = 0;
						for (int c = 0; c < d; c++) e += cov[a][c] * inv[(q * d + c) * d + b];
						assertEquals(a == b ? 1 : 0, e, 1e-4, "position " + q);
					}
			}
		}
	}

	@Test
	void refusesToFinishWithoutImagesOrTwice() {
		FeatureGrid g = new FeatureGrid(3, 2, 2);
		try (NDManager m = NDManager.newBaseManager()) {
			assertThrows(IllegalStateException.class, () -> Padim.fitter(m, g, Padim.Settings.DEFAULT, 0, Progress.NONE).finish());
			Fitter f = Padim.fitter(m, g, Padim.Settings.DEFAULT, 0, Progress.NONE);
			f.add(random(2, g, 1));
			f.finish().close();
			assertThrows(IllegalStateException.class, f::finish);
			assertThrows(IllegalArgumentException.class, () -> Padim.fitter(m, g, Padim.Settings.DEFAULT, 0, Progress.NONE).add(random(1, new FeatureGrid(4, 2, 2), 1)));
		}
	}
}
