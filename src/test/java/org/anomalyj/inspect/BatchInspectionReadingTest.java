package org.anomalyj.inspect;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * How many files a batch run decodes at once: a batch's worth while they hold no more than a
 * batch's pixels together, the first file alone.
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
}
