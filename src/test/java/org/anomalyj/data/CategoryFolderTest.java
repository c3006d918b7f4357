package org.anomalyj.data;

import org.anomalyj.image.BinaryMask;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CategoryFolderTest {

	static final Path SAMPLE = Path.of("sample-data", "ball_screw");

	/** Pitting mask sizes as counted by sample-data/make_subset.py (numpy over the PNG masks). */
	static final Map<String, Long> PITTING_PIXELS = Map.of(
		"01_200907130824_635000_270_crop_2", 1376L, "01_200907130415_462500_045_crop_2", 1256L,
		"01_200907130634_560000_000_crop_2", 933L, "01_200907170203_585000_090_crop_2", 835L,
		"01_200907130454_490000_180_crop_2", 807L, "01_200907130328_430000_180_crop_2", 643L,
		"01_200907073132_397500_315_crop_2", 522L, "01_200907130109_332500_225_crop_2", 502L);

	@TempDir
	Path tmp;

	@Test
	void readsTheSampleData() throws IOException {
		assertTrue(CategoryFolder.isMvtecCategory(SAMPLE));
		CategoryFolder cat = CategoryFolder.open(SAMPLE);
		assertEquals("ball_screw", cat.name());
		assertEquals(40, cat.trainImages().size());
		assertSorted(cat.trainImages());
		assertEquals(List.of("pitting"), cat.defectTypes());
		List<TestSample> test = cat.testSamples();
		assertEquals(14, test.size());
		assertEquals(6, cat.testSamples("good").size());
		assertEquals(8, cat.testSamples("pitting").size());
		for (int i = 0; i < 6; i++) assertFalse(test.get(i).isAnomalous());
		for (int i = 6; i < 14; i++) assertTrue(test.get(i).isAnomalous());
		assertSorted(cat.testSamples("pitting").stream().map(TestSample::image).toList());

		for (TestSample s : cat.testSamples("pitting")) {
			BinaryMask m = s.loadMask();
			assertEquals(565, m.width());
			assertEquals(230, m.height());
			String stem = s.image().getFileName().toString().replace(".jpg", "");
			assertEquals(PITTING_PIXELS.get(stem), m.count(), stem);
		}
		BinaryMask good = cat.testSamples("good").get(0).loadMask();
		assertEquals(565, good.width());
		assertTrue(good.isEmpty());
	}

	@Test
	void listingIsSortedSkipsHiddenAndNonImages() throws IOException {
		Path good = Files.createDirectories(tmp.resolve("cat/train/good"));
		for (String n : List.of("b.png", "a.PNG", "10.png", "2.png", ".hidden.png", "._a.png")) png(good.resolve(n), 4, 4);
		Files.writeString(good.resolve("notes.txt"), "x");
		Files.writeString(good.resolve(".DS_Store"), "x");
		png(Files.createDirectories(good.resolve("sub")).resolve("c.png"), 4, 4);
		CategoryFolder cat = CategoryFolder.open(tmp.resolve("cat"));
		assertEquals(List.of("10.png", "2.png", "a.PNG", "b.png"), names(cat.trainImages()));
		assertFalse(cat.hasTestSet());
		assertTrue(cat.testSamples().isEmpty());
	}

	@Test
	void missingTrainGood() throws IOException {
		Files.createDirectories(tmp.resolve("cat/train/ok"));
		assertFalse(CategoryFolder.isMvtecCategory(tmp.resolve("cat")));
		IOException e = assertThrows(IOException.class, () -> CategoryFolder.open(tmp.resolve("cat")));
		assertMessage(e, tmp.resolve("cat/train/good").toString(), "is missing");
		assertMessage(assertThrows(IOException.class, () -> CategoryFolder.open(tmp.resolve("nothing"))), "does not exist");
	}

	@Test
	void emptyFoldersAndFoldersWithoutImages() throws IOException {
		Path good = Files.createDirectories(tmp.resolve("cat/train/good"));
		assertMessage(assertThrows(IOException.class, () -> CategoryFolder.open(tmp.resolve("cat"))), good.toString(), "contains no images", "empty");
		Files.writeString(good.resolve("readme.txt"), "no images here");
		assertMessage(assertThrows(IOException.class, () -> CategoryFolder.open(tmp.resolve("cat"))), "1 file(s) without an image extension");
		png(good.resolve("000.png"), 4, 4);
		Path test = Files.createDirectories(tmp.resolve("cat/test"));
		assertMessage(assertThrows(IOException.class, () -> CategoryFolder.open(tmp.resolve("cat"))), test.toString(), "no sub-folders");
		Path scratch = Files.createDirectories(test.resolve("scratch"));
		assertMessage(assertThrows(IOException.class, () -> CategoryFolder.open(tmp.resolve("cat"))), scratch.toString(), "contains no images");
	}

	@Test
	void defectImageWithoutMask() throws IOException {
		png(Files.createDirectories(tmp.resolve("cat/train/good")).resolve("000.png"), 4, 4);
		Path crack = Files.createDirectories(tmp.resolve("cat/test/crack"));
		for (String n : List.of("000.png", "001.png", "002.png")) png(crack.resolve(n), 4, 4);
		png(Files.createDirectories(tmp.resolve("cat/test/good")).resolve("000.png"), 4, 4);
		assertMessage(assertThrows(IOException.class, () -> CategoryFolder.open(tmp.resolve("cat"))),
			tmp.resolve("cat/ground_truth/crack").toString(), "missing");
		Path gt = Files.createDirectories(tmp.resolve("cat/ground_truth/crack"));
		png(gt.resolve("001_mask.png"), 4, 4);
		IOException e = assertThrows(IOException.class, () -> CategoryFolder.open(tmp.resolve("cat")));
		assertMessage(e, crack.resolve("000.png").toString(), "has no mask", gt.resolve("000_mask.png").toString(), "and 1 more");
		png(gt.resolve("000_mask.png"), 4, 4);
		png(gt.resolve("002_mask.png"), 4, 4);
		CategoryFolder cat = CategoryFolder.open(tmp.resolve("cat"));
		assertEquals(List.of("crack"), cat.defectTypes());
		assertEquals("good", cat.testSamples().get(0).type());
		assertEquals(gt.resolve("001_mask.png"), cat.testSamples("crack").get(1).mask());
	}

	@Test
	void maskSizeIsCheckedWhenLoaded() throws IOException {
		png(Files.createDirectories(tmp.resolve("cat/train/good")).resolve("000.png"), 8, 6);
		Path img = png(Files.createDirectories(tmp.resolve("cat/test/dent")).resolve("007.png"), 8, 6);
		Path mask = png(Files.createDirectories(tmp.resolve("cat/ground_truth/dent")).resolve("007_mask.png"), 4, 3);
		TestSample s = CategoryFolder.open(tmp.resolve("cat")).testSamples("dent").get(0);
		IOException e = assertThrows(IOException.class, s::loadMask);
		assertMessage(e, mask.toString(), "4x3", img.toString(), "8x6");
		assertFalse(e.getMessage().contains("\n"));
		// the right size loads; value > 0 is anomalous
		png(mask, 8, 6);
		assertEquals(8 * 6 / 2, s.loadMask().count());
	}

	/** Grey PNG whose left half is 255 (anomalous as a mask), right half 0. */
	static Path png(Path file, int w, int h) throws IOException {
		BufferedImage bi = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w / 2; x++) bi.getRaster().setSample(x, y, 0, 255);
		ImageIO.write(bi, "png", file.toFile());
		return file;
	}

	static List<String> names(List<Path> paths) {
		return paths.stream().map(p -> p.getFileName().toString()).toList();
	}

	private static void assertSorted(List<Path> paths) {
		List<String> names = names(paths);
		assertEquals(names.stream().sorted().toList(), names);
	}

	static void assertMessage(Exception e, String... parts) {
		for (String p : parts) assertTrue(e.getMessage().contains(p), "expected '" + p + "' in: " + e.getMessage());
	}
}
