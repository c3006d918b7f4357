package org.anomalyj.evaluation;

import org.anomalyj.features.FeatureSession;
import org.anomalyj.method.AnomalyMethod;
import org.anomalyj.method.AnomalyMethodPlugin;
import org.anomalyj.metrics.FalseAlarmBands;
import org.anomalyj.model.ConformalScores;
import org.anomalyj.model.ModelSpec;
import org.anomalyj.task.Progress;
import org.anomalyj.training.Calibration;
import org.anomalyj.training.HeldOutScores;
import org.anomalyj.training.ModelTrainer;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Checks the conformal thresholds on good images: repeatedly splits a pool of good images at
 * random into a training part and a test part, trains on the training part exactly as
 * {@link ModelTrainer} does (same calibration strategy), and counts the test images flagged at each
 * false-alarm rate asked for. The count is compared with its band under the conformal law
 * ({@link FalseAlarmBands}), treating the splits as independent.
 * <p>
 * The backbone runs once per image; every split reuses the features. The intensity range of
 * 16/32-bit pools is measured on the whole pool.
 */
public final class FalseAlarmStudy {

	/**
	 * The outcome at one false-alarm rate.
	 *
	 * @param alpha the rate asked for
	 * @param expectedRate the rate the thresholds promise, averaged over the splits ({@code <= alpha} when enough images calibrate)
	 * @param tested good test images over all splits
	 * @param flagged of them flagged anomalous
	 * @param band central interval of {@code flagged} under the conformal law
	 * @param clopperPearson binomial interval of the observed rate (treats images as independent)
	 */
	public record Outcome(double alpha, double expectedRate, int tested, int flagged, int[] band, double[] clopperPearson) {

		public double observedRate() {
			return (double) flagged / tested;
		}

		public boolean withinBand() {
			return flagged >= band[0] && flagged <= band[1];
		}
	}

	/**
	 * @param calibration the strategy used in the splits
	 * @param calibrationImages calibration scores per split
	 * @param trainingImages images the scoring model trained on per split
	 * @param testImages good test images per split
	 */
	public record Result(String method, String calibration, int pool, int splits, int trainingImages, int calibrationImages, int testImages,
		double confidence, List<Outcome> outcomes, double seconds) {

		public String table() {
			StringBuilder b = new StringBuilder();
			b.append(String.format(Locale.ROOT, "false alarms on held-out good images: %s, calibration %s, %d splits of %d good images "
				+ "(%d train, %d calibration scores, %d test per split)%n", method, calibration, splits, pool, trainingImages, calibrationImages,
				testImages));
			b.append(String.format(Locale.ROOT, "%7s %9s %9s %13s %13s %18s %7s%n", "alpha", "expected", "observed", "flagged", "band",
				"clopper-pearson", "in band"));
			for (Outcome o : outcomes)
				b.append(String.format(Locale.ROOT, "%7.3f %9.4f %9.4f %13s %13s %18s %7s%n", o.alpha(), o.expectedRate(), o.observedRate(),
					o.flagged() + "/" + o.tested(), "[" + o.band()[0] + ", " + o.band()[1] + "]",
					String.format(Locale.ROOT, "[%.4f, %.4f]", o.clopperPearson()[0], o.clopperPearson()[1]), o.withinBand() ? "yes" : "NO"));
			b.append(String.format(Locale.ROOT, "(bands at %.0f %% confidence; %.1f s)%n", 100 * confidence, seconds));
			return b.toString();
		}

		public JsonObject json() {
			JsonObject o = new JsonObject();
			o.addProperty("method", method);
			o.addProperty("calibration", calibration);
			o.addProperty("pool", pool);
			o.addProperty("splits", splits);
			o.addProperty("training_images", trainingImages);
			o.addProperty("calibration_images", calibrationImages);
			o.addProperty("test_images", testImages);
			o.addProperty("confidence", confidence);
			JsonArray a = new JsonArray();
			for (Outcome x : outcomes) {
				JsonObject e = new JsonObject();
				e.addProperty("alpha", x.alpha());
				e.addProperty("expected_rate", x.expectedRate());
				e.addProperty("observed_rate", x.observedRate());
				e.addProperty("flagged", x.flagged());
				e.addProperty("tested", x.tested());
				e.addProperty("band_low", x.band()[0]);
				e.addProperty("band_high", x.band()[1]);
				e.addProperty("clopper_pearson_low", x.clopperPearson()[0]);
				e.addProperty("clopper_pearson_high", x.clopperPearson()[1]);
				e.addProperty("within_band", x.withinBand());
				a.add(e);
			}
			o.add("outcomes", a);
			o.addProperty("seconds", seconds);
			return o;
		}
	}

