package org.anomalyj.fiji;

import org.anomalyj.data.TrainingImages;
import org.anomalyj.io.AtomicFiles;
import org.anomalyj.method.MethodCatalog;
import org.anomalyj.backbone.BackboneCatalog;
import org.anomalyj.model.TrainingReport;
import org.anomalyj.model.AnomalyModel;
import org.anomalyj.model.DeviceChoice;
import org.anomalyj.model.ModelSpec;
import org.anomalyj.model.F1Thresholds;
import org.anomalyj.training.DefectThresholds;
import org.anomalyj.training.LabelledDefects;
import org.anomalyj.training.Contamination;
import org.anomalyj.training.ModelTrainer;


import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Train Anomaly Model: good images to a model file, with a summary in the Log. */
public final class TrainAction {

	/** Methods the dialogs offer: every method plug-in on the class path, the default first. */
	public static List<String> methods() {
		return MethodCatalog.choices();
	}

	/** Backbones the dialogs offer: every backbone plug-in on the class path, the default first. */
	public static List<String> backbones() {
		return BackboneCatalog.choices();
	}

	/**
	 * @param data folder of good images, or an MVTec AD category (its train/good is used)
	 * @param method one of {@link #methods()}
	 * @param backbone one of {@link #backbones()}
	 * @param inputSize side of the network input (a multiple of the backbone's stride)
	 * @param options the method's own options by name (absent ones take their defaults)
	 * @param seed seed of the method and the calibration split
	 * @param device where the model computes
	 * @param model the model file to write (.zip)
	 * @param contamination anomalous images among the good ones ({@link Contamination#parse}: auto, 0 or a fraction)
	 * @param defects labelled defects (an MVTec category, a test/ + ground_truth/ folder, or a folder of defect images), or
	 *        null: F1 thresholds are learned from them, and a method that learns from labelled defects trains on them
	 */
	public record Parameters(Path data, String method, String backbone, int inputSize, Map<String, String> options, long seed, DeviceChoice device,
		Path model, Contamination contamination, Path defects) {

		public static final int DEFAULT_SIZE = ModelSpec.DEFAULT_SIZE;

		public Parameters {
			if (data == null) throw new IllegalArgumentException("no training folder given");
			if (model == null) throw new IllegalArgumentException("no model file given");
			if (!methods().contains(method)) throw new IllegalArgumentException("unknown method '" + method + "' (known: " + String.join(", ", methods()) + ")");
			if (!backbones().contains(backbone))
				throw new IllegalArgumentException("unknown backbone '" + backbone + "' (known: " + String.join(", ", backbones()) + ")");
			options = Map.copyOf(options);
			if (contamination == null) throw new IllegalArgumentException("no contamination setting given");
		}

		/** With the default contamination setting and without labelled defects. */
		public Parameters(Path data, String method, String backbone, int inputSize, Map<String, String> options, long seed, DeviceChoice device,
			Path model) {
			this(data, method, backbone, inputSize, options, seed, device, model, Contamination.DEFAULT, null);
		}

		ModelTrainer.Settings settings() {
			return ModelTrainer.Settings.DEFAULT.withBackbone(backbone).withInputSize(inputSize).withDevice(device).withMethod(method, options)
				.withSeed(seed).withContamination(contamination);
		}
	}

	/**
	 * @param images images the model was fitted on (calibration images excluded)
	 * @param learned what the method learned, e.g. "bank 921" (empty when it does not say)
	 * @param summary the lines written to the Log
	 */
	public record Outcome(Path model, int images, String learned, double seconds, float imageThreshold, List<String> summary) {}

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
		ModelTrainer.Settings settings = p.settings();
		// A folder of categories trains one model for all of them, as the command line's does.
		List<TrainingImages> categories = TrainingImages.findAll(List.of(p.data()));
		for (TrainingImages images : categories) for (Path in : images.images()) AtomicFiles.requireNotSame(p.model(), in);
		for (TrainingImages images : categories)
			feedback.log(String.format(Locale.ROOT, "Training %s on %s with %d images of %s (%s)", p.method(), p.backbone(), images.images().size(),
				images.dir(), images.layout()));
		List<DefectThresholds.Example> defects = p.defects() == null ? List.of() : DefectThresholds.find(p.defects());
		LabelledDefects.Use use = LabelledDefects.forTraining(settings, p.defects(), defects);
		if (use.note() != null) feedback.log(use.note());
		AnomalyModel model = ModelTrainer.trainCategories(ModelTrainer.CategoryImages.of(categories), use.examples(), settings, null, feedback);
		try {
			F1Thresholds f1 = defects.isEmpty() ? null : DefectThresholds.addTo(model, defects, false, settings.batchSize(), feedback);
			model.save(p.model());
			TrainingReport t = model.training();
			String learned = model.method().summary();
			List<String> summary = new ArrayList<>();
			summary.add(String.format(Locale.ROOT, "  images used: %d (%d unreadable)", t.images(), t.skippedFiles()));
			if (!learned.isEmpty()) summary.add(String.format(Locale.ROOT, "  learned: %s from %d patches", learned, t.patches()));
			summary.add(String.format(Locale.ROOT, "  time: %.1f s (features %.1f s, fit %.1f s, calibration %.1f s)", t.seconds(), t.featureSeconds(),
				t.fitSeconds(), t.calibrationSeconds()));
			String screened = t.describeContamination();
			if (!screened.isEmpty()) summary.add("  " + screened);
			summary.add("  " + model.thresholds().describe());
			for (String line : model.describeCategories()) summary.add("  " + line);
			if (f1 != null)
				summary.add(String.format(Locale.ROOT, "  F1 thresholds from %d defect and %d good images: image %.4g, pixel %.4g (stored; the conformal ones decide)",
					f1.defectImages(), f1.goodImages(), f1.image(), f1.pixel()));
			summary.add("  model: " + p.model().toAbsolutePath());
			summary.forEach(feedback::log);
			Outcome out = new Outcome(p.model(), t.images(), learned, t.seconds(), model.thresholds().image(), List.copyOf(summary));
			cache.offer(p.model(), p.device(), model);
			return out;
		} catch (IOException | RuntimeException e) {
			model.close();
			throw e;
		}
	}
}
