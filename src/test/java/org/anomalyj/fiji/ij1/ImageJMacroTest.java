package org.anomalyj.fiji.ij1;

import org.anomalyj.image.ImageFileReader;
import org.anomalyj.inspect.Inspector;
import org.anomalyj.model.AnomalyModel;
import org.anomalyj.model.DeviceChoice;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The macros in scripts/ run in a real ImageJ 1.54 (ij.jar, menus built, AnomalyJ installed from
 * plugins.config, no SciJava) on a display — Xvfb when there is none; skipped when neither exists.
 * Their outputs are checked against the core library run on the same model.
 */
@Tag("display")
class ImageJMacroTest {

	static final Path SAMPLE = Path.of("sample-data", "ball_screw").toAbsolutePath();
	static final Path PITTING = SAMPLE.resolve("test/pitting");
	static final String PITTING_IMAGE = "01_200907130634_560000_000_crop_2.jpg";

	@TempDir
	static Path tmp;

	static ImageJSession.Run run;
	static Path trained, batchCsv;

	@BeforeAll
	static void runBothMacros() throws Exception {
		List<String> display = ImageJSession.display();
		assumeTrue(display != null, "no display and no xvfb-run: the ImageJ macro tests are skipped");
		ImageJSession ij = ImageJSession.install(tmp.resolve("ImageJ"), display);
		trained = Files.createDirectories(tmp.resolve("trained"));
		batchCsv = tmp.resolve("batch").resolve("anomalies.csv");
		Files.createDirectories(batchCsv.getParent());
		Path scripts = Path.of("scripts").toAbsolutePath();
		Path done = tmp.resolve("done.log");
		Path driver = tmp.resolve("driver.ijm");
		ImageJSession.write(driver, ImageJSession.driver(List.of(
			new String[] {scripts.resolve("train_then_inspect.ijm").toString(),
				"good=[" + SAMPLE + "] images=[" + PITTING + "] output=[" + trained + "] input_size=128"},
			new String[] {scripts.resolve("batch_inspect_folder.ijm").toString(),
				"model=[" + trained.resolve("model.zip") + "] input=[" + PITTING + "] csv=[" + batchCsv + "]"}), done));
		run = ij.run(driver, "", done, Duration.ofMinutes(4));
		assertNotNull(run.log(), () -> "the macros did not finish; ImageJ printed:\n" + run.output());
	}

	@Test
	void trainThenInspectWritesModelOverlaysResultsAndRois() throws IOException {
		assertTrue(Files.isRegularFile(trained.resolve("model.zip")), run::log);
		List<Map<String, String>> rows = csv(trained.resolve("results.csv"));
		assertEquals(8, rows.size());
		int defects = 0;
		for (Map<String, String> r : rows) {
			assertEquals("anomalous", r.get("verdict"), r::toString);
			defects += Integer.parseInt(r.get("defects"));
		}
		assertTrue(defects >= 8);
		Map<String, String> summary = new HashMap<>();
		for (String line : Files.readAllLines(trained.resolve("summary.txt"))) {
			String[] kv = line.split("=");
			summary.put(kv[0], kv[1]);
		}
		assertEquals("8", summary.get("images"));
		assertEquals(Integer.toString(defects), summary.get("rois"), "one ROI Manager entry per defect");
		for (Path image : Files.list(PITTING).toList()) {
			String stem = image.getFileName().toString().replaceFirst("\\.jpg$", "");
			BufferedImage overlay = ImageIO.read(trained.resolve(stem + ".overlay.png").toFile());
			BufferedImage original = ImageIO.read(image.toFile());
			assertEquals(original.getWidth(), overlay.getWidth());
			assertEquals(original.getHeight(), overlay.getHeight());
			assertTrue(differingPixels(original, overlay) > 100, "the heat map is drawn on " + stem);
		}
		assertTrue(run.log().contains("learned: bank 921 from 9216 patches"), run::log); // 36 trained, 4 held out
	}

	@Test
	void batchMacroWritesTheScoresTheCoreComputes() throws IOException {
		List<Map<String, String>> rows = csv(batchCsv);
		assertEquals(8, rows.size());
		try (AnomalyModel model = AnomalyModel.load(trained.resolve("model.zip"), DeviceChoice.CPU)) {
			Inspector inspector = new Inspector(model);
			for (Map<String, String> r : rows) {
				float expected = inspector.inspect(ImageFileReader.read(PITTING.resolve(r.get("image"))).singlePlane()).score();
				assertEquals(expected, Double.parseDouble(r.get("score")), 1e-3 * expected, r::toString);
			}
		}
		assertTrue(run.log().contains("AnomalyJ: inspected 8 images"), run::log);
	}

	@Test
	void theImageJ1RecorderRecordsCallsThatReplay() throws Exception {
		ImageJSession ij = ImageJSession.install(tmp.resolve("ImageJ-recording"), ImageJSession.display());
		Path done = tmp.resolve("recorded.txt");
		Path batch = tmp.resolve("recorded-batch");
		ImageJSession.Run r = ij.runMain(RecordingDriver.class, List.of(done.toString(), "image=" + PITTING.resolve(PITTING_IMAGE),
			"data=" + SAMPLE, "input_size=128", "model=" + tmp.resolve("recorded.zip"), "input=" + PITTING, "output=" + batch,
			"device=cpu"), done, Duration.ofMinutes(4));
		assertNotNull(r.log(), () -> "the recording did not finish; ImageJ printed:\n" + r.output());
		List<String> lines = r.log().lines().toList();
		String model = tmp.resolve("recorded.zip").toString(), sep = java.io.File.separator;
		assertEquals(List.of(
			"run(\"Train Anomaly Model...\", \"data=" + SAMPLE + sep + " method=patchcore backbone=mobilenetv2 input_size=128 seed=0 contamination=0 device=cpu model=" + model + " defects=[] coreset=0.100 neighbours=9 probes=8\");",
			"run(\"Detect Anomalies...\", \"model=" + model + " overlay opacity=0.50 roi_manager results min_area=0 device=cpu\");",
			"run(\"Batch Detect Anomalies...\", \"input=" + PITTING + sep + " model=" + model + " output=" + batch + sep
				+ " maps masks overlays opacity=0.50 min_area=0 device=cpu\");",
			"run(\"Evaluate Anomaly Model...\", \"data=" + SAMPLE + sep + " model=" + model + " device=cpu\");"), lines.subList(0, 4));
		assertTrue(r.log().contains("replayed overlay=true"), r::log);
		assertEquals(9, Files.readAllLines(batch.resolve("scores.csv")).size());
	}

	static long differingPixels(BufferedImage a, BufferedImage b) {
		long n = 0;
		for (int y = 0; y < a.getHeight(); y++)
			for (int x = 0; x < a.getWidth(); x++)
				if (Math.abs((a.getRGB(x, y) & 0xff) - (b.getRGB(x, y) & 0xff)) > 40) n++;
		return n;
	}

	/** A CSV saved by ImageJ (header row, no quoting needed here) as rows of column to value. */
	static List<Map<String, String>> csv(Path file) throws IOException {
		List<String> lines = Files.readAllLines(file);
		String[] header = lines.get(0).split(",", -1);
		List<Map<String, String>> rows = new ArrayList<>();
		for (String line : lines.subList(1, lines.size())) {
			String[] f = line.split(",", -1);
			Map<String, String> row = new HashMap<>();
			for (int i = 0; i < header.length; i++) row.put(header[i].trim(), f[i]);
			rows.add(row);
		}
		assertTrue(rows.isEmpty() || rows.get(0).containsKey("score"), () -> Arrays.toString(header));
		return rows;
	}
}
