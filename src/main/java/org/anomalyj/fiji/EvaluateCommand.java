package org.anomalyj.fiji;

import org.anomalyj.model.DeviceChoice;

import ij.gui.Plot;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.widget.FileWidget;

import java.io.File;
import java.io.IOException;

/** Fiji's Evaluate Anomaly Model... (see {@link EvaluateAction}). */
@Plugin(type = Command.class, menuPath = CommandLabels.MENU + CommandLabels.EVALUATE)
public class EvaluateCommand extends ActionCommand<EvaluateAction.Outcome> {

	@Parameter(label = "Test data (MVTec category folder)", style = FileWidget.DIRECTORY_STYLE)
	private File data;

	@Parameter(label = "Model file (.zip)", style = FileWidget.OPEN_STYLE)
	private File model;

	@Parameter(label = "Device", choices = {"auto", "cpu", "gpu"})
	private String device = "auto";

	@Override
	protected EvaluateAction.Outcome perform(Feedback feedback) throws IOException {
		EvaluateAction.Outcome outcome = EvaluateAction.run(new EvaluateAction.Parameters(FilePaths.of(data), FilePaths.of(model),
			DeviceChoice.parse(device)), feedback, ModelCache.shared());
		for (Plot plot : outcome.plots()) Windows.show(plot);
		return outcome;
	}
}
