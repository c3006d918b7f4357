package org.anomalyj.image;

import ij.ImagePlus;
import ij.io.FileSaver;
import ij.io.Opener;
import ij.process.FloatProcessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** The encoder writes the bytes ImageJ's own FileSaver writes for the same float image, and ImageJ reads the values back. */
class FloatTiffEncoderTest {

	@TempDir
	Path dir;

	private byte[] ours(float[] v, int w, int h) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		FloatTiffEncoder.write(v, w, h, out);
		return out.toByteArray();
	}

	private byte[] imageJs(float[] v, int w, int h) throws IOException {
		Path f = dir.resolve("ij.tif");
		assertTrue(new FileSaver(new ImagePlus("map", new FloatProcessor(w, h, v.clone()))).saveAsTiff(f.toString()));
		return Files.readAllBytes(f);
	}

	@Test
	void writesWhatImageJWrites() throws IOException {
		Random r = new Random(7);
		int[][] sizes = {{1, 1}, {3, 2}, {900, 900}, {257, 1031}, {70000, 1}};
		for (int[] s : sizes) {
			int w = s[0], h = s[1];
			float[] v = new float[w * h];
			for (int i = 0; i < v.length; i++) v[i] = (float) (r.nextGaussian() * 3 + 1e-3 * i);
			assertArrayEquals(imageJs(v, w, h), ours(v, w, h), w + " x " + h);
		}
	}

	@Test
	void writesWhatImageJWritesForConstantAndNaNValues() throws IOException {
		float[] constant = {2.5f, 2.5f, 2.5f, 2.5f};
		assertArrayEquals(imageJs(constant, 2, 2), ours(constant, 2, 2));
		float[] someNaN = {Float.NaN, 0.1f, -7.25f, Float.NaN, 3e-8f, 12f};
		assertArrayEquals(imageJs(someNaN, 3, 2), ours(someNaN, 3, 2));
		float[] allNaN = {Float.NaN, Float.NaN};
		assertArrayEquals(imageJs(allNaN, 2, 1), ours(allNaN, 2, 1));
		float[] infinite = {Float.NEGATIVE_INFINITY, 1f, Float.NaN, Float.POSITIVE_INFINITY};
		assertArrayEquals(imageJs(infinite, 4, 1), ours(infinite, 4, 1));
	}

	/** The range is found in quarters side by side: the same as ImageJ's one loop, a zero's sign included, at any length. */
	@Test
	void writesWhatImageJWritesForSignedZerosAndAnyLength() throws IOException {
		float[][] cases = {{0f, -0f, 1f, 2f, 3f}, {-0f, 0f, 1f, 2f, 3f}, {1f, 2f, 3f, 4f, -0f, 0f}, {-1f, -2f, 0f, -0f, -3f},
			{-1f, -2f, -0f, 0f, -3f, -4f, -5f}, {Float.NaN, Float.NaN, Float.NaN, Float.NaN, Float.NaN, -0f}};
		for (float[] v : cases) assertArrayEquals(imageJs(v, v.length, 1), ours(v, v.length, 1), java.util.Arrays.toString(v));
		Random r = new Random(8);
		for (int n = 1; n <= 13; n++) {
			float[] v = new float[n];
			for (int i = 0; i < n; i++) v[i] = r.nextInt(4) == 0 ? Float.NaN : (float) r.nextGaussian();
			assertArrayEquals(imageJs(v, n, 1), ours(v, n, 1), java.util.Arrays.toString(v));
		}
	}

	@Test
	void imageJOpensTheValuesAndTheirRange() throws IOException {
		float[] v = {0.5f, 1.25f, -3f, 7f, 2f, 0f};
		Path f = dir.resolve("ours.tif");
		Files.write(f, ours(v, 3, 2));
		ImagePlus imp = new Opener().openImage(f.toString());
		assertNotNull(imp);
		assertEquals(ImagePlus.GRAY32, imp.getType());
		assertArrayEquals(v, (float[]) imp.getProcessor().getPixels());
		assertEquals(-3, imp.getDisplayRangeMin());
		assertEquals(7, imp.getDisplayRangeMax());
	}
}
