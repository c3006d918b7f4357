package org.anomalyj.metrics;

import org.anomalyj.metrics.MetricsFixtures.PixelCase;
import org.anomalyj.metrics.MetricsFixtures.PixelImage;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ProCurveTest {

	/**
	 * Image 1 (4x4, x right, y down) has region A = (0,0),(1,0) (2 px) and region B = (3,1),(3,2),(3,3)
	 * (3 px); they do not touch, even diagonally. Its other 11 pixels are good. Image 2 (5x1) is a
	 * good image. Good pixels: 11 + 5 = 16, so FPR moves in steps of 1/16; 2 regions, so PRO is the
	 * mean of the two regions' covered fractions.
	 *
	 * <pre>
	 * score  pixels at that score            FP  A    B    PRO                     FPR
	 * 0.9    A(0,0)                           0  1/2  0    (1/2 + 0)/2   = 1/4     0
	 * 0.8    B(3,1) B(3,2), image 2 pixel 0   1  1/2  2/3  (1/2 + 2/3)/2 = 7/12    1/16
	 * 0.7    image 1 good pixel (0,3)         2  1/2  2/3  7/12                    1/8
	 * 0.5    A(1,0)                           2  1    2/3  5/6                     1/8
	 * 0.3    B(3,3)                           2  1    1    1                       1/8
	 * 0.1    the other 14 good pixels        16  1    1    1                       1
	 * </pre>
	 *
	 * The tie at 0.8 is one point: taking B's pixels first would add a point (0, 7/12) and a larger
	 * area. Curve: (0,0) (0,1/4) (1/16,7/12) (1/8,7/12) (1/8,5/6) (1/8,1) (1,1).
	 * Area to 0.3: trapezoid (0..1/16) = 1/16 * (1/4 + 7/12)/2 = 5/192; (1/16..1/8) = 1/16 * 7/12 = 7/192;
	 * the vertical run at 1/8 adds nothing; (1/8..0.3) with PRO 1 = 0.175. Total 12/192 + 0.175 = 0.2375,
	 * AUPRO = 0.2375 / 0.3 = 19/24.
	 * Area to 0.1 (interpolated inside the flat segment at 7/12): 5/192 + (0.1 - 1/16) * 7/12 = 23/480,
	 * AUPRO = 23/48.
	 */
	@Test
	void handMadeTwoRegionCase() {
		float[] s1 = new float[16];
		byte[] m1 = new byte[16];
		java.util.Arrays.fill(s1, 0.1f);
		set(s1, m1, 0, 0, 0.9f, true);
		set(s1, m1, 1, 0, 0.5f, true);
		set(s1, m1, 3, 1, 0.8f, true);
		set(s1, m1, 3, 2, 0.8f, true);
		set(s1, m1, 3, 3, 0.3f, true);
		set(s1, m1, 0, 3, 0.7f, false);
		float[] s2 = {0.8f, 0.1f, 0.1f, 0.1f, 0.1f};
		ProCurve pro = ProCurve.of(List.of(new MaskedAnomalyMap(s1, m1, 4, 4), new MaskedAnomalyMap(s2, null, 5, 1)));

		assertEquals(19.0 / 24, pro.aupro(), 1e-12);
		assertEquals(19.0 / 24, pro.aupro(0.3), 1e-12);
		assertEquals(0.2375, pro.area(0.3), 1e-12);
		assertEquals(23.0 / 48, pro.aupro(0.1), 1e-12);
		// Limit on a point: 1/8 ends exactly at (1/8, 7/12) and its vertical run.
		assertEquals((5.0 / 192 + 7.0 / 192) / 0.125, pro.aupro(0.125), 1e-12);
		// Whole curve: 12/192 + (1 - 1/8) * 1.
		assertEquals(12.0 / 192 + 0.875, pro.area(1.0), 1e-12);

		// (1/8, 5/6) is the interior of a vertical run: not stored.
		assertArrayEquals(new double[] {0, 0, 1.0 / 16, 1.0 / 8, 1.0 / 8, 1}, pro.falsePositiveRates(), 1e-15);
		assertArrayEquals(new double[] {0, 0.25, 7.0 / 12, 7.0 / 12, 1, 1}, pro.pros(), 1e-15);
		assertArrayEquals(new float[] {Float.POSITIVE_INFINITY, 0.9f, 0.8f, 0.7f, 0.3f, 0.1f}, pro.thresholds(), 0f);
	}

	private static void set(float[] s, byte[] m, int x, int y, float score, boolean defect) {
		s[y * 4 + x] = score;
		m[y * 4 + x] = (byte) (defect ? 255 : 0);
	}

	@Test
	void matchesMvtecEvaluationCode() {
		for (PixelCase c : MetricsFixtures.pixelCases()) {
			List<MaskedAnomalyMap> maps = new ArrayList<>();
			for (PixelImage i : c.images())
				maps.add(new MaskedAnomalyMap(i.scores(), i.mask(), c.width(), c.height()));
			ProCurve pro = ProCurve.of(maps);
			var expected = c.expected().getAsJsonObject("aupro");
			for (String limit : expected.keySet())
				assertEquals(expected.get(limit).getAsDouble(), pro.aupro(Double.parseDouble(limit)), 1e-6, c.name() + " @" + limit);
			double[] x = pro.falsePositiveRates();
			double[] y = pro.pros();
			assertEquals(0, x[0]);
			assertEquals(0, y[0]);
			assertEquals(1, x[x.length - 1]);
			assertEquals(1, y[y.length - 1]);
			for (int i = 1; i < x.length; i++)
				assertTrue(x[i] >= x[i - 1] && y[i] >= y[i - 1], c.name() + ": curve not monotone at " + i);
		}
	}

	@Test
	void undefinedWithoutRegionsOrWithoutGoodPixels() {
		float[] s = {0.1f, 0.2f, 0.3f, 0.4f};
		ProCurve noDefect = ProCurve.of(List.of(new MaskedAnomalyMap(s, null, 2, 2)));
		assertTrue(Double.isNaN(noDefect.aupro()));
		assertEquals(0, noDefect.size());
		ProCurve allDefect = ProCurve.of(List.of(new MaskedAnomalyMap(s, new byte[] {1, 1, 1, 1}, 2, 2)));
		assertTrue(Double.isNaN(allDefect.aupro()));
	}

	@Test
	void badInputIsRejected() {
		var e = assertThrows(IllegalArgumentException.class, () -> ProCurve.of(List.of()));
		assertTrue(e.getMessage().contains("no anomaly maps"), e.getMessage());
		assertThrows(IllegalArgumentException.class, () -> new MaskedAnomalyMap(new float[3], null, 2, 2));
		assertThrows(IllegalArgumentException.class, () -> new MaskedAnomalyMap(new float[4], new byte[3], 2, 2));
		var nan = assertThrows(IllegalArgumentException.class,
			() -> ProCurve.of(List.of(new MaskedAnomalyMap(new float[] {0, Float.NaN}, null, 2, 1))));
		assertTrue(nan.getMessage().contains("NaN score at pixel 1"), nan.getMessage());
		ProCurve ok = ProCurve.of(List.of(new MaskedAnomalyMap(new float[] {0, 1}, new byte[] {0, 1}, 2, 1)));
		assertThrows(IllegalArgumentException.class, () -> ok.aupro(0));
		assertThrows(IllegalArgumentException.class, () -> ok.aupro(1.5));
	}
}
