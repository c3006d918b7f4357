package org.anomalyj.training;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

class CalibrationTest {

	@Test
	void autoHoldsOutWhenWhatAlphaNeedsIsAtMostAQuarterElseCrossFits() {
		Calibration auto = Calibration.AUTO;
		// 1 % needs 99 calibration images: a quarter of 396.
		assertEquals(Calibration.Mode.HOLDOUT, auto.resolve(396, 0.01));
		assertEquals(99, auto.heldOut(396, 0.01));
		assertEquals(Calibration.Mode.CROSSFIT, auto.resolve(395, 0.01));
		// Beyond 990 images the 10 % share is more than 99.
		assertEquals(200, auto.heldOut(2000, 0.01));
		// 5 % needs 19: a quarter of 76.
		assertEquals(Calibration.Mode.HOLDOUT, auto.resolve(76, 0.05));
		assertEquals(Calibration.Mode.CROSSFIT, auto.resolve(75, 0.05));
		// An explicit hold-out takes its share whatever alpha needs.
		assertEquals(21, Calibration.holdout(0.1).heldOut(209, 0.01));
		// One image: nothing to calibrate on, whatever was asked.
		for (Calibration c : new Calibration[] {auto, Calibration.holdout(0.5), Calibration.crossfit(5)})
			assertEquals(Calibration.Mode.NONE, c.resolve(1, 0.01));
		assertEquals(Calibration.Mode.HOLDOUT, Calibration.holdout(0.1).resolve(2, 0.01));
		assertEquals(Calibration.Mode.CROSSFIT, Calibration.crossfit(5).resolve(2, 0.01));
		assertEquals(Calibration.Mode.NONE, Calibration.none().resolve(1000, 0.01));
	}

	@Test
	void holdsOutAtLeastOneAndLeavesAtLeastOne() {
		Calibration c = Calibration.holdout(0.1);
		assertEquals(1, c.heldOut(2));
		assertEquals(1, c.heldOut(4));
		assertEquals(21, c.heldOut(209));
		assertEquals(1, Calibration.holdout(0.9).heldOut(2));
	}

	@Test
	void parsesWhatTheCommandLineTakes() {
		assertEquals(Calibration.Mode.AUTO, Calibration.parse("auto", 5).mode());
		assertEquals(10, Calibration.parse("crossfit", 10).folds());
		assertEquals(Calibration.Mode.NONE, Calibration.parse("0", 5).mode());
		assertEquals(0.3, Calibration.parse("0.3", 5).holdoutFraction());
		assertEquals(Calibration.Mode.HOLDOUT, Calibration.parse(" HoldOut ", 5).mode());
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Calibration.parse("often", 5));
		assertTrue(e.getMessage().contains("often"), e.getMessage());
		assertThrows(IllegalArgumentException.class, () -> Calibration.parse("1.5", 5));
		assertThrows(IllegalArgumentException.class, () -> Calibration.parse("crossfit", 1));
	}

	@Test
	void foldsPartitionTheImagesReproducibly() {
		for (int n : new int[] {2, 5, 7, 40}) {
			int k = Math.min(5, n);
			int[][] f = HeldOutScores.folds(n, k, 3);
			int[] all = Arrays.stream(f).flatMapToInt(Arrays::stream).sorted().toArray();
			assertArrayEquals(java.util.stream.IntStream.range(0, n).toArray(), all, "every image in exactly one fold");
			for (int[] fold : f) assertTrue(fold.length == n / k || fold.length == n / k + 1, "balanced folds");
			assertTrue(Arrays.deepEquals(f, HeldOutScores.folds(n, k, 3)), "same seed, same folds");
		}
		assertFalse(Arrays.deepEquals(HeldOutScores.folds(40, 5, 3), HeldOutScores.folds(40, 5, 4)));
	}
}
