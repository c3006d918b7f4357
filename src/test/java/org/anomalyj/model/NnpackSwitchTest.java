package org.anomalyj.model;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The engine comes up with PyTorch's NNPACK switched off, and the switch really is PyTorch's flag. */
class NnpackSwitchTest {

	@Test
	void theEngineComesUpWithNnpackOff() {
		NativeEngine.get();
		NnpackSwitch s = switchOfThisPlatform();
		assertFalse(s.enabled(), "NNPACK is still enabled after the engine was set up");
	}

	/** Reads back what was written both ways, so the reading is the flag and not a constant. */
	@Test
	void theFlagReadsBackWhatWasSet() {
		NativeEngine.get();
		NnpackSwitch s = switchOfThisPlatform();
		try {
			s.setEnabled(true);
			assertTrue(s.enabled());
		} finally {
			s.setEnabled(false);
		}
		assertFalse(s.enabled());
	}

	/** Linux and macOS libtorch export the C++ functions; Windows builds have no NNPACK to switch. */
	private static NnpackSwitch switchOfThisPlatform() {
		boolean windows = System.getProperty("os.name").toLowerCase().startsWith("windows");
		assumeTrue(!windows, "Windows libtorch has no NNPACK");
		return NnpackSwitch.find().orElseThrow(() -> new AssertionError("libtorch's NNPACK flag functions were not found"));
	}
}
