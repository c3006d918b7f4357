package org.anomalyj.fiji;

import org.anomalyj.image.PixelCalibration;
import org.anomalyj.inspect.Inspection;
import org.anomalyj.model.DeviceChoice;
import org.anomalyj.model.Thresholds;

import ij.ImagePlus;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * What Detect Anomalies found on each open image, kept so that later commands (Adjust Anomaly
 * Threshold) can decide again on the same maps without rescoring. Held weakly: a closed image's
 * maps are freed with it.
 */
public final class Detections {

	/**
	 * One detection of an image.
	 *
	 * @param model the model file it was scored with
	 * @param device where the model computed
	 * @param minArea the smallest defect reported, in pixels
	 * @param thresholds the model's thresholds at detection
	 * @param inspections one per stack image, decided with {@code thresholds}
	 * @param calibration the image's pixel size, for the Results table
	 */
	public record Detection(Path model, DeviceChoice device, long minArea, Thresholds thresholds, List<Inspection> inspections,
		PixelCalibration calibration) {

		public Detection {
			inspections = List.copyOf(inspections);
		}
	}

	private static final Map<ImagePlus, Detection> BY_IMAGE = new WeakHashMap<>();

	private Detections() {}

	static synchronized void remember(ImagePlus imp, Detection d) {
		BY_IMAGE.put(imp, d);
	}

	/**
	 * @throws IllegalArgumentException when the image was not detected with a model in this session
	 */
	public static synchronized Detection of(ImagePlus imp) {
		if (imp == null) throw new IllegalArgumentException("no image is open");
		Detection d = BY_IMAGE.get(imp);
		if (d == null) throw new IllegalArgumentException(imp.getTitle() + " was not detected with a model; run " + CommandLabels.DETECT + " on it first");
		return d;
	}
}
