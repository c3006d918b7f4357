package org.anomalyj.sink;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The results table's CSV form: the lines written by hand from the format's rules, and read back. */
class ScoresCsvTest {

	@Test
	void formatsRowsWithSixSignificantDigitsAndRfc4180Quoting() {
		ResultRow ok = new ResultRow("a,b \"c\".png", 2, "ok", 1.5f, 0.25f, 1.0 / 3, "good", 3, 42, "");
		assertEquals("\"a,b \"\"c\"\".png\",2,ok,1.50000,0.250000,0.333333,good,3,42,", ScoresCsv.format(ok));
		ResultRow skipped = ResultRow.skipped("x.png", 0, "/in/x.png: is empty (0 bytes)");
		assertEquals("x.png,0,skipped,,,,,,,/in/x.png: is empty (0 bytes)", ScoresCsv.format(skipped));
		ResultRow uncalibrated = new ResultRow("u.png", 0, "ok", 12.25f, Float.NaN, Double.NaN, "uncalibrated", 0, 0, "");
		assertEquals("u.png,0,ok,12.2500,NaN,NaN,uncalibrated,0,0,", ScoresCsv.format(uncalibrated));
	}

	@Test
	void readsBackWhatItWrites(@TempDir Path dir) throws IOException {
		List<ResultRow> rows = List.of(new ResultRow("a,b \"c\".png", 2, "ok", 1.5f, 0.25f, 0.125, "anomalous", 3, 42, ""),
			ResultRow.skipped("y.png", 1, "y.png: a \"quoted\", listed reason"), new ResultRow("u.png", 0, "ok", 12.25f, Float.NaN, Double.NaN,
				"uncalibrated", 0, 0, ""));
		Path csv = dir.resolve(ScoresCsv.FILE_NAME);
		ScoresCsv.write(csv, rows);
		assertEquals(ScoresCsv.HEADER, Files.readAllLines(csv).get(0));
		assertEquals(rows, ScoresCsv.read(csv));
	}

	@Test
	void aModelOfSeveralCategoriesAddsTheCategoryAfterTheVerdict(@TempDir Path dir) throws IOException {
		ResultRow ok = new ResultRow("a.png", 0, "ok", 1.5f, 0.25f, 0.125, "good", "ball, screw", 1, 7, "");
		assertEquals("a.png,0,ok,1.50000,0.250000,0.125000,good,\"ball, screw\",1,7,", ScoresCsv.format(ok, true));
		assertEquals("a.png,0,ok,1.50000,0.250000,0.125000,good,1,7,", ScoresCsv.format(ok), "the table of one category is unchanged");
		ResultRow skipped = ResultRow.skipped("x.png", 0, "x.png: is empty");
		assertEquals("x.png,0,skipped,,,,,,,,x.png: is empty", ScoresCsv.format(skipped, true));

		Path csv = dir.resolve(ScoresCsv.FILE_NAME);
		ScoresCsv.write(csv, List.of(ok, skipped), true);
		assertEquals(ScoresCsv.CATEGORY_HEADER, Files.readAllLines(csv).get(0));
		assertEquals(List.of(ok, skipped), ScoresCsv.read(csv));
		assertThrows(IllegalArgumentException.class, () -> ScoresCsv.parse(ScoresCsv.format(ok, true)), "a category column where none belongs");
	}

	@Test
	void refusesFilesThatAreNotResultTables(@TempDir Path dir) throws IOException {
		Path other = Files.writeString(dir.resolve("other.csv"), "name,value\na,1\n");
		IOException e = assertThrows(IOException.class, () -> ScoresCsv.read(other));
		assertTrue(e.getMessage().startsWith(other + ": not a results file"), e.getMessage());
		Path damaged = Files.writeString(dir.resolve("damaged.csv"), ScoresCsv.HEADER + "\na.png,0,ok,1.0\n");
		e = assertThrows(IOException.class, () -> ScoresCsv.read(damaged));
		assertTrue(e.getMessage().contains("line 2"), e.getMessage());
		assertThrows(IllegalArgumentException.class, () -> ScoresCsv.parse("a.png,0,maybe,,,,,,,"));
	}
}
