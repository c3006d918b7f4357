package org.anomalyj.fiji;

import org.anomalyj.model.DeviceChoice;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.widget.FileWidget;

import java.io.File;
import java.io.IOException;

/** Fiji's Train Anomaly Model... (see {@link TrainAction}). */
@Plugin(type = Command.class, menuPath = CommandLabels.MENU + CommandLabels.TRAIN)
public class TrainCommand extends ActionCommand<TrainAction.Outcome> {

	@Parameter(label = "Good images (folder or MVTec category)", style = FileWidget.DIRECTORY_STYLE)
	private File data;

	// The built-in methods; a SciJava dialog takes its choices from the annotation. The ImageJ 1.x
	// dialog and the command line list every method plug-in (TrainAction.METHODS).
	@Parameter(label = "Method", choices = {"patchcore", "padim"})
	private String method = "patchcore";

	@Parameter(label = "Input size (px)", min = "32", max = "2048", stepSize = "16")
	private int input_size = TrainAction.Parameters.DEFAULT_SIZE;

	@Parameter(label = "Coreset ratio", min = "0.001", max = "1", stepSize = "0.01")
	private double coreset = TrainAction.Parameters.DEFAULT_CORESET;

	@Parameter(label = "Random seed")
	private long seed = 0;

	@Parameter(label = "Device", choices = {"auto", "cpu", "gpu"})
	private String device = "auto";

	@Parameter(label = "Model file to write (.zip)", style = FileWidget.SAVE_STYLE)
	private File model;

	@Override
	protected TrainAction.Outcome perform(Feedback feedback) throws IOException {
		TrainAction.Parameters p = new TrainAction.Parameters(Paths.of(data), method, input_size, coreset, seed, DeviceChoice.parse(device),
			Paths.of(model));
		return TrainAction.run(p, feedback, ModelCache.shared());
	}
}
