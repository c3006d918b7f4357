package org.anomalyj.fiji.ij1;

import org.anomalyj.fiji.ExplainAction;

import ij.IJ;
import ij.ImagePlus;
import ij.WindowManager;
import ij.gui.GenericDialog;
import ij.measure.ResultsTable;
import ij.plugin.frame.Recorder;

import java.awt.Window;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs in a real ImageJ (see {@link ImageJSession#runMain}) and uses Explain Anomaly as a person
 * would: detects an image, marks a point and runs the command from a macro (the model the image was
 * detected with), marks a rectangle and runs it with a model given, then chooses it from the menu
 * with the recorder on, changes the number of neighbours and presses OK. After each run it reads the
 * montage window and the explanation table back; finally it takes a screenshot of the image, the
 * montage and the table. Writes what it saw as {@code key=value} lines to the done file.
 * <p>
 * Arguments: done file, image, model, screenshot.
 */
public final class ExplainDriver {

	static final int POINT_X = 380, POINT_Y = 95, AREA_X = 300, AREA_Y = 40, AREA_W = 150, AREA_H = 120;
	private static final List<String> seen = new ArrayList<>();

	private ExplainDriver() {}

	public static void main(String[] args) throws Exception {
		Path done = Path.of(args[0]), screenshot = Path.of(args[3]);
		String image = args[1], model = args[2];
		try {
			ImagePlus imp = DialogRobot.startAndDetect(image, model);

			IJ.runMacro("makePoint(" + POINT_X + ", " + POINT_Y + "); run(\"Explain Anomaly...\", \"neighbours=3 device=cpu\");");
			report("point");
			imp.getWindow().toFront();
			WindowManager.setTempCurrentImage(imp);
			IJ.runMacro("makeRectangle(" + AREA_X + ", " + AREA_Y + ", " + AREA_W + ", " + AREA_H + "); run(\"Explain Anomaly...\", \"model=[" + model
				+ "] neighbours=5 device=cpu\");");
			report("area");

			imp.getWindow().toFront();
			WindowManager.setTempCurrentImage(imp);
			IJ.runMacro("makePoint(" + POINT_X + ", " + POINT_Y + ");");
			Recorder recorder = new Recorder(false);
			Recorder.record = true;
			WindowManager.setCurrentWindow(imp.getWindow());
			GenericDialog gd = DialogRobot.open("Explain Anomaly...");
			DialogRobot.type(gd, gd.getNumericFields(), 0, "4");
			DialogRobot.press(gd, 0);
			DialogRobot.waitFor(() -> recorder.getText().contains("Explain Anomaly"));
			DialogRobot.waitFor(() -> WindowManager.getCurrentImage() != null && WindowManager.getCurrentImage() != imp);
			IJ.wait(500);
			recorder.getText().lines().filter(l -> l.contains("Explain Anomaly")).forEach(l -> seen.add("recorded=" + l));
			Recorder.record = false;
			report("dialog");

			// The screenshot: the image with its point, the montage below it, the table below that.
			ImagePlus montage = WindowManager.getCurrentImage();
			for (String other : new String[] {"Log", "Results"}) {
				Window w = WindowManager.getWindow(other);
				if (w != null) w.setVisible(false);
			}
			Window table = WindowManager.getWindow(ExplainAction.TABLE);
			for (Window w : Window.getWindows())
				if (w instanceof ij.gui.ImageWindow iw && iw.getImagePlus() != imp && iw.getImagePlus() != montage) iw.setVisible(false);
			imp.getWindow().toFront();
			montage.getWindow().setLocation(0, imp.getWindow().getHeight() + 2);
			table.setBounds(0, imp.getWindow().getHeight() + montage.getWindow().getHeight() + 4, montage.getWindow().getWidth(), 190);
			IJ.wait(1500);
			DialogRobot.capture(screenshot, imp.getWindow(), montage.getWindow(), table);
		} catch (Throwable t) {
			seen.add("error=" + t);
		}
		Files.writeString(done, String.join("\n", seen) + "\n");
		System.exit(0);
	}

	/** The newest montage window and the explanation table. */
	private static void report(String step) {
		ImagePlus montage = WindowManager.getCurrentImage();
		seen.add(step + ".montage=" + (montage == null ? "" : montage.getTitle()));
		if (montage != null) seen.add(String.format(Locale.ROOT, "%s.montage_size=%dx%d", step, montage.getWidth(), montage.getHeight()));
		ResultsTable t = ResultsTable.getResultsTable(ExplainAction.TABLE);
		if (t == null) return;
		seen.add(step + ".rows=" + t.size());
		for (int i = 0; i < t.size(); i++)
			seen.add(String.format(Locale.ROOT, "%s.row%d=%s|%d|%d|%.6g|%s", step, i, t.getStringValue("image", i), (int) t.getValue("grid_row", i),
				(int) t.getValue("grid_column", i), t.getValue("distance", i), t.getStringValue("status", i)));
	}
}
