package org.anomalyj.testing;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * MVTec-layout categories of two clearly different synthetic parts, for the models of several
 * parts: seeded textures of stripes or of dots, with a test set of good images and of images with
 * a bright square (masked).
 */
public final class TextureCategories {

	public static final int SIDE = 48;

	private TextureCategories() {}

	/**
	 * Writes a category: {@code train} good images, and {@code test} good and {@code test} defective ("spot") images.
	 *
	 * @param stripes stripes, or else dots
	 */
	public static Path write(Path root, int train, int test, boolean stripes, long seed) throws IOException {
		Random random = new Random(seed);
		Path good = Files.createDirectories(root.resolve("train/good"));
		for (int i = 0; i < train; i++) TestImages.write(texture(stripes, random), "png", good.resolve(String.format("%03d.png", i)));
		Path testGood = Files.createDirectories(root.resolve("test/good"));
		Path spot = Files.createDirectories(root.resolve("test/spot"));
		Path masks = Files.createDirectories(root.resolve("ground_truth/spot"));
		for (int i = 0; i < test; i++) {
			TestImages.write(texture(stripes, random), "png", testGood.resolve(i + ".png"));
			BufferedImage defect = texture(stripes, random), mask = new BufferedImage(SIDE, SIDE, BufferedImage.TYPE_BYTE_GRAY);
			int x = 8 + random.nextInt(20), y = 8 + random.nextInt(20);
			fill(defect, x, y, Color.WHITE);
			fill(mask, x, y, Color.WHITE);
			TestImages.write(defect, "png", spot.resolve(i + ".png"));
			TestImages.write(mask, "png", masks.resolve(i + "_mask.png"));
		}
		return root;
	}

	/** One seeded texture image. */
	public static BufferedImage texture(boolean stripes, Random random) {
		BufferedImage img = new BufferedImage(SIDE, SIDE, BufferedImage.TYPE_INT_RGB);
		int phase = random.nextInt(8);
		for (int y = 0; y < SIDE; y++)
			for (int x = 0; x < SIDE; x++) {
				int v = stripes ? ((x + phase) / 4 % 2 == 0 ? 60 : 140) : ((x + phase) % 8 < 2 && (y + phase) % 8 < 2 ? 200 : 40);
				v += random.nextInt(11) - 5;
				img.setRGB(x, y, new Color(v, v / 2 + 20, 255 - v).getRGB());
			}
		return img;
	}

	private static void fill(BufferedImage img, int x, int y, Color c) {
		Graphics2D g = img.createGraphics();
		g.setColor(c);
		g.fillRect(x, y, 10, 10);
		g.dispose();
	}
}
