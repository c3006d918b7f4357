package org.anomalyj.evaluation;

import org.anomalyj.data.CategoryFolder;
import org.anomalyj.data.TestSample;
import org.anomalyj.inspect.Inspector;
import org.anomalyj.method.RandomSubset;
import org.anomalyj.model.AnomalyModel;
import org.anomalyj.task.Progress;
import org.anomalyj.training.DefectThresholds;
import org.anomalyj.training.ModelTrainer;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The semi-supervised protocol ({@code evaluate --supervised K}): K labelled defect images of each
 * defect type (a seeded choice) train the model next to the good training images, and the model
 * is evaluated on the rest of the test set only (every good test image, the other defect images),
 * so no image it learned from is scored. The same method trained without them (same settings and
 * seed) is evaluated on the same remaining images: the difference is what the labels bought.
 */
public final class SupervisedEvaluation {

	/**
	 * @param labelled the defect images that trained the model, with their masks, by type then name
	 * @param evaluated the test images both models are evaluated on
	 */
	public record Split(List<TestSample> labelled, List<TestSample> evaluated) {}

	/**
	 * @param supervised the model trained with the labelled defects, on {@code split.evaluated()}
	 * @param unsupervised the same method trained on the good images only, on the same images
	 * @param summary what the supervised model learned ({@code AnomalyMethod.summary()})
	 */
	public record Outcome(int k, long seed, Split split, Evaluation.Result supervised, Evaluation.Result unsupervised, String summary) {

		public JsonObject json(String category) {
			JsonObject o = new JsonObject();
			o.addProperty("category", category);
			o.addProperty("k", k);
			o.addProperty("seed", seed);
			o.addProperty("method_summary", summary);
			JsonArray used = new JsonArray();
			for (TestSample t : split.labelled()) used.add(t.type() + "/" + t.image().getFileName());
			o.add("labelled_for_training", used);
			o.add("supervised", EvaluationReport.json(category, supervised));
			o.add("unsupervised", EvaluationReport.json(category, unsupervised));
			return o;
		}
	}

	private SupervisedEvaluation() {}

	/**
	 * Chooses K images of each defect type: for each type a generator seeded with the seed and the
	 * type's name (so adding a type does not change the others' choice) draws K distinct images.
	 *
	 * @throws IllegalArgumentException when a type has K images or fewer (none would be left to evaluate), or there is no defect type
	 */
	public static Split split(CategoryFolder category, int k, long seed) {
		if (k < 1) throw new IllegalArgumentException("K must be at least 1, was " + k);
		if (category.defectTypes().isEmpty()) throw new IllegalArgumentException(category.root() + ": has no defect types under test/ to label");
		List<TestSample> labelled = new ArrayList<>();
		for (String type : category.defectTypes()) {
			List<TestSample> ofType = category.testSamples(type);
			if (ofType.size() <= k)
				throw new IllegalArgumentException(category.root().resolve("test").resolve(type) + ": has " + ofType.size() + " images; K = " + k
					+ " labelled ones would leave none to evaluate");
			for (int i : RandomSubset.of(ofType.size(), k, new Random(seed * 1_000_003L + type.hashCode()))) labelled.add(ofType.get(i));
		}
		List<TestSample> evaluated = new ArrayList<>(category.testSamples());
		evaluated.removeAll(labelled);
		return new Split(List.copyOf(labelled), List.copyOf(evaluated));
	}

	/**
	 * Trains both models on the category's train/good with {@code settings} (the method must learn
	 * from labelled defects) and evaluates them on the images the split leaves.
	 */
	public static Outcome run(CategoryFolder category, int k, ModelTrainer.Settings settings, Progress progress) throws IOException {
		if (!settings.plugin().learnsFromDefects())
			throw new IllegalArgumentException("method " + settings.method() + " does not learn from labelled defects; the protocol needs one that does");
		Split split = split(category, k, settings.seed());
		List<DefectThresholds.Example> examples = split.labelled().stream().map(t -> new DefectThresholds.Example(t.image(), t.mask())).toList();
		Evaluation.Result supervised, unsupervised;
		String summary;
		try (AnomalyModel m = ModelTrainer.train(category.trainImages(), examples, settings, null, progress)) {
			summary = m.method().summary();
			supervised = Evaluation.run(new Inspector(m), split.evaluated(), settings.batchSize(), progress);
		}
		try (AnomalyModel m = ModelTrainer.train(category.trainImages(), settings, progress)) {
			unsupervised = Evaluation.run(new Inspector(m), split.evaluated(), settings.batchSize(), progress);
		}
		return new Outcome(k, settings.seed(), split, supervised, unsupervised, summary);
	}
}
