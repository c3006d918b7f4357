package org.anomalyj.fiji.ij1;

import ij.IJ;
import ij.gui.GenericDialog;

import javax.imageio.ImageIO;
import java.awt.EventQueue;
import java.awt.Frame;
import java.awt.Rectangle;
import java.awt.Robot;
import java.awt.TextField;
import java.awt.Window;
import java.awt.event.ActionEvent;
import java.awt.event.TextEvent;
import java.nio.file.Path;

/** What the drivers of a real ImageJ do as a person would: open a command's dialog, type, press, wait, take a screenshot. */
final class DialogRobot {

	private DialogRobot() {}

	/** Starts ImageJ, opens the image at the top left of the screen and runs Detect Anomalies on it with the model. */
	static ij.ImagePlus startAndDetect(String image, String model) {
		new ij.ImageJ(ij.ImageJ.NO_SHOW);
		ij.ImagePlus imp = IJ.openImage(image);
		imp.show();
		IJ.wait(500);
		imp.getWindow().setLocation(0, 0);
		IJ.runMacro("run(\"Detect Anomalies...\", \"model=[" + model + "] overlay opacity=0.50 results min_area=0 device=cpu\");");
		return imp;
	}

	/** Chooses a command from the menu and waits for its dialog. */
	static GenericDialog open(String command) throws Exception {
		IJ.doCommand(command);
		String title = command.substring(0, command.length() - 3);
		GenericDialog[] found = new GenericDialog[1];
		waitFor(() -> {
			for (Window w : Window.getWindows())
				if (w instanceof GenericDialog gd && gd.isShowing() && gd.getTitle().equals(title)) found[0] = gd;
			return found[0] != null;
		});
		IJ.wait(300);
		return found[0];
	}

	/** Types a value into a field as a person would, and lets the dialog react. */
	@SuppressWarnings("rawtypes")
	static void type(GenericDialog gd, java.util.Vector fields, int index, String value) throws Exception {
		TextField f = (TextField) fields.get(index);
		EventQueue.invokeAndWait(() -> {
			f.setText(value);
			gd.textValueChanged(new TextEvent(f, TextEvent.TEXT_VALUE_CHANGED));
		});
		IJ.wait(300);
	}

	static void press(GenericDialog gd, int button) throws Exception {
		EventQueue.invokeAndWait(() -> gd.actionPerformed(new ActionEvent(gd.getButtons()[button], ActionEvent.ACTION_PERFORMED, "")));
	}

	static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
		long until = System.currentTimeMillis() + 60_000;
		while (!condition.getAsBoolean()) {
			if (System.currentTimeMillis() > until) throw new IllegalStateException("timed out");
			Thread.sleep(100);
		}
	}

	static void capture(Path file, Window... windows) throws Exception {
		Rectangle r = null;
		for (Window w : windows) r = r == null ? w.getBounds() : r.union(w.getBounds());
		for (Frame f : Frame.getFrames()) f.toFront();
		for (Window w : windows) w.toFront();
		IJ.wait(500);
		ImageIO.write(new Robot().createScreenCapture(r), "png", file.toFile());
	}
}
