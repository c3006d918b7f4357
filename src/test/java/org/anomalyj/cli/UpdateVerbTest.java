package org.anomalyj.cli;

import org.anomalyj.model.AnomalyModel;
import org.anomalyj.model.DeviceChoice;
import org.anomalyj.task.Progress;
import org.anomalyj.testing.SmallModel;
import org.anomalyj.training.ModelTrainer;

import org.example.thirdparty.MeanDistancePlugin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** {@code update}: new good images learned without retraining, written to a new file. */
class UpdateVerbTest {

	@Test
	void learnsTheNewImagesAndRecalibrates(@TempDir Path dir) throws Exception {
		Path model = dir.resolve("m.zip"), out = dir.resolve("m2.zip");
		Files.copy(SmallModel.file(), model);
		byte[] before = Files.readAllBytes(model);
		// 6 new goods: 1 (10 %, at least one) held out for calibration, 5 learned.
		MainTest.Run r = MainTest.run("update", "--model", model.toString(), "--data", SmallModel.SAMPLE.resolve("test/good").toString(), "--out",
			out.toString(), "--device", "cpu");
		assertEquals(0, r.code(), r.err());
		assertTrue(r.out().contains("learned 5 new images (1 more held out for calibration) -> bank"), r.out());
		assertArrayEquals(before, Files.readAllBytes(model), "the input model is never changed");
		try (AnomalyModel old = AnomalyModel.load(model, DeviceChoice.CPU); AnomalyModel m = AnomalyModel.load(out, DeviceChoice.CPU)) {
			assertEquals(old.training().images() + 5, m.training().images());
			assertEquals(old.thresholds().calibrationImages() + 1, m.thresholds().calibrationImages());
			assertTrue(m.method().tensors().get("memory_bank").shape()[0] > old.method().tensors().get("memory_bank").shape()[0]);
		}
	}

	@Test
	void aMethodThatCannotUpdateSaysSoInOneLine(@TempDir Path dir) throws Exception {
		Path model = dir.resolve("mean.zip"), out = dir.resolve("o.zip");
		try (AnomalyModel m = ModelTrainer.train(SmallModel.sampleTrainImages(SmallModel.IMAGES),
			SmallModel.settings().withMethod(MeanDistancePlugin.NAME, Map.of()), Progress.NONE)) {
			m.save(model);
		}
		MainTest.Run r = MainTest.run("update", "--model", model.toString(), "--data", SmallModel.SAMPLE.resolve("test/good").toString(), "--out",
			out.toString(), "--device", "cpu");
		assertEquals(1, r.code(), r.err());
		assertTrue(r.err().contains("cannot learn new images without retraining"), r.err());
		assertEquals(1, r.err().strip().lines().count(), r.err());
		assertFalse(Files.exists(out));
	}

	@Test
	void refusesToOverwriteTheModel(@TempDir Path dir) throws Exception {
		Path model = dir.resolve("m.zip");
		Files.copy(SmallModel.file(), model);
		MainTest.Run r = MainTest.run("update", "--model", model.toString(), "--data", SmallModel.SAMPLE.resolve("test/good").toString(), "--out",
			model.toString());
		assertEquals(1, r.code());
		assertTrue(r.err().contains("refusing to overwrite the input file"), r.err());
	}
}
