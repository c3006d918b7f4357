package org.anomalyj.data;

import org.anomalyj.image.BinaryMask;
import org.anomalyj.image.ImageFileReader;
import org.anomalyj.image.LoadedImage;
import org.anomalyj.image.Preprocessor;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Every image and mask of the development datasets in ../shared opens, with the counts its README states. */
@Tag("slow")
class SharedDatasetsTest {

	@Test
	void mvtecBottle() throws IOException {
		wholeCategoryReadsAndMasksMatch("../shared/datasets/mvtec_ad/bottle", 209, 20, 63, 3);
	}

	@Test
	void bsdataBallScrew() throws IOException {
		wholeCategoryReadsAndMasksMatch("../shared/datasets/bsdata/ball_screw", 568, 142, 394, 1);
	}

	private static void wholeCategoryReadsAndMasksMatch(String dir, int train, int testGood, int defects, int defectTypes) throws IOException {
		Path root = Path.of(dir);
		assumeTrue(Files.isDirectory(root), "no " + root);
		CategoryFolder cat = CategoryFolder.open(root);
		assertEquals(train, cat.trainImages().size());
		assertEquals(testGood, cat.testSamples(CategoryFolder.GOOD).size());
		assertEquals(defects, cat.testSamples().size() - testGood);
		assertEquals(defectTypes, cat.defectTypes().size());
		Preprocessor pre = new Preprocessor(64);
		for (Path p : cat.trainImages()) {
			LoadedImage img = ImageFileReader.read(p);
			assertEquals(3, img.info().channels(), p.toString());
			for (float v : pre.toInput(img.singlePlane())) assertTrue(v >= 0 && v <= 1, p.toString());
		}
		for (TestSample s : cat.testSamples()) {
			LoadedImage img = ImageFileReader.read(s.image());
			BinaryMask m = s.loadMask(img.info().width(), img.info().height());
			assertEquals(s.isAnomalous(), !m.isEmpty(), s.image().toString());
			assertFalse(img.info().slices() != 1, s.image().toString());
		}
	}
}
