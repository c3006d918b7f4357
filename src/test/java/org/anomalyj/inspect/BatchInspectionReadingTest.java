package org.anomalyj.inspect;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * How many files a batch run decodes at once: one per core while they hold no more than a batch's
 * pixels ({@link BatchInspection#MAX_BATCH_PIXELS}, 16 M) together, the first file alone.
 */
class BatchInspectionReadingTest {

	@Test
	void largeImagesAreReadOneAtATimeSmallOnesOnePerCore() {
		assertEquals(1, BatchInspection.filesAtOnce(0, 8), "the first file alone: its size is not known yet");
		assertEquals(8, BatchInspection.filesAtOnce(900 * 900, 8), "bottle's 0.8 M pixels: 19 would fit, 8 cores");
		assertEquals(2, BatchInspection.filesAtOnce(900 * 900, 2));
		assertEquals(4, BatchInspection.filesAtOnce(4_000_000, 16), "4 M pixels: 4 fit in 16 M");
		assertEquals(3, BatchInspection.filesAtOnce(5_000_000, 16), "5 M pixels: 3 fit");
		assertEquals(1, BatchInspection.filesAtOnce(9_000_000, 16), "9 M pixels: one at a time");
		assertEquals(1, BatchInspection.filesAtOnce(100_000_000, 16), "a file above the bound alone");
	}
}
