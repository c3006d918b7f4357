package org.anomalyj.training;

import org.anomalyj.features.FeatureGrid;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class CrossfitLimitTest {

	@Test
	void crossFittingRefusesMoreFeaturesThanItMayHoldAndSaysWhatToDoInstead() {
		// 1 GiB of 128-dimensional float features: 2^21 patches, 2048 images of 32 x 32 patches.
		FeatureGrid g = new FeatureGrid(128, 32, 32);
		assertEquals(1L << 21, ModelTrainer.crossfitMaxPatches(g));
		assertDoesNotThrow(() -> ModelTrainer.checkCrossfitSize(1L << 21, g));
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelTrainer.checkCrossfitSize((1L << 21) + 1, g));
		assertTrue(e.getMessage().contains("2048 images") && e.getMessage().contains("--calibration holdout"), e.getMessage());
	}
}
