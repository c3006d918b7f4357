package org.anomalyj.image;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PreprocessorTest {

	@Test
	void matchesPillowPipeline() {
		JsonObject fixture = Fixtures.json("preprocess.json");
		for (JsonElement e : fixture.getAsJsonArray("cases")) {
			JsonObject c = e.getAsJsonObject();
			String name = c.get("name").getAsString();
			int w = c.get("w").getAsInt(), h = c.get("h").getAsInt(), channels = c.get("channels").getAsInt();
			RandomAccessibleInterval<? extends RealType<?>> plane = plane(c.get("type").getAsString(), c.getAsJsonArray("raw"), w, h, channels);
			String type = c.get("type").getAsString();
			IntensityRange range = type.equals("uint8") ? null : new IntensityRange(c.get("lo").getAsDouble(), c.get("hi").getAsDouble());
			Preprocessor p = new Preprocessor(c.get("size").getAsInt(), range, InputNormalization.valueOf(c.get("normalization").getAsString()));
			float[] got = p.toInput(plane);
			double diff = Fixtures.maxAbsDiff(got, Fixtures.floats(c.getAsJsonArray("expected")));
			assertTrue(diff <= 1e-4, name + ": max |diff| " + diff);
			assertTrue(diff <= 1e-6, name + ": expected agreement to float rounding, max |diff| " + diff);
		}
	}

	private static RandomAccessibleInterval<? extends RealType<?>> plane(String type, JsonArray raw, int w, int h, int channels) {
		int n = raw.size();
		switch (type) {
			case "uint8": {
				byte[] b = new byte[n];
				for (int i = 0; i < n; i++) b[i] = (byte) raw.get(i).getAsInt();
				return channels == 3 ? Planes.rgb8(b, w, h) : Planes.grey8(b, w, h);
			}
			case "uint16": {
				short[] s = new short[n];
				for (int i = 0; i < n; i++) s[i] = (short) raw.get(i).getAsInt();
				return Planes.grey16(s, w, h);
			}
			default:
				return Planes.grey32(Fixtures.floats(raw), w, h);
		}
	}

	@Test
	void greyIsReplicatedToThreeChannels() {
		byte[] px = new byte[30 * 20];
		for (int i = 0; i < px.length; i++) px[i] = (byte) (i * 7);
		float[] out = new Preprocessor(16).toInput(Planes.grey8(px, 30, 20));
		int s = 16 * 16;
		assertArrayEquals(Arrays.copyOfRange(out, 0, s), Arrays.copyOfRange(out, s, 2 * s));
		assertArrayEquals(Arrays.copyOfRange(out, 0, s), Arrays.copyOfRange(out, 2 * s, 3 * s));
	}

	@Test
	void onePixelImageIsUpscaled() {
		float[] out = new Preprocessor(Preprocessor.DEFAULT_SIZE).toInput(Planes.grey8(new byte[] { 51 }, 1, 1));
		assertEquals(3 * 256 * 256, out.length);
		for (float v : out) assertEquals(0.2f, v, 1e-7f);
		float[] sym = new Preprocessor(8, new IntensityRange(0, 1000), InputNormalization.SYMMETRIC)
			.toInput(Planes.grey16(new short[] { 750 }, 1, 1));
		for (float v : sym) assertEquals(0.5f, v, 1e-6f);
	}

	@Test
	void rgbChannelsStaySeparate() {
		byte[] rgb = new byte[3 * 4];
		Arrays.fill(rgb, 0, 4, (byte) 255);
		Arrays.fill(rgb, 8, 12, (byte) 102);
		float[] out = new Preprocessor(3).toInput(Planes.rgb8(rgb, 2, 2));
		for (int i = 0; i < 9; i++) {
			assertEquals(1f, out[i]);
			assertEquals(0f, out[9 + i]);
			assertEquals(0.4f, out[18 + i], 1e-7f);
		}
	}

	@Test
	void sixteenBitNeedsARange() {
		var plane = Planes.grey16(new short[4], 2, 2);
		assertTrue(Preprocessor.needsIntensityRange(plane));
		assertFalse(Preprocessor.needsIntensityRange(Planes.grey8(new byte[4], 2, 2)));
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Preprocessor(8).toInput(plane));
		assertTrue(e.getMessage().contains("intensity range"), e.getMessage());
	}

	@Test
	void writesIntoABatchAtAnOffset() {
		Preprocessor p = new Preprocessor(4);
		float[] batch = new float[2 * 3 * 16];
		Arrays.fill(batch, -7f);
		p.toInput(Planes.grey8(new byte[] { (byte) 255 }, 1, 1), batch, 48);
		for (int i = 0; i < 48; i++) assertEquals(-7f, batch[i]);
		for (int i = 48; i < 96; i++) assertEquals(1f, batch[i]);
		assertThrows(IllegalArgumentException.class, () -> p.toInput(Planes.grey8(new byte[1], 1, 1), batch, 60));
	}

	@Test
	void intensityRangeScalesClipsAndMapsNaN() {
		IntensityRange r = new IntensityRange(100, 300);
		assertEquals(0f, r.normalize(100));
		assertEquals(1f, r.normalize(300));
		assertEquals(0.25f, r.normalize(150));
		assertEquals(0f, r.normalize(-5));
		assertEquals(1f, r.normalize(1e9f));
		assertEquals(0f, r.normalize(Float.NaN));
		assertEquals(1f, r.normalize(Float.POSITIVE_INFINITY));
		assertEquals(0f, r.normalize(Float.NEGATIVE_INFINITY));
		assertEquals(0.2f, IntensityRange.EIGHT_BIT.normalize(51), 1e-7f);
		assertThrows(IllegalArgumentException.class, () -> new IntensityRange(5, 5));
		assertThrows(IllegalArgumentException.class, () -> new IntensityRange(Double.NaN, 5));
		assertThrows(IllegalArgumentException.class, () -> new IntensityRange(0, Double.POSITIVE_INFINITY));
	}

	@Test
	void accumulatorTakesFiniteMinMaxOverImages() {
		IntensityRange.Accumulator acc = IntensityRange.accumulator();
		acc.add(Planes.grey32(new float[] { Float.NaN, 3.5f, Float.POSITIVE_INFINITY, -2f }, 2, 2));
		acc.add(Planes.grey16(new short[] { 10, (short) 60000 }, 2, 1));
		acc.add(Planes.grey32(new float[] { Float.NEGATIVE_INFINITY }, 1, 1));
		assertEquals(new IntensityRange(-2, 60000), acc.range());
		assertEquals(4, acc.count());
	}

	@Test
	void accumulatorEdgeCases() {
		assertThrows(IllegalStateException.class, () -> IntensityRange.accumulator().add(Float.NaN).range());
		assertEquals(new IntensityRange(7, 8), IntensityRange.accumulator().add(Planes.grey16(new short[] { 7, 7 }, 2, 1)).range());
	}
}
