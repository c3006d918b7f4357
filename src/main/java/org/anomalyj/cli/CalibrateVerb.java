package org.anomalyj.cli;

import org.anomalyj.data.ImageFolder;
import org.anomalyj.model.DeviceChoice;
import org.anomalyj.training.Recalibration;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** {@code calibrate --model MODEL.zip --good DIR --out NEW.zip}: thresholds re-set from goods of today, without retraining. */
final class CalibrateVerb implements Main.Verb {

	@Override
	public String summary() {
		return "re-set a model's thresholds from good images of today, without retraining: --model MODEL.zip --good DIR --out NEW.zip";
	}

	@Override
	public void run(String[] args, PrintStream out, PrintStream err) throws IOException {
		if (args.length > 1 && args[1].equals("--help")) {
			out.println("calibrate --model MODEL.zip --good DIR --out NEW.zip [--category NAME] [--batch 8] [--device auto|cpu|gpu]\n"
				+ "  DIR holds good images of current production that the model did not train on. They are scored, checked\n"
				+ "  against the model's calibration images (a one-line drift report: one-sided rank-sum test at 0.01), and\n"
				+ "  become the calibration set: the thresholds keep the model's false-alarm rate (alpha) for images like them\n"
				+ "  (with n images the rate reached is at best 1/(n+1): 99 images for 1 %). The model's method is unchanged;\n"
				+ "  NEW.zip must differ from MODEL.zip, which is never overwritten. A model of several categories also re-sets\n"
				+ "  each category's thresholds from the goods of it: all of category NAME with --category, else each good image\n"
				+ "  counts for the category the model recognises in it; a category none of them shows keeps its thresholds.");
			return;
		}
		Arguments a = new Arguments("calibrate", args, 1, Set.of("model", "good", "out", "batch", "device", "category"), Set.of());
		Path modelFile = a.path("model"), goodDir = a.path("good"), outFile = a.path("out");
		if (!Files.isDirectory(goodDir)) throw new IOException(goodDir + (Files.exists(goodDir) ? ": not a folder" : ": no such folder"));
		List<Path> goods = ImageFolder.open(goodDir).images();
		if (goods.isEmpty()) throw new IOException(goodDir + ": no images in this folder");
		try {
			Recalibration.toFile(modelFile, goods, a.string("category", null), outFile, DeviceChoice.parse(a.string("device", "auto")), a.integer("batch", 8),
				Main.progress(err), out::println);
		} catch (IllegalArgumentException e) {
			throw new Arguments.UsageException("calibrate: " + modelFile + ": " + e.getMessage());
		}
	}
}
