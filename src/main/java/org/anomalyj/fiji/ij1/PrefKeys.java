package org.anomalyj.fiji.ij1;

import java.nio.file.Path;

/**
 * ImageJ 1.x preference keys for the dialogs' last values (kept in memory, saved by ImageJ when it
 * quits). The model file is shared: a model just trained is the default for detection.
 */
final class PrefKeys {

	private static final String P = "anomalyj.";
	static final String DATA = P + "data", INPUT_SIZE = P + "input_size", CORESET = P + "coreset", DEVICE = P + "device", MODEL = P + "model",
		OVERLAY = P + "overlay", OPACITY = P + "opacity", ROI_MANAGER = P + "roi_manager", RESULTS = P + "results", MAP = P + "map",
		MASK = P + "mask", MIN_AREA = P + "min_area", INPUT = P + "input", OUTPUT = P + "output", MAPS = P + "maps", MASKS = P + "masks",
		OVERLAYS = P + "overlays", TEST_DATA = P + "test_data";

	private PrefKeys() {}

	/** A dialog's path field; empty stays null and is reported by the action. */
	static Path path(String field) {
		return field == null || field.isBlank() ? null : Path.of(field);
	}
}
