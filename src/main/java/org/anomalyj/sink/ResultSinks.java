package org.anomalyj.sink;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Several sinks as one: every result goes to each in turn, and an input is done only when every
 * sink holds it. Closing closes them all, even when one fails.
 */
public final class ResultSinks implements ResultSink {

	private final List<ResultSink> sinks;

	public ResultSinks(List<? extends ResultSink> sinks) {
		this.sinks = List.copyOf(sinks);
	}

	/**
	 * Opens the named sinks for a run.
	 *
	 * @throws IllegalArgumentException for an unknown name, listing the known ones
	 * @throws IOException when one cannot be opened (those already open are closed)
	 */
	public static ResultSinks open(List<String> names, SinkContext context) throws IOException {
		List<ResultSinkPlugin> plugins = names.stream().map(SinkCatalog::get).toList();
		List<ResultSink> open = new ArrayList<>();
		try {
			for (ResultSinkPlugin p : plugins) open.add(p.open(context));
		} catch (IOException | RuntimeException e) {
			closeAll(open, e);
			throw e;
		}
		return new ResultSinks(open);
	}

	@Override
	public boolean isDone(SinkInput input) throws IOException {
		if (sinks.isEmpty()) return false;
		for (ResultSink s : sinks) if (!s.isDone(input)) return false;
		return true;
	}

	@Override
	public void resumed(SinkInput input) throws IOException {
		for (ResultSink s : sinks) s.resumed(input);
	}

	@Override
	public void accept(PlaneResult result) throws IOException {
		for (ResultSink s : sinks) s.accept(result);
	}

	@Override
	public void skipped(SinkInput input, int plane, String reason) throws IOException {
		for (ResultSink s : sinks) s.skipped(input, plane, reason);
	}

	@Override
	public void checkpoint() throws IOException {
		for (ResultSink s : sinks) s.checkpoint();
	}

	@Override
	public void close() throws IOException {
		IOException first = closeAll(sinks, null);
		if (first != null) throw first;
	}

	/** Closes each sink; the first failure is returned, later ones are added to it (or to {@code pending}). */
	private static IOException closeAll(List<ResultSink> sinks, Exception pending) {
		IOException first = null;
		for (ResultSink s : sinks) {
			try {
				s.close();
			} catch (IOException | RuntimeException e) {
				if (pending != null) pending.addSuppressed(e);
				else if (first == null) first = e instanceof IOException io ? io : new IOException(e.getMessage(), e);
				else first.addSuppressed(e);
			}
		}
		return first;
	}
}
