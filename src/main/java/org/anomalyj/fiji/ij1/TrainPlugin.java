package org.anomalyj.fiji.ij1;

import ij.IJ;
import ij.Prefs;
import ij.gui.GenericDialog;
import ij.plugin.PlugIn;
import org.anomalyj.fiji.CommandLabels;
import org.anomalyj.fiji.ModelCache;
import org.anomalyj.fiji.TrainAction;
import org.anomalyj.model.DeviceChoice;


/** ImageJ 1.x's Train Anomaly Model... (see {@link TrainAction}). */
public class TrainPlugin implements PlugIn {

	static final String[] DEVICES = {"auto", "cpu", "gpu"};

	@Override
	public void run(String arg) {
		GenericDialog gd = new GenericDialog(CommandLabels.title(CommandLabels.TRAIN));
		gd.addDirectoryField("Data (good images: folder or MVTec category)", Prefs.get(PrefKeys.DATA, ""), 40);
		gd.addChoice("Method", TrainAction.METHODS.toArray(String[]::new), TrainAction.METHODS.get(0));
		gd.addNumericField("Input_size (px, multiple of 16)", Prefs.get(PrefKeys.INPUT_SIZE, TrainAction.Parameters.DEFAULT_SIZE), 0);
		gd.addNumericField("Coreset ratio", Prefs.get(PrefKeys.CORESET, TrainAction.Parameters.DEFAULT_CORESET), 3);
		gd.addNumericField("Seed", 0, 0);
		gd.addChoice("Device", DEVICES, Prefs.get(PrefKeys.DEVICE, "auto"));
		gd.addFileField("Model (file to write, .zip)", Prefs.get(PrefKeys.MODEL, ""), 40);
		gd.showDialog();
		if (gd.wasCanceled()) return;
		String data = gd.getNextString().trim();
		String method = gd.getNextChoice();
		int size = (int) gd.getNextNumber();
		double coreset = gd.getNextNumber();
		long seed = (long) gd.getNextNumber();
		String device = gd.getNextChoice();
		String model = gd.getNextString().trim();
		if (!IJ.isMacro()) { // a macro's values do not become the dialog's defaults
			Prefs.set(PrefKeys.DATA, data);
			Prefs.set(PrefKeys.INPUT_SIZE, size);
			Prefs.set(PrefKeys.CORESET, coreset);
			Prefs.set(PrefKeys.DEVICE, device);
			Prefs.set(PrefKeys.MODEL, model);
		}
		PluginRun.attempt(CommandLabels.TRAIN, () -> TrainAction.run(new TrainAction.Parameters(PrefKeys.path(data), method, size, coreset, seed,
			DeviceChoice.parse(device), PrefKeys.path(model)), new ImageJFeedback(), ModelCache.shared()));
	}
}
