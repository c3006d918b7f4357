package org.anomalyj.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/** Labelled defects on the command line: training with them, the --supervised protocol, and bad input. */
class SupervisedCliTest {

	private static final Path DATA = Path.of("sample-data", "ball_screw");
	private static final String[] SMALL = {"--method", "simplenet", "--epochs", "2", "--hidden", "16", "--size", "64", "--device", "cpu"};

	private static String[] args(String[] head, String... more) {
		return Stream.concat(Stream.of(head), Stream.of(more)).toArray(String[]::new);
	}

	@Test
	void simpleNetTrainsOnLabelledDefectPatches(@TempDir Path dir) {
		Path model = dir.resolve("m.zip");
		CliRun r = CliRun.of(args(new String[] {"train", "--data", DATA.toString(), "--out", model.toString(), "--defects", DATA.toString()}, SMALL))
			.assertSucceeded();
		assertTrue(r.err().contains("simplenet learns from 8 labelled defect images"), r.err());
		assertTrue(r.out().contains("labelled defect patches from 8 images"), r.out());
		CliRun p = CliRun.of("train", "--data", DATA.toString(), "--out", dir.resolve("p.zip").toString(), "--defects", DATA.toString(), "--method",
			"padim", "--dims", "10", "--size", "64", "--device", "cpu").assertSucceeded();
		assertTrue(p.err().contains("padim does not learn from labelled defects"), p.err());
	}

	@Test
	void theProtocolEvaluatesOnTheImagesNotLabelled(@TempDir Path dir) throws IOException {
		Path json = dir.resolve("s.json");
		CliRun r = CliRun.of(args(new String[] {"evaluate", "--data", DATA.toString(), "--supervised", "2", "--json", json.toString()}, SMALL))
			.assertSucceeded();
		String labelled = r.out().lines().filter(l -> l.startsWith("labelled defects for training")).findFirst().orElseThrow();
		assertEquals(2, labelled.split("pitting/").length - 1, labelled);
		// 6 goods and 8 pittings, 2 of them labelled: both models are evaluated on the other 12.
		assertTrue(r.out().contains("on the other 12 test images"), r.out());
		assertEquals(2, r.out().lines().filter(l -> l.matches("images\\s+12")).count(), r.out());
		String text = Files.readString(json);
		assertTrue(text.contains("\"supervised\"") && text.contains("\"unsupervised\"") && text.contains("labelled_for_training"), text);
		CliRun padim = CliRun.of("evaluate", "--data", DATA.toString(), "--supervised", "1", "--method", "padim");
		assertEquals(2, padim.exit());
		assertTrue(padim.err().contains("does not learn from labelled defects"), padim.err());
		CliRun tooMany = CliRun.of(args(new String[] {"evaluate", "--data", DATA.toString(), "--supervised", "8"}, SMALL));
		assertEquals(2, tooMany.exit());
		assertTrue(tooMany.err().contains("has 8 images"), tooMany.err());
	}

	@Test
	void aDefectWithoutItsMaskIsAOneLineError(@TempDir Path dir) throws IOException {
		Path defects = dir.resolve("defects");
		Path images = Files.createDirectories(defects.resolve("test/pitting")), masks = Files.createDirectories(defects.resolve("ground_truth/pitting"));
		List<Path> pitting;
		try (Stream<Path> s = Files.list(DATA.resolve("test/pitting"))) {
			pitting = s.sorted().limit(2).toList();
		}
		for (Path p : pitting) Files.copy(p, images.resolve(p.getFileName()));
		String name = pitting.get(0).getFileName().toString().replaceFirst("\\.[^.]+$", "") + "_mask.png";
		Files.copy(DATA.resolve("ground_truth/pitting").resolve(name), masks.resolve(name));
		Path model = dir.resolve("m.zip");
		CliRun r = CliRun.of(args(new String[] {"train", "--data", DATA.toString(), "--out", model.toString(), "--defects", defects.toString()}, SMALL));
		r.assertRefused(images.resolve(pitting.get(1).getFileName()), "has no mask");
		assertFalse(Files.exists(model));
	}
}
