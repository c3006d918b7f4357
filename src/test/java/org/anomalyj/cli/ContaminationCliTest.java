package org.anomalyj.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** {@code train --contamination} and {@code evaluate --noise} from the command line. */
class ContaminationCliTest {

	@Test
	void noiseProtocolMovesDefectsAndReportsBothModels(@TempDir Path dir) throws Exception {
		Path json = dir.resolve("noise.json");
		// 8 pittings: round(0.25 * 8) = 2 move into training, 6 pittings and 6 goods are evaluated.
		MainTest.Run r = MainTest.run("evaluate", "--data", MainTest.SAMPLE, "--noise", "0.25", "--method", "padim", "--size", "64", "--device", "cpu",
			"--contamination", "auto", "--json", json.toString());
		assertEquals(0, r.code(), r.err());
		assertTrue(r.out().contains("clean model") && r.out().contains("contaminated model"), r.out());
		assertTrue(r.out().contains("moved 2 defect images into training"), r.out());
		JsonObject o = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
		assertEquals(2, o.getAsJsonArray("moved").size());
		assertEquals(40, o.get("goods").getAsInt());
		for (String run : new String[] {"clean", "contaminated"}) {
			JsonObject e = o.getAsJsonObject(run);
			assertEquals(12, e.get("images").getAsInt(), run);
			assertEquals(6, e.get("defects").getAsInt(), run);
			assertEquals("auto", e.getAsJsonObject("training").getAsJsonObject("contamination").get("setting").getAsString());
		}
		int named = o.get("named").getAsInt(), goodsNamed = o.get("goods_named").getAsInt();
		assertEquals(named + goodsNamed,
			o.getAsJsonObject("contaminated").getAsJsonObject("training").getAsJsonObject("contamination").getAsJsonArray("excluded").size());
	}

	@Test
	void badSettingsAreOneLineUsageErrors(@TempDir Path dir) {
		String out = dir.resolve("m.zip").toString();
		assertUsage(MainTest.run("train", "--data", MainTest.SAMPLE, "--out", out, "--contamination", "0.7"), "contamination must be auto, 0 or a fraction");
		assertUsage(MainTest.run("train", "--data", MainTest.SAMPLE, "--out", out, "--contamination", "some"), "contamination must be auto, 0 or a fraction");
		assertUsage(MainTest.run("evaluate", "--data", MainTest.SAMPLE, "--noise", "1.5"), "--noise must be a fraction in (0, 1)");
		assertUsage(MainTest.run("evaluate", "--data", MainTest.SAMPLE, "--noise", "lots"), "noise");
		assertUsage(MainTest.run("evaluate", "--data", MainTest.SAMPLE, "--noise", "0.2", "--model", out), "drop --model");
		assertUsage(MainTest.run("evaluate", "--data", MainTest.SAMPLE, "--noise", "0.2", "--false-alarms"), "separate runs");
		assertFalse(Files.exists(Path.of(out)));
	}

	@Test
	void aNoiseFractionThatMovesNothingIsNamed() {
		MainTest.Run r = MainTest.run("evaluate", "--data", MainTest.SAMPLE, "--noise", "0.01", "--size", "64", "--device", "cpu");
		assertEquals(1, r.code(), r.err());
		assertTrue(r.err().contains("moves no defect image"), r.err());
		assertEquals(1, r.err().strip().lines().count(), r.err());
	}

	private static void assertUsage(MainTest.Run r, String message) {
		assertEquals(2, r.code(), r.err());
		assertTrue(r.err().contains(message), r.err());
		assertFalse(r.err().contains("Exception"), r.err());
	}
}
