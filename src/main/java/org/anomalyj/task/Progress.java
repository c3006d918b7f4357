package org.anomalyj.task;

/**
 * Where long work reports how far it is and learns whether to stop. The CLI prints a progress
 * line, Fiji drives its status bar; the core only talks to this interface.
 */
public interface Progress {

	/** Reports that {@code done} of {@code total} units of {@code stage} are finished. */
	void update(String stage, long done, long total);

	/** Reports something the user should know that does not stop the work (e.g. a skipped file). */
	default void warn(String message) {}

	/** Whether the user asked to stop; work checks it between units and then throws {@link Cancelled}. */
	default boolean isCancelled() {
		return false;
	}

	/** Throws {@link Cancelled} when the user asked to stop. */
	default void checkCancelled() {
		if (isCancelled()) throw new Cancelled();
	}

	/** Progress that goes nowhere and never cancels. */
	Progress NONE = (stage, done, total) -> {};

	/** Thrown out of long work when the user cancelled it; nothing half-done is left behind. */
	final class Cancelled extends RuntimeException {
		public Cancelled() {
			super("cancelled");
		}
	}
}
