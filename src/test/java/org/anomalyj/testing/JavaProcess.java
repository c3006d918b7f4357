package org.anomalyj.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A second JVM running a main class on the test classpath, to be killed outright
 * ({@code destroyForcibly}, SIGKILL on Unix): nothing in it gets to run afterwards, which is what
 * a power cut, the OOM killer or {@code kill -9} do to a user's run. Its standard error is
 * collected line by line so a test can kill it at a chosen stage.
 */
public final class JavaProcess implements AutoCloseable {

	private final Process process;
	private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
	private final List<String> seen = new ArrayList<>();
	private final Thread reader;

	private JavaProcess(Process process) {
		this.process = process;
		reader = new Thread(() -> {
			try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
				for (String l; (l = r.readLine()) != null;) lines.add(l);
			} catch (IOException e) {
				// The process was killed; its pipe closes.
			}
		}, "stderr of " + process.pid());
		reader.setDaemon(true);
		reader.start();
	}

	/** Starts {@code java -cp <test classpath> mainClass args} in {@code workDir}, stdout discarded. */
	public static JavaProcess start(Path workDir, Class<?> mainClass, String... args) throws IOException {
		return start(workDir, List.of(), mainClass, args);
	}

	/** As {@link #start(Path, Class, String...)}, with extra JVM options (e.g. {@code -Dai.djl.pytorch.num_threads=1}). */
	public static JavaProcess start(Path workDir, List<String> jvmOptions, Class<?> mainClass, String... args) throws IOException {
		List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
			"-Djava.awt.headless=true", "-Doffline=true"));
		cmd.addAll(jvmOptions);
		cmd.addAll(List.of("-cp", classpath(), mainClass.getName()));
		cmd.addAll(List.of(args));
		ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD);
		// Surefire passes the DJL cache location as system properties; the child needs it too.
		for (String key : List.of("DJL_CACHE_DIR", "ENGINE_CACHE_DIR")) {
			String v = System.getProperty(key, System.getenv(key));
			if (v != null) pb.environment().put(key, v);
		}
		return new JavaProcess(pb.start());
	}

	/** Surefire runs tests from a manifest-only jar; the real classpath is in this property. */
	private static String classpath() {
		return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
	}

	public long pid() {
		return process.pid();
	}

	/** Waits for a stderr line matching {@code wanted}; fails if the process ends or the time runs out first. */
	public String awaitLine(Predicate<String> wanted, Duration timeout) throws InterruptedException {
		long end = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < end) {
			String l = lines.poll(50, TimeUnit.MILLISECONDS);
			if (l == null) {
				if (!process.isAlive() && lines.isEmpty()) break;
				continue;
			}
			seen.add(l);
			if (wanted.test(l)) return l;
		}
		throw new AssertionError("no such line from the child process (alive: " + process.isAlive() + "); it wrote:\n" + String.join("\n", seen));
	}

	/**
	 * Waits for the process to end by itself and returns its exit code; afterwards {@link #stderr()}
	 * holds every line it wrote, the native libraries' included (they write to the same file descriptor).
	 */
	public int awaitExit(Duration timeout) throws InterruptedException {
		if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS))
			throw new AssertionError("process " + pid() + " still running after " + timeout + "; it wrote:\n" + String.join("\n", stderr()));
		reader.join(timeout.toMillis());
		return process.exitValue();
	}

	/** The standard error lines read so far, in order. */
	public List<String> stderr() {
		lines.drainTo(seen);
		return List.copyOf(seen);
	}

	/** Kills the process without warning and waits until it is gone. */
	public void kill() throws InterruptedException {
		process.destroyForcibly();
		if (!process.waitFor(20, TimeUnit.SECONDS)) throw new AssertionError("process " + pid() + " survived being killed");
	}

	public boolean isAlive() {
		return process.isAlive();
	}

	@Override
	public void close() throws InterruptedException {
		if (process.isAlive()) kill();
	}
}
