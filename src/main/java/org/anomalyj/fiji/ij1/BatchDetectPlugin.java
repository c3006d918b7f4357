package org.anomalyj.fiji.ij1;

import ij.IJ;
import ij.Prefs;
import ij.gui.GenericDialog;
import ij.plugin.PlugIn;
import org.anomalyj.fiji.BatchDetectAction;
import org.anomalyj.fiji.CommandLabels;
import org.anomalyj.fiji.ModelCache;
import org.anomalyj.model.DeviceChoice;

/** ImageJ 1.x's Batch Detect Anomalies... (see {@link BatchDetectAction}). */
public class BatchDetectPlugin implements PlugIn {

	@Override
	public void run(String arg) {
		MacroOptions.acceptSwitchValues("maps", "masks", "overlays");
		GenericDialog gd = new GenericDialog(CommandLabels.title(CommandLabels.BATCH));
		gd.addDirectoryField("Input folder (images)", Prefs.get(PrefKeys.INPUT, ""), 40);
		gd.addFileField("Model (.zip)", Prefs.get(PrefKeys.MODEL, ""), 40);
		gd.addDirectoryField("Output folder", Prefs.get(PrefKeys.OUTPUT, ""), 40);
		gd.addCheckbox("Maps (32-bit anomaly maps, TIFF)", Prefs.get(PrefKeys.MAPS, true));
		gd.addCheckbox("Masks (defect masks, PNG)", Prefs.get(PrefKeys.MASKS, true));
		gd.addCheckbox("Overlays (heat-map overlays, PNG)", Prefs.get(PrefKeys.OVERLAYS, true));
		gd.addSlider("Opacity of the heat map", 0, 1, Prefs.get(PrefKeys.OPACITY, 0.5), 0.05);
		gd.addNumericField("Min_area of a defect (px)", Prefs.get(PrefKeys.MIN_AREA, 0), 0);
		gd.addChoice("Device", TrainPlugin.DEVICES, Prefs.get(PrefKeys.DEVICE, "auto"));
		gd.showDialog();
		if (gd.wasCanceled()) return;
		String input = gd.getNextString().trim();
		String model = gd.getNextString().trim();
		String output = gd.getNextString().trim();
		boolean maps = gd.getNextBoolean();
		boolean masks = gd.getNextBoolean();
		boolean overlays = gd.getNextBoolean();
		double opacity = gd.getNextNumber();
		long minArea = (long) gd.getNextNumber();
		String device = gd.getNextChoice();
		if (!IJ.isMacro()) { // a macro's values do not become the dialog's defaults
			Prefs.set(PrefKeys.INPUT, input);
			Prefs.set(PrefKeys.MODEL, model);
			Prefs.set(PrefKeys.OUTPUT, output);
			Prefs.set(PrefKeys.MAPS, maps);
			Prefs.set(PrefKeys.MASKS, masks);
			Prefs.set(PrefKeys.OVERLAYS, overlays);
			Prefs.set(PrefKeys.OPACITY, opacity);
			Prefs.set(PrefKeys.MIN_AREA, minArea);
			Prefs.set(PrefKeys.DEVICE, device);
		}
		PluginRun.attempt(CommandLabels.BATCH, () -> BatchDetectAction.run(new BatchDetectAction.Parameters(PrefKeys.path(input),
			PrefKeys.path(model), PrefKeys.path(output), maps, masks, overlays, opacity, minArea, DeviceChoice.parse(device)), new ImageJFeedback(),
			ModelCache.shared()));
	}
}
