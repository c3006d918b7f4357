package org.anomalyj.fiji.ij1;

import org.anomalyj.fiji.BatchDetectAction;
import org.anomalyj.fiji.CommandLabels;
import org.anomalyj.fiji.ModelCache;
import org.anomalyj.model.DeviceChoice;

import ij.plugin.PlugIn;

/** ImageJ 1.x's Batch Detect Anomalies... (see {@link BatchDetectAction}). */
public class BatchDetectPlugin implements PlugIn {

	@Override
	public void run(String arg) {
		MacroOptions.acceptSwitchValues("maps", "masks", "overlays");
		RememberingDialog d = new RememberingDialog(CommandLabels.title(CommandLabels.BATCH));
		d.directory("input", "Input folder (images)");
		d.file("model", "Model (.zip)");
		d.directory("output", "Output folder");
		d.checkbox("maps", "Maps (32-bit anomaly maps, TIFF)", true);
		d.checkbox("masks", "Masks (defect masks, PNG)", true);
		d.checkbox("overlays", "Overlays (heat-map overlays, PNG)", true);
		d.slider("opacity", "Opacity of the heat map", 0, 1, 0.5, 0.05);
		d.number("min_area", "Min_area of a defect (px)", 0, 0);
		d.choice("device", "Device", TrainPlugin.DEVICES);
		if (!d.show()) return;
		BatchDetectAction.Parameters p = new BatchDetectAction.Parameters(d.path("input"), d.path("model"), d.path("output"), d.checkbox("maps"),
			d.checkbox("masks"), d.checkbox("overlays"), d.number("opacity"), (long) d.number("min_area"), DeviceChoice.parse(d.choice("device")));
		d.remember();
		PluginRun.attempt(CommandLabels.BATCH, () -> BatchDetectAction.run(p, new ImageJFeedback(), ModelCache.shared()));
	}
}
