package org.anomalyj.fiji.ij1;

import org.anomalyj.data.CategoryFolder;
import org.anomalyj.image.ImageFileReader;
import org.anomalyj.inspect.Inspection;
import org.anomalyj.inspect.Inspector;
import org.anomalyj.model.AnomalyModel;
import org.anomalyj.model.DeviceChoice;
import org.anomalyj.model.Thresholds;
import org.anomalyj.task.Progress;
import org.anomalyj.training.ModelTrainer;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Adjust Anomaly Threshold in a real ImageJ 1.54 on a display (Xvfb when there is none; skipped
 * when neither exists), driven by {@link AdjustThresholdDriver} as a person would: the overlay and
 * Results row read back after each slider change are checked against the map the core computes for
 * the same image and model.
 */
@Tag("display")
class ImageJAdjustThresholdTest {

	static final Path SAMPLE = Path.of("sample-data", "ball_screw").toAbsolutePath();
	static final Path IMAGE = SAMPLE.resolve("test/pitting/01_200907130634_560000_000_crop_2.jpg");
	/** Where the screenshot for docs/FIJI.md is left (see docs/make-fiji-screenshot.sh). */
	static final Path SCREENSHOT = Path.of("target", "screenshots", "imagej-adjust-anomaly-threshold.png"),
		LABEL_SCREENSHOT = Path.of("target", "screenshots", "imagej-label-defects.png");

	@TempDir
	static Path tmp;

	static Map<String, String> seen;
	static Path model, save1, save2, defects;
	static Inspection reference;
	static float pixel1, image1, pixel2, image2;
	static String log;

	@BeforeAll
	static void driveImageJ() throws Exception {
		List<String> display = ImageJSession.display();
		assumeTrue(display != null, "no display and no xvfb-run: the ImageJ Adjust Anomaly Threshold test is skipped");
		model = tmp.resolve("model.zip");
		List<Path> good = CategoryFolder.open(SAMPLE).trainImages();
		try (AnomalyModel m = ModelTrainer.train(good, ModelTrainer.Settings.DEFAULT.withInputSize(128).withDevice(DeviceChoice.CPU), Progress.NONE)) {
			m.save(model);
			reference = new Inspector(m).inspect(ImageFileReader.read(IMAGE).singlePlane());
		}
		float[] sorted = reference.map().clone();
		Arrays.sort(sorted);
		// Round values, as typed into the dialog: the sliders' steps are powers of ten.
		pixel1 = round(sorted[(int) (0.995 * sorted.length)]);
		pixel2 = round(sorted[(int) (0.97 * sorted.length)]);
		image1 = round(0.97f * reference.score());
		image2 = round(1.03f * reference.score());
		save1 = tmp.resolve("from-macro.zip");
		save2 = tmp.resolve("from-dialog.zip");
		defects = tmp.resolve("defects");
		Files.createDirectories(SCREENSHOT.getParent());
		ImageJSession ij = ImageJSession.install(tmp.resolve("ImageJ"), display);
		Path done = tmp.resolve("done.txt");
		ImageJSession.Run r = ij.runMain(AdjustThresholdDriver.class, List.of(done.toString(), IMAGE.toString(), model.toString(), str(pixel1),
			str(image1), save1.toString(), str(pixel2), str(image2), save2.toString(), SCREENSHOT.toAbsolutePath().toString(), defects.toString(),
			LABEL_SCREENSHOT.toAbsolutePath().toString()), done,
			Duration.ofMinutes(4));
		assertNotNull(r.log(), () -> "the driver did not finish; ImageJ printed:\n" + r.output());
		log = r.describe();
		seen = r.seen();
		assertTrue(!seen.containsKey("error"), log);
	}

	static float round(float v) {
		return Float.parseFloat(String.format(Locale.ROOT, "%.2f", v));
	}

	static String str(float v) {
		return String.format(Locale.ROOT, "%.2f", v);
	}

	/** The map's pixels above a threshold, from the core. */
	static long above(float threshold) {
		long n = 0;
		for (float v : reference.map()) if (v > threshold) n++;
		return n;
	}

