package org.anomalyj.model;

import org.anomalyj.io.JsonFields;
import org.anomalyj.io.Safetensors;

import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class ThresholdsTest {

	private static final float[] SCORES = {7, 3, 10, 1, 5, 2, 9, 4, 8, 6}, MAXIMA = {17, 13, 20, 11, 15, 12, 19, 14, 18, 16};

	@Test
	void conformalThresholdsComeFromTheCalibrationScores() {
		Thresholds t = Thresholds.calibrate(SCORES, MAXIMA, 0.2, "holdout");
		assertEquals(9f, t.image());
		assertEquals(19f, t.pixel());
		assertEquals(2.0 / 11, t.falseAlarmRate(), 1e-15);
		assertEquals(10, t.calibrationImages());
		assertTrue(t.isCalibrated());
		assertTrue(t.anomalous(9.01f));
		assertFalse(t.anomalous(9f));
		assertEquals(0.5f, t.normalise(9f));
		assertEquals(0.25f, t.normalise(4.5f));
		assertEquals(1f, t.normalise(30f));
		assertEquals(0f, t.normalise(-1f));
		assertEquals(2.0 / 11, t.pValue(9.5f), 1e-15);
	}

	@Test
	void uncalibratedThresholdsGiveNoVerdictNormalisedScoreOrPValue() {
		Thresholds t = Thresholds.uncalibrated(0.01);
		assertFalse(t.isCalibrated());
		assertFalse(t.anomalous(1e9f));
		assertTrue(Float.isNaN(t.normalise(3)));
		assertTrue(Double.isNaN(t.pValue(3)));
		assertTrue(Float.isNaN(t.pixel()));
		assertEquals(0, t.calibrationImages());
		assertEquals("none", t.calibration());
		assertTrue(t.describe().contains("'uncalibrated'"), t.describe());
		String few = Thresholds.calibrate(SCORES, MAXIMA, 0.01, "crossfit").describe();
		assertTrue(few.contains("10 calibration images are too few for alpha 0.01; 99 would reach it"), few);
		assertTrue(few.contains("expected false-alarm rate on good images 0.09091"), few);
	}

	@Test
	void f1ThresholdsDecideOnlyWhenChosen() {
		Thresholds t = Thresholds.calibrate(SCORES, MAXIMA, 0.2, "crossfit").withF1(new F1Thresholds(6.5f, 14f, 0.9, 0.7, 10, 4));
		assertEquals(9f, t.image());
		Thresholds f = t.withActive(Thresholds.Choice.F1);
		assertEquals(6.5f, f.image());
		assertEquals(14f, f.pixel());
		assertEquals(0.5f, f.normalise(6.5f));
		assertTrue(f.anomalous(7f));
		// The p-value stays conformal whatever decides.
		assertEquals(t.pValue(7f), f.pValue(7f));
		// Without masks the F1 pixel threshold is NaN and the conformal one stays.
		Thresholds noMask = t.withF1(new F1Thresholds(6.5f, Float.NaN, 0.9, Double.NaN, 10, 4)).withActive(Thresholds.Choice.F1);
		assertEquals(19f, noMask.pixel());
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Thresholds.uncalibrated(0.01).withActive(Thresholds.Choice.F1));
		assertTrue(e.getMessage().contains("--defects"), e.getMessage());
	}

	@Test
	void roundTripsThroughManifestAndTensors() throws IOException {
		Thresholds t = Thresholds.calibrate(SCORES, MAXIMA, 0.05, "crossfit").withF1(new F1Thresholds(6.5f, 14f, 0.9, 0.7, 10, 4))
			.withActive(Thresholds.Choice.F1);
		JsonObject json = t.toJson();
		Map<String, Safetensors.Tensor> tensors = t.tensors();
		Thresholds back = Thresholds.read(JsonFields.of(json, "thresholds"), tensors);
		assertEquals(t.image(), back.image());
		assertEquals(t.conformalImage(), back.conformalImage());
		assertEquals(t.conformalPixel(), back.conformalPixel());
		assertEquals(t.alpha(), back.alpha());
		assertEquals("crossfit", back.calibration());
		assertEquals(Thresholds.Choice.F1, back.active());
		assertEquals(t.f1(), back.f1());
		assertArrayEquals(t.imageScores().values(), back.imageScores().values());

		Thresholds none = Thresholds.read(JsonFields.of(Thresholds.uncalibrated(0.01).toJson(), "thresholds"), Map.of());
		assertFalse(none.isCalibrated());

		Map<String, Safetensors.Tensor> missing = new HashMap<>(tensors);
		missing.remove(Thresholds.IMAGE_SCORES);
		IOException e = assertThrows(IOException.class, () -> Thresholds.read(JsonFields.of(json, "thresholds"), missing));
		assertTrue(e.getMessage().contains(Thresholds.IMAGE_SCORES), e.getMessage());
		JsonObject wrongCount = json.deepCopy();
		wrongCount.addProperty("calibration_images", 11);
		e = assertThrows(IOException.class, () -> Thresholds.read(JsonFields.of(wrongCount, "thresholds"), tensors));
		assertTrue(e.getMessage().contains("shape"), e.getMessage());
		JsonObject edited = json.deepCopy();
		edited.addProperty("image", 3.5);
		e = assertThrows(IOException.class, () -> Thresholds.read(JsonFields.of(edited, "thresholds"), tensors));
		assertTrue(e.getMessage().contains("'image' is 3.5 but the stored calibration scores give"), e.getMessage());
		JsonObject unknown = json.deepCopy();
		unknown.addProperty("calibration", "magic");
		e = assertThrows(IOException.class, () -> Thresholds.read(JsonFields.of(unknown, "thresholds"), tensors));
		assertTrue(e.getMessage().contains("magic"), e.getMessage());
	}

	@Test
	void customThresholdsDecideAndRoundTripKeepingTheCalibration() throws IOException {
		Thresholds conformal = Thresholds.calibrate(SCORES, MAXIMA, 0.2, "holdout");
		Thresholds t = conformal.withCustom(new Thresholds.Custom(4.5f, 11f));
		assertEquals(Thresholds.Choice.CUSTOM, t.active());
		assertEquals(4.5f, t.image());
		assertEquals(11f, t.pixel());
		assertTrue(t.anomalous(4.6f));
		assertFalse(t.anomalous(4.5f));
		assertEquals(0.5f, t.normalise(4.5f));
		// p-values stay those of the calibration scores, whichever threshold decides.
		assertEquals(conformal.pValue(4.5f), t.pValue(4.5f));
		assertEquals(conformal.conformalImage(), t.conformalImage());

		Thresholds back = Thresholds.read(JsonFields.of(t.toJson(), "thresholds"), t.tensors());
		assertEquals(Thresholds.Choice.CUSTOM, back.active());
		assertEquals(t.custom(), back.custom());
		assertEquals(conformal.image(), back.withActive(Thresholds.Choice.CONFORMAL).image());

		JsonObject broken = t.toJson();
		broken.getAsJsonObject("custom").remove("pixel");
		IOException e = assertThrows(IOException.class, () -> Thresholds.read(JsonFields.of(broken, "thresholds"), t.tensors()));
		assertTrue(e.getMessage().contains("pixel"), e.getMessage());
		assertThrows(IllegalArgumentException.class, () -> conformal.withActive(Thresholds.Choice.CUSTOM));
		assertThrows(IllegalArgumentException.class, () -> new Thresholds.Custom(Float.NaN, 1));
	}

	@Test
	void recalibratingKeepsTheChosenThresholdsAndScoresCanJoinTheStoredOnes() {
		Thresholds custom = Thresholds.calibrate(SCORES, MAXIMA, 0.2, "holdout").withCustom(new Thresholds.Custom(4.5f, 11f));
		Thresholds goods = custom.recalibrated(new float[] {1, 2, 3}, new float[] {4, 5, 6}, "goods");
		assertEquals(Thresholds.Choice.CUSTOM, goods.active());
		assertEquals(4.5f, goods.image());
		assertEquals(3f, goods.conformalImage());
		assertEquals("goods", goods.calibration());

		Thresholds joined = custom.withScoresAdded(new float[] {11, 12}, new float[] {21, 22});
		assertEquals(12, joined.calibrationImages());
		assertEquals("holdout", joined.calibration());
		// n = 12 at alpha 0.2: rank ceil(13 * 0.8) = 11 of 1..12.
		assertEquals(11f, joined.conformalImage());
		assertEquals(21f, joined.conformalPixel());
		assertThrows(IllegalStateException.class, () -> Thresholds.uncalibrated(0.1).withScoresAdded(new float[] {1}, new float[] {1}));
	}

	@Test
	void falseAlarmsOfAnyThresholdAreCountedOnTheCalibrationGoods() {
		Thresholds t = Thresholds.calibrate(SCORES, MAXIMA, 0.2, "holdout");
		for (float threshold : new float[] {-1, 0, 2.5f, 4, 100}) {
			int images = 0, maps = 0;
			for (float s : SCORES) if (s > threshold) images++;
			for (float m : MAXIMA) if (m > threshold) maps++;
			assertEquals((double) images / SCORES.length, t.imageFalseAlarms(threshold), 1e-12);
			assertEquals((double) maps / MAXIMA.length, t.pixelFalseAlarms(threshold), 1e-12);
		}
		// At the conformal threshold the share flagged is at most the rate asked for.
		assertTrue(t.imageFalseAlarms(t.conformalImage()) <= 0.2);
		assertTrue(Double.isNaN(Thresholds.uncalibrated(0.1).imageFalseAlarms(1)));
	}
}
