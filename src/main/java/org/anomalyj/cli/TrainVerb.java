package org.anomalyj.cli;

import org.anomalyj.data.TrainingImages;
import org.anomalyj.features.FeatureSession;
import org.anomalyj.image.InputNormalization;
import org.anomalyj.io.AtomicFiles;
import org.anomalyj.method.AnomalyMethodPlugin;
import org.anomalyj.method.MethodCatalog;
import org.anomalyj.method.MethodOption;
import org.anomalyj.backbone.BackboneCatalog;
import org.anomalyj.backbone.BackbonePlugin;
import org.anomalyj.model.TrainingReport;
import org.anomalyj.model.AnomalyModel;
import org.anomalyj.model.DeviceChoice;
import org.anomalyj.model.F1Thresholds;
import org.anomalyj.model.Thresholds;
import org.anomalyj.training.Calibration;
import org.anomalyj.training.Contamination;
import org.anomalyj.training.DefectThresholds;
import org.anomalyj.training.LabelledDefects;
import org.anomalyj.training.ModelTrainer;


import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code train --data DIR --out MODEL.zip [options]}; each method adds its own options. Public, with
 * a constructor taking where features are computed, for front ends that compute them elsewhere
 * (anomalyj-spark trains with the same options and output).
 */
public final class TrainVerb implements Main.Verb {

	private final FeatureSession.Extraction extraction;

	TrainVerb() {
		this(null);
	}

	/** @param extraction where features are computed (see {@link ModelTrainer#train(List, ModelTrainer.Settings, FeatureSession.Extraction, org.anomalyj.task.Progress)}); null for here */
	public TrainVerb(FeatureSession.Extraction extraction) {
		this.extraction = extraction;
	}

	/** Options every method shares (train and few-shot evaluation). */
	static final Set<String> OPTIONS = Set.of("method", "backbone", "size", "seed", "device", "alpha", "calibration", "folds", "normalization", "batch",
		"contamination");

	@Override
	public String summary() {
		return "train a model on good images: --data DIR [--data DIR ...] --out MODEL.zip [--method " + String.join("|", MethodCatalog.names()) + "] [--backbone "
			+ String.join("|", BackboneCatalog.names()) + "] [--size 256]";
	}

