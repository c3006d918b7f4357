package org.anomalyj.fiji.ij1;

import org.anomalyj.fiji.CommandLabels;
import org.anomalyj.fiji.Detections;
import org.anomalyj.fiji.ModelCache;
import org.anomalyj.fiji.ThresholdAction;
import org.anomalyj.model.Thresholds;

import ij.IJ;
import ij.ImagePlus;
import ij.Macro;
import ij.gui.GenericDialog;
import ij.gui.NonBlockingGenericDialog;
import ij.plugin.PlugIn;

import java.awt.AWTEvent;
import java.awt.Label;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * ImageJ 1.x's Adjust Anomaly Threshold... on the active detected image (see {@link ThresholdAction}):
 * a non-modal dialog whose sliders re-decide the image live; OK applies the thresholds to a new
 * model file. In a macro the values are applied without a dialog.
 */
public class AdjustThresholdPlugin implements PlugIn {

	@Override
	public void run(String arg) {
		ImagePlus imp = PluginRun.activeImage();
		if (imp == null) return;
		String title = CommandLabels.title(CommandLabels.ADJUST_THRESHOLD);
		Detections.Detection d;
		Thresholds.Custom start, ranges;
		try {
			d = Detections.of(imp);
			start = ThresholdAction.initial(d);
			ranges = ThresholdAction.ranges(d);
		} catch (IllegalArgumentException e) {
			IJ.error(title, e.getMessage());
			return;
		}
		boolean macro = Macro.getOptions() != null;
		GenericDialog gd = macro ? new GenericDialog(title) : new NonBlockingGenericDialog(title);
		gd.addFileField("model (whose thresholds to set)", d.model().toString(), 40);
		gd.addSlider("pixel threshold", 0, ranges.pixel(), start.pixel(), ThresholdAction.step(ranges.pixel()));
		gd.addMessage(pad(""));
		Label pixelLine = (Label) gd.getMessage();
		gd.addSlider("image threshold", 0, ranges.image(), start.image(), ThresholdAction.step(ranges.image()));
		gd.addMessage(pad(""));
		Label imageLine = (Label) gd.getMessage();
		gd.addMessage(pad(""));
		Label verdictLine = (Label) gd.getMessage();
		gd.addFileField("save (new model file; empty: only this image)", "", 40);
		gd.setOKLabel("Apply to model");
		List<Label> lines = java.util.Arrays.asList(pixelLine, imageLine, verdictLine);
		if (!macro) {
			show(imp, d, start, lines);
			gd.addDialogListener((dialog, e) -> live(imp, d, dialog, e, lines));
		}
		gd.showDialog();
		if (gd.wasCanceled()) {
			PluginRun.attempt(CommandLabels.ADJUST_THRESHOLD, () -> ThresholdAction.restore(imp));
			return;
		}
		String model = gd.getNextString().trim();
		double pixel = gd.getNextNumber(), image = gd.getNextNumber();
		String save = gd.getNextString().trim();
		PluginRun.attempt(CommandLabels.ADJUST_THRESHOLD, () -> {
			Thresholds.Custom chosen = new Thresholds.Custom((float) image, (float) pixel);
			ThresholdAction.show(imp, chosen);
			if (save.isEmpty()) return null;
			Path target = Path.of(save);
			boolean overwrite = false;
			if (Files.exists(target) && !macro) {
				if (!IJ.showMessageWithCancel(title, save + " exists.\nReplace it with the model with these thresholds?")) return null;
				overwrite = true;
			}
			Path written = ThresholdAction.apply(model.isEmpty() ? d.model() : Path.of(model), d.device(), chosen, target, overwrite,
				ModelCache.shared());
			IJ.log(title + ": wrote " + written + " (pixel threshold " + chosen.pixel() + ", image threshold " + chosen.image() + ")");
			return written;
		});
	}

	/**
	 * Reads every field, in order: ImageJ calls this once more when OK is pressed (with a null
	 * event), and records the fields read then, not those the plug-in reads afterwards.
	 */
	private static boolean live(ImagePlus imp, Detections.Detection d, GenericDialog gd, AWTEvent e, List<Label> lines) {
		gd.getNextString();
		double pixel = gd.getNextNumber(), image = gd.getNextNumber();
		gd.getNextString();
		if (gd.invalidNumber() || !Double.isFinite(pixel) || !Double.isFinite(image)) return false;
		show(imp, d, new Thresholds.Custom((float) image, (float) pixel), lines);
		return true;
	}

	private static void show(ImagePlus imp, Detections.Detection d, Thresholds.Custom chosen, List<Label> lines) {
		ThresholdAction.Outcome o = ThresholdAction.show(imp, chosen);
		List<String> text = ThresholdAction.describe(d, o, imp.getCurrentSlice());
		for (int i = 0; i < lines.size(); i++) lines.get(i).setText(text.get(i));
	}

	/** A message wide enough for the lines it will show. */
	private static String pad(String s) {
		return s + " ".repeat(110);
	}
}
