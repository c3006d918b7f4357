package org.anomalyj.sink;

import org.anomalyj.task.HelperThreads;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ThreadPoolExecutor;

/**
 * Several sinks as one: every result goes to each, and an input is done only when every sink holds
 * it. Closing closes them all, even when one fails.
 * <p>
 * The files of one plane are written side by side: every {@link PlaneFileSink} but the last is
 * handed to a helper thread while the others run on the caller's, which then writes any file no
 * helper has started yet; {@link #accept} returns when all are done. The map TIFF and the mask PNG
 * are single-threaded work, much of it waiting for the disk, that would otherwise leave a core
 * idle while they run. Other sinks keep the contract of {@link ResultSink}: one thread.
 */
public final class ResultSinks implements ResultSink {

	/** Threads that write plane files beside the caller's: one fewer than the cores, idle ones end. */
	private static final ThreadPoolExecutor WRITERS = HelperThreads.besideCaller("AnomalyJ plane files");

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
		List<ResultSink> aside = new ArrayList<>();
		for (ResultSink s : sinks) if (s instanceof PlaneFileSink) aside.add(s);
		// The last plane file (by default the overlay, the largest) starts on the caller's thread.
		if (!aside.isEmpty()) aside.remove(aside.size() - 1);
		List<FutureTask<Void>> pending = new ArrayList<>();
		IOException failure = null;
		try {
			for (ResultSink s : aside) pending.add(HelperThreads.start(WRITERS, () -> {
				s.accept(result);
				return null;
			}));
			for (ResultSink s : sinks) if (!aside.contains(s)) s.accept(result);
		} catch (IOException e) {
			failure = e;
		} finally {
			// Never return while a helper still reads the result's arrays; files no helper has
			// started yet are written here.
			for (FutureTask<Void> f : pending) failure = await(f, failure);
		}
		if (failure != null) throw failure;
	}

	/** Waits for a helper's write (or does it); its failure is returned, or added to an earlier one. */
	private static IOException await(FutureTask<Void> f, IOException failure) {
		try {
			HelperThreads.join(f);
			return failure;
		} catch (ExecutionException e) {
			Throwable cause = e.getCause();
			if (cause instanceof Error error) throw error;
			IOException io = cause instanceof IOException x ? x
				: cause instanceof UncheckedIOException u ? u.getCause() : new IOException(cause.getMessage(), cause);
			if (failure == null) return io;
			failure.addSuppressed(io);
			return failure;
		}
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
