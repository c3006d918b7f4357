package org.anomalyj.metrics;

import org.anomalyj.metrics.MetricsFixtures.PixelCase;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class ConnectedRegionsTest {

	@Test
	void diagonalNeighboursJoinAndLabelsFollowRasterOrder() {
		// scipy.ndimage.label(mask, np.ones((3, 3))) returns exactly the labels asserted below.
		// 1 . . 1
		// . 1 . 1
		// . . . .
		// 1 1 . .
		byte[] mask = {
			1, 0, 0, 1,
			0, 1, 0, 1,
			0, 0, 0, 0,
			1, 1, 0, 0 };
		ConnectedRegions r = ConnectedRegions.of(mask, 4, 4);
		assertEquals(3, r.count());
		assertArrayEquals(new int[] {
			1, 0, 0, 2,
			0, 1, 0, 2,
			0, 0, 0, 0,
			3, 3, 0, 0 }, r.labels());
		assertEquals(2, r.size(1));
		assertEquals(2, r.size(2));
		assertEquals(2, r.size(3));
		assertEquals(3, r.label(1, 3));
		assertThrows(IllegalArgumentException.class, () -> r.size(4));
	}

	@Test
	void regionCountsMatchScipyLabelWithA3x3Structure() {
		for (PixelCase c : MetricsFixtures.pixelCases()) {
			var expected = c.expected().getAsJsonArray("regionsPerImage");
			for (int i = 0; i < c.images().size(); i++)
				assertEquals(expected.get(i).getAsInt(), ConnectedRegions.of(c.images().get(i).mask(), c.width(), c.height()).count(),
					c.name() + " image " + i);
		}
	}

	@Test
	void emptyAndNullMasksHaveNoRegions() {
		assertEquals(0, ConnectedRegions.of(null, 3, 2).count());
		assertEquals(0, ConnectedRegions.of(new byte[6], 3, 2).count());
		assertThrows(IllegalArgumentException.class, () -> ConnectedRegions.of(new byte[5], 3, 2));
		assertThrows(IllegalArgumentException.class, () -> ConnectedRegions.of(null, 0, 2));
	}

	@Test
	void oneRegionCoveringTheImageIncludingItsBorders() {
		byte[] mask = new byte[7 * 5];
		java.util.Arrays.fill(mask, (byte) -1); // 255 as a signed byte: MVTec masks
		ConnectedRegions r = ConnectedRegions.of(mask, 7, 5);
		assertEquals(1, r.count());
		assertEquals(35, r.size(1));
	}
}
