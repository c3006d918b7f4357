package org.anomalyj.cli;

import org.anomalyj.data.TrainingImages;
import org.anomalyj.model.DeviceChoice;
import org.anomalyj.training.ModelUpdater;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Set;

/** {@code update --model MODEL.zip --data DIR --out NEW.zip}: the model learns new good images without retraining. */
final class UpdateVerb implements Main.Verb {

	@Override
	public String summary() {
		return "teach a model new good images without retraining: --model MODEL.zip --data DIR --out NEW.zip";
	}

	@Override
	public void run(String[] args, PrintStream out, PrintStream err) throws IOException {
		if (args.length > 1 && args[1].equals("--help")) {
			out.println("update --model MODEL.zip --data DIR --out NEW.zip [--category NAME] [--batch 8] [--device auto|cpu|gpu]\n"
				+ "  DIR is a folder of good images (or an MVTec category: its train/good) the model has not seen: a new batch,\n"
				+ "  a new variant. PatchCore's memory bank grows where they are not yet covered, PaDiM's Gaussians take them in\n"
				+ "  exactly; methods that cannot say so (retrain instead). 10 % of the new images are held out and join the\n"
				+ "  model's calibration images to re-set the thresholds. NEW.zip must differ from MODEL.zip, never overwritten.\n"
				+ "  A model of several categories: the new images are of category NAME with --category, else each is of the\n"
				+ "  category the model recognises in it; they join that category's descriptor and calibration images.");
			return;
		}
		Arguments a = new Arguments("update", args, 1, Set.of("model", "data", "out", "batch", "device", "category"), Set.of());
		Path modelFile = a.path("model"), outFile = a.path("out");
		TrainingImages images = TrainingImages.find(a.path("data"));
		TrainVerb.requireWritable(outFile);
		try {
			ModelUpdater.toFile(modelFile, images.images(), a.string("category", null), outFile, DeviceChoice.parse(a.string("device", "auto")),
				a.integer("batch", 8), Main.progress(err), out::println);
		} catch (IllegalArgumentException e) {
			throw new Arguments.UsageException("update: " + modelFile + ": " + e.getMessage());
		}
	}
}
