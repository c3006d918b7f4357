package org.anomalyj.cli;

import org.anomalyj.data.CategoryFolder;
import org.anomalyj.data.TestSample;
import org.anomalyj.evaluation.CalibrationSplit;
import org.anomalyj.evaluation.CategoryBreakdown;
import org.anomalyj.evaluation.Evaluation;
import org.anomalyj.evaluation.EvaluationReport;
import org.anomalyj.evaluation.FalseAlarmStudy;
import org.anomalyj.evaluation.FewShotEvaluation;
import org.anomalyj.evaluation.NoisyTrainingStudy;
import org.anomalyj.evaluation.SupervisedEvaluation;
import org.anomalyj.inspect.Inspector;
import org.anomalyj.io.AtomicFiles;
import org.anomalyj.method.MethodCatalog;
import org.anomalyj.model.AnomalyModel;
import org.anomalyj.model.DeviceChoice;
import org.anomalyj.training.ModelTrainer;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code evaluate}: a trained model on an MVTec-layout test set; or, without a model, the few-shot
 * setting ({@code --few-shot}) or a check of the false-alarm guarantee ({@code --false-alarms}),
 * both training from the category itself.
 */
final class EvaluateVerb implements Main.Verb {

	@Override
	public String summary() {
		return "evaluate on an MVTec-layout test set: --model MODEL.zip --data CATEGORY_DIR [--json FILE], or --few-shot K,K,... / --false-alarms / --supervised K";
	}

