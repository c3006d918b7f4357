package org.anomalyj.fiji.ij1;

import org.anomalyj.fiji.CommandLabels;
import org.anomalyj.fiji.EvaluateAction;
import org.anomalyj.fiji.ModelCache;
import org.anomalyj.fiji.Windows;
import org.anomalyj.model.DeviceChoice;

import ij.gui.Plot;
import ij.plugin.PlugIn;

/** ImageJ 1.x's Evaluate Anomaly Model... (see {@link EvaluateAction}). */
public class EvaluatePlugin implements PlugIn {

	@Override
	public void run(String arg) {
		RememberingDialog d = new RememberingDialog(CommandLabels.title(CommandLabels.EVALUATE));
		d.directory("data", "Data (MVTec category with test/ and ground_truth/)");
		d.file("model", "Model (.zip)");
		d.choice("device", "Device", TrainPlugin.DEVICES);
		if (!d.show()) return;
		EvaluateAction.Parameters p = new EvaluateAction.Parameters(d.path("data"), d.path("model"), DeviceChoice.parse(d.choice("device")));
		d.remember();
		EvaluateAction.Outcome outcome = PluginRun.attempt(CommandLabels.EVALUATE, () -> EvaluateAction.run(p, new ImageJFeedback(),
			ModelCache.shared()));
		if (outcome != null) for (Plot plot : outcome.plots()) Windows.show(plot);
	}
}
