package org.anomalyj.cli;

import org.anomalyj.data.TrainingImages;
import org.anomalyj.image.InputNormalization;
import org.anomalyj.io.AtomicFiles;
import org.anomalyj.method.PatchCore;
import org.anomalyj.model.AnomalyModel;
import org.anomalyj.model.DeviceChoice;
import org.anomalyj.model.Trainer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/** {@code train --data DIR --out MODEL.zip [options]}. */
final class TrainVerb implements Main.Verb {

	static final Set<String> OPTIONS = Set.of("data", "out", "method", "size", "coreset", "seed", "device", "alpha", "calibration",
		"normalization", "batch");

	@Override
	public String summary() {
		return "train a model on good images: --data DIR --out MODEL.zip [--size 256] [--coreset 0.1] [--seed 0]";
	}

	@Override
	public void run(String[] args, PrintStream out, PrintStream err) throws IOException {
		if (args.length > 1 && args[1].equals("--help")) {
			out.println("train --data DIR --out MODEL.zip [--method patchcore] [--size 256] [--coreset 0.1] [--seed 0]\n"
				+ "      [--reweight] [--calibration 0.1] [--alpha 0.01] [--normalization unit|symmetric] [--device auto|cpu|gpu] [--batch 8]\n"
				+ "  DIR is an MVTec AD category (train/good is used) or a folder of good images.");
			return;
		}
		Arguments a = new Arguments("train", args, 1, OPTIONS, Set.of("reweight"));
		Path data = a.path("data");
		Path target = a.path("out");
		Trainer.Settings settings = settings(a);
		TrainingImages images = TrainingImages.find(data);
		for (Path in : images.images()) AtomicFiles.requireNotSame(target, in);
		requireWritable(target);
		err.printf("training %s on %d images from %s (%s)%n", "patchcore", images.images().size(), images.dir(), images.layout());
		try (AnomalyModel model = Trainer.train(images.images(), settings, Main.progress(err))) {
			model.save(target);
			var t = model.training();
			out.printf(Locale.ROOT, "model %s: %d images, %d patches -> bank %d, %.1f s (features %.1f s, coreset %.1f s), threshold %.4g%s%n",
				target, t.get("images").getAsInt(), t.get("patches").getAsInt(), ((PatchCore) model.method()).bankSize(),
				t.get("seconds").getAsDouble(), t.get("feature_seconds").getAsDouble(), t.get("coreset_seconds").getAsDouble(),
				model.thresholds().image(), skippedNote(t.get("skipped_files").getAsInt()));
		}
	}

	private static String skippedNote(int skipped) {
		return skipped == 0 ? "" : "; " + skipped + " unreadable file(s) skipped, listed above";
	}

	/** Checks the target before training, so a typo in --out does not cost a whole training run. */
	static void requireWritable(Path target) throws IOException {
		Path dir = target.toAbsolutePath().getParent();
		if (Files.isDirectory(target)) throw new IOException(target + ": is a folder; give the model file's name, e.g. " + target.resolve("model.zip"));
		if (dir == null || !Files.isDirectory(dir)) throw new IOException(target + ": folder " + dir + " does not exist");
		if (!Files.isWritable(dir)) throw new IOException(target + ": no permission to write in " + dir);
	}

	static Trainer.Settings settings(Arguments a) {
		String method = a.string("method", PatchCore.NAME);
		if (!method.equals(PatchCore.NAME)) throw new Arguments.UsageException("train: unknown method '" + method + "' (known: patchcore)");
		PatchCore.Settings pc = new PatchCore.Settings(a.real("coreset", PatchCore.Settings.DEFAULT.coresetRatio()), a.longValue("seed", 0),
			a.flag("reweight"), PatchCore.Settings.DEFAULT.neighbours());
		InputNormalization norm;
		try {
			norm = InputNormalization.valueOf(a.string("normalization", "unit").toUpperCase(Locale.ROOT));
		} catch (IllegalArgumentException e) {
			throw new Arguments.UsageException("train: --normalization must be unit or symmetric");
		}
		return Trainer.Settings.DEFAULT.withInputSize(a.integer("size", 256)).withPatchCore(pc)
			.withDevice(DeviceChoice.parse(a.string("device", "auto")))
			.withCalibration(a.real("calibration", Trainer.Settings.DEFAULT.calibrationFraction()), a.real("alpha", Trainer.Settings.DEFAULT.alpha()))
			.withNormalization(norm).withBatchSize(a.integer("batch", Trainer.Settings.DEFAULT.batchSize()));
	}
}
