package org.anomalyj.fiji.ij1;

import org.anomalyj.fiji.CalibrateAction;
import org.anomalyj.fiji.CommandLabels;
import org.anomalyj.model.DeviceChoice;

import ij.plugin.PlugIn;

/** ImageJ 1.x's Calibrate Anomaly Thresholds... (see {@link CalibrateAction}). */
public class CalibratePlugin implements PlugIn {

	@Override
	public void run(String arg) {
		RememberingDialog d = new RememberingDialog(CommandLabels.title(CommandLabels.CALIBRATE));
		d.directory("goods", "Good images of today (folder)");
		d.file("model", "Model (.zip)");
		d.file("output", "Recalibrated model to write (.zip)");
		d.choice("device", "Device", TrainPlugin.DEVICES);
		if (!d.show()) return;
		CalibrateAction.Parameters p = new CalibrateAction.Parameters(d.path("goods"), d.path("model"), d.path("output"),
			DeviceChoice.parse(d.choice("device")));
		d.remember();
		PluginRun.attempt(CommandLabels.CALIBRATE, () -> CalibrateAction.run(p, new ImageJFeedback()));
	}
}
