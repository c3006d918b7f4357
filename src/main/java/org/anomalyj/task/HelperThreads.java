package org.anomalyj.task;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Pools of daemon threads for work done beside the caller's thread (files written side by side,
 * bands of an image encoded at once). Not the common fork-join pool: on a 2-core machine it has
 * one thread, and {@code CompletableFuture}'s asynchronous methods then start a new thread for
 * every task.
 */
public final class HelperThreads {

	/**
	 * Threads for a batch's per-image work beside the caller: decoding its files, preparing each
	 * network input, finishing each result. One pool for all of it, as these steps follow each other.
	 */
	public static final ThreadPoolExecutor IMAGES = besideCaller("AnomalyJ images");

	private HelperThreads() {}

	/** One fewer thread than the cores (at least one), as the caller works too; idle threads end, so an idle Fiji holds none. */
	public static ThreadPoolExecutor besideCaller(String name) {
		return pool(name, Math.max(1, Runtime.getRuntime().availableProcessors() - 1));
	}

	/** {@code n} threads; idle ones end. */
	public static ThreadPoolExecutor pool(String name, int n) {
		ThreadPoolExecutor e = new ThreadPoolExecutor(n, n, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
			Thread t = new Thread(r, name);
			t.setDaemon(true);
			return t;
		});
		e.allowCoreThreadTimeOut(true);
		return e;
	}

	/** Queues {@code work} on {@code pool}; {@link #join} runs it on the caller's thread if no helper has taken it by then. */
	public static <T> FutureTask<T> start(Executor pool, Callable<T> work) {
		FutureTask<T> task = new FutureTask<>(work);
		pool.execute(task);
		return task;
	}

	/**
	 * The result of a {@link #start}ed task, which the caller runs itself when no helper has
	 * started it: a caller that would only wait works instead, and a busy pool never leaves work
	 * queued while the caller idles. (A task already taken is not run twice: {@link FutureTask#run}
	 * does nothing then.)
	 *
	 * @throws ExecutionException with what the work threw
	 */
	public static <T> T join(FutureTask<T> task) throws ExecutionException {
		task.run();
		return await(task);
	}

	/** Work on the {@code i}-th of several independent items; {@code E}, what it may throw. */
	@FunctionalInterface
	public interface Item<T, E extends Exception> {
		T apply(int i) throws E;
	}

	/**
	 * Items {@code 0 .. n-1} worked on side by side, by the pool's threads and the caller (who takes
	 * item 0, then every one no helper has started); returns their results in order once all are done. Each
	 * item is computed exactly as it would be alone, so the results do not depend on the threads.
	 *
	 * @throws E the first failing item's exception, as it threw it (the others are finished first)
	 */
	public static <T, E extends Exception> List<T> each(Executor pool, int n, Item<T, E> work) throws E {
		List<FutureTask<T>> tasks = new ArrayList<>(n);
		for (int i = 0; i < n; i++) {
			int k = i;
			FutureTask<T> t = new FutureTask<>(() -> work.apply(k));
			tasks.add(t);
			if (i > 0) pool.execute(t);
		}
		// The caller works through every item no helper has started, then waits for the rest: waiting
		// in order instead would idle it on an item a helper runs while later ones sit queued.
		for (FutureTask<T> t : tasks) t.run();
		Object[] out = new Object[n];
		Throwable failed = null;
		for (int i = 0; i < n; i++) {
			try {
				out[i] = await(tasks.get(i));
			} catch (ExecutionException e) {
				if (failed == null) failed = e.getCause();
			}
		}
		if (failed instanceof Error e) throw e;
		if (failed instanceof RuntimeException e) throw e;
		if (failed != null) {
			@SuppressWarnings("unchecked") // Item.apply throws only E and unchecked ones
			E e = (E) failed;
			throw e;
		}
		@SuppressWarnings("unchecked")
		List<T> results = (List<T>) Arrays.asList(out);
		return results;
	}

	/**
	 * The result of {@code f}, waiting as long as it takes: an interrupt is kept for the caller to
	 * see afterwards, as work whose result is still in use (files being written, bands being
	 * encoded) must not be abandoned halfway.
	 *
	 * @throws ExecutionException with what the work threw
	 */
	public static <T> T await(Future<T> f) throws ExecutionException {
		boolean interrupted = false;
		try {
			while (true) {
				try {
					return f.get();
				} catch (InterruptedException e) {
					interrupted = true;
				}
			}
		} finally {
			if (interrupted) Thread.currentThread().interrupt();
		}
	}
}
