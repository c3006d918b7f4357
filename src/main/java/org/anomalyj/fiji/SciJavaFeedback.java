package org.anomalyj.fiji;

import org.scijava.app.StatusService;

/** Progress through SciJava's status service (Fiji's status bar). */
final class SciJavaFeedback extends Feedback {

	private final StatusService status;

	SciJavaFeedback(StatusService status) {
		this.status = status;
	}

	@Override
	protected void showStatus(String message, long done, long total) {
		int max = (int) Math.min(Integer.MAX_VALUE, Math.max(1, total));
		status.showStatus((int) Math.min(max, done), max, message);
	}

	@Override
	public void finished() {
		status.clearStatus();
		status.showProgress(0, 0);
	}
}
