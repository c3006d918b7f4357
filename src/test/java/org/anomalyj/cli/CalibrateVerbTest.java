package org.anomalyj.cli;

import org.anomalyj.model.AnomalyModel;
import org.anomalyj.model.DeviceChoice;
import org.anomalyj.testing.SmallModel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

/** {@code calibrate}: thresholds from given goods, written to a new file; the model file untouched. */
class CalibrateVerbTest {

	@Test
	void resetsThresholdsFromTheGoodsAndKeepsTheModel(@TempDir Path dir) throws Exception {
		Path model = dir.resolve("m.zip");
		Files.copy(SmallModel.file(), model);
		byte[] before = Files.readAllBytes(model);
		Path goods = SmallModel.SAMPLE.resolve("test/good"), out = dir.resolve("m2.zip");
		MainTest.Run r = MainTest.run("calibrate", "--model", model.toString(), "--good", goods.toString(), "--out", out.toString(), "--device", "cpu");
		assertEquals(0, r.code(), r.err());
		assertTrue(r.out().contains("drift") && r.out().contains("6 good images against"), r.out());
		assertTrue(r.out().contains("after:  thresholds (goods, 6 images)"), r.out());
		assertArrayEquals(before, Files.readAllBytes(model), "the input model is never changed");

		try (AnomalyModel old = AnomalyModel.load(model, DeviceChoice.CPU); AnomalyModel m = AnomalyModel.load(out, DeviceChoice.CPU)) {
			assertEquals("goods", m.thresholds().calibration());
			assertEquals(6, m.thresholds().calibrationImages());
			// With 6 calibration images the threshold for 1 % is their largest score (rate 1/7).
			float[] s = m.thresholds().imageScores().values();
			assertEquals(s[s.length - 1], m.thresholds().image());
			assertEquals(1 / 7.0, m.thresholds().falseAlarmRate(), 1e-12);
			// Same method: the goods score the same under both models.
			assertArrayEquals(old.method().tensors().keySet().toArray(), m.method().tensors().keySet().toArray());
			assertFalse(Arrays.equals(old.thresholds().imageScores().values(), s));
		}
	}

	@Test
	void refusesToOverwriteTheModel(@TempDir Path dir) throws Exception {
		Path model = dir.resolve("m.zip");
		Files.copy(SmallModel.file(), model);
		byte[] before = Files.readAllBytes(model);
		MainTest.Run r = MainTest.run("calibrate", "--model", model.toString(), "--good", SmallModel.SAMPLE.resolve("test/good").toString(), "--out",
			model.toString());
		assertEquals(1, r.code());
		assertTrue(r.err().contains("refusing to overwrite the input file"), r.err());
		assertEquals(1, r.err().strip().lines().count(), r.err());
		assertArrayEquals(before, Files.readAllBytes(model));
	}

	@Test
	void namesAMissingFolder(@TempDir Path dir) {
		MainTest.Run r = MainTest.run("calibrate", "--model", SmallModel.file().toString(), "--good", dir.resolve("nope").toString(), "--out",
			dir.resolve("o.zip").toString());
		assertEquals(1, r.code());
		assertTrue(r.err().contains("nope: no such folder"), r.err());
		assertFalse(Files.exists(dir.resolve("o.zip")));
	}

	@Test
	void scoreWithGoodsReportsTheDriftCheck(@TempDir Path dir) {
		MainTest.Run r = MainTest.run("score", "--model", SmallModel.file().toString(), "--input", SmallModel.SAMPLE.resolve("test/good").toString(),
			"--out", dir.resolve("s").toString(), "--goods", "--no-maps", "--no-masks", "--no-overlays", "--device", "cpu");
		assertEquals(0, r.code(), r.err());
		assertTrue(r.out().lines().anyMatch(l -> l.matches("(no )?drift: 6 good images against \\d+ calibration images: .*")), r.out());
	}
}
