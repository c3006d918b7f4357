package org.anomalyj.evaluation;

import org.anomalyj.data.CategoryFolder;
import org.anomalyj.data.TestSample;
import org.anomalyj.features.FeatureRows;
import org.anomalyj.features.FeatureSession;
import org.anomalyj.method.AnomalyMethod;
import org.anomalyj.method.AnomalyMethodPlugin;
import org.anomalyj.method.RandomSubset;
import org.anomalyj.metrics.MetricsAccumulator;
import org.anomalyj.metrics.MetricsReport;
import org.anomalyj.model.ModelSpec;
import org.anomalyj.task.Progress;
import org.anomalyj.training.ModelTrainer;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import ai.djl.ndarray.NDManager;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;

/**
 * The few-shot setting: for each {@code k}, train on {@code k} good images drawn at random from an
 * MVTec category's train/good (seeded, several draws), evaluate each on the full test set, and
 * summarise the metrics as mean and standard deviation over the draws.
 * <p>
 * The backbone runs once per image: the features of every drawn training image and of the test set
 * are extracted once and shared by all draws, which therefore differ only in the method fit. The
 * metrics (AUROC, AUPRO, F1-max, AP) do not depend on thresholds, so no calibration is done. The
 * intensity range of 16/32-bit sets is measured on the whole train/good folder.
 */
public final class FewShotEvaluation {

	/** The metrics summarised, by their anomalib names. */
	public static final List<String> METRICS = List.of("image_auroc", "pixel_auroc", "aupro", "image_f1_max", "pixel_ap");

	/**
	 * One draw.
	 *
	 * @param images the training files drawn
	 * @param metrics metric name to value
	 * @param fitSeconds time to fit the method on the drawn images' features
	 */
	public record Run(int shots, int draw, List<Path> images, Map<String, Double> metrics, double fitSeconds) {}

	/**
	 * The summary for one {@code k}.
	 *
	 * @param mean metric name to mean over the draws
	 * @param sd metric name to sample standard deviation over the draws (NaN for one draw)
	 */
	public record Row(int shots, int draws, Map<String, Double> mean, Map<String, Double> sd, double fitSeconds) {}

	public record Result(String category, String method, JsonObject methodSettings, long seed, int testImages, List<Row> rows, List<Run> runs) {

		/** A printable table: one line per {@code k}, mean ± sd of each metric. */
		public String table() {
			StringBuilder b = new StringBuilder();
			b.append(String.format(Locale.ROOT, "few-shot %s, %s %s, seed %d, %d test images%n", category, method, methodSettings, seed, testImages));
			b.append(String.format(Locale.ROOT, "%4s %6s", "k", "draws"));
			for (String m : METRICS) b.append(String.format(Locale.ROOT, " %17s", m));
			b.append(String.format(Locale.ROOT, " %8s%n", "fit_s"));
			for (Row r : rows) {
				b.append(String.format(Locale.ROOT, "%4d %6d", r.shots(), r.draws()));
				for (String m : METRICS) b.append(String.format(Locale.ROOT, " %17s", meanSd(r.mean().get(m), r.sd().get(m))));
				b.append(String.format(Locale.ROOT, " %8.2f%n", r.fitSeconds()));
			}
			return b.toString();
		}

		private static String meanSd(double mean, double sd) {
			return Double.isNaN(sd) ? String.format(Locale.ROOT, "%.3f", mean) : String.format(Locale.ROOT, "%.3f ± %.3f", mean, sd);
		}

