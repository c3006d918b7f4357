package org.anomalyj.fiji.ij1;

import org.anomalyj.fiji.Feedback;

import ij.IJ;

/** Progress in ImageJ 1.x's status and progress bars; Esc cancels. */
final class ImageJFeedback extends Feedback {

	@Override
	protected void showStatus(String message, long done, long total) {
		IJ.showStatus(message);
		IJ.showProgress(total <= 0 ? 1.0 : (double) done / total);
	}

	@Override
	public void finished() {
		IJ.showStatus("");
		IJ.showProgress(1.0);
	}
}
