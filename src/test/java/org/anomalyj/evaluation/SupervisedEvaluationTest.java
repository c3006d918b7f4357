package org.anomalyj.evaluation;

import org.anomalyj.data.CategoryFolder;
import org.anomalyj.data.TestSample;
import org.anomalyj.testing.TestImages;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.*;

/** The split of the semi-supervised protocol: K per type, seeded, and no labelled image evaluated. */
class SupervisedEvaluationTest {

	/** A category with 3 training goods, 4 test goods, 5 "crack" and 3 "scratch" images with masks. */
	private static CategoryFolder category(Path root) throws IOException {
		write(root.resolve("train/good"), "g", 3, false);
		write(root.resolve("test/good"), "t", 4, false);
		write(root.resolve("test/crack"), "c", 5, true);
		write(root.resolve("test/scratch"), "s", 3, true);
		return CategoryFolder.open(root);
	}

	private static void write(Path dir, String prefix, int n, boolean masks) throws IOException {
		Files.createDirectories(dir);
		for (int i = 0; i < n; i++) {
			TestImages.write(TestImages.grey(8, 8), "png", dir.resolve(prefix + i + ".png"));
			if (masks) {
				Path m = dir.getParent().getParent().resolve("ground_truth").resolve(dir.getFileName()).resolve(prefix + i + "_mask.png");
				Files.createDirectories(m.getParent());
				TestImages.write(TestImages.grey(8, 8), "png", m);
			}
		}
	}

	@Test
	void labelsKImagesPerTypeAndEvaluatesOnlyTheRest(@TempDir Path dir) throws IOException {
		CategoryFolder c = category(dir);
		SupervisedEvaluation.Split s = SupervisedEvaluation.split(c, 2, 0);
		Map<String, Long> perType = s.labelled().stream().collect(Collectors.groupingBy(TestSample::type, Collectors.counting()));
		assertEquals(Map.of("crack", 2L, "scratch", 2L), perType);
		Set<TestSample> labelled = new HashSet<>(s.labelled());
		assertEquals(4, labelled.size(), "distinct images");
		for (TestSample t : s.evaluated()) assertFalse(labelled.contains(t), t + " was labelled for training and is evaluated");
		Set<TestSample> all = new HashSet<>(s.evaluated());
		all.addAll(s.labelled());
		assertEquals(new HashSet<>(c.testSamples()), all, "every test image is either labelled or evaluated");
		assertEquals(c.testSamples(CategoryFolder.GOOD), s.evaluated().stream().filter(t -> !t.isAnomalous()).toList(), "every good test image is evaluated");
		assertEquals(12 - 4, s.evaluated().size());
	}

	@Test
	void theChoiceFollowsTheSeed(@TempDir Path dir) throws IOException {
		CategoryFolder c = category(dir);
		assertEquals(SupervisedEvaluation.split(c, 1, 7), SupervisedEvaluation.split(c, 1, 7));
		Set<List<TestSample>> choices = new HashSet<>();
		for (long seed = 0; seed < 8; seed++) choices.add(SupervisedEvaluation.split(c, 1, seed).labelled());
		assertTrue(choices.size() > 1, "eight seeds chose the same images");
	}

	@Test
	void refusesAKThatLeavesATypeWithNothingToEvaluate(@TempDir Path dir) throws IOException {
		CategoryFolder c = category(dir);
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SupervisedEvaluation.split(c, 3, 0));
		assertTrue(e.getMessage().contains("scratch") && e.getMessage().contains("has 3 images"), e.getMessage());
		assertThrows(IllegalArgumentException.class, () -> SupervisedEvaluation.split(c, 0, 0));
	}
}
