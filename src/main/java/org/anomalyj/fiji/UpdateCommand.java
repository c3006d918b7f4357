package org.anomalyj.fiji;

import org.anomalyj.model.DeviceChoice;

import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.widget.FileWidget;

import java.io.File;
import java.io.IOException;
import java.util.List;

/** Fiji's Update Anomaly Model... (see {@link UpdateAction}). */
@Plugin(type = Command.class, menuPath = CommandLabels.MENU + CommandLabels.UPDATE)
public class UpdateCommand extends ActionCommand<List<String>> {

	@Parameter(label = "New good images (folder)", style = FileWidget.DIRECTORY_STYLE)
	private File images;

	@Parameter(label = "Model file (.zip)", style = FileWidget.OPEN_STYLE)
	private File model;

	@Parameter(label = "Updated model file to write (.zip)", style = FileWidget.SAVE_STYLE)
	private File output;

	@Parameter(label = "Device", choices = {"auto", "cpu", "gpu"})
	private String device = "auto";

	@Override
	protected List<String> perform(Feedback feedback) throws IOException {
		return UpdateAction.run(new UpdateAction.Parameters(FilePaths.of(images), FilePaths.of(model), FilePaths.of(output), DeviceChoice.parse(device)),
			feedback);
	}
}
