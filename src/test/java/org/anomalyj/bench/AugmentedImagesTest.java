package org.anomalyj.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The scale benchmark's training sets: what a varying-size set holds, and that a seed fixes it. */
class AugmentedImagesTest {

	@TempDir
	Path dir;

	private Path source(int w, int h, int grey) throws IOException {
		BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
		for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) img.setRGB(x, y, grey * 0x010101);
		Path file = dir.resolve("src_" + w + "x" + h + ".png");
		ImageIO.write(img, "png", file.toFile());
		return file;
	}

	@Test
	void varyingSizesAreCropsRescaledWithinTheirBoundsAndKeepAFlatImageFlat() throws IOException {
		Path src = source(200, 100, 100);
		List<Path> out = AugmentedImages.write(List.of(src), 40, 3, dir.resolve("a"), true);
		assertEquals(40, out.size());
		Set<Integer> widths = new HashSet<>();
		for (Path p : out) {
			BufferedImage img = ImageIO.read(p.toFile());
			// A crop keeps 75-100 % of each side and is rescaled 0.6-1.6 times.
			assertTrue(img.getWidth() >= (int) (200 * 0.75 * 0.6) && img.getWidth() <= 200 * 1.6, "width " + img.getWidth());
			assertTrue(img.getHeight() >= (int) (100 * 0.75 * 0.6) && img.getHeight() <= 100 * 1.6, "height " + img.getHeight());
			widths.add(img.getWidth());
			// Resampling a flat image leaves it flat; only the brightness gain (0.9-1.1) moves it.
			int v = img.getRGB(0, 0) & 255;
			assertTrue(v >= 90 && v <= 110, "grey " + v);
			for (int y = 0; y < img.getHeight(); y++)
				for (int x = 0; x < img.getWidth(); x++) assertEquals(v * 0x010101, img.getRGB(x, y) & 0xffffff);
		}
		assertTrue(widths.size() > 20, "sizes vary: " + widths.size() + " widths");
	}

	@Test
	void theSeedFixesTheSet() throws IOException {
		BufferedImage img = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
		for (int y = 0; y < 48; y++) for (int x = 0; x < 64; x++) img.setRGB(x, y, (x * 4) << 16 | (y * 5) << 8 | (x + y));
		Path src = dir.resolve("ramp.png");
		ImageIO.write(img, "png", src.toFile());
		List<Path> a = AugmentedImages.write(List.of(src), 5, 7, dir.resolve("a"), true);
		List<Path> b = AugmentedImages.write(List.of(src), 5, 7, dir.resolve("b"), true);
		List<Path> c = AugmentedImages.write(List.of(src), 5, 8, dir.resolve("c"), true);
		boolean differs = false;
		for (int i = 0; i < 5; i++) {
			assertArrayEquals(Files.readAllBytes(a.get(i)), Files.readAllBytes(b.get(i)));
			differs |= !java.util.Arrays.equals(Files.readAllBytes(a.get(i)), Files.readAllBytes(c.get(i)));
		}
		assertTrue(differs, "another seed, another set");
	}
}
