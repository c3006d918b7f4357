package org.anomalyj.sink;

import java.io.Closeable;
import java.io.IOException;

/**
 * Where the results of one batch run go: a CSV table, a file per plane, a database table, a
 * stream. A run opens its sinks ({@link ResultSinkPlugin#open}), hands every plane's result to
 * each of them in input order, tells them about files and planes it had to skip, and closes them
 * at the end, also when it fails or is cancelled.
 * <p>
 * Runs resume: before decoding an input, the run asks every sink whether it already holds that
 * input's results from an earlier run ({@link #isDone}); only when all say yes is the input left
 * alone ({@link #resumed}). A sink that keeps no record of earlier runs answers no, and its inputs
 * are always redone.
 * <p>
 * A sink writes nothing half: files are written to a temporary name and moved into place
 * ({@code org.anomalyj.io.AtomicFiles}), so a run killed at any moment leaves each output whole or
 * absent. It never writes over an input ({@link SinkContext#requireNotInput}). Methods are called
 * from one thread.
 */
public interface ResultSink extends Closeable {

	/**
	 * Whether an earlier run left this input's results for every one of its planes here, so that
	 * it need not be inspected again. Cheap questions first: {@link SinkInput#planes()} reads the
	 * image's header, so ask it only once the record has the input.
	 *
	 * @throws IOException when the answer cannot be found out; the input is then redone
	 */
	boolean isDone(SinkInput input) throws IOException;

	/**
	 * Every sink said {@link #isDone} for this input, so it is not inspected again: a sink that
	 * rewrites its record at the end keeps the input's earlier results.
	 */
	default void resumed(SinkInput input) throws IOException {}

	/** One plane's result. Its arrays may be large: do not hold on to them after returning. */
	void accept(PlaneResult result) throws IOException;

	/**
	 * A file or plane that could not be inspected, and why (a one-line message naming the file).
	 * A file that cannot be read at all is reported as its plane 0.
	 */
	void skipped(SinkInput input, int plane, String reason) throws IOException;

	/**
	 * A batch of planes is done: a sink that buffers may save what it has, so that a run killed
	 * later resumes from here. It may put this off while saving would cost much of the run's time.
	 */
	default void checkpoint() throws IOException {}

	/** Saves whatever is buffered and releases what the sink holds; called once, also after a failure. */
	@Override
	void close() throws IOException;
}