	private FalseAlarmStudy() {}

	/**
	 * @param pool good images
	 * @param settings method, calibration strategy, seed (split {@code i} uses {@code seed + i}), input size, device
	 * @param alphas false-alarm rates to check
	 * @param testShare share of the pool tested per split
	 * @param confidence of the bands, e.g. 0.95
	 */
	public static Result run(List<Path> pool, ModelTrainer.Settings settings, double[] alphas, int splits, double testShare, double confidence,
		Progress progress) throws IOException {
		if (splits < 1) throw new IllegalArgumentException("splits must be at least 1, was " + splits);
		if (!(testShare > 0 && testShare < 1)) throw new IllegalArgumentException("test share must be in (0, 1), was " + testShare);
		long start = System.nanoTime();
		List<String> skipped = new ArrayList<>();
		ModelSpec spec = ModelTrainer.spec(settings, ModelTrainer.measureRange(pool, skipped, progress));
		AnomalyMethodPlugin plugin = settings.plugin();
		var methodSettings = settings.methodSettings();
		try (FeatureSession session = new FeatureSession(spec, settings.device())) {
			FeatureSession.Extracted all = session.extract(pool, settings.batchSize(), skipped, progress, "features");
			if (!skipped.isEmpty()) throw new IOException(skipped.get(0));
			int n = all.rows().images(), m = (int) Math.round(n * testShare), rest = n - m;
			if (m < 1 || rest < 2) throw new IllegalArgumentException(n + " good images are too few to split " + testShare + " off for testing");
			Calibration.Mode mode = settings.calibration().resolve(rest, settings.alpha());
			if (mode == Calibration.Mode.NONE) throw new IllegalArgumentException("the study needs a calibration strategy, not none");
			int nCal = mode == Calibration.Mode.HOLDOUT ? settings.calibration().heldOut(rest, settings.alpha()) : rest;
			int nTrain = mode == Calibration.Mode.HOLDOUT ? rest - nCal : rest;

			int[] flagged = new int[alphas.length];
			double[] rateSum = new double[alphas.length];
			double[][][] laws = new double[alphas.length][splits][];
			for (int split = 0; split < splits; split++) {
				progress.update("splits", split, splits);
				long seed = settings.seed() + split;
				List<Integer> order = new ArrayList<>();
				for (int i = 0; i < n; i++) order.add(i);
				Collections.shuffle(order, new Random(seed));
				int[] testIdx = sorted(order.subList(0, m)), calIdx = sorted(order.subList(m, m + (mode == Calibration.Mode.HOLDOUT ? nCal : 0)));
				int[] fitIdx = sorted(order.subList(m + calIdx.length, n));
				FeatureSession.Extracted fit = all.subset(fitIdx);
				HeldOutScores cal;
				float[] testScores;
				try (AnomalyMethod method = plugin.train(session.trainingSet(fit, settings.batchSize(), Progress.NONE), methodSettings, seed, Progress.NONE)) {
					cal = mode == Calibration.Mode.HOLDOUT ? HeldOutScores.of(method, session, all.subset(calIdx), settings.batchSize(), progress)
						: HeldOutScores.crossfit(plugin, methodSettings, seed, session, fit, settings.calibration().folds(), settings.batchSize(), Progress.NONE);
					testScores = HeldOutScores.of(method, session, all.subset(testIdx), settings.batchSize(), progress).imageScores();
				}
				ConformalScores scores = ConformalScores.of(cal.imageScores());
				for (int a = 0; a < alphas.length; a++) {
					float t = scores.threshold(alphas[a]);
					for (float s : testScores) if (s > t) flagged[a]++;
					rateSum[a] += scores.falseAlarmRate(alphas[a]);
					laws[a][split] = FalseAlarmBands.betaBinomial(m, scores.size(), scores.rank(alphas[a]));
				}
			}
			progress.update("splits", splits, splits);
			List<Outcome> outcomes = new ArrayList<>();
			for (int a = 0; a < alphas.length; a++)
				outcomes.add(new Outcome(alphas[a], rateSum[a] / splits, m * splits, flagged[a], FalseAlarmBands.splitsInterval(laws[a], confidence),
					FalseAlarmBands.clopperPearson(flagged[a], m * splits, confidence)));
			return new Result(plugin.name(), mode.id(), n, splits, nTrain, nCal, m, confidence, outcomes, (System.nanoTime() - start) / 1e9);
		}
	}

	private static int[] sorted(List<Integer> l) {
		int[] a = l.stream().mapToInt(Integer::intValue).toArray();
		Arrays.sort(a);
		return a;
	}
}
