package org.anomalyj.fiji;

import org.anomalyj.data.TrainingImages;
import org.anomalyj.io.AtomicFiles;
import org.anomalyj.method.MethodCatalog;
import org.anomalyj.method.PatchCore;
import org.anomalyj.model.AnomalyModel;
import org.anomalyj.model.DeviceChoice;
import org.anomalyj.model.ModelSpec;
import org.anomalyj.model.Trainer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Train Anomaly Model: good images to a model file, with a summary in the Log. */
public final class TrainAction {

	/** Methods the dialog offers: every method plug-in on the class path, the default first. */
	public static final List<String> METHODS = methods();

	private static List<String> methods() {
		List<String> m = new ArrayList<>(MethodCatalog.names());
		m.remove(MethodCatalog.DEFAULT);
		m.add(0, MethodCatalog.DEFAULT);
		return List.copyOf(m);
	}

	/**
	 * @param data folder of good images, or an MVTec AD category (its train/good is used)
	 * @param method one of {@link #METHODS}
	 * @param inputSize side of the network input (multiple of 16)
	 * @param coreset fraction of training patches kept in the memory bank (PatchCore; other methods take their defaults)
	 * @param seed seed of the method and the calibration split
	 * @param device where the model computes
	 * @param model the model file to write (.zip)
	 */
	public record Parameters(Path data, String method, int inputSize, double coreset, long seed, DeviceChoice device, Path model) {

		public static final int DEFAULT_SIZE = ModelSpec.DEFAULT_SIZE;
		public static final double DEFAULT_CORESET = PatchCore.Settings.DEFAULT.coresetRatio();

		public Parameters {
			if (data == null) throw new IllegalArgumentException("no training folder given");
			if (model == null) throw new IllegalArgumentException("no model file given");
			if (!METHODS.contains(method)) throw new IllegalArgumentException("unknown method '" + method + "' (known: " + String.join(", ", METHODS) + ")");
		}

		Trainer.Settings settings() {
			PatchCore.Settings d = PatchCore.Settings.DEFAULT;
			Trainer.Settings s = Trainer.Settings.DEFAULT.withInputSize(inputSize).withDevice(device);
			return method.equals(PatchCore.NAME) ? s.withPatchCore(new PatchCore.Settings(coreset, seed, d.reweight(), d.neighbours()))
				: s.withMethod(method, java.util.Map.of()).withSeed(seed);
		}
	}

	/**
	 * @param images images the model was fitted on (calibration images excluded)
	 * @param bankSize memory-bank size, or -1 for methods without one
	 * @param summary the lines written to the Log
	 */
	public record Outcome(Path model, int images, int bankSize, double seconds, float imageThreshold, List<String> summary) {}

	private TrainAction() {}

	/** Trains, writes the model file atomically and keeps the model loaded for the detection that usually follows. */
	public static Outcome run(Parameters p, Feedback feedback, ModelCache cache) throws IOException {
		try {
			return train(p, feedback, cache);
		} finally {
			feedback.finished();
		}
	}

	private static Outcome train(Parameters p, Feedback feedback, ModelCache cache) throws IOException {
		Trainer.Settings settings = p.settings();
		TrainingImages images = TrainingImages.find(p.data());
		for (Path in : images.images()) AtomicFiles.requireNotSame(p.model(), in);
		feedback.log(String.format(Locale.ROOT, "Training %s on %d images of %s (%s)", p.method(), images.images().size(), images.dir(),
			images.layout()));
		AnomalyModel model = Trainer.train(images.images(), settings, feedback);
		try {
			model.save(p.model());
			var t = model.training();
			int fitted = t.get("images").getAsInt();
			int bank = model.method() instanceof PatchCore pc ? pc.bankSize() : -1;
			double seconds = t.get("seconds").getAsDouble();
			List<String> summary = new ArrayList<>();
			summary.add(String.format(Locale.ROOT, "  images used: %d (%d unreadable)", fitted, t.get("skipped_files").getAsInt()));
			if (bank >= 0) summary.add(String.format(Locale.ROOT, "  memory bank: %d of %d patches", bank, t.get("patches").getAsInt()));
			summary.add(String.format(Locale.ROOT, "  time: %.1f s (features %.1f s, fit %.1f s, calibration %.1f s)", seconds,
				t.get("feature_seconds").getAsDouble(), t.get("fit_seconds").getAsDouble(), t.get("calibration_seconds").getAsDouble()));
			summary.add("  " + model.thresholds().describe());
			summary.add("  model: " + p.model().toAbsolutePath());
			summary.forEach(feedback::log);
			Outcome out = new Outcome(p.model(), fitted, bank, seconds, model.thresholds().image(), List.copyOf(summary));
			cache.offer(p.model(), p.device(), model);
			return out;
		} catch (IOException | RuntimeException e) {
			model.close();
			throw e;
		}
	}
}
