package org.anomalyj.cli;

import org.anomalyj.testing.JavaProcess;
import org.anomalyj.testing.SmallModel;
import org.anomalyj.testing.TestImages;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the native library prints reaches the user's terminal unfiltered, so it is checked where the
 * user sees it: in the standard error of a second JVM running the command line. PyTorch 2.7 logs
 * "Could not initialize NNPACK! Reason: Unsupported hardware." on every convolution it considers
 * for NNPACK (batches below 16 on one thread, 1x1 kernels) when the CPU lacks what NNPACK needs;
 * {@link org.anomalyj.model.NativeEngine} switches NNPACK off so the question is never asked.
 * On a CPU where NNPACK initialises the line cannot appear either way; {@code NnpackSwitchTest}
 * checks the switch itself on every machine.
 */
class NativeNoiseTest {

	/** One engine thread: oneDNN then declines 1x1 convolutions of small batches, the path that asked about NNPACK. */
	static final List<String> ONE_THREAD = List.of("-Dai.djl.pytorch.num_threads=1");

	@TempDir
	Path dir;

	@Test
	void scoringPrintsNoNnpackLineButStillReportsABrokenImage() throws Exception {
		Path in = Files.createDirectories(dir.resolve("in"));
		for (Path p : SmallModel.sampleTrainImages(3)) Files.copy(p, in.resolve(p.getFileName()));
		TestImages.truncated(SmallModel.sampleTrainImages(4).get(3), 0.3, in.resolve("cut.png"));
		ChildRun run = score("--model", SmallModel.file().toString(), "--input", in.toString(), "--out", dir.resolve("out").toString(),
			"--batch", "3");
		run.assertExit(0);
		List<String> skipped = run.err().stream().filter(l -> l.startsWith("skipped ")).toList();
		assertEquals(1, skipped.size(), () -> "expected one skipped line:\n" + run.text());
		assertTrue(skipped.get(0).contains("cut.png"), skipped.get(0));
	}

	@Test
	void aBrokenModelStillGivesItsOneLineError() throws Exception {
		Path broken = TestImages.truncated(SmallModel.file(), 0.5, dir.resolve("broken.zip"));
		Path in = Files.createDirectories(dir.resolve("in"));
		Path image = SmallModel.sampleTrainImages(1).get(0);
		Files.copy(image, in.resolve(image.getFileName()));
		ChildRun run = score("--model", broken.toString(), "--input", in.toString(), "--out", dir.resolve("out").toString());
		run.assertExit(1);
		List<String> errors = run.err().stream().filter(l -> l.startsWith("anomalyj ")).toList();
		assertEquals(1, errors.size(), () -> "expected one error line:\n" + run.text());
		assertTrue(errors.get(0).contains(broken.toString()), errors.get(0));
	}

	/** {@code score ARGS} in a second JVM; what it wrote to standard error, native lines included. */
	private ChildRun score(String... args) throws Exception {
		List<String> cmd = new ArrayList<>(List.of("score"));
		cmd.addAll(List.of(args));
		try (JavaProcess p = JavaProcess.start(dir, ONE_THREAD, Main.class, cmd.toArray(String[]::new))) {
			int exit = p.awaitExit(Duration.ofMinutes(3));
			return new ChildRun(exit, p.stderr());
		}
	}

	private record ChildRun(int exit, List<String> err) {

		String text() {
			return String.join("\n", err);
		}

		/** The exit code is {@code expected} and no NNPACK line reached the user. */
		void assertExit(int expected) {
			assertEquals(expected, exit, () -> "exit code " + exit + "; stderr:\n" + text());
			List<String> nnpack = err.stream().filter(l -> l.contains("NNPACK")).toList();
			assertEquals(List.of(), nnpack, () -> "the native library's NNPACK warning reached the user:\n" + text());
		}
	}
}
