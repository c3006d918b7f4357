package org.anomalyj.model;

import org.anomalyj.io.JsonFields;
import org.anomalyj.io.Safetensors;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The parts of a model of several: thresholds per part from its own calibration scores, recognition by descriptor, the model file's form. */
class CategoriesTest {

	/**
	 * Two parts' calibration scores, interleaved as training scores them: part a's image scores are
	 * 1..10 (map maxima 11..20), part b's 101..120 (201..220).
	 */
	private static final float[] SCORES = new float[30], MAXIMA = new float[30];
	private static final int[] PART = new int[30];

	static {
		for (int i = 0, a = 0, b = 0; i < 30; i++) {
			boolean isA = i % 3 == 0;
			PART[i] = isA ? 0 : 1;
			SCORES[i] = isA ? 10 - a : 101 + b;
			MAXIMA[i] = isA ? 20 - a++ : 201 + b++;
		}
	}

	private static Categories twoParts(double alpha) {
		DescriptorSums sums = new DescriptorSums(2, 2);
		sums.add(0, new float[] {0, 0});
		sums.add(0, new float[] {2, 0});
		sums.add(1, new float[] {10, 10});
		return Categories.of(List.of("a", "b"), sums, alpha);
	}

	@Test
	void eachPartIsCalibratedOnItsOwnScoresAtTheConformalQuantile() {
		Categories parts = twoParts(0.2).recalibrated(SCORES, MAXIMA, PART, "holdout", false);
		Thresholds a = parts.get(0).thresholds(), b = parts.get(1).thresholds();
		// n = 10 at alpha 0.2: rank ceil(11 * 0.8) = 9, the 9th smallest; n = 20: rank ceil(21 * 0.8) = 17.
		assertEquals(10, a.calibrationImages());
		assertEquals(9f, a.conformalImage());
		assertEquals(19f, a.conformalPixel());
		assertEquals(20, b.calibrationImages());
		assertEquals(117f, b.conformalImage());
		assertEquals(217f, b.conformalPixel());
		assertEquals("holdout", a.calibration());
		// The pooled threshold of the same 30 scores lies between them (rank 25 of 1..10, 101..120: 115),
		// far above a's: one threshold for both would never flag an image of part a that scores 50.
		Thresholds pooled = Thresholds.calibrate(SCORES, MAXIMA, 0.2, "holdout");
		assertEquals(115f, pooled.conformalImage());
		assertFalse(pooled.anomalous(50));
		assertTrue(parts.thresholdsFor(0, pooled).anomalous(50));
		assertFalse(parts.thresholdsFor(1, pooled).anomalous(110));
		// p-values are against the part's own calibration scores.
		assertEquals(1.0 / 11, parts.thresholdsFor(0, pooled).pValue(50), 1e-12);
	}

	@Test
	void aPartsThresholdsKeepTheModelsChoiceAndAPartWithoutCalibrationFallsBackToThePooledOnes() {
		Thresholds pooled = Thresholds.calibrate(SCORES, MAXIMA, 0.2, "holdout").withF1(new F1Thresholds(60f, 70f, 0.9, 0.8, 5, 5));
		int[] onlyA = new int[30];
		java.util.Arrays.fill(onlyA, 0);
		Categories parts = twoParts(0.2).recalibrated(SCORES, MAXIMA, onlyA, "holdout", false);
		assertFalse(parts.get(1).thresholds().isCalibrated());
		assertSame(pooled, parts.thresholdsFor(1, pooled));
		assertSame(pooled, parts.thresholdsFor(-1, pooled));

		Thresholds f1 = pooled.withActive(Thresholds.Choice.F1);
		Thresholds a = parts.thresholdsFor(0, f1);
		assertEquals(Thresholds.Choice.F1, a.active());
		assertEquals(60f, a.image(), "F1 thresholds, learned over all parts, still decide when chosen");
		assertEquals(parts.get(0).thresholds().conformalImage(), a.conformalImage());
		Thresholds custom = parts.thresholdsFor(0, pooled.withCustom(new Thresholds.Custom(3f, 4f)));
		assertEquals(3f, custom.image());
		assertEquals(4f, custom.pixel());
	}

	@Test
	void imagesGoToTheNearestDescriptorAndNewImagesJoinTheMean() {
		Categories parts = twoParts(0.1);
		assertArrayEquals(new float[] {1, 0}, parts.get(0).descriptor());
		assertEquals(2, parts.get(0).images());
		assertEquals(0, parts.nearest(new float[] {1, 2}));
		assertEquals(1, parts.nearest(new float[] {9, 8}));
		assertEquals(-1, Categories.NONE.nearest(new float[] {1, 2}));

		DescriptorSums added = new DescriptorSums(2, 2);
		added.add(0, new float[] {4, 3});
		Categories grown = parts.withImagesAdded(added);
		assertArrayEquals(new float[] {2, 1}, grown.get(0).descriptor(), 1e-6f);
		assertEquals(3, grown.get(0).images());
		assertArrayEquals(parts.get(1).descriptor(), grown.get(1).descriptor());
	}

