package org.anomalyj.metrics;

import org.anomalyj.metrics.MetricsFixtures.PixelCase;
import org.anomalyj.metrics.MetricsFixtures.PixelImage;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class MetricsAccumulatorTest {

	private static MetricsAccumulator accumulate(PixelCase c) {
		MetricsAccumulator acc = new MetricsAccumulator();
		for (PixelImage i : c.images())
			acc.add(i.imageScore(), i.anomalous(), i.scores(), i.mask(), c.width(), c.height());
		return acc;
	}

	/** Every report value against scikit-learn and the MVTec AD code on the same maps. */
	@Test
	void reportMatchesReferenceImplementations() {
		for (PixelCase c : MetricsFixtures.pixelCases()) {
			var e = c.expected();
			MetricsReport r = accumulate(c).compute();
			assertEquals(e.get("imageAuroc").getAsDouble(), r.imageAuroc(), 1e-9, c.name());
			assertEquals(e.get("pixelAuroc").getAsDouble(), r.pixelAuroc(), 1e-9, c.name());
			assertEquals(e.get("pixelAp").getAsDouble(), r.pixelAp(), 1e-9, c.name());
			assertEquals(e.getAsJsonObject("aupro").get("0.3").getAsDouble(), r.aupro(), 1e-6, c.name());
			assertEquals(e.get("imageF1Max").getAsDouble(), r.imageF1Max(), 1e-9, c.name());
			assertEquals(e.get("imageF1Threshold").getAsFloat(), r.imageF1Threshold(), 0f, c.name());
			assertEquals(c.images().size(), r.images());
			assertEquals((long) c.images().size() * c.width() * c.height(), r.pixels());
			assertEquals(r.pixelAuroc(), r.pixelRoc().auc());
			assertEquals(r.aupro(), r.proCurve().aupro());
			assertEquals(r.imageAuroc(), r.imageRoc().auc());
			assertEquals(java.util.List.of("image_auroc", "pixel_auroc", "aupro", "image_f1_max", "image_f1_threshold", "pixel_ap"),
				java.util.List.copyOf(r.values().keySet()));
		}
	}

	@Test
	void computeCanBeRepeatedAfterAddingMore() {
		var cases = MetricsFixtures.pixelCases();
		PixelCase c = cases.get(0);
		MetricsAccumulator acc = accumulate(c);
		MetricsReport first = acc.compute();
		MetricsReport again = acc.compute();
		assertEquals(first.pixelAuroc(), again.pixelAuroc(), 0);
		assertEquals(first.aupro(), again.aupro(), 0);

		// Adding a perfectly separated good image leaves the ranking of the defect pixels unchanged
		// but adds negatives; the report must change accordingly and stay finite.
		float[] low = new float[c.width() * c.height()];
		java.util.Arrays.fill(low, -100f);
		acc.add(-100f, false, low, null, c.width(), c.height());
		MetricsReport more = acc.compute();
		assertEquals(c.images().size() + 1, more.images());
		assertTrue(more.pixelAuroc() > first.pixelAuroc());
		assertTrue(more.imageAuroc() >= first.imageAuroc());
	}

	@Test
	void onlyGoodImagesGiveNaNWhereUndefined() {
		MetricsAccumulator acc = new MetricsAccumulator();
		acc.add(0.3f, false, new float[] {0.1f, 0.2f, 0.3f, 0.4f}, null, 2, 2);
		acc.add(0.5f, false, new float[] {0.5f, 0.2f, 0.3f, 0.4f}, new byte[4], 2, 2);
		MetricsReport r = acc.compute();
		assertTrue(Double.isNaN(r.imageAuroc()));
		assertTrue(Double.isNaN(r.pixelAuroc()));
		assertTrue(Double.isNaN(r.aupro()));
		assertTrue(Double.isNaN(r.imageF1Max()));
		assertTrue(Float.isNaN(r.imageF1Threshold()));
		assertTrue(Double.isNaN(r.pixelAp()));
		assertEquals(0, r.pixelRoc().size());
	}

	@Test
	void badInputIsRejected() {
		var e = assertThrows(IllegalArgumentException.class, () -> new MetricsAccumulator().compute());
		assertTrue(e.getMessage().contains("no images added"), e.getMessage());
		MetricsAccumulator acc = new MetricsAccumulator();
		assertThrows(IllegalArgumentException.class, () -> acc.add(Float.NaN, true, new float[4], null, 2, 2));
		assertThrows(IllegalArgumentException.class, () -> acc.add(1f, true, new float[4], new byte[5], 2, 2));
		assertThrows(IllegalArgumentException.class, () -> acc.add(1f, true, new float[5], null, 2, 2));
		assertThrows(IllegalArgumentException.class, () -> acc.add(1f, true, null, null, 2, 2));
		var nan = assertThrows(IllegalArgumentException.class,
			() -> acc.add(1f, true, new float[] {0, 0, Float.NaN, 0}, new byte[] {1, 0, 0, 0}, 2, 2));
		assertTrue(nan.getMessage().contains("NaN score at pixel 2"), nan.getMessage());
		assertEquals(0, acc.imageCount(), "rejected images must not be half-added");
		assertEquals(0, acc.pixelCount());
	}
}
