package org.anomalyj.cli;

import org.anomalyj.data.CategoryFolder;
import org.anomalyj.data.TestSample;
import org.anomalyj.evaluation.Evaluation;
import org.anomalyj.evaluation.EvaluationReport;
import org.anomalyj.inspect.BatchInspection;
import org.anomalyj.inspect.Inspector;
import org.anomalyj.model.AnomalyModel;
import org.anomalyj.model.DeviceChoice;
import org.anomalyj.training.ModelTrainer;


import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * {@code demo}: the whole job on the bundled sample data — train, score the test images into
 * overlays, masks and maps, and evaluate — so a newcomer sees every output in one command.
 */
final class DemoVerb implements Main.Verb {

	static final Path DEFAULT_DATA = Path.of("sample-data", "ball_screw");
	static final Path DEFAULT_OUT = Path.of("anomalyj-demo");

	@Override
	public String summary() {
		return "train on sample-data/, score its test images, write overlays and metrics to ./anomalyj-demo";
	}

	@Override
	public void run(String[] args, PrintStream out, PrintStream err) throws IOException {
		if (args.length > 1 && args[1].equals("--help")) {
			out.println("demo [--data sample-data/ball_screw] [--out anomalyj-demo] [--device auto|cpu|gpu]");
			return;
		}
		Arguments a = new Arguments("demo", args, 1, Set.of("data", "out", "device"), Set.of());
		Path data = a.path("data", DEFAULT_DATA);
		if (!Files.isDirectory(data))
			throw new IOException(data + ": sample data not found; run the demo from the repository root or pass --data CATEGORY_DIR");
		Path outDir = a.path("out", DEFAULT_OUT);
		Files.createDirectories(outDir);
		CategoryFolder category = CategoryFolder.open(data);
		ModelTrainer.Settings settings = ModelTrainer.Settings.DEFAULT.withDevice(DeviceChoice.parse(a.string("device", "auto")));
		Path modelFile = outDir.resolve("model.zip");
		err.printf("1/3 training PatchCore on %d good images of %s%n", category.trainImages().size(), data);
		try (AnomalyModel model = ModelTrainer.train(category.trainImages(), settings, Main.progress(err))) {
			model.save(modelFile);
			Inspector inspector = new Inspector(model);
			List<Path> tests = category.testSamples().stream().map(TestSample::image).toList();
			err.printf("2/3 scoring %d test images%n", tests.size());
			Path scores = outDir.resolve("scores");
			BatchInspection.run(inspector, tests, scores, BatchInspection.Settings.DEFAULT, Main.progress(err));
			err.println("3/3 evaluating against the ground truth");
			Evaluation.Result r = Evaluation.run(inspector, category, 8, Main.progress(err));
			Path json = outDir.resolve("metrics.json");
			EvaluationReport.writeJson(json, category.name(), r);
			out.print(EvaluationReport.table(category.name(), r));
			out.printf("model: %s%nper-image results, maps, masks and overlays: %s%nmetrics: %s%n", modelFile, scores, json);
		}
	}
}
