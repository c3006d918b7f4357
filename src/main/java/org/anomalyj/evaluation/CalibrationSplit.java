package org.anomalyj.evaluation;

import org.anomalyj.data.CategoryFolder;
import org.anomalyj.data.TestSample;
import org.anomalyj.inspect.Inspector;
import org.anomalyj.model.AnomalyModel;
import org.anomalyj.task.Progress;
import org.anomalyj.training.Recalibration;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The drift protocol ({@code evaluate --calibrate-goods 1|2}): the test set's good images, which
 * stand for today's production, are split in two seeded halves; one half re-sets the model's
 * thresholds as {@code calibrate} does ({@link Recalibration}), and the model is evaluated on the
 * rest of the test set (the other half of the goods and every defect). Running both halves shows
 * how much the outcome depends on which goods were given. For a model of several parts whose parts
 * include the test set's category (by its folder's name), that part's thresholds are re-set and judge.
 */
public final class CalibrationSplit {

	/**
	 * @param recalibration the thresholds set from the half and the drift check of that half against the training calibration
	 * @param evaluation the recalibrated model on the rest of the test set
	 * @param calibrationImages the goods used for calibration
	 */
	public record Outcome(Recalibration.Result recalibration, Evaluation.Result evaluation, List<Path> calibrationImages) {}

	private CalibrationSplit() {}

	/**
	 * Recalibrates {@code model} (its thresholds are replaced) and evaluates it.
	 *
	 * @param half 1 or 2: which half of the shuffled goods calibrates (the first half has the extra image of an odd count)
	 * @param seed seeds the shuffle
	 */
	public static Outcome run(AnomalyModel model, CategoryFolder category, int half, long seed, int batchSize, Progress progress) throws IOException {
		if (half != 1 && half != 2) throw new IllegalArgumentException("the calibration half must be 1 or 2, was " + half);
		List<TestSample> goods = new ArrayList<>(category.testSamples(CategoryFolder.GOOD));
		if (goods.size() < 2) throw new IOException(category.root() + ": at least 2 good test images are needed to split them, found " + goods.size());
		Collections.shuffle(goods, new Random(seed));
		int cut = (goods.size() + 1) / 2;
		List<TestSample> calibration = half == 1 ? goods.subList(0, cut) : goods.subList(cut, goods.size());
		List<Path> files = calibration.stream().map(TestSample::image).sorted().toList();
		// The test set's part is known: in a model of several parts its goods calibrate, and its images are judged as, that part.
		String part = model.categories().known(category.name());
		Recalibration.Result r = Recalibration.run(model, files, part, batchSize, progress);
		r.applyTo(model);
		List<TestSample> rest = new ArrayList<>(category.testSamples());
		rest.removeAll(calibration);
		return new Outcome(r, Evaluation.run(new Inspector(model, 0, part), rest, batchSize, progress), files);
	}
}
