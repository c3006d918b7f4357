package org.anomalyj.bench;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A large training set made from a small one, for scale benchmarks: each image is a source image
 * flipped, shifted by a few pixels and brightness-jittered (seeded), written as PNG.
 */
public final class AugmentedImages {

	private AugmentedImages() {}

	public static List<Path> write(List<Path> sources, int count, long seed, Path dir) throws IOException {
		if (sources.isEmpty()) throw new IOException("no source images to augment");
		List<BufferedImage> images = new ArrayList<>();
		for (Path p : sources) {
			BufferedImage img = ImageIO.read(p.toFile());
			if (img == null) throw new IOException(p + ": not an image ImageIO can read");
			images.add(img);
		}
		Files.createDirectories(dir);
		SplittableRandom random = new SplittableRandom(seed);
		List<Path> out = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			BufferedImage src = images.get(random.nextInt(images.size()));
			int w = src.getWidth(), h = src.getHeight();
			boolean flipX = random.nextBoolean(), flipY = random.nextBoolean();
			int dx = random.nextInt(-8, 9), dy = random.nextInt(-8, 9);
			double gain = 0.9 + 0.2 * random.nextDouble();
			BufferedImage dst = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
			for (int y = 0; y < h; y++)
				for (int x = 0; x < w; x++) {
					int sx = Math.floorMod((flipX ? w - 1 - x : x) + dx, w), sy = Math.floorMod((flipY ? h - 1 - y : y) + dy, h);
					int rgb = src.getRGB(sx, sy);
					int r = Math.min(255, (int) (((rgb >> 16) & 255) * gain)), g = Math.min(255, (int) (((rgb >> 8) & 255) * gain)),
						b = Math.min(255, (int) ((rgb & 255) * gain));
					dst.setRGB(x, y, (r << 16) | (g << 8) | b);
				}
			Path file = dir.resolve(String.format(Locale.ROOT, "aug_%06d.png", i));
			ImageIO.write(dst, "png", file.toFile());
			out.add(file);
		}
		return out;
	}
}
