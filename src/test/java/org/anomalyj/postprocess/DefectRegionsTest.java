package org.anomalyj.postprocess;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class DefectRegionsTest {

	@Test
	void findsRegionsOrderedByPeakAndDropsSmallOnes() {
		// 6x4 map: a 2x2 blob peaking at 5 (top left), a diagonal pair peaking at 9 (8-connected,
		// so one region), and a single pixel of 3 that the minimum area removes.
		float[] map = {
			4, 5, 0, 0, 0, 0,
			2, 2, 0, 9, 0, 0,
			0, 0, 0, 0, 8, 0,
			3, 0, 0, 0, 0, 0 };
		DefectRegions d = DefectRegions.find(map, 6, 4, 1f, 2);
		assertEquals(2, d.regions().size());
		DefectRegion first = d.regions().get(0), second = d.regions().get(1);
		assertEquals(9f, first.peak());
		assertEquals(2, first.area());
		assertEquals(3, first.peakX());
		assertEquals(1, first.peakY());
		assertEquals(3, first.minX());
		assertEquals(4, first.maxX());
		assertEquals(5f, second.peak());
		assertEquals(4, second.area());
		assertEquals(6, d.totalArea());
		assertEquals(0, d.mask()[3 * 6], "the one-pixel region is dropped from the mask");
		assertEquals(1, d.labels()[3 + 6]);
		assertEquals(2, d.labels()[0]);
		assertEquals((byte) 255, d.mask()[0]);
	}

	@Test
	void emptyWhenNothingExceedsTheThreshold() {
		DefectRegions d = DefectRegions.find(new float[] {1, 1, 1, 1}, 2, 2, 1f, 0);
		assertTrue(d.regions().isEmpty());
		assertEquals(0, d.totalArea());
	}
}
