package org.anomalyj.fiji;

import org.anomalyj.task.Progress;

import org.scijava.app.StatusService;
import org.scijava.command.DynamicCommand;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.ui.DialogPrompt.MessageType;
import org.scijava.ui.UIService;

import java.io.IOException;

/**
 * What the SciJava commands share: the outcome of the last run, feedback through the status service, and a failure shown as one
 * message (and the command cancelled with it, so a script can read the reason) instead of a trace.
 */
abstract class ActionCommand<O> extends DynamicCommand {

	@Parameter
	private StatusService status;

	@Parameter
	private LogService log;

	@Parameter(required = false)
	private UIService ui;

	private O outcome;

	/** Runs the action and returns what it did. */
	protected abstract O perform(Feedback feedback) throws IOException;

	/** What the last run did (for scripts and tests); null before a run or after a failure. */
	public O outcome() {
		return outcome;
	}

	/** The menu label (from the plug-in annotation), for messages. */
	private String label() {
		String path = getClass().getAnnotation(Plugin.class).menuPath();
		return path.substring(path.lastIndexOf('>') + 1);
	}

	@Override
	public final void run() {
		String title = CommandLabels.title(label());
		Feedback feedback = new SciJavaFeedback(status);
		try {
			outcome = perform(feedback);
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
