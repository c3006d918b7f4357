package org.anomalyj.fiji.ij1;

import org.anomalyj.fiji.CommandLabels;
import org.anomalyj.fiji.DetectAction;
import org.anomalyj.fiji.ModelCache;
import org.anomalyj.fiji.Windows;
import org.anomalyj.model.DeviceChoice;

import ij.ImagePlus;
import ij.plugin.PlugIn;

/** ImageJ 1.x's Detect Anomalies... on the active image (see {@link DetectAction}). */
public class DetectPlugin implements PlugIn {

	@Override
	public void run(String arg) {
		ImagePlus imp = PluginRun.activeImage();
		if (imp == null) return;
		MacroOptions.acceptSwitchValues("overlay", "roi_manager", "results", "map", "mask");
		RememberingDialog d = new RememberingDialog(CommandLabels.title(CommandLabels.DETECT));
		d.file("model", "Model (.zip)");
		d.checkbox("overlay", "Overlay (heat map and defect outlines)", true);
		d.slider("opacity", "Opacity of the heat map", 0, 1, 0.5, 0.05);
		d.checkbox("roi_manager", "ROI_Manager (add defect outlines)", true);
		d.checkbox("results", "Results (a row per image in the Results table)", true);
		d.checkbox("map", "Map (show the 32-bit anomaly map)", false);
		d.checkbox("mask", "Mask (show the defect mask)", false);
		d.number("min_area", "Min_area of a defect (px)", 0, 0);
		d.choice("device", "Device", TrainPlugin.DEVICES);
		if (!d.show()) return;
		DetectAction.Parameters p = new DetectAction.Parameters(d.path("model"), d.checkbox("overlay"), d.number("opacity"),
			d.checkbox("roi_manager"), d.checkbox("results"), d.checkbox("map"), d.checkbox("mask"), (long) d.number("min_area"),
			DeviceChoice.parse(d.choice("device")));
		d.remember();
		DetectAction.Outcome outcome = PluginRun.attempt(CommandLabels.DETECT,
			() -> DetectAction.run(imp, p, new ImageJFeedback(), ModelCache.shared()));
		if (outcome == null) return;
		Windows.show(outcome.map());
		Windows.show(outcome.mask());
	}
}