		public JsonObject json() {
			JsonObject o = new JsonObject();
			o.addProperty("category", category);
			o.addProperty("method", method);
			o.add("method_settings", methodSettings.deepCopy());
			o.addProperty("seed", seed);
			o.addProperty("test_images", testImages);
			o.addProperty("calibration", "none (the metrics do not depend on thresholds)");
			JsonArray rs = new JsonArray();
			for (Row r : rows) {
				JsonObject x = new JsonObject();
				x.addProperty("k", r.shots());
				x.addProperty("draws", r.draws());
				for (String m : METRICS) {
					JsonObject v = new JsonObject();
					v.addProperty("mean", r.mean().get(m));
					v.addProperty("sd", r.sd().get(m));
					x.add(m, v);
				}
				x.addProperty("fit_seconds", r.fitSeconds());
				rs.add(x);
			}
			o.add("rows", rs);
			JsonArray runsJson = new JsonArray();
			for (Run r : runs) {
				JsonObject x = new JsonObject();
				x.addProperty("k", r.shots());
				x.addProperty("draw", r.draw());
				JsonArray files = new JsonArray();
				r.images().forEach(p -> files.add(p.getFileName().toString()));
				x.add("images", files);
				r.metrics().forEach(x::addProperty);
				x.addProperty("fit_seconds", r.fitSeconds());
				runsJson.add(x);
			}
			o.add("runs", runsJson);
			return o;
		}
	}

	private FewShotEvaluation() {}

	/**
	 * @param shots the values of {@code k}, each at least 1 and at most the number of training images
	 * @param draws draws per {@code k}
	 * @param settings method, its options, seed, input size and device (calibration is not used)
	 * @throws IOException when the category has no test set or a test image or mask cannot be read
	 */
	public static Result run(CategoryFolder category, List<Integer> shots, int draws, ModelTrainer.Settings settings, Progress progress) throws IOException {
		List<Path> train = category.trainImages();
		List<TestSample> test = category.testSamples();
		if (test.isEmpty()) throw new IOException(category.root() + ": no test images under test/; few-shot evaluation needs a test set");
		if (draws < 1) throw new IllegalArgumentException("draws must be at least 1, was " + draws);
		for (int k : shots)
			if (k < 1 || k > train.size())
				throw new IllegalArgumentException("k = " + k + " is not between 1 and the " + train.size() + " training images of " + category.name());

		// All draws first, so the features of every image drawn are extracted once.
		Map<Integer, List<int[]>> drawn = new LinkedHashMap<>();
		TreeSet<Integer> needed = new TreeSet<>();
		for (int k : shots) {
			List<int[]> ds = new ArrayList<>();
			for (int d = 0; d < draws; d++) {
				int[] pick = draw(train.size(), k, new Random(drawSeed(settings.seed(), k, d)));
				ds.add(pick);
				for (int i : pick) needed.add(i);
			}
			drawn.put(k, ds);
		}
		List<Path> neededFiles = new ArrayList<>();
		int[] rowOf = new int[train.size()];
		for (int i : needed) {
			rowOf[i] = neededFiles.size();
			neededFiles.add(train.get(i));
		}

		List<String> skipped = new ArrayList<>();
		ModelSpec spec = ModelTrainer.spec(settings, ModelTrainer.measureRange(train, skipped, progress));
		AnomalyMethodPlugin plugin = settings.plugin();
		JsonObject methodSettings = settings.methodSettings();
		try (FeatureSession session = new FeatureSession(spec, settings.device())) {
			FeatureSession.Extracted trainRows = session.extract(neededFiles, settings.batchSize(), skipped, progress, "train features");
			requireAll(trainRows.rows(), neededFiles.size(), skipped);
			List<Path> testFiles = test.stream().map(TestSample::image).toList();
			FeatureSession.Extracted testRows = session.extract(testFiles, settings.batchSize(), skipped, progress, "test features");
			requireAll(testRows.rows(), testFiles.size(), skipped);
			int s = spec.inputSize();
			byte[][] masks = masks(test, s);

			List<Run> runs = new ArrayList<>();
			List<Row> rows = new ArrayList<>();
			int total = shots.size() * draws, done = 0;
			for (int k : shots) {
				List<Run> ofK = new ArrayList<>();
				for (int d = 0; d < draws; d++) {
					progress.update("few-shot runs", done++, total);
					int[] pick = drawn.get(k).get(d);
					int[] rowIdx = Arrays.stream(pick).map(i -> rowOf[i]).toArray();
					long t0 = System.nanoTime();
					Map<String, Double> metrics;
					double fitSeconds;
					try (AnomalyMethod method = plugin.train(session.trainingSet(trainRows.subset(rowIdx), settings.batchSize(), Progress.NONE), methodSettings,
						drawSeed(settings.seed(), k, d), Progress.NONE)) {
						fitSeconds = (System.nanoTime() - t0) / 1e9;
						metrics = evaluate(session, method, testRows, test, masks, settings.batchSize(), progress);
					}
					Run run = new Run(k, d, Arrays.stream(pick).mapToObj(train::get).toList(), metrics, fitSeconds);
					runs.add(run);
					ofK.add(run);
				}
				rows.add(summarise(k, ofK));
			}
			progress.update("few-shot runs", total, total);
			return new Result(category.name(), plugin.name(), methodSettings, settings.seed(), test.size(), rows, runs);
		}
	}

