package org.anomalyj.model;

import org.anomalyj.io.JsonFields;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.*;

class ThresholdsTest {

	@Test
	void conformalRankIsCeilOfNPlusOneTimesOneMinusAlpha() {
		float[] s = {5, 1, 9, 3, 7, 2, 8, 4, 6}; // n = 9
		// alpha 0.1: rank ceil(10 * 0.9) = 9 -> the largest; alpha 0.2: rank 8 -> 8; alpha 0.5: rank 5 -> 5
		assertEquals(9f, Thresholds.calibrate(s, s, 0.1).image());
		assertEquals(8f, Thresholds.calibrate(s, s, 0.2).image());
		assertEquals(5f, Thresholds.calibrate(s, s, 0.5).pixel());
		assertEquals(0.2, Thresholds.calibrate(s, s, 0.2).achievedAlpha(), 0);
	}

	@Test
	void tooFewCalibrationImagesFallBackToTheMaximumAndSaySo() {
		float[] s = {3, 1, 2, 4}; // alpha 0.01 needs rank ceil(5 * 0.99) = 5 > 4
		Thresholds t = Thresholds.calibrate(s, s, 0.01);
		assertEquals(4f, t.image());
		assertEquals(1.0 / 5, t.achievedAlpha(), 1e-12);
	}

	@Test
	void normalisedScorePutsTheThresholdAtOneHalf() {
		Thresholds t = new Thresholds(10f, 12f, 0.01, 0.01, 99);
		assertEquals(0.5f, t.normalise(10f), 1e-7f);
		assertEquals(0f, t.normalise(0f));
		assertEquals(1f, t.normalise(25f));
		assertEquals(0.25f, t.normalise(5f), 1e-7f);
		assertFalse(t.anomalous(10f));
		assertTrue(t.anomalous(10.001f));
	}

	@Test
	void roundTripsThroughJson() throws IOException {
		Thresholds t = new Thresholds(1.5f, 2.5f, 0.05, 0.05, 20);
		assertEquals(t, Thresholds.fromJson(JsonFields.of(t.toJson(), "thresholds")));
		// Without held-out images the guarantee is NaN, which JSON cannot hold: written as absent.
		Thresholds none = new Thresholds(1.5f, 2.5f, 0.05, Double.NaN, 0);
		assertFalse(none.toJson().has("achieved_alpha") && !none.toJson().get("achieved_alpha").isJsonNull());
		assertEquals(none, Thresholds.fromJson(JsonFields.of(none.toJson(), "thresholds")));
	}
}
