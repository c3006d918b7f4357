package org.anomalyj.fiji.ij1;

import org.anomalyj.fiji.CommandLabels;
import org.anomalyj.task.Progress;

import ij.IJ;
import ij.ImagePlus;
import ij.WindowManager;
import ij.Macro;

import java.io.IOException;

/**
 * Runs an action for a plug-in: with the plug-in's class loader as context class loader (DJL finds
 * its engine and native libraries through it, and in ImageJ 1.x our jars are only on the plug-in
 * class loader), and with failures shown as one message: a dialog, or in a macro a Log line and
 * the macro aborted (a dialog would stall a batch job).
 */
final class PluginRun {

	interface Action<T> {
		T run() throws IOException;
	}

	private PluginRun() {}

	/** The active image, or null after telling the user there is none. */
	static ImagePlus activeImage() {
		ImagePlus imp = WindowManager.getCurrentImage();
		if (imp == null) IJ.noImage();
		return imp;
	}

	/** @return the action's result, or null when it failed or was cancelled (the user was told) */
	static <T> T attempt(String label, Action<T> action) {
		String title = CommandLabels.title(label);
		Thread thread = Thread.currentThread();
		ClassLoader previous = thread.getContextClassLoader();
		thread.setContextClassLoader(PluginRun.class.getClassLoader());
		try {
			return action.run();
		} catch (Progress.Cancelled e) {
			IJ.log(title + ": cancelled");
			return null;
		} catch (IOException | IllegalArgumentException | IllegalStateException e) {
			String message = e.getMessage() == null ? e.toString() : e.getMessage();
			if (IJ.isMacro()) {
				IJ.log(title + " failed: " + message);
				Macro.abort();
			} else IJ.error(title, message);
			return null;
		} finally {
			thread.setContextClassLoader(previous);
		}
	}
}
