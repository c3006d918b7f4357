package org.anomalyj.model;

import org.anomalyj.method.FeatureGrid;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class CrossfitLimitTest {

	@Test
	void crossFittingRefusesMoreFeaturesThanItMayHoldAndSaysWhatToDoInstead() {
		FeatureGrid g = new FeatureGrid(129, 32, 32);
		assertDoesNotThrow(() -> Trainer.checkCrossfitSize(Trainer.CROSSFIT_MAX_PATCHES, g));
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Trainer.checkCrossfitSize(Trainer.CROSSFIT_MAX_PATCHES + 1, g));
		assertTrue(e.getMessage().contains("2048 images") && e.getMessage().contains("--calibration holdout"), e.getMessage());
	}
}
