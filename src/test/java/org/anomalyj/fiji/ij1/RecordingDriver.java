package org.anomalyj.fiji.ij1;

import ij.IJ;
import ij.ImageJ;
import ij.ImagePlus;
import ij.Prefs;
import ij.WindowManager;
import ij.gui.GenericDialog;
import ij.plugin.frame.Recorder;

import java.awt.EventQueue;
import java.awt.Window;
import java.awt.event.ActionEvent;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs in a real ImageJ (see {@link ImageJSession#runMain}): with the macro recorder open, chooses
 * each AnomalyJ command from the menu and presses OK in its dialog, as a person would, then replays
 * the recorded Detect Anomalies call on a fresh image. Writes what the recorder recorded, and
 * whether the replay drew an overlay, to the "done" file.
 * <p>
 * Arguments: done file, then the preference values the dialogs start from (key=value).
 */
public final class RecordingDriver {

	private RecordingDriver() {}

	public static void main(String[] args) throws Exception {
		Path done = Path.of(args[0]);
		String image = null;
		new ImageJ(ImageJ.NO_SHOW);
		for (int i = 1; i < args.length; i++) {
			String[] kv = args[i].split("=", 2);
			if (kv[0].equals("image")) image = kv[1];
			else Prefs.set("anomalyj." + kv[0], kv[1]);
		}
		Recorder recorder = new Recorder(false);
		Recorder.record = true;
		choose("Train Anomaly Model...");
		IJ.open(image);
		choose("Detect Anomalies...");
		choose("Batch Detect Anomalies...");
		choose("Evaluate Anomaly Model...");
		String recorded = recorder.getText();

		// Replay the recorded detection, as a macro, on a fresh copy of the image.
		String detect = recorded.lines().filter(l -> l.startsWith("run(\"Detect Anomalies...\"")).findFirst().orElse("");
		for (int id : WindowManager.getIDList()) WindowManager.getImage(id).close();
		ImagePlus fresh = IJ.openImage(image);
		fresh.show();
		IJ.wait(500);
		Recorder.record = false;
		IJ.runMacro(detect);
		boolean drawn = fresh.getOverlay() != null && fresh.getOverlay().size() > 0;
		Files.writeString(done, recorded + "replayed overlay=" + drawn + "\n");
		System.exit(0);
	}

	/**
	 * Chooses a menu command, presses OK in each of its dialogs (Train shows a second one for the
	 * method's options), and waits until it has finished and was recorded.
	 */
	private static void choose(String command) throws Exception {
		IJ.doCommand(command);
		long until = System.currentTimeMillis() + 120_000;
		java.util.Set<Window> pressed = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
		while (System.currentTimeMillis() < until) {
			for (Window w : Window.getWindows())
				if (w instanceof GenericDialog gd && gd.isShowing() && pressed.add(gd))
					EventQueue.invokeAndWait(() -> gd.actionPerformed(new ActionEvent(gd.getButtons()[0], ActionEvent.ACTION_PERFORMED, "OK")));
			if (!pressed.isEmpty() && Recorder.getInstance() != null && Recorder.getInstance().getText().contains("run(\"" + command + "\"")) return;
			Thread.sleep(100);
		}
		throw new IllegalStateException(command + " did not finish");
	}
}
