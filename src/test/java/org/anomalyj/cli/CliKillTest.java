package org.anomalyj.cli;

import org.anomalyj.model.AnomalyModel;
import org.anomalyj.model.DeviceChoice;
import org.anomalyj.testing.FileTreeDigest;
import org.anomalyj.testing.JavaProcess;
import org.anomalyj.testing.SmallModel;
import org.anomalyj.testing.TestImages;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Nothing is lost when the command line is killed outright (SIGKILL: no cleanup runs): a training
 * run leaves no model, or the previous one intact; a batch run can be resumed and does not redo
 * the images it finished; inputs are never changed. The CLI runs in a second JVM here.
 */
class CliKillTest {

	static final int TRAINING_IMAGES = 20;

	@TempDir
	Path dir;

	@Test
	void trainingKilledMidwayLeavesNoModelFile() throws Exception {
		Path data = trainingCopy();
		Map<String, String> before = FileTreeDigest.of(data);
		Path out = Files.createDirectories(dir.resolve("out"));
		Path target = out.resolve("model.zip");
		try (JavaProcess p = JavaProcess.start(dir, Main.class, "train", "--data", data.toString(), "--out", target.toString(), "--size", "32")) {
			p.awaitLine(l -> l.startsWith("features"), Duration.ofSeconds(120));
			p.kill();
		}
		try (Stream<Path> s = Files.list(out)) {
			assertEquals(List.of(), s.toList(), "a killed training run left files");
		}
		assertEquals(before, FileTreeDigest.of(data), "training changed its inputs");
	}

	/** Killed around the save: the target holds the previous model or the complete new one, never a mix. */
	@Test
	void trainingKilledNearTheEndKeepsThePreviousModelOrTheNewOne() throws Exception {
		Path data = trainingCopy();
		Path out = Files.createDirectories(dir.resolve("out"));
		Path target = Files.copy(SmallModel.file(), out.resolve("model.zip"));
		byte[] previous = Files.readAllBytes(target);
		long pid;
		try (JavaProcess p = JavaProcess.start(dir, Main.class, "train", "--data", data.toString(), "--out", target.toString(), "--size", "32")) {
			pid = p.pid();
			p.awaitLine(l -> l.startsWith("calibration"), Duration.ofSeconds(120));
			p.kill();
		}
		byte[] now = Files.readAllBytes(target);
		if (!Arrays.equals(previous, now)) {
			try (AnomalyModel m = AnomalyModel.load(target, DeviceChoice.CPU)) {
				// Held-out calibration images are not among the images fitted; cross-fitted ones are.
				int heldOut = m.thresholds().calibration().equals("holdout") ? m.thresholds().calibrationImages() : 0;
				assertEquals(TRAINING_IMAGES, m.training().images() + heldOut, "the new model, complete");
			}
		}
		try (Stream<Path> s = Files.list(out)) {
			for (Path f : s.filter(f -> !f.equals(target)).toList())
				assertTrue(f.getFileName().toString().startsWith(".model.zip.tmp-" + pid + "-"), "left behind: " + f);
		}
		// The next run into that folder tidies what the killed one left.
		Path small = Files.createDirectories(dir.resolve("small"));
		Files.copy(data.resolve("img000.jpg"), small.resolve("a.jpg"));
		CliRun.of("train", "--data", small.toString(), "--out", out.resolve("other.zip").toString(), "--size", "32").assertSucceeded();
		CliBatteryTest.assertNoTemporaryFiles(out);
	}

	/** A batch run killed mid-way, run again: the finished images are not redone, the rest are. */
	@Test
	void aKilledBatchRunResumesWithoutRedoingFinishedImages() throws Exception {
		Path in = Files.createDirectories(dir.resolve("in"));
		List<Path> sample = SmallModel.sampleTrainImages(SmallModel.IMAGES);
		int n = 30;
		// Small images: the outputs of each are quick to write, so the test is about resuming, not waiting.
		for (int i = 0; i < n; i++)
			TestImages.scaled(sample.get(i % sample.size()), 160, 64, "png", in.resolve(String.format(Locale.ROOT, "img%03d.png", i)));
		Map<String, String> inputs = FileTreeDigest.of(in);
		Path out = dir.resolve("out");
		Path csv = out.resolve("scores.csv");
		try (JavaProcess p = JavaProcess.start(dir, Main.class, "score", "--model", SmallModel.file().toString(), "--input", in.toString(), "--out",
			out.toString(), "--batch", "2")) {
			long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
			while (rows(csv) < 4) {
				assertTrue(p.isAlive() && System.nanoTime() < deadline, "the batch run ended before it could be killed");
				Thread.sleep(20);
			}
			p.kill();
		}
		int finished = rows(csv);
		assertTrue(finished < n, "killed after it had finished");
		List<String> stemsAtKill = finishedStems(csv);
		Map<Path, FileTime> done = new HashMap<>();
		try (Stream<Path> s = Files.list(out)) {
			for (Path f : s.filter(f -> f.toString().endsWith(".overlay.png") || f.toString().endsWith(".map.tif")).toList())
				done.put(f, Files.getLastModifiedTime(f));
		}
		Thread.sleep(20); // so that a rewritten file would get a later time stamp

		CliRun again = CliRun.of("score", "--model", SmallModel.file().toString(), "--input", in.toString(), "--out", out.toString(), "--batch", "2");
		again.assertSucceeded();
		assertTrue(again.out().startsWith((n - finished) + " scored") && again.out().contains(finished + " already done"),
			again.out() + " (" + finished + " rows at the kill)");
		assertEquals(n + 1, Files.readAllLines(csv).size());
		assertTrue(Files.readAllLines(csv).stream().skip(1).allMatch(l -> l.contains(",ok,")));
		int kept = 0;
		for (Map.Entry<Path, FileTime> e : done.entrySet()) {
			String stem = e.getKey().getFileName().toString().replaceAll("\\.(overlay\\.png|map\\.tif)$", "");
			if (stemsAtKill.contains(stem)) {
				assertEquals(e.getValue(), Files.getLastModifiedTime(e.getKey()), e.getKey() + " was redone");
				kept++;
			}
		}
		assertTrue(kept >= 2 * finished, kept + " outputs kept for " + finished + " finished images");
		assertEquals(inputs, FileTreeDigest.of(in), "scoring changed its inputs");
		CliBatteryTest.assertNoTemporaryFiles(out);
	}

	/** Data rows of a CSV being rewritten atomically by another process (each read sees a whole file). */
	private static int rows(Path csv) throws IOException {
		if (!Files.exists(csv)) return 0;
		return Math.max(0, Files.readAllLines(csv).size() - 1);
	}

	private static List<String> finishedStems(Path csv) throws IOException {
		return Files.readAllLines(csv).stream().skip(1).map(l -> l.substring(0, l.indexOf('.'))).toList();
	}

	/** Sample training images, renamed, in a folder of their own. */
	private Path trainingCopy() throws IOException {
		Path data = Files.createDirectories(dir.resolve("data"));
		List<Path> all = SmallModel.sampleTrainImages(TRAINING_IMAGES);
		for (int i = 0; i < all.size(); i++) Files.copy(all.get(i), data.resolve(String.format(Locale.ROOT, "img%03d.jpg", i)));
		return data;
	}
}