	@Override
	public void run(String[] args, PrintStream out, PrintStream err) throws IOException {
		if (args.length > 1 && args[1].equals("--help")) {
			out.println("evaluate --model MODEL.zip --data CATEGORY_DIR [--json FILE] [--batch 8] [--device auto|cpu|gpu]\n"
				+ "      [--calibrate-goods 1|2 [--seed 0]]\n"
				+ "  Prints image AUROC, pixel AUROC, AUPRO (FPR<=0.3), image F1-max, pixel AP, ms per image (file to score and\n"
				+ "  map, after the first batch, the warm-up), and the good and\n"
				+ "  defective test images the model's threshold flags. For a model of several categories, the images are judged\n"
				+ "  by the thresholds of the category the folder is named after (when the model has it; else of the category\n"
				+ "  recognised in each image), and per category: goods and defects flagged, how many images were recognised as\n"
				+ "  the folder's category, and what the one pooled threshold would flag.\n"
				+ "  --calibrate-goods: the drift protocol. The test goods are split in two seeded halves; half 1 or 2 re-sets\n"
				+ "  the thresholds as `calibrate` does (the drift check of that half is printed), the rest is evaluated.\n"
				+ "evaluate --data CATEGORY_DIR --few-shot 1,2,4,8,16 [--repeats 5] [--method " + String.join("|", MethodCatalog.names())
				+ "] [--seed 0] [--size 256] [--json FILE] [method options]\n"
				+ "  Trains on k good images drawn from train/good (seeded, --repeats draws per k) and prints mean ± sd of the metrics.\n"
				+ "evaluate --data CATEGORY_DIR --false-alarms [--alpha-list 0.05,0.01] [--repeats 10] [--test-share 0.2]\n"
				+ "      [--calibration auto|crossfit|holdout|FRACTION] [--folds 5] [--method ...] [--json FILE]\n"
				+ "  Splits the good images (train/good and test/good) at random, trains on one part as `train` does and counts\n"
				+ "  false alarms on the other, against the band the conformal guarantee allows.\n"
				+ "evaluate --data CATEGORY_DIR --noise FRACTION [--contamination auto|0|FRACTION] [--seed 0] [--method ...] [--json FILE]\n"
				+ "  The contaminated-training protocol: a seeded FRACTION of each defect type's test images moves into training;\n"
				+ "  a model trains on that set and a clean one on train/good alone (same options), both are evaluated on the\n"
				+ "  rest of the test set; prints both, and how many moved defects the contaminated training named and left out.\n"
				+ "evaluate --data CATEGORY_DIR --supervised K [--method simplenet] [--seed 0] [--size 256] [--json FILE] [method options]\n"
				+ "  The semi-supervised protocol: K labelled defect images per defect type (seeded choice, with their masks) train\n"
				+ "  the model next to train/good; it is evaluated on the remaining test images only, beside the same method\n"
				+ "  trained without them on the same images. The method must learn from labelled defects (simplenet).");
			return;
		}
		Arguments a = TrainVerb.arguments("evaluate", args,
			Set.of("model", "data", "json", "batch", "few-shot", "repeats", "alpha-list", "test-share", "confidence", "calibrate-goods", "noise",
				"supervised"),
			Set.of("false-alarms"));
		CategoryFolder category = CategoryFolder.open(a.path("data"));
		Path json = a.path("json", null);
		String fewShot = a.string("few-shot", null);
		boolean falseAlarms = a.flag("false-alarms");
		String noise = a.string("noise", null);
		String supervised = a.string("supervised", null);
		if ((fewShot != null ? 1 : 0) + (falseAlarms ? 1 : 0) + (noise != null ? 1 : 0) + (supervised != null ? 1 : 0) > 1)
			throw new Arguments.UsageException("evaluate: --few-shot, --false-alarms, --noise and --supervised are separate runs");
		if (noise != null) {
			if (a.string("model", null) != null) throw new Arguments.UsageException("evaluate: --noise trains its own models; drop --model");
			double fraction = a.real("noise", 0);
			if (!(fraction > 0 && fraction < 1)) throw new Arguments.UsageException("evaluate: --noise must be a fraction in (0, 1), was " + noise);
			ModelTrainer.Settings settings = TrainVerb.settings(a, "evaluate");
			NoisyTrainingStudy.Outcome o = NoisyTrainingStudy.run(category, fraction, settings.seed(), settings, a.integer("batch", 8), Main.progress(err));
			for (var run : List.of(o.clean(), o.contaminated())) {
				out.println(run == o.clean() ? "clean model (train/good only):" : "contaminated model (train/good + the moved defects):");
				String screened = run.report().describeContamination();
				if (!screened.isEmpty()) out.println(screened);
				out.println(run.thresholds());
				out.print(EvaluationReport.table(category.name(), run.evaluation()));
			}
			out.println(o.summary());
			if (json != null) writeJson(json, o.json(category.name()));
			return;
		}
		if (fewShot == null && !falseAlarms && supervised == null) {
			try (AnomalyModel model = AnomalyModel.load(a.path("model"), DeviceChoice.parse(a.string("device", "auto")))) {
				String half = a.string("calibrate-goods", null);
				// The test images' part is known when the folder is named like one of the model's parts.
				String part = model.categories().known(category.name());
				Evaluation.Result r;
				if (half == null) r = Evaluation.run(new Inspector(model, 0, part), category, a.integer("batch", 8), Main.progress(err));
				else {
					CalibrationSplit.Outcome o = CalibrationSplit.run(model, category, a.integer("calibrate-goods", 1), a.longValue("seed", 0),
						a.integer("batch", 8), Main.progress(err));
					if (o.recalibration().drift() != null) out.println(o.recalibration().drift().describe());
					out.println(o.recalibration().thresholds().describe());
					for (String line : o.recalibration().describeCategories()) out.println("  " + line);
					out.println("evaluated on the other " + o.evaluation().images() + " test images");
					r = o.evaluation();
				}
				out.print(EvaluationReport.table(category.name(), r));
				CategoryBreakdown parts = CategoryBreakdown.of(model, r, part);
				if (parts != null) out.print(parts.table());
				if (json != null) {
					JsonObject o = EvaluationReport.json(category.name(), r);
					if (parts != null) o.add("categories", parts.json());
					writeJson(json, o);
				}
			}
			return;
		}
		if (a.string("model", null) != null)
			throw new Arguments.UsageException("evaluate: --few-shot, --false-alarms and --supervised train their own models; drop --model");
		ModelTrainer.Settings settings = TrainVerb.settings(a, "evaluate");
		if (supervised != null) {
			int k = a.integer("supervised", 1);
			SupervisedEvaluation.Outcome o;
			try {
				o = SupervisedEvaluation.run(category, k, settings, Main.progress(err));
			} catch (IllegalArgumentException e) {
				throw new Arguments.UsageException("evaluate --supervised: " + e.getMessage());
			}
			out.printf(Locale.ROOT, "labelled defects for training (%d per type, seed %d): %s%n", k, settings.seed(),
				String.join(", ", o.split().labelled().stream().map(t -> t.type() + "/" + t.image().getFileName()).toList()));
			out.printf(Locale.ROOT, "%s with them (%s), on the other %d test images:%n", settings.method(), o.summary(), o.supervised().images());
			out.print(EvaluationReport.table(category.name(), o.supervised()));
			out.printf(Locale.ROOT, "%s without them, on the same images:%n", settings.method());
			out.print(EvaluationReport.table(category.name(), o.unsupervised()));
			if (json != null) writeJson(json, o.json(category.name()));
			return;
		}
		int repeats = a.integer("repeats", fewShot != null ? 5 : 10);
		JsonObject result;
		if (fewShot != null) {
			FewShotEvaluation.Result r = FewShotEvaluation.run(category, integers(fewShot, "few-shot"), repeats, settings, Main.progress(err));
			out.print(r.table());
			result = r.json();
		} else {
			List<Path> pool = new ArrayList<>(category.trainImages());
			category.testSamples("good").stream().map(TestSample::image).forEach(pool::add);
			double[] alphas = reals(a.string("alpha-list", "0.05,0.01"), "alpha-list");
			FalseAlarmStudy.Result r = FalseAlarmStudy.run(pool, settings, alphas, repeats, a.real("test-share", 0.2), a.real("confidence", 0.95),
				Main.progress(err));
			out.print(r.table());
			result = r.json();
			result.addProperty("category", category.name());
		}
		if (json != null) writeJson(json, result);
	}

	private static void writeJson(Path json, JsonObject result) throws IOException {
		String text = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create().toJson(result);
		AtomicFiles.write(json, o -> o.write(text.getBytes(StandardCharsets.UTF_8)));
	}

	private static List<Integer> integers(String list, String option) {
		List<Integer> out = new ArrayList<>();
		for (String s : list.split(",")) {
			try {
				out.add(Integer.parseInt(s.trim()));
			} catch (NumberFormatException e) {
				throw new Arguments.UsageException("evaluate: --" + option + " takes whole numbers separated by commas, not '" + list + "'");
			}
		}
		return out;
	}

	private static double[] reals(String list, String option) {
		String[] parts = list.split(",");
		double[] out = new double[parts.length];
		for (int i = 0; i < parts.length; i++) {
			try {
				out[i] = Double.parseDouble(parts[i].trim());
			} catch (NumberFormatException e) {
				throw new Arguments.UsageException("evaluate: --" + option + " takes numbers separated by commas, not '" + list + "'");
			}
			if (!(out[i] > 0 && out[i] < 1)) throw new Arguments.UsageException("evaluate: --" + option + " values must be in (0, 1)");
		}
		return out;
	}
}
