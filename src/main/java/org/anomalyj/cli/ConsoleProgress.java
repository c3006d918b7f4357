package org.anomalyj.cli;

import org.anomalyj.task.Progress;


import java.io.PrintStream;

/**
 * A progress line on stderr, rewritten in place on a terminal and printed at most every few
 * seconds otherwise (so CI logs stay short). Ctrl-C cancels through the JVM's shutdown, and the
 * atomic writes leave no partial file behind.
 */
final class ConsoleProgress implements Progress {

	private final PrintStream out;
	private final boolean interactive = System.console() != null;
	private long lastPrint;
	private String lastStage = "";

	ConsoleProgress(PrintStream out) {
		this.out = out;
	}

	@Override
	public synchronized void update(String stage, long done, long total) {
		long now = System.nanoTime();
		boolean finished = done >= total;
		boolean newStage = !stage.equals(lastStage);
		long interval = interactive ? 200_000_000L : 5_000_000_000L;
		if (!finished && !newStage && now - lastPrint < interval) return;
		lastPrint = now;
		lastStage = stage;
		String line = String.format("%-12s %d/%d (%d%%)", stage, done, total, total == 0 ? 100 : 100 * done / total);
		if (interactive) {
			out.print("\r" + line + (finished ? "\n" : ""));
		} else {
			out.println(line);
		}
		out.flush();
	}

	/** On a line of its own (a skipped file): a user must see what was left out, not only a count. */
	@Override
	public synchronized void warn(String message) {
		if (interactive && !lastStage.isEmpty()) out.println();
		out.println(message);
		out.flush();
	}
}
