package org.anomalyj.fiji;

import org.anomalyj.model.DeviceChoice;
import org.anomalyj.testing.PlantedDefects;
import org.anomalyj.training.Contamination;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Train Anomaly Model with a contamination setting: the images left out are named in the Log. */
class TrainContaminationTest {

	@Test
	void theLogNamesTheImagesLeftOut(@TempDir Path dir) throws Exception {
		Path data = Files.createDirectory(dir.resolve("goods"));
		PlantedDefects.write(data);
		List<String> log = new ArrayList<>();
		Feedback recording = new Feedback() {
			@Override
			protected void showStatus(String message, long done, long total) {}

			@Override
			public void finished() {}

			@Override
			public void log(String line) {
				log.add(line);
			}
		};
		TrainAction.Parameters p = new TrainAction.Parameters(data, "padim", "mobilenetv2", 64, Map.of(), 0, DeviceChoice.CPU, dir.resolve("m.zip"),
			Contamination.AUTO, null);
		ModelCache cache = new ModelCache();
		TrainAction.Outcome o = TrainAction.run(p, recording, cache);
		cache.clear();
		String named = o.summary().stream().filter(l -> l.contains("left out as anomalous")).findFirst().orElse("");
		assertTrue(named.contains("3 training image(s)") && named.contains("slipped_30.png") && named.contains("slipped_32.png"), o.summary().toString());
		assertTrue(log.stream().anyMatch(l -> l.contains("slipped_31.png")), log.toString());
		assertEquals(27, o.images());
	}
}
