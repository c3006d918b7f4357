package org.anomalyj.spark;

import org.anomalyj.inspect.Inspector;
import org.anomalyj.model.AnomalyModel;
import org.anomalyj.model.DeviceChoice;
import org.anomalyj.model.Thresholds;

import org.apache.spark.broadcast.Broadcast;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The model on an executor: its bytes come once per executor JVM as a broadcast, and the first task
 * that needs it loads it; every later task and partition in that JVM reuses it (the backbone and
 * the method are immutable once loaded, and forward passes may run in several tasks at once).
 * Loaded models live as long as the JVM.
 */
final class ExecutorModel {

	/**
	 * What an executor needs to load a model as the driver chose it.
	 *
	 * @param key names this model and these choices (file checksum and options)
	 * @param threshold which stored thresholds decide, or null for the model's own choice
	 */
	record Shipment(String key, Broadcast<byte[]> bytes, String device, String threshold, long minDefectArea) implements Serializable {}

	private static final Map<String, Inspector> LOADED = new HashMap<>();

	private ExecutorModel() {}

	static synchronized Inspector inspector(Shipment s) throws IOException {
		Inspector loaded = LOADED.get(s.key());
		if (loaded != null) return loaded;
		Path file = Files.createTempFile("anomalyj-model-", ".zip");
		try {
			Files.write(file, s.bytes().value());
			AnomalyModel model = AnomalyModel.load(file, DeviceChoice.parse(s.device()));
			if (s.threshold() != null) model.useThresholds(Thresholds.Choice.parse(s.threshold()));
			Inspector inspector = new Inspector(model, s.minDefectArea());
			LOADED.put(s.key(), inspector);
			return inspector;
		} finally {
			Files.deleteIfExists(file);
		}
	}
}
