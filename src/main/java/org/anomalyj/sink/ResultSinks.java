package org.anomalyj.sink;

import org.anomalyj.image.Planes;
import org.anomalyj.task.BatchMemory;
import org.anomalyj.task.HelperThreads;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadPoolExecutor;

/**
 * Several sinks as one: every result goes to each, and an input is done only when every sink holds
 * it. Closing closes them all, even when one fails.
 * <p>
 * Plane files are written behind the run: {@link #accept} hands each {@link PlaneFileSink}'s file to
 * helper threads and returns, and {@link #checkpoint} waits until they are written. A batch run
 * ({@code BatchInspection}) so writes a batch's files while it reads and scores the next batch's
 * images, and checkpoints before it hands on the next batch's results; the engine's threads sleep
 * when idle, so the writers take the cores its pass leaves. Each plane-file sink writes its planes one after another, in input
 * order; different sinks' files are written side by side. What waits to be written is bounded
 * ({@link #MAX_WRITING_PIXELS}); past it, {@code accept} waits for the oldest plane's files. A failed
 * write is passed on by the next {@code accept}, {@code checkpoint} or {@link #close}, which returns
 * only when every file is written. Other sinks keep the contract of {@link ResultSink}: they are
 * called on the caller's thread.
 */
public final class ResultSinks implements ResultSink {

	/**
	 * Threads that write plane files: one fewer than the cores, and at least two, as much of the
	 * work is waiting for the disk (forcing a file to it); idle ones end.
	 */
	private static final ThreadPoolExecutor WRITERS = HelperThreads.pool("AnomalyJ plane files",
		Math.max(2, Runtime.getRuntime().availableProcessors() - 1));

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

	/**
	 * Most pixels of planes whose files are still being written: each holds its image, map and mask
	 * (some 10 bytes per pixel) until its files are written. As many as a batch holds
	 * ({@link BatchMemory}), so that a whole batch's files are written while the next batch is read
	 * and inspected. (A fixed 16 M, 5 planes of 1800 × 1800, made a batch of 8 wait in
	 * {@code accept} for its first planes' files with the engine idle: {@code score} 4–7 ms per
	 * image slower, docs/BENCHMARKS.md.) A batch run waits for them before each batch; a plane larger
	 * than this is written before {@code accept} returns.
	 */
	static final long MAX_WRITING_PIXELS = BatchMemory.PIXELS;

	private static final CompletableFuture<Void> IDLE = CompletableFuture.completedFuture(null);

	/** A plane whose files are being written, and its size. */
	private record Writing(CompletableFuture<Void> done, long pixels) {}

	/** Each plane-file sink's last write: the next one starts after it. */
	private final Map<ResultSink, CompletableFuture<Void>> lanes = new IdentityHashMap<>();
	private final Deque<Writing> writing = new ArrayDeque<>();
	private long writingPixels;
	/** Failed writes already passed on: the same failure, seen again through a later write of its sink, is not news. */
	private final Set<Throwable> reported = Collections.newSetFromMap(new IdentityHashMap<>());

	@Override
	public void accept(PlaneResult result) throws IOException {
		List<CompletableFuture<Void>> files = new ArrayList<>();
		for (ResultSink s : sinks) {
			if (!(s instanceof PlaneFileSink)) continue;
			// After the sink's previous write: a sink never writes two planes at once, and one whose
			// write failed writes no more.
			CompletableFuture<Void> f = lanes.getOrDefault(s, IDLE).thenRunAsync(() -> {
				try {
					s.accept(result);
				} catch (IOException e) {
					throw new UncheckedIOException(e);
				}
			}, WRITERS);
			lanes.put(s, f);
			files.add(f);
		}
		if (!files.isEmpty()) {
			long pixels = result.pixels() == null ? 0 : (long) Planes.width(result.pixels()) * Planes.height(result.pixels());
			writing.add(new Writing(CompletableFuture.allOf(files.toArray(CompletableFuture[]::new)), pixels));
			writingPixels += pixels;
		}
		IOException failure = null;
		try {
			for (ResultSink s : sinks) if (!(s instanceof PlaneFileSink)) s.accept(result);
		} catch (IOException e) {
			failure = e;
		}
		failure = collect(failure, false);
		if (failure != null) throw failure;
	}

	/**
	 * Forgets the planes whose files are written, waiting for the oldest while more than
	 * {@link #MAX_WRITING_PIXELS} are held ({@code all}: for every one); returns the first failure
	 * among them, with later ones added to it (or to {@code failure}).
	 */
	private IOException collect(IOException failure, boolean all) {
		while (!writing.isEmpty() && (all || writingPixels > MAX_WRITING_PIXELS || writing.peekFirst().done().isDone())) {
			Writing w = writing.removeFirst();
			writingPixels -= w.pixels();
			failure = await(w.done(), failure);
		}
		return failure;
	}

	/** Waits for a plane's files; a failure not passed on before is returned, or added to an earlier one. */
	private IOException await(CompletableFuture<Void> f, IOException failure) {
		try {
			HelperThreads.await(f);
			return failure;
		} catch (ExecutionException e) {
			Throwable cause = e.getCause();
			while (cause instanceof CompletionException && cause.getCause() != null) cause = cause.getCause();
			if (!reported.add(cause)) return failure;
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

	/** Waits until every plane file handed over is written, then lets the sinks save what they buffer. */
	@Override
	public void checkpoint() throws IOException {
		IOException failure = collect(null, true);
		if (failure != null) throw failure;
		for (ResultSink s : sinks) s.checkpoint();
	}

	@Override
	public void close() throws IOException {
		// Never close a sink, nor return, while its files are still being written.
		IOException failure;
		try {
			failure = collect(null, true);
		} catch (Error e) {
			closeAll(sinks, e);
			throw e;
		}
		IOException first = closeAll(sinks, failure);
		if (failure != null) throw failure;
		if (first != null) throw first;
	}

	/** Closes each sink; the first failure is returned, later ones are added to it (or to {@code pending}). */
	private static IOException closeAll(List<ResultSink> sinks, Throwable pending) {
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
