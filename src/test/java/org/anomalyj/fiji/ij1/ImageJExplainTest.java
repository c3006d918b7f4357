package org.anomalyj.fiji.ij1;

import org.anomalyj.data.CategoryFolder;
import org.anomalyj.image.ImageFileReader;
import org.anomalyj.inspect.Explainer;
import org.anomalyj.inspect.Explanation;
import org.anomalyj.inspect.ExplanationMontage;
import org.anomalyj.model.AnomalyModel;
import org.anomalyj.model.DeviceChoice;
import org.anomalyj.task.Progress;
import org.anomalyj.training.ModelTrainer;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Explain Anomaly in a real ImageJ 1.54 on a display (Xvfb when there is none; skipped when neither
 * exists), driven by {@link ExplainDriver} through macros and the menu: the montage window and the
 * explanation table read back after each run are checked against the explanation the core computes
 * in this process for the same image, place and model (the default model: input size 256).
 */
@Tag("display")
class ImageJExplainTest {

	static final Path SAMPLE = Path.of("sample-data", "ball_screw").toAbsolutePath();
	static final Path IMAGE = SAMPLE.resolve("test/pitting/01_200907130634_560000_000_crop_2.jpg");
	/** Where the screenshot for docs/FIJI.md is left. */
	static final Path SCREENSHOT = Path.of("target", "screenshots", "imagej-explain-anomaly.png");

	@TempDir
	static Path tmp;

	static Map<String, String> seen;
	static Path model;
	static Explanation point, area;
	static String log;

	@BeforeAll
	static void driveImageJ() throws Exception {
		List<String> display = ImageJSession.display();
		assumeTrue(display != null, "no display and no xvfb-run: the ImageJ Explain Anomaly test is skipped");
		model = tmp.resolve("model.zip");
		List<Path> good = CategoryFolder.open(SAMPLE).trainImages();
		try (AnomalyModel m = ModelTrainer.train(good, ModelTrainer.Settings.DEFAULT.withDevice(DeviceChoice.CPU), Progress.NONE)) {
			m.save(model);
			var plane = ImageFileReader.read(IMAGE).singlePlane();
			String name = IMAGE.getFileName().toString();
			point = new Explainer(m).explain(plane, name, Explainer.Place.point(ExplainDriver.POINT_X, ExplainDriver.POINT_Y), 3, null);
			area = new Explainer(m).explain(plane, name, Explainer.Place.rectangle(ExplainDriver.AREA_X, ExplainDriver.AREA_Y, ExplainDriver.AREA_W,
				ExplainDriver.AREA_H), 5, null);
		}
		Files.createDirectories(SCREENSHOT.getParent());
		ImageJSession ij = ImageJSession.install(tmp.resolve("ImageJ"), display);
		Path done = tmp.resolve("done.txt");
		ImageJSession.Run r = ij.runMain(ExplainDriver.class, List.of(done.toString(), IMAGE.toString(), model.toString(),
			SCREENSHOT.toAbsolutePath().toString()), done, Duration.ofMinutes(4));
		assertNotNull(r.log(), () -> "the driver did not finish; ImageJ printed:\n" + r.output());
		log = r.describe();
		seen = r.seen();
		assertTrue(!seen.containsKey("error"), log);
	}

	/** The table's rows as the driver read them, against the core's explanation. */
	static void assertRows(String step, Explanation expected) {
		List<Explanation.Row> rows = expected.rows();
		assertEquals(Integer.toString(rows.size()), seen.get(step + ".rows"), log);
		for (int i = 0; i < rows.size(); i++) {
			Explanation.Row e = rows.get(i);
			String[] got = seen.get(step + ".row" + i).split("\\|");
			String at = step + " row " + i + ": " + String.join("|", got);
			assertEquals(e.image(), got[0], at);
			assertEquals(e.row(), Integer.parseInt(got[1]), at);
			assertEquals(e.column(), Integer.parseInt(got[2]), at);
			assertEquals(e.distance(), Double.parseDouble(got[3]), 1e-4 * e.distance(), at);
			assertEquals(e.status(), got[4], at);
		}
	}

	static int panels(String step) {
		return Integer.parseInt(seen.get(step + ".montage_size").split("x")[0]) / ExplanationMontage.PANEL;
	}

	@Test
	void aPointExplainedByMacroWithTheDetectionsModel() {
		assertEquals("Explanation of " + IMAGE.getFileName(), seen.get("point.montage"));
		assertEquals(4, panels("point"), "the query and three neighbours");
		assertRows("point", point);
		for (Explanation.Row r : point.rows().subList(1, 4)) assertEquals("ok", r.status(), "every training image is where the model recorded it");
	}

	@Test
	void aRectangleIsExplainedByItsHighestScoringPatch() {
		assertEquals(6, panels("area"));
		assertRows("area", area);
		assertTrue(area.query().score() >= point.query().score() || !new java.awt.Rectangle(ExplainDriver.AREA_X, ExplainDriver.AREA_Y,
			ExplainDriver.AREA_W, ExplainDriver.AREA_H).contains(ExplainDriver.POINT_X, ExplainDriver.POINT_Y));
	}

	@Test
	void theDialogIsRecordedAsTheMacroCall() throws Exception {
		String recorded = seen.get("recorded").lines().toList().get(0);
		assertEquals("run(\"Explain Anomaly...\", \"model=" + model + " neighbours=4 training=[] device=auto\");", recorded);
		assertEquals(5, panels("dialog"));
		assertEquals("5", seen.get("dialog.rows"));
		assertTrue(Files.size(SCREENSHOT) > 10_000, "a screenshot was taken");
	}
}
