package org.anomalyj.sink;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A plane's files are written side by side: every plane-file sink but the last is handed to a
 * helper thread, the rest run on the caller's; {@code accept} returns only when all are done and
 * passes on a helper's failure.
 */
class ResultSinksTest {

	@TempDir
	Path dir;

	/** Records which thread wrote, after a pause that a caller not waiting for it would outrun. */
	private final class Recording extends PlaneFileSink {
		final Map<String, String> threads;
		final String name;
		final boolean fail;
		final CountDownLatch started = new CountDownLatch(1);
		/** Written only once this sink has started its file (on another thread, as this one is busy meanwhile). */
		CountDownLatch after;

		Recording(SinkContext context, String name, Map<String, String> threads, boolean fail) {
			super(context, "." + name);
			this.name = name;
			this.threads = threads;
			this.fail = fail;
		}

		@Override
		protected void write(PlaneResult result, Path file) throws IOException {
			started.countDown();
			try {
				if (after != null) assertTrue(after.await(30, TimeUnit.SECONDS), "the other file was started meanwhile");
				Thread.sleep(50);
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
			}
			if (fail) throw new IOException(file + ": disk full");
			threads.put(name, Thread.currentThread().getName());
		}
	}

	private SinkInput input() throws IOException {
		Path file = Files.createDirectories(dir.resolve("in")).resolve("a.png");
		Files.write(file, new byte[0]);
		return new SinkInput(file, "a");
	}

	@Test
	void writesAPlanesFilesSideBySideAndWaitsForAll() throws IOException {
		SinkInput input = input();
		SinkContext context = new SinkContext(Files.createDirectories(dir.resolve("out")), null, 0.5, List.of(input.file()));
		Map<String, String> threads = new ConcurrentHashMap<>();
		Recording map = new Recording(context, "map", threads, false), overlay = new Recording(context, "overlay", threads, false);
		// The overlay, on the caller's thread, goes on only once the map has started: a helper took it.
		overlay.after = map.started;
		try (ResultSinks sinks = new ResultSinks(List.of(map, new Recording(context, "mask", threads, false), overlay))) {
			sinks.accept(new PlaneResult(input, 0, 1, null, null));
			assertEquals(3, threads.size(), "every sink was done when accept returned: " + threads);
		}
		String caller = Thread.currentThread().getName();
		assertEquals(caller, threads.get("overlay"), "the last plane file starts with the caller");
		assertNotEquals(caller, threads.get("map"), "written side by side");
	}

	@Test
	void passesOnAHelpersFailure() throws IOException {
		SinkInput input = input();
		SinkContext context = new SinkContext(Files.createDirectories(dir.resolve("out")), null, 0.5, List.of(input.file()));
		Map<String, String> threads = new ConcurrentHashMap<>();
		try (ResultSinks sinks = new ResultSinks(List.of(new Recording(context, "map", threads, true), new Recording(context, "overlay", threads, false)))) {
			IOException e = assertThrows(IOException.class, () -> sinks.accept(new PlaneResult(input, 0, 1, null, null)));
			assertTrue(e.getMessage().endsWith("a.map: disk full"), e.getMessage());
			assertTrue(threads.containsKey("overlay"), "the other files are still written");
		}
	}
}
