package org.anomalyj.fiji;

import org.anomalyj.model.DeviceChoice;
import org.anomalyj.training.Recalibration;

import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.widget.FileWidget;

import java.io.File;
import java.io.IOException;

/** Fiji's Calibrate Anomaly Thresholds... (see {@link CalibrateAction}). */
@Plugin(type = Command.class, menuPath = CommandLabels.MENU + CommandLabels.CALIBRATE)
public class CalibrateCommand extends ActionCommand<Recalibration.Result> {

	@Parameter(label = "Good images of today (folder)", style = FileWidget.DIRECTORY_STYLE)
	private File goods;

	@Parameter(label = "Model file (.zip)", style = FileWidget.OPEN_STYLE)
	private File model;

	@Parameter(label = "Recalibrated model file to write (.zip)", style = FileWidget.SAVE_STYLE)
	private File output;

	@Parameter(label = "Device", choices = {"auto", "cpu", "gpu"})
	private String device = "auto";

	@Override
	protected Recalibration.Result perform(Feedback feedback) throws IOException {
		return CalibrateAction.run(new CalibrateAction.Parameters(FilePaths.of(goods), FilePaths.of(model), FilePaths.of(output),
			DeviceChoice.parse(device)), feedback);
	}
}
