package org.anomalyj.image;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BinaryMaskTest {

	@Test
	void positiveInAnyChannelIsAnomalous() {
		BinaryMask grey = BinaryMask.fromPlane(Planes.grey32(new float[] { 0, 0.1f, -1, Float.NaN, 255 }, 5, 1));
		assertArrayEquals(new boolean[] { false, true, false, false, true }, grey.toArray());
		BinaryMask rgb = BinaryMask.fromPlane(Planes.rgb8(new byte[] { 0, 0, 0, 1, 0, 0 }, 2, 1));
		assertArrayEquals(new boolean[] { false, true }, rgb.toArray());
		assertEquals(1, rgb.count());
		assertTrue(BinaryMask.empty(3, 2).isEmpty());
		assertThrows(IllegalArgumentException.class, () -> new BinaryMask(2, 2, new boolean[3]));
	}

	@Test
	void nearestResizeKeepsBlocksAndMatchesFloatNearest() {
		boolean[] a = { true, false, false, true, true, false };
		BinaryMask m = new BinaryMask(3, 2, a);
		BinaryMask up = m.resizeNearest(6, 4);
		assertEquals(4 * m.count(), up.count());
		for (int y = 0; y < 4; y++)
			for (int x = 0; x < 6; x++) assertEquals(m.get(x / 2, y / 2), up.get(x, y));

		float[] f = new float[a.length];
		for (int i = 0; i < a.length; i++) f[i] = a[i] ? 1 : 0;
		float[] expected = FloatResizer.nearest(f, 3, 2, 7, 5);
		BinaryMask odd = m.resizeNearest(7, 5);
		for (int i = 0; i < expected.length; i++) assertEquals(expected[i] > 0, odd.toArray()[i]);
		assertFalse(BinaryMask.empty(4, 4).resizeNearest(1, 1).get(0, 0));
	}
}
