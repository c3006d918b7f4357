package org.anomalyj.sink;

import net.imglib2.img.array.ArrayImgs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Plane files are written behind the run: {@code accept} hands them to helpers and returns, each
 * sink writes its planes one at a time in input order, what waits to be written is bounded, a
 * failed write is passed on once, and {@code checkpoint} and {@code close} return only when every
 * file is written.
 */
class ResultSinksTest {

	@TempDir
	Path dir;

	/** Records who wrote which plane, once {@code release} opens; fails on the planes in {@code failOn}. */
	private static final class Recording extends PlaneFileSink {
		final String name;
		final CountDownLatch release;
		final List<Integer> failOn;
		final Map<Integer, String> threads = new ConcurrentHashMap<>();
		final List<Integer> order = Collections.synchronizedList(new ArrayList<>());
		final AtomicInteger active = new AtomicInteger();
		volatile int mostAtOnce;

		Recording(SinkContext context, String name, CountDownLatch release, Integer... failOn) {
			super(context, "." + name);
			this.name = name;
			this.release = release;
			this.failOn = List.of(failOn);
		}

		@Override
		protected void write(PlaneResult result, Path file) throws IOException {
			int now = active.incrementAndGet();
			mostAtOnce = Math.max(mostAtOnce, now);
			try {
				if (!release.await(30, TimeUnit.SECONDS)) throw new IOException("never released");
				Thread.sleep(2); // long enough for a second write of this sink to overlap, were it allowed to start
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
			} finally {
				active.decrementAndGet();
			}
			if (failOn.contains(result.plane())) throw new IOException(file.getFileName() + ": disk full");
			order.add(result.plane());
			threads.put(result.plane(), Thread.currentThread().getName());
		}
	}

	/** A sink of rows, which must be called on the caller's thread. */
	private static final class Rows implements ResultSink {
		final List<String> threads = new ArrayList<>();
		int checkpoints;

		@Override
		public boolean isDone(SinkInput input) {
			return false;
		}

		@Override
		public void accept(PlaneResult result) {
			threads.add(Thread.currentThread().getName());
		}

		@Override
		public void skipped(SinkInput input, int plane, String reason) {}

		@Override
		public void checkpoint() {
			checkpoints++;
		}

		@Override
		public void close() {}
	}

	private SinkInput input;
	private SinkContext context;

	private void setUp() throws IOException {
		Path file = Files.createDirectories(dir.resolve("in")).resolve("a.png");
		Files.write(file, new byte[0]);
		input = new SinkInput(file, "a");
		context = new SinkContext(Files.createDirectories(dir.resolve("out")), null, 0.5, List.of(input.file()));
	}

	private PlaneResult plane(int p, int pixels) {
		return new PlaneResult(input, p, 1000, null, ArrayImgs.unsignedBytes(pixels, 1));
	}

	@Test
	void acceptReturnsBeforeTheFilesAreWrittenAndCheckpointWaitsForThem() throws IOException {
		setUp();
		CountDownLatch release = new CountDownLatch(1);
		Recording map = new Recording(context, "map", release), overlay = new Recording(context, "overlay", release);
		Rows rows = new Rows();
		try (ResultSinks sinks = new ResultSinks(List.of(rows, map, overlay))) {
			// The writes cannot finish before the latch opens: accept waiting for them would time out.
			sinks.accept(plane(0, 100));
			sinks.accept(plane(1, 100));
			assertTrue(map.order.isEmpty() && overlay.order.isEmpty(), "accept returned before any file was written");
			release.countDown();
			sinks.checkpoint();
			assertEquals(List.of(0, 1), map.order, "checkpoint waited for every file");
			assertEquals(List.of(0, 1), overlay.order);
			assertEquals(1, rows.checkpoints, "then the sinks were checkpointed");
		}
		String caller = Thread.currentThread().getName();
		assertFalse(map.threads.containsValue(caller) || overlay.threads.containsValue(caller), "files are written by helpers: " + map.threads);
		assertEquals(List.of(caller, caller), rows.threads, "other sinks stay on the caller's thread");
	}

	@Test
	void closeWaitsForEveryFile() throws IOException {
		setUp();
		CountDownLatch release = new CountDownLatch(1);
		Recording mask = new Recording(context, "mask", release);
		ResultSinks sinks = new ResultSinks(List.of(mask));
		sinks.accept(plane(0, 100));
		new Thread(() -> {
			try {
				Thread.sleep(50);
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
			}
			release.countDown();
		}).start();
		sinks.close();
		assertEquals(List.of(0), mask.order);
	}

	@Test
	void eachSinkWritesItsPlanesOneAtATimeInInputOrder() throws IOException {
		setUp();
		CountDownLatch open = new CountDownLatch(0);
		Recording map = new Recording(context, "map", open), mask = new Recording(context, "mask", open), overlay = new Recording(context, "overlay", open);
		List<Integer> all = new ArrayList<>();
		try (ResultSinks sinks = new ResultSinks(List.of(map, mask, overlay))) {
			for (int p = 0; p < 40; p++) {
				sinks.accept(plane(p, 10));
				all.add(p);
			}
		}
		for (Recording r : List.of(map, mask, overlay)) {
			assertEquals(all, r.order, r.name);
			assertEquals(1, r.mostAtOnce, r.name + " never wrote two planes at once");
		}
	}

	@Test
	void aPlaneLargerThanTheBoundIsWrittenBeforeAcceptReturns() throws IOException {
		setUp();
		Recording map = new Recording(context, "map", new CountDownLatch(0));
		try (ResultSinks sinks = new ResultSinks(List.of(map))) {
			sinks.accept(plane(0, (int) ResultSinks.MAX_WRITING_PIXELS + 1));
			assertEquals(List.of(0), map.order, "held no more than the bound while going on");
		}
	}

	@Test
	void passesOnAFailedWriteOnceAndStillWritesTheOtherFiles() throws IOException {
		setUp();
		CountDownLatch open = new CountDownLatch(0);
		Recording map = new Recording(context, "map", open, 1), overlay = new Recording(context, "overlay", open);
		ResultSinks sinks = new ResultSinks(List.of(map, overlay));
		List<IOException> failures = new ArrayList<>();
		for (int p = 0; p < 4; p++) {
			try {
				sinks.accept(plane(p, 10));
			} catch (IOException e) {
				failures.add(e);
			}
		}
		try {
			sinks.checkpoint();
		} catch (IOException e) {
			failures.add(e);
		}
		try {
			sinks.close();
		} catch (IOException e) {
			failures.add(e);
		}
		// Passed on by a later accept or, at the latest, by checkpoint, and only once.
		assertEquals(1, failures.size(), "reported once: " + failures);
		assertEquals("a_p002.map: disk full", failures.get(0).getMessage());
		assertEquals(0, failures.get(0).getSuppressed().length, "the failure is not repeated for the planes after it");
		assertEquals(List.of(0), map.order, "a sink whose write failed writes no more");
		assertEquals(List.of(0, 1, 2, 3), overlay.order, "the other sink's files are all written");
	}
}
