package org.anomalyj.fiji;

import org.anomalyj.model.DeviceChoice;

import ij.ImagePlus;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.widget.FileWidget;
import org.scijava.widget.NumberWidget;

import java.io.File;
import java.io.IOException;

/** Fiji's Detect Anomalies... on the active image (see {@link DetectAction}). */
@Plugin(type = Command.class, menuPath = CommandLabels.MENU + CommandLabels.DETECT)
public class DetectCommand extends ActionCommand<DetectAction.Outcome> {

	@Parameter(label = "Image")
	private ImagePlus image;

	@Parameter(label = "Model file (.zip)", style = FileWidget.OPEN_STYLE)
	private File model;

	@Parameter(label = "Overlay: heat map and defect outlines")
	private boolean overlay = true;

	@Parameter(label = "Heat-map opacity", min = "0", max = "1", stepSize = "0.05", style = NumberWidget.SLIDER_STYLE)
	private double opacity = 0.5;

	@Parameter(label = "Add defect outlines to the ROI Manager")
	private boolean roi_manager = true;

	@Parameter(label = "Add a row to the Results table")
	private boolean results = true;

	@Parameter(label = "Show the anomaly map (32-bit)")
	private boolean map = false;

	@Parameter(label = "Show the defect mask")
	private boolean mask = false;

	@Parameter(label = "Minimum defect area (px)", min = "0")
	private long min_area = 0;

	@Parameter(label = "Device", choices = {"auto", "cpu", "gpu"})
	private String device = "auto";

	@Parameter(type = ItemIO.OUTPUT, required = false)
	private ImagePlus anomaly_map;

	@Parameter(type = ItemIO.OUTPUT, required = false)
	private ImagePlus defect_mask;

	@Override
	protected DetectAction.Outcome perform(Feedback feedback) throws IOException {
		DetectAction.Parameters p = new DetectAction.Parameters(FilePaths.of(model), overlay, opacity, roi_manager, results, map, mask, min_area,
			DeviceChoice.parse(device));
		DetectAction.Outcome outcome = DetectAction.run(image, p, feedback, ModelCache.shared());
		anomaly_map = outcome.map();
		defect_mask = outcome.mask();
		return outcome;
	}
}
