package org.anomalyj.inspect;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * How many files a batch run decodes at once: a batch's worth while they hold no more than a
 * batch's pixels together, the first file alone; and how many pixels a batch may hold: a 128th of
 * Java's memory, at least 16 M.
 */
class BatchInspectionReadingTest {

	private static final long M = 1_000_000L;

	@Test
	void largeImagesAreReadOneAtATimeSmallOnesABatchAtATime() {
		assertEquals(1, BatchInspection.filesAtOnce(0, 8, 16 * M), "the first file alone: its size is not known yet");
		assertEquals(8, BatchInspection.filesAtOnce(900 * 900, 8, 16 * M), "bottle's 0.8 M pixels: 19 would fit, batches of 8");
		assertEquals(2, BatchInspection.filesAtOnce(900 * 900, 2, 16 * M));
		assertEquals(4, BatchInspection.filesAtOnce(4 * M, 16, 16 * M), "4 M pixels: 4 fit in 16 M");
		assertEquals(3, BatchInspection.filesAtOnce(5 * M, 16, 16 * M), "5 M pixels: 3 fit");
		assertEquals(1, BatchInspection.filesAtOnce(9 * M, 16, 16 * M), "9 M pixels: one at a time");
		assertEquals(1, BatchInspection.filesAtOnce(100 * M, 16, 16 * M), "a file above the bound alone");
		assertEquals(8, BatchInspection.filesAtOnce(1800 * 1800, 8, 50 * M), "1800 x 1800 with a 6 GB heap: a whole batch");
	}

	@Test
	void aBatchHoldsA128thOfJavasMemoryInPixelsAtLeast16M() {
		long gb = 1L << 30;
		assertEquals(16 * M, BatchInspection.maxBatchPixels(gb), "a small heap keeps the old bound");
		assertEquals(16_777_216, BatchInspection.maxBatchPixels(2 * gb), "2 GB: 16.8 M pixels, some 30 bytes each for the batch and 15 for the one being written: a third of the heap");
		assertEquals(50_331_648, BatchInspection.maxBatchPixels(6 * gb), "6 GB: eight 1800 x 1800 images fit");
	}
}
