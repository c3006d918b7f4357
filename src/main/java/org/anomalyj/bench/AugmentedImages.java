package org.anomalyj.bench;

import org.anomalyj.image.FloatResizer;

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
 * flipped, shifted by a few pixels and brightness-jittered (seeded), written as PNG. With
 * {@code varySize} each image is instead a random crop (75-100 % of each side) of a source,
 * flipped, brightness-jittered and rescaled to 0.6-1.6 times the crop (the preprocessing's
 * Pillow-style bilinear resize, {@link FloatResizer#bilinear}): a set of varying sizes and
 * scales, whose patches are more diverse than copies' (harder for the coreset), as on a line that
 * photographs parts at several distances.
 */
public final class AugmentedImages {

	private AugmentedImages() {}

	public static List<Path> write(List<Path> sources, int count, long seed, Path dir) throws IOException {
		return write(sources, count, seed, dir, false);
	}

	public static List<Path> write(List<Path> sources, int count, long seed, Path dir, boolean varySize) throws IOException {
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
			Path file = dir.resolve(String.format(Locale.ROOT, "aug_%06d.png", i));
			if (varySize) {
				ImageIO.write(cropAndRescale(src, random), "png", file.toFile());
				out.add(file);
				continue;
			}
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
			ImageIO.write(dst, "png", file.toFile());
			out.add(file);
		}
		return out;
	}

	private static BufferedImage cropAndRescale(BufferedImage src, SplittableRandom random) {
		int w = src.getWidth(), h = src.getHeight();
		int cw = Math.max(1, (int) (w * (0.75 + 0.25 * random.nextDouble()))), ch = Math.max(1, (int) (h * (0.75 + 0.25 * random.nextDouble())));
		int x0 = random.nextInt(w - cw + 1), y0 = random.nextInt(h - ch + 1);
		boolean flipX = random.nextBoolean(), flipY = random.nextBoolean();
		double gain = 0.9 + 0.2 * random.nextDouble(), scale = 0.6 + random.nextDouble();
		int ow = Math.max(32, (int) (cw * scale)), oh = Math.max(32, (int) (ch * scale));
		int[] rgb = new int[ow * oh];
		for (int shift = 16; shift >= 0; shift -= 8) {
			float[] plane = new float[cw * ch];
			for (int y = 0; y < ch; y++)
				for (int x = 0; x < cw; x++)
					plane[y * cw + x] = src.getRGB(x0 + (flipX ? cw - 1 - x : x), y0 + (flipY ? ch - 1 - y : y)) >> shift & 255;
			float[] resized = FloatResizer.bilinear(plane, cw, ch, ow, oh);
			for (int i = 0; i < rgb.length; i++) rgb[i] |= Math.max(0, Math.min(255, (int) Math.round(resized[i] * gain))) << shift;
		}
		BufferedImage dst = new BufferedImage(ow, oh, BufferedImage.TYPE_INT_RGB);
		dst.setRGB(0, 0, ow, oh, rgb, 0, ow);
		return dst;
	}
}