	static long drawSeed(long seed, int k, int draw) {
		return seed * 1_000_003L + k * 1009L + draw;
	}

	/** The images of one draw: {@code k} distinct indices of {@code n}, sorted. */
	static int[] draw(int n, int k, Random random) {
		return RandomSubset.of(n, k, random);
	}

	private static void requireAll(FeatureRows rows, int files, List<String> skipped) throws IOException {
		if (!skipped.isEmpty()) throw new IOException(skipped.get(0));
		if (rows.images() != files)
			throw new IOException(files + " image files gave " + rows.images() + " images; few-shot evaluation takes single-plane images only");
	}

	/** Ground truth at the model's input size (nearest neighbour, as {@code Evaluation} does); null for good images. */
	private static byte[][] masks(List<TestSample> test, int s) throws IOException {
		byte[][] out = new byte[test.size()][];
		for (int i = 0; i < out.length; i++) {
			if (!test.get(i).isAnomalous()) continue;
			boolean[] m = test.get(i).loadMask().resizeNearest(s, s).toArray();
			out[i] = new byte[m.length];
			for (int p = 0; p < m.length; p++) out[i][p] = (byte) (m[p] ? 1 : 0);
		}
		return out;
	}

	private static Map<String, Double> evaluate(FeatureSession session, AnomalyMethod method, FeatureSession.Extracted testRows, List<TestSample> test,
		byte[][] masks, int batchSize, Progress progress) {
		MetricsAccumulator acc = new MetricsAccumulator();
		int s = session.spec().inputSize();
		session.score(method, testRows, batchSize, progress, (from, sc) -> {
			for (int i = 0; i < sc.imageScores().length; i++)
				acc.add(sc.imageScores()[i], test.get(from + i).isAnomalous(), sc.maps()[i], masks[from + i], s, s);
		});
		MetricsReport report = acc.compute();
		Map<String, Double> all = report.values(), out = new LinkedHashMap<>();
		for (String m : METRICS) out.put(m, all.get(m));
		return out;
	}

	private static Row summarise(int k, List<Run> runs) {
		Map<String, Double> mean = new LinkedHashMap<>(), sd = new LinkedHashMap<>();
		for (String m : METRICS) {
			double[] v = runs.stream().mapToDouble(r -> r.metrics().get(m)).toArray();
			double mu = Arrays.stream(v).average().orElse(Double.NaN);
			double ss = 0;
			for (double x : v) ss += (x - mu) * (x - mu);
			mean.put(m, mu);
			sd.put(m, v.length > 1 ? Math.sqrt(ss / (v.length - 1)) : Double.NaN);
		}
		return new Row(k, runs.size(), mean, sd, runs.stream().mapToDouble(Run::fitSeconds).average().orElse(Double.NaN));
	}
}
