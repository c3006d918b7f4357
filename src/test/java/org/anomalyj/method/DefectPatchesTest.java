package org.anomalyj.method;

import org.anomalyj.features.FeatureGrid;
import org.anomalyj.features.FeatureRows;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Which patches of a labelled defect image count as defective, on hand-drawn masks. */
class DefectPatchesTest {

	/** 16 x 16 input, 4 x 4 grid: each patch's own cell is 4 x 4 pixels. */
	private static final int SIZE = 16;
	private static final FeatureGrid GRID = new FeatureGrid(2, 4, 4);

	private static boolean[] mask(int x0, int y0, int x1, int y1) {
		boolean[] m = new boolean[SIZE * SIZE];
		for (int y = y0; y < y1; y++)
			for (int x = x0; x < x1; x++) m[y * SIZE + x] = true;
		return m;
	}

	private static void or(boolean[] into, boolean[] more) {
		for (int i = 0; i < into.length; i++) into[i] |= more[i];
	}

	@Test
	void aPatchIsDefectiveWhenTheMaskCoversAQuarterOfItsCell() {
		// Cell (0, 0) fully covered; cell (1, 0) [x 4..7] has 4 of its 16 pixels (a quarter): both count.
		// Cell (3, 3) has 3 of 16 pixels: below a quarter, and other cells count, so it is left out.
		boolean[] m = mask(0, 0, 4, 4);
		or(m, mask(4, 0, 6, 2));
		or(m, mask(12, 12, 15, 13));
		boolean[] labels = DefectPatches.labels(m, SIZE, GRID);
		boolean[] expected = new boolean[16];
		expected[0] = true;
		expected[1] = true;
		assertArrayEquals(expected, labels);
	}

	@Test
	void aDefectSmallerThanAQuarterCellStillGivesItsMostCoveredPatch() {
		// 2 pixels in cell (1, 2) and 3 pixels in cell (2, 2): none reaches a quarter; the most covered one counts.
		boolean[] m = mask(6, 9, 8, 10);
		or(m, mask(8, 9, 11, 10));
		boolean[] labels = DefectPatches.labels(m, SIZE, GRID);
		boolean[] expected = new boolean[16];
		expected[2 * 4 + 2] = true;
		assertArrayEquals(expected, labels);
		assertArrayEquals(new boolean[16], DefectPatches.labels(new boolean[SIZE * SIZE], SIZE, GRID), "an empty mask labels nothing");
	}

	@Test
	void keepsTheFeaturesOfTheDefectivePatchesOnly() {
		// Feature of image i, position p, channel c = 100 i + 10 p + c: a kept row says where it came from.
		float[] v = new float[2 * GRID.valuesPerImage()];
		for (int i = 0; i < 2; i++)
			for (int p = 0; p < 16; p++)
				for (int c = 0; c < 2; c++) v[(i * 16 + p) * 2 + c] = 100 * i + 10 * p + c;
		boolean[][] masks = {mask(0, 0, 4, 4), mask(12, 4, 16, 8)};
		DefectPatches d = DefectPatches.of(new FeatureRows(v, 2, GRID), masks, SIZE);
		assertEquals(2, d.images());
		assertEquals(2, d.count());
		// image 0 position 0; image 1 position (row 1, column 3) = 7
		assertArrayEquals(new float[] {0, 1, 170, 171}, d.values(), 0f);
		assertTrue(DefectPatches.NONE.isEmpty());
		assertThrows(IllegalArgumentException.class, () -> DefectPatches.of(new FeatureRows(v, 2, GRID), new boolean[1][], SIZE));
	}
}
