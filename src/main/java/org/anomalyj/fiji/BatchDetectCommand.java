package org.anomalyj.fiji;

import org.anomalyj.model.DeviceChoice;

import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.widget.FileWidget;
import org.scijava.widget.NumberWidget;

import java.io.File;
import java.io.IOException;

/** Fiji's Batch Detect Anomalies... (see {@link BatchDetectAction}). */
@Plugin(type = Command.class, menuPath = CommandLabels.MENU + CommandLabels.BATCH)
public class BatchDetectCommand extends ActionCommand<BatchDetectAction.Outcome> {

	@Parameter(label = "Input folder (images)", style = FileWidget.DIRECTORY_STYLE)
	private File input;

	@Parameter(label = "Model file (.zip)", style = FileWidget.OPEN_STYLE)
	private File model;

	@Parameter(label = "Output folder", style = FileWidget.DIRECTORY_STYLE)
	private File output;

	@Parameter(label = "Write anomaly maps (32-bit TIFF)")
	private boolean maps = true;

	@Parameter(label = "Write defect masks (PNG)")
	private boolean masks = true;

	@Parameter(label = "Write heat-map overlays (PNG)")
	private boolean overlays = true;

	@Parameter(label = "Heat-map opacity", min = "0", max = "1", stepSize = "0.05", style = NumberWidget.SLIDER_STYLE)
	private double opacity = 0.5;

	@Parameter(label = "Minimum defect area (px)", min = "0")
	private long min_area = 0;

	@Parameter(label = "Device", choices = {"auto", "cpu", "gpu"})
	private String device = "auto";

	@Override
	protected BatchDetectAction.Outcome perform(Feedback feedback) throws IOException {
		BatchDetectAction.Parameters p = new BatchDetectAction.Parameters(FilePaths.of(input), FilePaths.of(model), FilePaths.of(output), maps, masks,
			overlays, opacity, min_area, DeviceChoice.parse(device));
		return BatchDetectAction.run(p, feedback, ModelCache.shared());
	}
}
