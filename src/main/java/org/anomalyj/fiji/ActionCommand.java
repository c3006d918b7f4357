package org.anomalyj.fiji;

import org.anomalyj.task.Progress;
import org.scijava.app.StatusService;
import org.scijava.command.ContextCommand;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.ui.DialogPrompt.MessageType;
import org.scijava.ui.UIService;

import java.io.IOException;

/**
 * What the SciJava commands share: feedback through the status service, and a failure shown as one
 * message (and the command cancelled with it, so a script can read the reason) instead of a trace.
 */
abstract class ActionCommand extends ContextCommand {

	@Parameter
	private StatusService status;

	@Parameter
	private LogService log;

	@Parameter(required = false)
	private UIService ui;

	/** Runs the action. */
	protected abstract void perform(Feedback feedback) throws IOException;

	/** The menu label, for messages. */
	protected abstract String label();

	@Override
	public final void run() {
		String title = CommandLabels.title(label());
		Feedback feedback = new SciJavaFeedback(status);
		try {
			perform(feedback);
		} catch (Progress.Cancelled e) {
			feedback.log(title + ": cancelled");
			cancel("cancelled");
		} catch (IOException | IllegalArgumentException | IllegalStateException e) {
			String message = e.getMessage() == null ? e.toString() : e.getMessage();
			log.error(title + ": " + message);
			cancel(message);
			if (ui != null && !ui.isHeadless()) ui.showDialog(message, title, MessageType.ERROR_MESSAGE);
		}
	}
}
