package org.anomalyj.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The command line's method choice, method options, thresholds and few-shot evaluation, on sample-data at 64 px. */
class MethodOptionsCliTest {

	private static final String DATA = Path.of("sample-data", "ball_screw").toString();

	private record Outcome(int code, String out, String err) {}

	private static Outcome run(String... args) {
		ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
		int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
		return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
	}

	@Test
	void trainsPadimWithItsOptionsAndF1ThresholdsThenScoresWithPValues(@TempDir Path dir) throws IOException {
		String model = dir.resolve("padim.zip").toString();
		Outcome t = run("train", "--data", DATA, "--out", model, "--method", "padim", "--dims", "20", "--size", "64", "--device", "cpu",
			"--defects", DATA, "--threshold", "f1", "--calibration", "auto");
		assertEquals(0, t.code(), t.err());
		assertTrue(t.out().contains("padim, 40 images"), t.out());
		assertTrue(t.out().contains("thresholds (crossfit, 40 images)"), t.out());
		assertTrue(t.out().contains("F1 thresholds from 8 defect and 40 good images"), t.out());

		Path scores = dir.resolve("scores");
		Outcome s = run("score", "--model", model, "--input", Path.of(DATA, "test", "pitting").toString(), "--out", scores.toString(), "--no-maps",
			"--no-overlays", "--threshold", "conformal", "--device", "cpu");
		assertEquals(0, s.code(), s.err());
		List<String> csv = Files.readAllLines(scores.resolve("scores.csv"));
		assertTrue(csv.get(0).contains(",p_value,verdict,"), csv.get(0));
		assertEquals(9, csv.size());
	}

	@Test
	void wrongMethodsAndOptionsAreUsageErrors(@TempDir Path dir) {
		String model = dir.resolve("m.zip").toString();
		Outcome unknown = run("train", "--data", DATA, "--out", model, "--method", "padin");
		assertEquals(2, unknown.code());
		assertTrue(unknown.err().contains("unknown method 'padin'") && unknown.err().contains("patchcore"), unknown.err());
		Outcome foreign = run("train", "--data", DATA, "--out", model, "--method", "padim", "--coreset", "0.2");
		assertEquals(2, foreign.code());
		assertTrue(foreign.err().contains("--coreset"), foreign.err());
		Outcome bad = run("train", "--data", DATA, "--out", model, "--method", "padim", "--dims", "0");
		assertEquals(2, bad.code());
		assertTrue(bad.err().contains("dims"), bad.err());
		Outcome f1 = run("train", "--data", DATA, "--out", model, "--threshold", "f1");
		assertEquals(2, f1.code());
		assertTrue(f1.err().contains("--defects"), f1.err());
		Outcome cal = run("train", "--data", DATA, "--out", model, "--calibration", "sometimes");
		assertEquals(2, cal.code());
		assertTrue(cal.err().contains("calibration"), cal.err());
		assertFalse(Files.exists(dir.resolve("m.zip")));
	}

	@Test
	void evaluatesTheFewShotSetting() {
		Outcome e = run("evaluate", "--data", DATA, "--few-shot", "1,2", "--repeats", "2", "--method", "padim", "--size", "64", "--device", "cpu");
		assertEquals(0, e.code(), e.err());
		assertTrue(e.out().contains("few-shot ball_screw, padim"), e.out());
		assertEquals(2, e.out().lines().filter(l -> l.matches("\\s+[12]\\s+2\\s.*")).count(), e.out());
		Outcome both = run("evaluate", "--data", DATA, "--few-shot", "1", "--false-alarms");
		assertEquals(2, both.code());
	}
}
