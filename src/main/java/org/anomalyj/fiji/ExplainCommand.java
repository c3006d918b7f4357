package org.anomalyj.fiji;

import org.anomalyj.inspect.Explainer;
import org.anomalyj.model.DeviceChoice;

import ij.ImagePlus;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.widget.FileWidget;

import java.io.File;
import java.io.IOException;

/** Fiji's Explain Anomaly... on the point or selection of an image (see {@link ExplainAction}). */
@Plugin(type = Command.class, menuPath = CommandLabels.MENU + CommandLabels.EXPLAIN)
public class ExplainCommand extends ActionCommand<ExplainAction.Outcome> {

	@Parameter(label = "Image (with a point or selection)")
	private ImagePlus image;

	/** Not remembered: by default the model the image was detected with, not the one of an earlier run. */
	@Parameter(label = "Model file (empty: the one the image was detected with)", style = FileWidget.OPEN_STYLE, required = false,
		persist = false)
	private File model;

	@Parameter(label = "Nearest training patches to show", min = "1", max = "" + Explainer.MAX_NEIGHBOURS)
	private int neighbours = Explainer.DEFAULT_NEIGHBOURS;

	@Parameter(label = "Training images folder (empty: the one the model recorded)", style = FileWidget.DIRECTORY_STYLE, required = false,
		persist = false)
	private File training;

	@Parameter(label = "Device", choices = {"auto", "cpu", "gpu"})
	private String device = "auto";

	@Parameter(type = ItemIO.OUTPUT, required = false)
	private ImagePlus montage;

	@Override
	protected ExplainAction.Outcome perform(Feedback feedback) throws IOException {
		ExplainAction.Outcome o = ExplainAction.run(image, new ExplainAction.Parameters(FilePaths.of(model), neighbours, FilePaths.of(training),
			DeviceChoice.parse(device)), feedback, ModelCache.shared());
		montage = o.montage();
		return o;
	}
}
