package org.anomalyj.evaluation;

import org.anomalyj.data.CategoryFolder;
import org.anomalyj.data.TestSample;
import org.anomalyj.inspect.Inspector;
import org.anomalyj.model.AnomalyModel;
import org.anomalyj.model.TrainingReport;
import org.anomalyj.task.Progress;
import org.anomalyj.training.ModelTrainer;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The contaminated-training protocol ({@code evaluate --noise FRACTION}): a seeded share of each
 * defect type's test images is moved into the training images, as defects that slipped into a
 * "good" folder; one model trains on that contaminated set, another (the clean model) on the
 * training images alone, both with the same settings, and both are evaluated on the rest of the
 * test set. Reported besides the metrics: how many of the moved defects the contaminated model's
 * training named as anomalous and left out ({@link TrainingReport#excluded()}), and how many goods
 * it named.
 */
public final class NoisyTrainingStudy {

	/**
	 * @param moved the defect images moved into training, by type then name
	 * @param clean the clean model's evaluation and training report
	 * @param contaminated the contaminated model's
	 * @param named moved defects the contaminated training left out
	 * @param goodsNamed training goods it left out
	 * @param goods training goods (files)
	 */
	public record Outcome(List<TestSample> moved, Run clean, Run contaminated, int named, int goodsNamed, int goods) {

		public String summary() {
			return String.format(Locale.ROOT, "moved %d defect images into training; the contaminated training named %d of them and %d of the %d goods"
				+ " (the clean training named %d goods)", moved.size(), named, goodsNamed, goods, clean.report().excluded().size());
		}

		public JsonObject json(String category) {
			JsonObject o = new JsonObject();
			o.addProperty("category", category);
			JsonArray m = new JsonArray();
			for (TestSample s : moved) m.add(s.type() + "/" + s.image().getFileName());
			o.add("moved", m);
			o.addProperty("named", named);
			o.addProperty("goods_named", goodsNamed);
			o.addProperty("goods", goods);
			o.add("clean", clean.json(category));
			o.add("contaminated", contaminated.json(category));
			return o;
		}
	}

	/** One model: its training report, its thresholds (described) and its evaluation on the test images left. */
	public record Run(TrainingReport report, String thresholds, float imageThreshold, Evaluation.Result evaluation) {
		JsonObject json(String category) {
			JsonObject o = EvaluationReport.json(category, evaluation);
			o.addProperty("image_threshold", imageThreshold);
			o.add("training", report.toJson());
			return o;
		}
	}

	private NoisyTrainingStudy() {}

	/**
	 * @param fraction the share of each defect type moved, in (0, 1): {@code round(fraction * count)} images of each type
	 * @param seed seeds the choice of the moved images (and training, through {@code settings})
	 */
	public static Outcome run(CategoryFolder category, double fraction, long seed, ModelTrainer.Settings settings, int batchSize, Progress progress)
		throws IOException {
		if (!(fraction > 0 && fraction < 1)) throw new IllegalArgumentException("the noise fraction must be in (0, 1), was " + fraction);
		if (category.trainImages().isEmpty()) throw new IOException(category.root() + ": no training images under train/good");
		List<TestSample> moved = chooseDefects(category, fraction, seed);
		if (moved.isEmpty()) throw new IOException(category.root() + ": a noise fraction of " + fraction + " moves no defect image; give a larger one");
		List<TestSample> rest = new ArrayList<>(category.testSamples());
		rest.removeAll(moved);
		if (rest.stream().noneMatch(TestSample::isAnomalous))
			throw new IOException(category.root() + ": a noise fraction of " + fraction + " leaves no defect image to evaluate on; give a smaller one");

		Run clean = trainAndEvaluate(category.trainImages(), settings, rest, batchSize, progress);
		List<Path> noisy = new ArrayList<>(category.trainImages());
		moved.forEach(s -> noisy.add(s.image()));
		Run contaminated = trainAndEvaluate(noisy, settings, rest, batchSize, progress);

		int named = 0;
		for (TrainingReport.Excluded e : contaminated.report().excluded())
			if (moved.stream().anyMatch(s -> s.image().toAbsolutePath().normalize().endsWith(Path.of(e.image())))) named++;
		return new Outcome(moved, clean, contaminated, named, contaminated.report().excluded().size() - named, category.trainImages().size());
	}

	/** A seeded {@code round(fraction * count)} of each defect type's test images, by type then name. */
	static List<TestSample> chooseDefects(CategoryFolder category, double fraction, long seed) {
		Random random = new Random(seed);
		List<TestSample> moved = new ArrayList<>();
		for (String type : category.defectTypes()) {
			List<TestSample> of = new ArrayList<>(category.testSamples(type));
			Collections.shuffle(of, random);
			List<TestSample> chosen = new ArrayList<>(of.subList(0, (int) Math.round(fraction * of.size())));
			chosen.sort((a, b) -> a.image().compareTo(b.image()));
			moved.addAll(chosen);
		}
		return moved;
	}

	private static Run trainAndEvaluate(List<Path> images, ModelTrainer.Settings settings, List<TestSample> test, int batchSize, Progress progress)
		throws IOException {
		try (AnomalyModel model = ModelTrainer.train(images, settings, progress)) {
			return new Run(model.training(), model.thresholds().describe(), model.thresholds().image(),
				Evaluation.run(new Inspector(model), test, batchSize, progress));
		}
	}
}
