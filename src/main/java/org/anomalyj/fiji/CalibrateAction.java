package org.anomalyj.fiji;

import org.anomalyj.data.ImageFolder;
import org.anomalyj.model.DeviceChoice;
import org.anomalyj.training.Recalibration;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Calibrate Anomaly Thresholds: the CLI's {@code calibrate}. A folder of good images of today re-sets
 * a model's thresholds without retraining; the drift check, the thresholds before and after and
 * the new file go to the Log.
 */
public final class CalibrateAction {

	/**
	 * @param goods a folder of good images the model did not train on
	 * @param model the model file (read only)
	 * @param output the model file to write; must differ from {@code model}
	 * @param device where the model computes
	 */
	public record Parameters(Path goods, Path model, Path output, DeviceChoice device) {
		public Parameters {
			if (goods == null) throw new IllegalArgumentException("no folder of good images given");
			if (model == null) throw new IllegalArgumentException("no model file given");
			if (output == null) throw new IllegalArgumentException("no output model file given");
		}
	}

	private CalibrateAction() {}

	public static Recalibration.Result run(Parameters p, Feedback feedback) throws IOException {
		try {
			List<Path> goods = ImageFolder.open(p.goods()).images();
			if (goods.isEmpty()) throw new IOException(p.goods() + ": no images in this folder");
			feedback.log("Calibrating " + p.model().getFileName() + " on " + goods.size() + " good images of " + p.goods() + ":");
			return Recalibration.toFile(p.model(), goods, p.output(), p.device(), DetectAction.BATCH, feedback, line -> feedback.log("  " + line));
		} finally {
			feedback.finished();
		}
	}
}
