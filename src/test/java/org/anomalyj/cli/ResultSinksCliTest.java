package org.anomalyj.cli;

import org.anomalyj.sink.ResultRow;
import org.anomalyj.sink.ScoresCsv;
import org.anomalyj.testing.FileTreeDigest;
import org.anomalyj.testing.SmallModel;
import org.example.thirdparty.JsonLinesSinkPlugin;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code score --sinks}: a third-party sink (test sources, {@link JsonLinesSinkPlugin}) found
 * through the plug-in index and written to end to end, alone or next to the built-in ones, with
 * resuming; and no sink writes over an input.
 */
class ResultSinksCliTest {

	private static final Path PITTING = SmallModel.SAMPLE.resolve("test").resolve("pitting");

	@TempDir
	Path dir;

	/** The sample's pitting images and an empty file, in a folder of their own. */
	private Path inputs() throws IOException {
		Path in = Files.createDirectories(dir.resolve("in"));
		try (Stream<Path> s = Files.list(PITTING)) {
			for (Path f : s.toList()) Files.copy(f, in.resolve(f.getFileName()));
		}
		Files.write(in.resolve("zero.png"), new byte[0]);
		return in;
	}

	private static String score(Path in, Path out, String... more) {
		List<String> args = new java.util.ArrayList<>(List.of("score", "--model", SmallModel.file().toString(), "--input", in.toString(), "--out",
			out.toString(), "--device", "cpu"));
		args.addAll(List.of(more));
		CliRun r = CliRun.of(args.toArray(String[]::new));
		r.assertSucceeded();
		return r.out();
	}

	private static Map<String, JsonObject> jsonLines(Path file) throws IOException {
		Map<String, JsonObject> out = new HashMap<>();
		for (String line : Files.readAllLines(file)) {
			JsonObject o = JsonParser.parseString(line).getAsJsonObject();
			assertNull(out.put(o.get("file").getAsString() + "/" + o.get("plane").getAsInt(), o), line);
		}
		return out;
	}

	@Test
	void helpListsEverySinkFoundWithItsDescription() {
		CliRun r = CliRun.of("score", "--help");
		r.assertSucceeded();
		for (String name : List.of("csv", "maps", "masks", "overlays", JsonLinesSinkPlugin.NAME))
			assertTrue(r.out().lines().anyMatch(l -> l.trim().startsWith(name + " ")), name + " missing from:\n" + r.out());
	}

	@Test
	void aPluginSinkGetsTheSameResultsAsTheCsvAndResumes() throws IOException {
		Path in = inputs(), out = dir.resolve("out");
		String first = score(in, out, "--sinks", "csv," + JsonLinesSinkPlugin.NAME);
		assertTrue(first.startsWith("8 scored") && first.contains("1 skipped, 0 already done"), first);
		try (Stream<Path> s = Files.list(out)) {
			assertEquals(List.of(JsonLinesSinkPlugin.FILE, ScoresCsv.FILE_NAME), s.map(p -> p.getFileName().toString()).sorted().toList(),
				"only the sinks asked for write");
		}
		List<ResultRow> csv = ScoresCsv.read(out.resolve(ScoresCsv.FILE_NAME));
		Map<String, JsonObject> json = jsonLines(out.resolve(JsonLinesSinkPlugin.FILE));
		assertEquals(9, csv.size());
		assertEquals(9, json.size());
		for (ResultRow row : csv) {
			JsonObject o = json.get(row.file() + "/" + row.plane());
			assertNotNull(o, row.file());
			if (!row.ok()) {
				assertEquals(row.reason(), o.get("skipped").getAsString());
				continue;
			}
			// The CSV keeps six significant digits of the same float.
			assertEquals(row.score(), o.get("score").getAsFloat(), 5e-6 * Math.abs(row.score()), row.file());
			assertEquals(row.pValue(), o.get("p_value").getAsDouble(), 5e-6 * row.pValue(), row.file());
			assertEquals(row.verdict(), o.get("verdict").getAsString());
			assertEquals(row.defects(), o.get("defects").getAsInt());
		}

		String again = score(in, out, "--sinks", "csv," + JsonLinesSinkPlugin.NAME);
		assertTrue(again.startsWith("0 scored") && again.contains("1 skipped, 8 already done"), again);
		assertEquals(json, jsonLines(out.resolve(JsonLinesSinkPlugin.FILE)), "resumed results are kept as they were");
	}

	@Test
	void anInputIsDoneOnlyWhenEverySinkHoldsIt() throws IOException {
		Path in = inputs(), out = dir.resolve("out");
		String alone = score(in, out, "--sinks", JsonLinesSinkPlugin.NAME);
		assertTrue(alone.startsWith("8 scored") && alone.endsWith("results in " + out + System.lineSeparator()), alone);
		assertFalse(Files.exists(out.resolve(ScoresCsv.FILE_NAME)));
		// The maps are missing, so every image is redone; the next run finds both sinks complete.
		assertTrue(score(in, out, "--sinks", JsonLinesSinkPlugin.NAME + ",maps").startsWith("8 scored"));
		assertEquals(8, jsonLines(out.resolve(JsonLinesSinkPlugin.FILE)).values().stream().filter(o -> !o.has("skipped")).count());
		try (Stream<Path> s = Files.list(out)) {
			assertEquals(8, s.filter(p -> p.toString().endsWith(".map.tif")).count());
		}
		assertTrue(score(in, out, "--sinks", "maps," + JsonLinesSinkPlugin.NAME).contains("8 already done"));
	}

	@Test
	void unknownOrNoSinksAreUsageErrors() {
		CliRun unknown = CliRun.of("score", "--model", "m.zip", "--input", "in", "--out", "out", "--sinks", "csv,jsnl");
		assertEquals(2, unknown.exit(), unknown.err());
		assertTrue(unknown.err().contains("unknown sink 'jsnl'") && unknown.err().contains(JsonLinesSinkPlugin.NAME), unknown.err());
		CliRun none = CliRun.of("score", "--model", "m.zip", "--input", "in", "--out", "out", "--sinks", "maps", "--no-maps");
		assertEquals(2, none.exit(), none.err());
		assertTrue(none.err().contains("no sink left"), none.err());
	}

	/** Scoring a folder into itself: {@code a.png}'s mask would be the input {@code a.mask.png}. */
	@Test
	void noSinkWritesOverAnInput() throws IOException {
		Path in = Files.createDirectories(dir.resolve("same"));
		try (Stream<Path> s = Files.list(PITTING)) {
			Path image = s.sorted().findFirst().orElseThrow();
			Files.copy(image, in.resolve("a.jpg"));
			Files.copy(image, in.resolve("a.mask.png")); // a JPEG under a PNG name: read by its content
		}
		Map<String, String> before = FileTreeDigest.of(in);
		CliRun r = CliRun.of("score", "--model", SmallModel.file().toString(), "--input", in.toString(), "--out", in.toString(), "--sinks", "masks",
			"--device", "cpu");
		r.assertRefused(in.resolve("a.mask.png"), "refusing to overwrite the input file");
		assertEquals(before, FileTreeDigest.of(in));
	}
}
