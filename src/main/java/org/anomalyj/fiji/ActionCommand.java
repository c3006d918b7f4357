package org.anomalyj.fiji;

import org.anomalyj.task.Progress;

import org.scijava.Cancelable;
import org.scijava.app.StatusService;
import org.scijava.command.ContextCommand;
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
abstract class ActionCommand<O> extends ContextCommand {

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

	@Override
	public final void run() {
		outcome = run(this, this::perform, status, log, ui);
	}

	/** An action's body, given the command's feedback. */
	interface Body<O> {
		O perform(Feedback feedback) throws IOException;
	}

	/**
	 * Runs a command's action; on failure logs and shows one line, cancels the command with it and
	 * returns null. Shared by {@link ActionCommand} and the dynamic {@link TrainCommand}.
	 */
	static <O> O run(Cancelable command, Body<O> body, StatusService status, LogService log, UIService ui) {
		String title = CommandLabels.title(label(command.getClass()));
		Feedback feedback = new SciJavaFeedback(status);
		try {
			return body.perform(feedback);
		} catch (Progress.Cancelled e) {
			feedback.log(title + ": cancelled");
			command.cancel("cancelled");
		} catch (IOException | IllegalArgumentException | IllegalStateException e) {
			String message = e.getMessage() == null ? e.toString() : e.getMessage();
			log.error(title + ": " + message);
			command.cancel(message);
			if (ui != null && !ui.isHeadless()) ui.showDialog(message, title, MessageType.ERROR_MESSAGE);
		}
		return null;
	}

	/** The menu label (from the plug-in annotation), for messages. */
	private static String label(Class<?> command) {
		String path = command.getAnnotation(Plugin.class).menuPath();
		return path.substring(path.lastIndexOf('>') + 1);
	}
}