	/** Pixel counts from the ImageJ process, allowing for a few boundary pixels where the two processes' maps differ in the last bits. */
	static void assertArea(long expected, String key) {
		long got = Long.parseLong(seen.get(key));
		assertTrue(Math.abs(got - expected) <= 3, () -> key + ": " + got + " pixels, the core gives " + expected + "\n" + log);
	}

	@Test
	void theMacroCallAppliesWithoutADialog() throws Exception {
		assertArea(above(pixel1), "macro.area");
		assertArea(above(pixel1), "macro.defect_area_px");
		assertEquals("anomalous", seen.get("macro.verdict"), log);
		assertEquals("1", seen.get("macro.rows"), "the image's row is updated, not a row added");
		assertEquals("true", seen.get("macro.saved"), log);
		try (AnomalyModel m = AnomalyModel.load(save1, DeviceChoice.CPU)) {
			assertEquals(new Thresholds.Custom(image1, pixel1), m.thresholds().custom());
			assertEquals(Thresholds.Choice.CUSTOM, m.thresholds().active());
		}
	}

	@Test
	void theSlidersRedecideTheOverlayAndResultsLive() throws Exception {
		float modelPixel;
		try (AnomalyModel m = AnomalyModel.load(model, DeviceChoice.CPU)) {
			modelPixel = m.thresholds().pixel();
		}
		assertArea(above(modelPixel), "detect.area");
		assertArea(above(modelPixel), "opened.area");
		assertArea(above(pixel2), "pixel2.area");
		assertArea(above(pixel2), "pixel2.defect_area_px");
		assertEquals("anomalous", seen.get("pixel2.verdict"));
		assertEquals("good", seen.get("image2.verdict"), "the image threshold above the score");
		assertTrue(Long.parseLong(seen.get("pixel2.outlines")) >= 1, log);
		assertTrue(seen.get("label").contains("of the good calibration images get a defect"), log);
		assertTrue(seen.get("label").contains("Verdict: good"), log);
		assertTrue(Files.size(SCREENSHOT) > 10_000, "a screenshot was taken");
	}

	@Test
	void applyWritesANewModelAndIsRecordedAsTheMacroCall() throws Exception {
		assertEquals("run(\"Adjust Anomaly Threshold...\", \"model=" + model + " pixel=" + str(pixel2) + " image=" + str(image2) + " save="
			+ save2 + "\");", seen.get("recorded").lines().toList().get(0), log);
		try (AnomalyModel m = AnomalyModel.load(save2, DeviceChoice.CPU)) {
			assertEquals(new Thresholds.Custom(image2, pixel2), m.thresholds().custom());
			assertEquals("good", new Inspector(m).inspect(ImageFileReader.read(IMAGE).singlePlane()).verdict());
		}
		assertEquals("good", seen.get("applied.verdict"));
	}

	@Test
	void cancellingRestoresWhatDetectShowed() {
		assertArea(above(pixel1), "moved.area");
		assertEquals(seen.get("detect.area"), seen.get("cancelled.area"), log);
		assertEquals(seen.get("detect.verdict"), seen.get("cancelled.verdict"), log);
	}

	@Test
	void labelDefectsWritesWhatTrainingWithDefectsReads() throws Exception {
		assertEquals("run(\"Label Defects...\", \"folder=" + defects + " type=pitting name=[] roi_manager\");",
			seen.get("recorded").lines().toList().get(1), log);
		List<org.anomalyj.training.DefectThresholds.Example> found = org.anomalyj.training.DefectThresholds.find(defects);
		assertEquals(2, found.size(), log);
		long oval = new ij.gui.OvalRoi(300, 60, 120, 70).getContainedPoints().length;
		Map<String, Long> expected = Map.of(IMAGE.getFileName().toString(), oval + 60 * 40, "by-macro.jpg", 50L * 20);
		for (var e : found) {
			ij.ImagePlus mask = ij.IJ.openImage(e.mask().toString());
			long set = 0;
			for (byte v : (byte[]) mask.getProcessor().getPixels()) if (v != 0) set++;
			assertEquals(expected.get(e.image().getFileName().toString()), set, e::toString);
		}
		assertTrue(Files.size(LABEL_SCREENSHOT) > 10_000, "a screenshot was taken");
	}
}
