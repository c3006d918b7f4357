package org.anomalyj.fiji.ij1;

import ij.IJ;
import ij.ImagePlus;
import ij.WindowManager;
import ij.gui.GenericDialog;
import ij.gui.OvalRoi;
import ij.gui.Roi;
import ij.measure.ResultsTable;
import ij.plugin.frame.Recorder;
import ij.plugin.frame.RoiManager;

import java.awt.Component;
import java.awt.Label;
import java.awt.EventQueue;
import java.awt.TextField;
import java.awt.Window;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs in a real ImageJ (see {@link ImageJSession#runMain}) and uses Adjust Anomaly Threshold as a
 * person would: detects an image, runs the command from a macro, then from the menu moves the
 * sliders (by typing into their number fields) and reads the overlay and Results table back after
 * each change, takes a screenshot with the dialog open, presses Apply to model, and finally opens
 * it again and cancels. Writes what it saw as {@code key=value} lines to the done file.
 * <p>
 * Then labels defects outlined in the ROI Manager through the Label Defects dialog (a second
 * screenshot) and a selection through a macro.
 * <p>
 * Arguments: done file, image, model, pixel1, image1, save1 (macro), pixel2, image2, save2 (dialog), screenshot, defects folder,
 * Label Defects screenshot.
 */
public final class AdjustThresholdDriver {

	private static final List<String> seen = new ArrayList<>();

	private AdjustThresholdDriver() {}

	public static void main(String[] args) throws Exception {
		Path done = Path.of(args[0]);
		String image = args[1], model = args[2], pixel1 = args[3], image1 = args[4], save1 = args[5], pixel2 = args[6], image2 = args[7],
			save2 = args[8];
		Path screenshot = Path.of(args[9]), labelShot = Path.of(args[11]);
		String labelFolder = args[10];
		try {
			ImagePlus imp = DialogRobot.startAndDetect(image, model);
			report("detect", imp);

			IJ.runMacro("run(\"Adjust Anomaly Threshold...\", \"pixel=" + pixel1 + " image=" + image1 + " save=[" + save1 + "]\");");
			report("macro", imp);
			seen.add("macro.saved=" + Files.isRegularFile(Path.of(save1)));

			Recorder recorder = new Recorder(false);
			Recorder.record = true;
			GenericDialog gd = open();
			report("opened", imp);
			DialogRobot.type(gd, gd.getNumericFields(), 0, pixel2);
			report("pixel2", imp);
			DialogRobot.type(gd, gd.getNumericFields(), 1, image2);
			report("image2", imp);
			for (Component c : gd.getComponents())
				if (c instanceof Label l && l.getText().trim().length() > 0) seen.add("label=" + l.getText().trim());
			gd.setLocation(imp.getWindow().getWidth() + 5, 0);
			Window log = WindowManager.getWindow("Log");
			if (log != null) log.setVisible(false);
			WindowManager.getWindow("Results").setBounds(0, Math.max(imp.getWindow().getHeight(), gd.getHeight()) + 5,
				imp.getWindow().getWidth() + 5 + gd.getWidth(), 110);
			IJ.wait(1500);
			DialogRobot.capture(screenshot, imp.getWindow(), gd, WindowManager.getWindow("Results"));
			DialogRobot.type(gd, gd.getStringFields(), 1, save2);
			DialogRobot.press(gd, 0);
			DialogRobot.waitFor(() -> Files.isRegularFile(Path.of(save2)) && recorder.getText().contains("Adjust Anomaly Threshold"));
			report("applied", imp);
			recorder.getText().lines().filter(l -> l.contains("Adjust Anomaly Threshold")).forEach(l -> seen.add("recorded=" + l));
			Recorder.record = false;

			GenericDialog again = open();
			DialogRobot.type(again, again.getNumericFields(), 0, pixel1);
			report("moved", imp);
			DialogRobot.press(again, 1);
			DialogRobot.waitFor(() -> !again.isShowing());
			IJ.wait(500);
			report("cancelled", imp);

			// Label Defects: two outlines in the ROI Manager, through the dialog (screenshot), then a selection through a macro.
			for (Window w : Window.getWindows())
				if (w instanceof GenericDialog) w.dispose();
			RoiManager rm = RoiManager.getRoiManager();
			rm.reset();
			rm.add(imp, new OvalRoi(300, 60, 120, 70), -1);
			rm.add(imp, new Roi(40, 150, 60, 40), -1);
			rm.runCommand("Show All");
			rm.setLocation(imp.getWindow().getWidth() + 5, 0);
			imp.getWindow().toFront();
			Recorder.record = true;
			GenericDialog ld = DialogRobot.open("Label Defects...");
			EventQueue.invokeAndWait(() -> {
				((TextField) ld.getStringFields().get(0)).setText(labelFolder);
				((TextField) ld.getStringFields().get(1)).setText("pitting");
				((java.awt.Checkbox) ld.getCheckboxes().get(0)).setState(true);
			});
			ld.setLocation(0, imp.getWindow().getHeight() + 5);
			IJ.wait(1500);
			DialogRobot.capture(labelShot, imp.getWindow(), rm, ld);
			DialogRobot.press(ld, 0);
			DialogRobot.waitFor(() -> recorder.getText().contains("Label Defects"));
			recorder.getText().lines().filter(l -> l.contains("Label Defects")).forEach(l -> seen.add("recorded=" + l));
			Recorder.record = false;
			rm.reset();
			imp.setRoi(new Roi(0, 0, 50, 20));
			IJ.runMacro("run(\"Label Defects...\", \"folder=[" + labelFolder + "] type=scratch name=by-macro\");");
		} catch (Throwable t) {
			seen.add("error=" + t);
		}
		Files.writeString(done, String.join("\n", seen) + "\n");
		System.exit(0);
	}

	/** The overlay's defect outlines (count and pixels) and the image's last Results row. */
	private static void report(String step, ImagePlus imp) {
		int outlines = 0;
		long area = 0;
		if (imp.getOverlay() != null)
			for (Roi roi : imp.getOverlay().toArray())
				if ("defect".equals(roi.getProperty("anomalyj"))) {
					outlines++;
					area += roi.getContainedPoints().length;
				}
		ResultsTable t = ResultsTable.getResultsTable();
		int row = t.size() - 1;
		seen.add(String.format(Locale.ROOT, "%s.outlines=%d", step, outlines));
		seen.add(String.format(Locale.ROOT, "%s.area=%d", step, area));
		seen.add(String.format(Locale.ROOT, "%s.rows=%d", step, t.size()));
		if (row >= 0) {
			seen.add(step + ".verdict=" + t.getStringValue("verdict", row));
			seen.add(step + ".defect_area_px=" + (long) t.getValue("defect_area_px", row));
			seen.add(step + ".score=" + t.getValue("score", row));
		}
	}

	private static GenericDialog open() throws Exception {
		return DialogRobot.open("Adjust Anomaly Threshold...");
	}
}
