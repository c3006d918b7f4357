package org.anomalyj.fiji.ij1;

import ij.IJ;
import ij.ImagePlus;
import ij.Prefs;
import ij.WindowManager;
import ij.gui.GenericDialog;
import ij.plugin.PlugIn;
import org.anomalyj.fiji.CommandLabels;
import org.anomalyj.fiji.DetectAction;
import org.anomalyj.fiji.ModelCache;
import org.anomalyj.fiji.Windows;
import org.anomalyj.model.DeviceChoice;

/** ImageJ 1.x's Detect Anomalies... on the active image (see {@link DetectAction}). */
public class DetectPlugin implements PlugIn {

	@Override
	public void run(String arg) {
		ImagePlus imp = WindowManager.getCurrentImage();
		if (imp == null) {
			IJ.noImage();
			return;
		}
		MacroOptions.acceptSwitchValues("overlay", "roi_manager", "results", "map", "mask");
		GenericDialog gd = new GenericDialog(CommandLabels.title(CommandLabels.DETECT));
		gd.addFileField("Model (.zip)", Prefs.get(PrefKeys.MODEL, ""), 40);
		gd.addCheckbox("Overlay (heat map and defect outlines)", Prefs.get(PrefKeys.OVERLAY, true));
		gd.addSlider("Opacity of the heat map", 0, 1, Prefs.get(PrefKeys.OPACITY, 0.5), 0.05);
		gd.addCheckbox("ROI_Manager (add defect outlines)", Prefs.get(PrefKeys.ROI_MANAGER, true));
		gd.addCheckbox("Results (a row per image in the Results table)", Prefs.get(PrefKeys.RESULTS, true));
		gd.addCheckbox("Map (show the 32-bit anomaly map)", Prefs.get(PrefKeys.MAP, false));
		gd.addCheckbox("Mask (show the defect mask)", Prefs.get(PrefKeys.MASK, false));
		gd.addNumericField("Min_area of a defect (px)", Prefs.get(PrefKeys.MIN_AREA, 0), 0);
		gd.addChoice("Device", TrainPlugin.DEVICES, Prefs.get(PrefKeys.DEVICE, "auto"));
		gd.showDialog();
		if (gd.wasCanceled()) return;
		String model = gd.getNextString().trim();
		boolean overlay = gd.getNextBoolean();
		double opacity = gd.getNextNumber();
		boolean roiManager = gd.getNextBoolean();
		boolean results = gd.getNextBoolean();
		boolean map = gd.getNextBoolean();
		boolean mask = gd.getNextBoolean();
		long minArea = (long) gd.getNextNumber();
		String device = gd.getNextChoice();
		if (!IJ.isMacro()) { // a macro's values do not become the dialog's defaults
			Prefs.set(PrefKeys.MODEL, model);
			Prefs.set(PrefKeys.OVERLAY, overlay);
			Prefs.set(PrefKeys.OPACITY, opacity);
			Prefs.set(PrefKeys.ROI_MANAGER, roiManager);
			Prefs.set(PrefKeys.RESULTS, results);
			Prefs.set(PrefKeys.MAP, map);
			Prefs.set(PrefKeys.MASK, mask);
			Prefs.set(PrefKeys.MIN_AREA, minArea);
			Prefs.set(PrefKeys.DEVICE, device);
		}
		DetectAction.Outcome outcome = PluginRun.attempt(CommandLabels.DETECT, () -> DetectAction.run(imp,
			new DetectAction.Parameters(PrefKeys.path(model), overlay, opacity, roiManager, results, map, mask, minArea, DeviceChoice.parse(device)),
			new ImageJFeedback(), ModelCache.shared()));
		if (outcome == null) return;
		Windows.show(outcome.map());
		Windows.show(outcome.mask());
	}
}
