package org.anomalyj.fiji.ij1;

import ij.IJ;
import ij.Prefs;
import ij.gui.GenericDialog;
import ij.gui.Plot;
import ij.plugin.PlugIn;
import org.anomalyj.fiji.CommandLabels;
import org.anomalyj.fiji.EvaluateAction;
import org.anomalyj.fiji.ModelCache;
import org.anomalyj.fiji.Windows;
import org.anomalyj.model.DeviceChoice;

/** ImageJ 1.x's Evaluate Anomaly Model... (see {@link EvaluateAction}). */
public class EvaluatePlugin implements PlugIn {

	@Override
	public void run(String arg) {
		GenericDialog gd = new GenericDialog(CommandLabels.title(CommandLabels.EVALUATE));
		gd.addDirectoryField("Data (MVTec category with test/ and ground_truth/)", Prefs.get(PrefKeys.TEST_DATA, ""), 40);
		gd.addFileField("Model (.zip)", Prefs.get(PrefKeys.MODEL, ""), 40);
		gd.addChoice("Device", TrainPlugin.DEVICES, Prefs.get(PrefKeys.DEVICE, "auto"));
		gd.showDialog();
		if (gd.wasCanceled()) return;
		String data = gd.getNextString().trim();
		String model = gd.getNextString().trim();
		String device = gd.getNextChoice();
		if (!IJ.isMacro()) { // a macro's values do not become the dialog's defaults
			Prefs.set(PrefKeys.TEST_DATA, data);
			Prefs.set(PrefKeys.MODEL, model);
			Prefs.set(PrefKeys.DEVICE, device);
		}
		EvaluateAction.Outcome outcome = PluginRun.attempt(CommandLabels.EVALUATE, () -> EvaluateAction.run(
			new EvaluateAction.Parameters(PrefKeys.path(data), PrefKeys.path(model), DeviceChoice.parse(device)), new ImageJFeedback(),
			ModelCache.shared()));
		if (outcome != null) for (Plot plot : outcome.plots()) Windows.show(plot);
	}
}
