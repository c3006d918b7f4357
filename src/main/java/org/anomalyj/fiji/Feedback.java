package org.anomalyj.fiji;

import org.anomalyj.task.Progress;

import ij.IJ;

/**
 * What an action tells the person running it: progress in the status bar, a summary in the Log
 * window, and whether they asked to stop (Esc in ImageJ, or the command's thread interrupted, which
 * is how SciJava cancels a running module). The two facades differ only in how the status bar is
 * reached.
 */
public abstract class Feedback implements Progress {

	/** Forgets an Esc pressed before this action started. */
	protected Feedback() {
		IJ.resetEscape();
	}

	/** Shows a message and how far the work is. */
	protected abstract void showStatus(String message, long done, long total);

	/** Clears the status bar and progress bar. */
	public abstract void finished();

	/** A line in the Log window (standard output when there is no display). */
	public void log(String line) {
		IJ.log(line);
	}

	@Override
	public void update(String stage, long done, long total) {
		showStatus(stage + " " + done + "/" + total, done, total);
	}

	@Override
	public void warn(String message) {
		log("warning: " + message);
	}

	@Override
	public boolean isCancelled() {
		return IJ.escapePressed() || Thread.currentThread().isInterrupted();
	}
}
