package org.anomalyj.compat;

import org.anomalyj.inspect.BatchInspection;
import org.anomalyj.sink.ResultRow;
import org.anomalyj.sink.ScoresCsv;
import org.anomalyj.inspect.Inspector;
import org.anomalyj.model.AnomalyModel;
import org.anomalyj.model.DeviceChoice;
import org.anomalyj.task.Progress;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Model files written by an earlier release (resources {@code compat/v1}, see the README there) keep
 * loading and scoring as that release scored them: the same scores (to float rounding), normalised
 * scores, p-values, verdicts and defects for sample-data's 14 test images, through the same path
 * as the command line's {@code score}. A loaded old model saved again by today's code loads and
 * scores the same too. Likewise a model of several categories written before they had thresholds
 * of their own (resources {@code compat/v2}).
 */
class ModelCompatibilityTest {

	static final Path TEST = Path.of("sample-data", "ball_screw", "test");
	/** The CSV holds six significant digits; batch composition may move the last float bits. */
	static final double RELATIVE = 1e-4;

	@TempDir
	Path dir;

	@Test
	void aVersion1PatchCoreModelScoresAsItsReleaseDid() throws Exception {
		scoresAsRecorded("v1/patchcore").close();
	}

	@Test
	void aVersion1PadimModelScoresAsItsReleaseDid() throws Exception {
		scoresAsRecorded("v1/padim").close();
	}

	/**
	 * A model of two categories (sample-data's ball screws and synthetic stripes) written before
	 * categories had thresholds of their own (resources {@code compat/v2}): it still judges every
	 * image by its one pooled threshold, its {@code scores.csv} has no category column, and it
	 * cannot be told a category.
	 */
	@Test
	void aModelOfSeveralCategoriesWithoutThresholdsOfTheirOwnScoresAsItsReleaseDid() throws Exception {
		try (AnomalyModel model = scoresAsRecorded("v2/multicategory")) {
			assertTrue(model.categories().isEmpty());
			assertEquals(List.of("ball_screw", "stripes"), model.training().categories().stream().map(c -> c.name()).toList());
			assertEquals(-1, model.training().categories().get(0).recognised());
			assertEquals("", model.training().describeRecognition());
			assertEquals(ScoresCsv.HEADER, Files.readAllLines(dir.resolve("v2/multicategory").resolve(ScoresCsv.FILE_NAME)).get(0));
			IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Inspector(model, 0, "stripes"));
			assertTrue(e.getMessage().contains("the model has no categories"), e.getMessage());
		}
	}


	/** Scores with the model file {@code name}.zip, and with it saved again, as recorded in {@code name}.scores.csv; returns the model. */
	private AnomalyModel scoresAsRecorded(String name) throws Exception {
		Map<String, ResultRow> expected = recorded(name);
		Path file = resource(name + ".zip");
		AnomalyModel model = AnomalyModel.load(file, DeviceChoice.CPU);
		try {
			assertScores(expected, score(model, dir.resolve(name)), name + ".zip");
			Path resaved = dir.resolve(name.replace('/', '-') + "-resaved.zip");
			model.save(resaved);
			try (AnomalyModel again = AnomalyModel.load(resaved, DeviceChoice.CPU)) {
				assertScores(expected, score(again, dir.resolve(name + "-resaved")), name + ".zip saved again");
			}
			return model;
		} catch (Exception | AssertionError e) {
			model.close();
			throw e;
		}
	}

	private static List<ResultRow> score(AnomalyModel model, Path out) throws IOException {
		BatchInspection.Settings csvOnly = new BatchInspection.Settings(List.of("csv"), 0.5, 8);
		return BatchInspection.run(new Inspector(model), testImages(), out, csvOnly, Progress.NONE).rows();
	}

	/** test/good and test/pitting in one name order, as the recorded run had them in one folder. */
	private static List<Path> testImages() throws IOException {
		try (Stream<Path> good = Files.list(TEST.resolve("good")); Stream<Path> pitting = Files.list(TEST.resolve("pitting"))) {
			return Stream.concat(good, pitting).sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
		}
	}

	private static void assertScores(Map<String, ResultRow> expected, List<ResultRow> rows, String what) {
		assertEquals(expected.keySet(), rowsByFile(rows).keySet(), what + ": scored images");
		for (ResultRow r : rows) {
			ResultRow e = expected.get(r.file());
			String at = what + ", " + r.file() + ": ";
			assertEquals("ok", r.status(), at + r.reason());
			assertClose(e.score(), r.score(), at + "score");
			assertClose(e.normalisedScore(), r.normalisedScore(), at + "normalised score");
			assertClose(e.pValue(), r.pValue(), at + "p-value");
			assertEquals(e.verdict(), r.verdict(), at + "verdict");
			assertEquals(e.defects(), r.defects(), at + "defects");
			assertEquals(e.defectArea(), r.defectArea(), at + "defect area");
		}
	}

	private static void assertClose(double expected, double actual, String what) {
		assertTrue(Math.abs(actual - expected) <= RELATIVE * Math.abs(expected), () -> what + ": expected " + expected + ", was " + actual);
	}

	private static Map<String, ResultRow> rowsByFile(List<ResultRow> rows) {
		Map<String, ResultRow> m = new LinkedHashMap<>();
		for (ResultRow r : rows) m.put(r.file(), r);
		return m;
	}

	/** The recorded scores.csv (header file,plane,status,score,normalised_score,p_value,verdict,defects,defect_area_px,reason). */
	private static Map<String, ResultRow> recorded(String method) throws IOException {
		List<String> lines = Files.readAllLines(resource(method + ".scores.csv"));
		assertEquals("file,plane,status,score,normalised_score,p_value,verdict,defects,defect_area_px,reason", lines.get(0));
		Map<String, ResultRow> rows = new LinkedHashMap<>();
		for (String line : lines.subList(1, lines.size())) {
			String[] f = line.split(",", -1);
			rows.put(f[0], new ResultRow(f[0], Integer.parseInt(f[1]), f[2], Float.parseFloat(f[3]), Float.parseFloat(f[4]),
				Double.parseDouble(f[5]), f[6], Integer.parseInt(f[7]), Long.parseLong(f[8]), f[9]));
		}
		assertEquals(14, rows.size(), method + ".scores.csv rows");
		return rows;
	}

	private static Path resource(String name) throws IOException {
		try {
			return Path.of(ModelCompatibilityTest.class.getResource(name).toURI());
		} catch (URISyntaxException | NullPointerException e) {
			throw new IOException("test resource compat/" + name + " missing", e);
		}
	}
}
