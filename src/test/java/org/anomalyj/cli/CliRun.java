package org.anomalyj.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One command line run in-process through {@link Main#run}, with what a user would see: the exit
 * code, standard output and standard error.
 */
record CliRun(int exit, String out, String err) {

	static CliRun of(String... args) {
		ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
		int code;
		try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8); PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
			code = Main.run(args, o, e);
		}
		return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
	}

	List<String> errLines() {
		return err.lines().toList();
	}

	/** Lines reporting a skipped file. */
	List<String> skippedLines() {
		return err.lines().filter(l -> l.startsWith("skipped ")).toList();
	}

	/** What the user sees on stderr never includes a stack trace or a Java exception name. */
	CliRun assertNoTrace() {
		for (String line : errLines()) {
			assertFalse(line.startsWith("\tat ") || line.contains("Exception") || line.contains("Error:") || line.startsWith("Caused by"),
				"stack trace or exception name on stderr:\n" + err);
		}
		assertFalse(out.contains("\tat ") || out.contains("Exception"), "stack trace on stdout:\n" + out);
		return this;
	}

	CliRun assertSucceeded() {
		assertEquals(0, exit, () -> "exit code " + exit + "; stderr:\n" + err);
		return assertNoTrace();
	}

	/**
	 * The run failed with exit code 1 and exactly one error line, which names {@code file} and
	 * contains each fragment.
	 */
	String assertRefused(Object file, String... fragments) {
		assertEquals(1, exit, () -> "exit code " + exit + "; stdout:\n" + out + "stderr:\n" + err);
		assertNoTrace();
		List<String> errors = err.lines().filter(l -> l.startsWith("anomalyj ")).toList();
		assertEquals(1, errors.size(), () -> "expected one error line:\n" + err);
		String line = errors.get(0);
		assertTrue(line.contains(file.toString()), () -> "error does not name " + file + ": " + line);
		for (String f : fragments) assertTrue(line.contains(f), () -> "expected '" + f + "' in: " + line);
		return line;
	}
}
