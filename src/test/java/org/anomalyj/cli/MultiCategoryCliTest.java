package org.anomalyj.cli;

import org.anomalyj.model.AnomalyModel;
import org.anomalyj.model.DeviceChoice;
import org.anomalyj.model.TrainingReport;
import org.anomalyj.testing.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** {@code train --data A --data B}: one model for several categories, evaluated per category. */
class MultiCategoryCliTest {

	private static final int SIDE = 48;

	@Test
	void twoCategoriesTrainOneModelCalibratedOnBoth(@TempDir Path dir) throws Exception {
		Path stripes = category(dir.resolve("parts/stripes"), 20, true, 1);
		Path dots = category(dir.resolve("parts/dots"), 10, false, 2);
		Path model = dir.resolve("m.zip");
		MainTest.Run t = MainTest.run("train", "--data", stripes.toString(), "--data", dots.toString(), "--out", model.toString(), "--size", "32",
			"--device", "cpu");
		assertEquals(0, t.code(), t.err());
		assertTrue(t.err().contains("stripes: 20 images") && t.err().contains("dots: 10 images"), t.err());
		assertTrue(t.out().contains("2 categories in one model: stripes 20 images"), t.out());

		try (AnomalyModel m = AnomalyModel.load(model, DeviceChoice.CPU)) {
			List<TrainingReport.Category> parts = m.training().categories();
			assertEquals(List.of("stripes", "dots"), parts.stream().map(TrainingReport.Category::name).toList());
			assertEquals(List.of(20, 10), parts.stream().map(TrainingReport.Category::images).toList());
			// 10 % of 30 are held out, 3: two of the stripes and one of the dots.
			assertEquals(List.of(2, 1), parts.stream().map(TrainingReport.Category::calibration).toList());
			assertEquals(27, m.training().images());
			assertEquals(3, m.thresholds().imageScores().size());
		}

		// A folder of categories trains on the same images; evaluation is per category.
		Path again = dir.resolve("m2.zip");
		MainTest.Run f = MainTest.run("train", "--data", dir.resolve("parts").toString(), "--out", again.toString(), "--size", "32", "--device", "cpu");
		assertEquals(0, f.code(), f.err());
		assertTrue(f.out().contains("2 categories in one model: dots 10 images (1 held out for calibration), stripes 20 images (2 held out"), f.out());
		for (Path c : List.of(stripes, dots)) {
			MainTest.Run e = MainTest.run("evaluate", "--model", model.toString(), "--data", c.toString(), "--device", "cpu");
			assertEquals(0, e.code(), e.err());
			assertTrue(e.out().toLowerCase().contains("auroc"), e.out());
		}
	}

	@Test
	void aDataFolderWithoutTrainGoodIsOneLine(@TempDir Path dir) throws Exception {
		Path stripes = category(dir.resolve("stripes"), 4, true, 1);
		Path plain = Files.createDirectories(dir.resolve("plain"));
		TestImages.write(TestImages.grey(SIDE, SIDE), "png", plain.resolve("0.png"));
		Path model = dir.resolve("m.zip");
		MainTest.Run r = MainTest.run("train", "--data", stripes.toString(), "--data", plain.toString(), "--out", model.toString(), "--size", "32",
			"--device", "cpu");
		assertEquals(1, r.code(), r.err());
		assertEquals(1, r.err().strip().lines().count(), r.err());
		assertTrue(r.err().contains(plain + ": not an MVTec AD category"), r.err());
		assertFalse(r.err().contains("Exception"), r.err());
		assertFalse(Files.exists(model));
	}

	/** A category of seeded textures: stripes or dots; a test set of 3 goods and 3 with a bright square, masked. */
	private static Path category(Path root, int train, boolean stripes, long seed) throws IOException {
		Random random = new Random(seed);
		Path good = Files.createDirectories(root.resolve("train/good"));
		for (int i = 0; i < train; i++) TestImages.write(texture(stripes, random), "png", good.resolve(String.format("%03d.png", i)));
		Path testGood = Files.createDirectories(root.resolve("test/good"));
		Path spot = Files.createDirectories(root.resolve("test/spot"));
		Path masks = Files.createDirectories(root.resolve("ground_truth/spot"));
		for (int i = 0; i < 3; i++) {
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

	private static BufferedImage texture(boolean stripes, Random random) {
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
