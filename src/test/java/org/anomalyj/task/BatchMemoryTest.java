package org.anomalyj.task;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A batch holds a 128th of Java's memory in pixels, at least 16 M. */
class BatchMemoryTest {

	private static final long M = 1_000_000L;

	@Test
	void aBatchHoldsA128thOfJavasMemoryInPixelsAtLeast16M() {
		long gb = 1L << 30;
		assertEquals(16 * M, BatchMemory.pixels(gb), "a small heap keeps the old bound");
		assertEquals(16_777_216, BatchMemory.pixels(2 * gb), "2 GB: 16.8 M pixels, some 30 bytes each for the batch and 15 for the one being written: a third of the heap");
		assertEquals(50_331_648, BatchMemory.pixels(6 * gb), "6 GB: eight 1800 x 1800 images fit");
	}
}
