package org.anomalyj.testing;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A contaminated "good" folder for tests: 30 goods (a smooth grey gradient with seeded noise, a
 * surface) and 3 planted anomalous images (the same with a dark disc over a tenth of the image,
 * the kind of defect a good folder lets slip), 96 px, as PNG files.
 *
 * @param goods {@code good_00.png} .. {@code good_29.png}
 * @param planted {@code slipped_30.png} .. {@code slipped_32.png}
 */
public record PlantedDefects(List<Path> goods, List<Path> planted) {

	public static PlantedDefects write(Path dir) throws IOException {
		Random r = new Random(7);
		List<Path> goods = new ArrayList<>(), planted = new ArrayList<>();
		for (int i = 0; i < 33; i++) {
			boolean defect = i >= 30;
			BufferedImage img = new BufferedImage(96, 96, BufferedImage.TYPE_INT_RGB);
			int cx = 20 + r.nextInt(56), cy = 20 + r.nextInt(56);
			for (int y = 0; y < 96; y++)
				for (int x = 0; x < 96; x++) {
					int v = 110 + x / 3 + (int) Math.round(r.nextGaussian() * 6);
					if (defect && (x - cx) * (x - cx) + (y - cy) * (y - cy) < 17 * 17) v = 25 + (int) Math.round(r.nextGaussian() * 6);
					v = Math.max(0, Math.min(255, v));
					img.setRGB(x, y, v << 16 | v << 8 | v);
				}
			Path f = dir.resolve((defect ? "slipped_" : "good_") + String.format("%02d", i) + ".png");
			ImageIO.write(img, "png", f.toFile());
			(defect ? planted : goods).add(f);
		}
		return new PlantedDefects(List.copyOf(goods), List.copyOf(planted));
	}

	/** Goods and planted images together. */
	public List<Path> all() {
		List<Path> all = new ArrayList<>(goods);
		all.addAll(planted);
		return all;
	}
}
