package org.anomalyj.spark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the Spark tests share: the built jars, processes with a deadline, the test images, scores.csv files. */
final class Runs {

	static final Path SPARK_JAR = Path.of(System.getProperty("anomalyj.spark.jar", "target/anomalyj-spark.jar")).toAbsolutePath();
	static final Path CLI_JAR = Path.of(System.getProperty("anomalyj.cli.jar", "../target/anomalyj-cli.jar")).toAbsolutePath();
	static final Path REPO = Path.of(System.getProperty("anomalyj.repo", "..")).toAbsolutePath().normalize();
	static final Path MODEL = REPO.resolve("src/test/resources/org/anomalyj/compat/v1/patchcore.zip");
	static final Path SAMPLE = REPO.resolve("sample-data/ball_screw");
	static final String DJL_CACHE = System.getProperty("djl.cache.dir", "target/djl-cache");
	static final List<String> OPENS = Arrays.asList(System.getProperty("spark.opens", "").trim().split("\\s+"));

	private Runs() {}

	/** A process's exit code and output. */
	record Result(int code, String out, String err) {
		Result ok() {
			assertEquals(0, code, "exit code; stderr:\n" + err + "\nstdout:\n" + out);
			return this;
		}
	}

	static Result run(Path dir, Map<String, String> env, long minutes, List<String> command) throws IOException, InterruptedException {
		Files.createDirectories(dir);
		Path out = Files.createTempFile(dir, "out", ".txt"), err = Files.createTempFile(dir, "err", ".txt");
		ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
		pb.environment().put("DJL_CACHE_DIR", DJL_CACHE);
		pb.environment().putAll(env);
		Process p = pb.start();
		if (!p.waitFor(minutes, TimeUnit.MINUTES)) {
			p.descendants().forEach(ProcessHandle::destroyForcibly);
			p.destroyForcibly();
			throw new AssertionError("timed out after " + minutes + " min: " + command + "\n" + Files.readString(err));
		}
		return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
	}

	static List<String> java(String... args) {
		List<String> c = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
			"-Djava.awt.headless=true"));
		c.addAll(Arrays.asList(args));
		return c;
	}

	/**
	 * The sample test images (good and pitting) and files no reader takes: text named .png, an
	 * empty .jpg, a PNG cut short in its header.
	 */
	static Path inputs(Path dir) throws IOException {
		Path in = Files.createDirectories(dir.resolve("in"));
		for (String cls : List.of("good", "pitting"))
			try (var files = Files.list(SAMPLE.resolve("test").resolve(cls))) {
				for (Path f : files.toList()) Files.copy(f, in.resolve(f.getFileName()));
			}
		Files.writeString(in.resolve("notes.png"), "not an image");
		Files.write(in.resolve("empty.jpg"), new byte[0]);
		// A PNG signature and then nothing a decoder can use.
		Files.write(in.resolve("broken.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R', 1, 2});
		return in;
	}

	/** scores.csv by "file/plane": the fields after those two. */
	static Map<String, String[]> csv(Path file) throws IOException {
		List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
		assertEquals("file,plane,status,score,normalised_score,p_value,verdict,defects,defect_area_px,reason", lines.get(0));
		Map<String, String[]> rows = new LinkedHashMap<>();
		for (String l : lines.subList(1, lines.size())) {
			String[] f = l.split(",", -1);
			rows.put(f[0] + "/" + f[1], f);
		}
		return rows;
	}

	/** Every row of one run equals the other's: statuses, verdicts, defects, and scores within 1e-5 (relative). */
	static void assertSameScores(Map<String, String[]> expected, Map<String, String[]> actual) {
		assertEquals(expected.keySet().stream().sorted().toList(), actual.keySet().stream().sorted().toList(), "the same files and planes");
		int skipped = 0;
		for (var e : expected.entrySet()) {
			String[] x = e.getValue(), y = actual.get(e.getKey());
			assertEquals(x[2], y[2], e.getKey() + ": status");
			if (!x[2].equals("ok")) {
				skipped++;
				continue;
			}
			for (int c = 3; c <= 5; c++) {
				double a = Double.parseDouble(x[c]), b = Double.parseDouble(y[c]);
				assertTrue(Math.abs(a - b) <= 1e-5 * Math.max(1, Math.abs(a)), e.getKey() + ": column " + c + " " + a + " vs " + b);
			}
			assertEquals(x[6], y[6], e.getKey() + ": verdict");
			assertEquals(x[7], y[7], e.getKey() + ": defects");
		}
		assertTrue(skipped >= 3, "the unreadable files are listed as skipped: " + skipped);
	}
}
