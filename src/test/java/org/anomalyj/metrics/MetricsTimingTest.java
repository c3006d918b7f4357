package org.anomalyj.metrics;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Logs how long the pixel metrics take at MVTec AD test-set scale (83 images of 256x256 = 5.4 M
 * pixels, the size of bottle's test split). A log, not a performance assertion: machines differ.
 */
class MetricsTimingTest {

	@Test
	void pixelMetricsOnFiveMillionPixels() {
		int images = 83, w = 256, h = 256;
		Random rnd = new Random(1);
		float[][] maps = new float[images][];
		byte[][] masks = new byte[images][];
		for (int i = 0; i < images; i++) {
			masks[i] = i % 4 == 0 ? null : blobs(rnd, w, h, 1 + rnd.nextInt(3));
			maps[i] = new float[w * h];
			for (int p = 0; p < w * h; p++) // continuous scores: nearly every pixel its own threshold
				maps[i][p] = (float) (rnd.nextGaussian() + (masks[i] != null && masks[i][p] != 0 ? 1.0 : 0.0));
		}
		long t0 = System.nanoTime();
		MetricsAccumulator acc = new MetricsAccumulator();
		for (int i = 0; i < images; i++)
			acc.add(max(maps[i]), masks[i] != null, maps[i], masks[i], w, h);
		long t1 = System.nanoTime();
		MetricsReport r = acc.compute();
		long t2 = System.nanoTime();
		System.out.printf("metrics timing: %d images, %d pixels: add %.0f ms, compute (sort + ROC/AP/PRO sweep) %.0f ms; "
			+ "pixel ROC %d points, PRO %d points; %s%n", images, acc.pixelCount(), (t1 - t0) / 1e6, (t2 - t1) / 1e6,
			r.pixelRoc().size(), r.proCurve().size(), r);
		assertEquals(83L * 256 * 256, r.pixels());
		assertTrue(r.pixelAuroc() > 0.5 && r.aupro() > 0 && r.aupro() < 1);
	}

	private static byte[] blobs(Random rnd, int w, int h, int n) {
		byte[] m = new byte[w * h];
		for (int b = 0; b < n; b++) {
			double cx = rnd.nextDouble() * w, cy = rnd.nextDouble() * h;
			double rx = 3 + rnd.nextDouble() * 25, ry = 3 + rnd.nextDouble() * 25;
			for (int y = 0; y < h; y++)
				for (int x = 0; x < w; x++)
					if (Math.pow((x - cx) / rx, 2) + Math.pow((y - cy) / ry, 2) <= 1) m[y * w + x] = (byte) 255;
		}
		return m;
	}

	private static float max(float[] a) {
		float m = Float.NEGATIVE_INFINITY;
		for (float v : a)
			m = Math.max(m, v);
		return m;
	}
}