	@Test
	void newCalibrationImagesJoinOrReplaceAPartsScores() {
		Categories trained = twoParts(0.2).recalibrated(SCORES, MAXIMA, PART, "holdout", false);
		Categories added = trained.recalibrated(new float[] {50}, new float[] {60}, new int[] {0}, "goods", true);
		assertEquals(11, added.get(0).thresholds().calibrationImages());
		assertEquals("holdout", added.get(0).thresholds().calibration(), "joined: the part keeps how it was calibrated");
		assertSame(trained.get(1).thresholds(), added.get(1).thresholds());
		Categories replaced = trained.recalibrated(new float[] {50}, new float[] {60}, new int[] {0}, "goods", false);
		assertEquals(1, replaced.get(0).thresholds().calibrationImages());
		assertEquals(50f, replaced.get(0).thresholds().conformalImage());
		assertEquals("goods", replaced.get(0).thresholds().calibration());
	}

	@Test
	void partsAreNamedOnceAndCanBeRequiredByName() {
		Categories parts = twoParts(0.1);
		assertEquals(1, parts.require("b"));
		assertEquals("a", parts.known("a"));
		assertNull(parts.known("c"));
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parts.require("c"));
		assertEquals("the model has no category c; it has a, b", e.getMessage());
		e = assertThrows(IllegalArgumentException.class, () -> Categories.NONE.require("a"));
		assertTrue(e.getMessage().contains("the model has no categories"), e.getMessage());
		assertThrows(IllegalArgumentException.class, () -> new Categories(List.of(parts.get(0), parts.get(0))));
		assertThrows(IllegalArgumentException.class, () -> new Categories(List.of(parts.get(0))));
	}

	@Test
	void roundTripsThroughManifestAndTensorsAndRefusesDamage() throws IOException {
		Categories parts = twoParts(0.2).recalibrated(SCORES, MAXIMA, PART, "crossfit", false);
		JsonObject manifest = new JsonObject();
		Map<String, Safetensors.Tensor> tensors = new LinkedHashMap<>();
		parts.writeTo(manifest, tensors);
		Categories back = Categories.read(JsonFields.of(manifest, "manifest.json"), tensors, 2, 0.2);
		assertEquals(parts.names(), back.names());
		for (int c = 0; c < 2; c++) {
			assertArrayEquals(parts.get(c).descriptor(), back.get(c).descriptor());
			assertEquals(parts.get(c).images(), back.get(c).images());
			assertEquals(parts.get(c).thresholds().conformalImage(), back.get(c).thresholds().conformalImage());
			assertEquals(parts.get(c).thresholds().conformalPixel(), back.get(c).thresholds().conformalPixel());
			assertEquals("crossfit", back.get(c).thresholds().calibration());
			assertArrayEquals(parts.get(c).thresholds().imageScores().values(), back.get(c).thresholds().imageScores().values());
		}

		assertSame(Categories.NONE, Categories.read(JsonFields.of(new JsonObject(), "manifest.json"), Map.of(), 2, 0.2));
		IOException e = assertThrows(IOException.class, () -> Categories.read(JsonFields.of(new JsonObject(), "manifest.json"), tensors, 2, 0.2));
		assertTrue(e.getMessage().contains("tensor 'category.0."), e.getMessage());
		e = assertThrows(IOException.class, () -> Categories.read(JsonFields.of(manifest, "manifest.json"), tensors, 3, 0.2));
		assertTrue(e.getMessage().contains("category.0.descriptor") && e.getMessage().contains("[3]"), e.getMessage());

		JsonObject edited = manifest.deepCopy();
		edited.getAsJsonArray("categories").get(1).getAsJsonObject().getAsJsonObject("thresholds").addProperty("image", 99.5);
		e = assertThrows(IOException.class, () -> Categories.read(JsonFields.of(edited, "manifest.json"), tensors, 2, 0.2));
		assertEquals("manifest.json: 'categories[1].thresholds.image' is 99.5 but the stored calibration scores give 117.0", e.getMessage());

		JsonObject twice = manifest.deepCopy();
		twice.getAsJsonArray("categories").get(1).getAsJsonObject().addProperty("name", "a");
		e = assertThrows(IOException.class, () -> Categories.read(JsonFields.of(twice, "manifest.json"), tensors, 2, 0.2));
		assertTrue(e.getMessage().contains("'categories[1].name'"), e.getMessage());

		JsonObject one = manifest.deepCopy();
		JsonArray first = new JsonArray();
		first.add(one.getAsJsonArray("categories").get(0));
		one.add("categories", first);
		e = assertThrows(IOException.class, () -> Categories.read(JsonFields.of(one, "manifest.json"), tensors, 2, 0.2));
		assertTrue(e.getMessage().contains("'categories' must be an array of 2 to"), e.getMessage());

		Map<String, Safetensors.Tensor> missing = new HashMap<>(tensors);
		missing.remove("category.1.calibration.image_scores");
		e = assertThrows(IOException.class, () -> Categories.read(JsonFields.of(manifest, "manifest.json"), missing, 2, 0.2));
		assertTrue(e.getMessage().contains("category.1.calibration.image_scores"), e.getMessage());
	}
}