	@Override
	public void run(String[] args, PrintStream out, PrintStream err) throws IOException {
		if (args.length > 1 && args[1].equals("--help")) {
			out.println("train --data DIR [--data DIR ...] --out MODEL.zip [--method " + String.join("|", MethodCatalog.names()) + "] [--backbone "
				+ String.join("|", BackboneCatalog.names()) + "]\n      [--size 256] [--seed 0]"
				+ "      [--calibration holdout|auto|crossfit|none|FRACTION] [--folds 5] [--alpha 0.01]\n"
				+ "      [--contamination auto|0|FRACTION] [--defects DIR] [--threshold conformal|f1]\n"
				+ "      [--normalization " + InputNormalization.ids() + "] [--device auto|cpu|gpu] [--batch 8] [method options]\n"
				+ "  DIR is an MVTec AD category (train/good is used), a folder of good images, or a folder of categories (sub-folders\n"
				+ "    with train/good, nothing else used). --data given more than once (each an MVTec AD category), or a folder of\n"
				+ "    categories, trains one model for all of them; calibration images are held out from each in proportion, and\n"
				+ "    each category gets thresholds of its own from its own, used for the images recognised as it (or given it:\n"
				+ "    score --category).\n"
				+ "  --calibration: how the false-alarm threshold is set. holdout (default): 10 % of the images are kept out of\n"
				+ "    training and scored; crossfit: --folds extra fits score every image out of fold, slower, reaches a small\n"
				+ "    --alpha with few images; auto: hold out what --alpha needs when that is at most a quarter of the images,\n"
				+ "    else cross-fit. --defects: an MVTec category or folder of defect images to learn F1-optimal thresholds\n"
				+ "    from; --threshold f1 makes them decide verdicts. A method that learns from labelled defects (simplenet) also\n"
				+ "    trains on their defect patches (those the mask covers; needs the masks).\n"
				+ "  --contamination: anomalous images among the good ones. auto: each image is scored by the method fitted on the\n"
				+ "    other half of the images, and outliers among those scores are left out of training and calibration and named;\n"
				+ "    FRACTION (e.g. 0.05): that share of the images, the highest scored, is left out; 0: every image is trusted.\n"
				+ "    Default: " + Contamination.DEFAULT.id() + ".\n"
				+ "  --normalization overrides the input scaling the backbone's weights expect (rarely useful).\n"
				+ backboneHelp() + "\n" + methodHelp());
			return;
		}
		Set<String> extra = Set.of("data", "out", "defects", "threshold");
		Arguments a = arguments("train", args, extra, Set.of());
		List<Path> data = a.paths("data");
		Path target = a.path("out");
		ModelTrainer.Settings settings = settings(a, "train");
		Thresholds.Choice choice = threshold(a);
		Path defectsDir = a.path("defects", null);
		if (choice == Thresholds.Choice.F1 && defectsDir == null) throw new Arguments.UsageException("train: --threshold f1 needs --defects DIR");
		List<TrainingImages> categories = TrainingImages.findAll(data);
		for (TrainingImages images : categories) for (Path in : images.images()) AtomicFiles.requireNotSame(target, in);
		requireWritable(target);
		List<DefectThresholds.Example> defects = defectsDir == null ? List.of() : DefectThresholds.find(defectsDir);
		LabelledDefects.Use learnFrom = LabelledDefects.forTraining(settings, defectsDir, defects);
		if (learnFrom.note() != null) err.println(learnFrom.note());
		TrainingImages single = categories.size() == 1 ? categories.get(0) : null;
		if (single != null) err.printf("training %s on %d images from %s (%s)%n", settings.method(), single.images().size(), single.dir(), single.layout());
		else {
			err.printf("training %s on %d categories in one model:%n", settings.method(), categories.size());
			for (TrainingImages c : categories) err.printf("  %s: %d images from %s%n", c.name(), c.images().size(), c.dir());
		}
		try (AnomalyModel model = ModelTrainer.trainCategories(ModelTrainer.CategoryImages.of(categories), learnFrom.examples(), settings, extraction, Main.progress(err))) {
			F1Thresholds f1 = defects.isEmpty() ? null
				: DefectThresholds.addTo(model, defects, choice == Thresholds.Choice.F1, settings.batchSize(), Main.progress(err));
			model.save(target);
			TrainingReport t = model.training();
			String learned = model.method().summary();
			out.printf(Locale.ROOT, "model %s: %s, %d images, %d patches%s, %.1f s (features %.1f s, fit %.1f s, calibration %.1f s)%s%n", target,
				settings.method(), t.images(), t.patches(), learned.isEmpty() ? "" : " -> " + learned, t.seconds(), t.featureSeconds(), t.fitSeconds(),
				t.calibrationSeconds(), skippedNote(t.skippedFiles()));
			String screened = t.describeContamination();
			if (!screened.isEmpty()) out.println(screened);
			out.println(model.thresholds().describe());
			model.describeCategories().forEach(out::println);
			if (f1 != null)
				out.printf(Locale.ROOT, "F1 thresholds from %d defect and %d good images: image %.4g (F1 %.3f), pixel %.4g (F1 %.3f)%s%n",
					f1.defectImages(), f1.goodImages(), f1.image(), f1.imageF1(), f1.pixel(), f1.pixelF1(),
					choice == Thresholds.Choice.F1 ? "; they decide verdicts" : "; stored, use --threshold f1 to make them decide");
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

	private static Thresholds.Choice threshold(Arguments a) {
		try {
			return Thresholds.Choice.parse(a.string("threshold", "conformal"));
		} catch (IllegalArgumentException e) {
			throw new Arguments.UsageException("train: --" + e.getMessage());
		}
	}

	/** Help lines for every backbone. */
	static String backboneHelp() {
		StringBuilder b = new StringBuilder();
		for (BackbonePlugin p : BackboneCatalog.backbones().values())
			b.append(String.format(Locale.ROOT, "  --backbone %-12s %s%s; weights %s%n", p.name(), p.description(),
				p.name().equals(BackboneCatalog.DEFAULT) ? " (default)" : "", p.weightsSource()));
		return b.toString().stripTrailing();
	}

	/** Help lines for every method's own options. */
	static String methodHelp() {
		StringBuilder b = new StringBuilder();
		for (AnomalyMethodPlugin p : MethodCatalog.methods().values()) {
			b.append("  method ").append(p.name()).append(": ").append(p.description()).append('\n');
			for (MethodOption o : p.options())
				b.append(String.format(Locale.ROOT, "    --%-16s %s%s%n", o.name() + (o.flag() ? "" : " " + o.defaultValue()), o.description(),
					o.flag() ? " (flag)" : ""));
		}
		return b.toString().stripTrailing();
	}

	/**
	 * Parses a verb's arguments, accepting the shared training options, {@code extra} options and flags, and the
	 * options of the method named by {@code --method} (which is looked up first for that).
	 */
	static Arguments arguments(String verb, String[] args, Set<String> extra, Set<String> extraFlags) {
		AnomalyMethodPlugin plugin = plugin(verb, methodName(args));
		Set<String> known = new HashSet<>(OPTIONS), flags = new HashSet<>(extraFlags);
		known.addAll(extra);
		for (MethodOption o : plugin.options()) (o.flag() ? flags : known).add(o.name());
		return new Arguments(verb, args, 1, known, flags);
	}

	private static String methodName(String[] args) {
		for (int i = 1; i < args.length; i++) {
			if (args[i].equals("--method") && i + 1 < args.length) return args[i + 1];
			if (args[i].startsWith("--method=")) return args[i].substring("--method=".length());
		}
		return MethodCatalog.DEFAULT;
	}

	private static AnomalyMethodPlugin plugin(String verb, String name) {
		try {
			return MethodCatalog.get(name);
		} catch (IllegalArgumentException e) {
			throw new Arguments.UsageException(verb + ": " + e.getMessage());
		}
	}

	/** Training settings from the shared options and the method's own. */
	static ModelTrainer.Settings settings(Arguments a, String verb) {
		AnomalyMethodPlugin plugin = plugin(verb, a.string("method", MethodCatalog.DEFAULT));
		Map<String, String> options = new HashMap<>();
		for (MethodOption o : plugin.options()) {
			String v = a.string(o.name(), null);
			if (v != null) options.put(o.name(), v);
		}
		InputNormalization norm = null;
		String normalization = a.string("normalization", null);
		try {
			if (normalization != null) norm = InputNormalization.parse(normalization);
		} catch (IllegalArgumentException e) {
			throw new Arguments.UsageException(verb + ": --" + e.getMessage());
		}
		Calibration calibration;
		try {
			calibration = Calibration.parse(a.string("calibration", "holdout"), a.integer("folds", Calibration.DEFAULT_FOLDS));
		} catch (IllegalArgumentException e) {
			throw new Arguments.UsageException(verb + ": --" + e.getMessage());
		}
		Contamination contamination;
		try {
			contamination = Contamination.parse(a.string("contamination", Contamination.DEFAULT.id()));
		} catch (IllegalArgumentException e) {
			throw new Arguments.UsageException(verb + ": --" + e.getMessage());
		}
		try {
			return ModelTrainer.Settings.DEFAULT.withBackbone(a.string("backbone", BackboneCatalog.DEFAULT)).withMethod(plugin.name(), options).withSeed(a.longValue("seed", 0)).withInputSize(a.integer("size", 256))
				.withDevice(DeviceChoice.parse(a.string("device", "auto"))).withCalibration(calibration)
				.withAlpha(a.real("alpha", ModelTrainer.Settings.DEFAULT.alpha())).withNormalization(norm)
				.withBatchSize(a.integer("batch", ModelTrainer.Settings.DEFAULT.batchSize())).withContamination(contamination);
		} catch (IllegalArgumentException e) {
			throw new Arguments.UsageException(verb + ": " + e.getMessage());
		}
	}
}
