package org.anomalyj.fiji.ij1;

import org.anomalyj.fiji.CommandLabels;
import org.anomalyj.fiji.UpdateAction;
import org.anomalyj.model.DeviceChoice;

import ij.plugin.PlugIn;

/** ImageJ 1.x's Update Anomaly Model... (see {@link UpdateAction}). */
public class UpdatePlugin implements PlugIn {

	@Override
	public void run(String arg) {
		RememberingDialog d = new RememberingDialog(CommandLabels.title(CommandLabels.UPDATE));
		d.directory("images", "New good images (folder)");
		d.file("model", "Model (.zip)");
		d.file("output", "Updated model to write (.zip)");
		d.choice("device", "Device", TrainPlugin.DEVICES);
		if (!d.show()) return;
		UpdateAction.Parameters p = new UpdateAction.Parameters(d.path("images"), d.path("model"), d.path("output"), DeviceChoice.parse(d.choice("device")));
		d.remember();
		PluginRun.attempt(CommandLabels.UPDATE, () -> UpdateAction.run(p, new ImageJFeedback()));
	}
}
