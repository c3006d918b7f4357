package org.anomalyj.fiji;

import org.anomalyj.data.TrainingImages;
import org.anomalyj.model.DeviceChoice;
import org.anomalyj.training.ModelUpdater;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Update Anomaly Model: the CLI's {@code update}. A folder of new good images is learned without
 * retraining and the thresholds re-set; what was learned, the thresholds before and after and the
 * new file go to the Log.
 */
public final class UpdateAction {

	/**
	 * @param images a folder of new good images (or an MVTec category: its train/good)
	 * @param model the model file (read only)
	 * @param output the model file to write; must differ from {@code model}
	 * @param device where the model computes
	 */
	public record Parameters(Path images, Path model, Path output, DeviceChoice device) {
		public Parameters {
			if (images == null) throw new IllegalArgumentException("no folder of new good images given");
			if (model == null) throw new IllegalArgumentException("no model file given");
			if (output == null) throw new IllegalArgumentException("no output model file given");
		}
	}

	private UpdateAction() {}

	/** @return the lines written to the Log */
	public static List<String> run(Parameters p, Feedback feedback) throws IOException {
		try {
			TrainingImages images = TrainingImages.find(p.images());
			feedback.log("Updating " + p.model().getFileName() + " with " + images.images().size() + " good images of " + images.dir() + ":");
			List<String> lines = new java.util.ArrayList<>();
			ModelUpdater.toFile(p.model(), images.images(), p.output(), p.device(), DetectAction.BATCH, feedback, line -> {
				lines.add(line);
				feedback.log("  " + line);
			});
			return List.copyOf(lines);
		} finally {
			feedback.finished();
		}
	}
}
