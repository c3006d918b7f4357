package org.anomalyj.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The CLI contract: verbs, options, outputs, exit codes and one-line errors. */
class MainTest {

	static final String SAMPLE = Path.of("sample-data", "ball_screw").toString();

	record Run(int code, String out, String err) {}

	static Run run(String... args) {
		ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
		int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
		return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
	}

	@Test
	void trainScoreEvaluateOnSampleData(@TempDir Path dir) throws Exception {
		Path model = dir.resolve("m.zip");
		Run t = run("train", "--data", SAMPLE, "--out", model.toString(), "--size", "128", "--device", "cpu");
		assertEquals(0, t.code(), t.err());
		assertTrue(Files.isRegularFile(model));
		assertTrue(t.out().contains("bank"), t.out());

		Path out = dir.resolve("scores");
		Run s = run("score", "--model", model.toString(), "--input", SAMPLE + "/test/pitting", "--out", out.toString());
		assertEquals(0, s.code(), s.err());
		List<String> csv = Files.readAllLines(out.resolve("scores.csv"));
		assertEquals("file,plane,status,score,normalised_score,p_value,verdict,defects,defect_area_px,reason", csv.get(0));
		assertEquals(9, csv.size(), "header + 8 pitted images");
		for (String line : csv.subList(1, csv.size())) {
			String stem = line.substring(0, line.indexOf(".jpg"));
			for (String suffix : List.of(".map.tif", ".mask.png", ".overlay.png"))
				assertTrue(Files.isRegularFile(out.resolve(stem + suffix)), stem + suffix);
		}
		// A second run resumes: nothing is redone.
		Run again = run("score", "--model", model.toString(), "--input", SAMPLE + "/test/pitting", "--out", out.toString());
		assertEquals(0, again.code(), again.err());
		assertTrue(again.out().startsWith("0 scored"), again.out());
		assertTrue(again.out().contains("8 already done"), again.out());

		Path json = dir.resolve("metrics.json");
		Run e = run("evaluate", "--model", model.toString(), "--data", SAMPLE, "--json", json.toString());
		assertEquals(0, e.code(), e.err());
		JsonObject o = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
		for (String key : List.of("image_auroc", "pixel_auroc", "aupro", "image_f1_max", "pixel_ap", "images", "ms_per_image"))
			assertTrue(o.has(key), key);
		assertEquals(14, o.get("images").getAsInt());
		double auroc = o.get("image_auroc").getAsDouble();
		assertTrue(auroc >= 0 && auroc <= 1);
	}

	@Test
	void wrongCallsExitTwoWithOneLine() {
		Run unknown = run("frobnicate");
		assertEquals(2, unknown.code());
		assertTrue(unknown.err().contains("unknown verb 'frobnicate'"), unknown.err());
		Run missing = run("train", "--data", SAMPLE);
		assertEquals(2, missing.code());
		assertEquals("anomalyj train: option --out is required", missing.err().strip());
		Run bad = run("train", "--data", SAMPLE, "--out", "x.zip", "--size", "big");
		assertEquals(2, bad.code());
		assertTrue(bad.err().contains("--size takes a whole number"), bad.err());
	}

	@Test
	void badInputExitsOneNamingTheFile(@TempDir Path dir) throws Exception {
		Path notAModel = dir.resolve("m.zip");
		Files.writeString(notAModel, "hello");
		Run r = run("score", "--model", notAModel.toString(), "--input", SAMPLE + "/test/good", "--out", dir.resolve("o").toString());
		assertEquals(1, r.code());
		assertTrue(r.err().contains(notAModel.toString()), r.err());
		assertEquals(1, r.err().strip().lines().count(), r.err());
		assertFalse(r.err().contains("\tat "), r.err());

		Run empty = run("train", "--data", dir.toString(), "--out", dir.resolve("x.zip").toString());
		assertEquals(1, empty.code());
		assertFalse(Files.exists(dir.resolve("x.zip")));
		assertEquals(1, empty.err().strip().lines().count(), empty.err());
	}
}
