package org.anomalyj.model;

import com.google.gson.JsonObject;
import org.anomalyj.backbone.BackboneCatalog;
import org.anomalyj.image.ImageFileReader;
import org.anomalyj.image.InputNormalization;
import org.anomalyj.image.IntensityRange;
import org.anomalyj.image.LoadedImage;
import org.anomalyj.image.Preprocessor;
import org.anomalyj.method.AnomalyMethod;
import org.anomalyj.method.AnomalyMethodPlugin;
import org.anomalyj.method.FeatureGrid;
import org.anomalyj.method.FeatureRows;
import org.anomalyj.method.Fitter;
import org.anomalyj.method.MethodCatalog;
import org.anomalyj.method.PatchCore;
import org.anomalyj.method.PatchCorePlugin;
import org.anomalyj.postprocess.AnomalyMapper;
import org.anomalyj.task.Progress;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Trains a model from good images: splits off calibration images when holding out (seeded),
 * measures the intensity range when images are not 8-bit, extracts patch features once, fits the
 * method, and calibrates the thresholds ({@link Calibration}) on scores of images the scoring
 * model did not train on.
 * <p>
 * Memory does not grow with the training set, except for cross-fitting: the training images'
 * features stream batch by batch into the method's {@link Fitter}, then the held-out images are
 * extracted and scored batch by batch. Cross-fitted calibration refits on subsets of all features,
 * so it holds them, up to {@link #CROSSFIT_MAX_PATCHES}, and refuses larger sets up front.
 */
public final class Trainer {

	/**
	 * @param inputSize side of the network input
	 * @param normalization network input range
	 * @param method method name ({@link MethodCatalog})
	 * @param methodOptions the method's options ({@link AnomalyMethodPlugin#options()}); absent ones take their defaults
	 * @param seed seeds the method, the hold-out split and the cross-fitting folds
	 * @param calibration how thresholds are calibrated
	 * @param alpha false-alarm rate the thresholds are calibrated for
	 * @param device where tensors live
	 * @param batchSize images per forward pass
	 */
	public record Settings(int inputSize, InputNormalization normalization, String method, Map<String, String> methodOptions, long seed,
		Calibration calibration, double alpha, DeviceChoice device, int batchSize) {

		public static final Settings DEFAULT = new Settings(ModelSpec.DEFAULT_SIZE, InputNormalization.UNIT, MethodCatalog.DEFAULT, Map.of(), 0,
			Calibration.DEFAULT, Thresholds.DEFAULT_ALPHA, DeviceChoice.AUTO, 8);

		/**
		 * @throws IllegalArgumentException for an unknown method, a bad method option, or values out of range
		 */
		public Settings {
			methodOptions = Map.copyOf(methodOptions);
			MethodCatalog.get(method).settings(methodOptions); // checks the options now, not after feature extraction
			if (calibration == null) throw new IllegalArgumentException("no calibration given");
			if (!(alpha > 0 && alpha < 1)) throw new IllegalArgumentException("false-alarm rate must be in (0, 1), was " + alpha);
			if (batchSize < 1) throw new IllegalArgumentException("batch size must be at least 1");
		}

		public AnomalyMethodPlugin plugin() {
			return MethodCatalog.get(method);
		}

		/** The method's settings: its options with defaults filled in. */
		public JsonObject methodSettings() {
			return plugin().settings(methodOptions);
		}

		public Settings withInputSize(int size) {
			return new Settings(size, normalization, method, methodOptions, seed, calibration, alpha, device, batchSize);
		}

		/** Another method, with its options (absent ones take their defaults). */
		public Settings withMethod(String name, Map<String, String> options) {
			return new Settings(inputSize, normalization, name, options, seed, calibration, alpha, device, batchSize);
		}

		/** PatchCore with these settings, including their seed. */
		public Settings withPatchCore(PatchCore.Settings p) {
			return new Settings(inputSize, normalization, PatchCore.NAME, PatchCorePlugin.options(p), p.seed(), calibration, alpha, device, batchSize);
		}

		public Settings withSeed(long s) {
			return new Settings(inputSize, normalization, method, methodOptions, s, calibration, alpha, device, batchSize);
		}

		public Settings withDevice(DeviceChoice d) {
			return new Settings(inputSize, normalization, method, methodOptions, seed, calibration, alpha, d, batchSize);
		}

		public Settings withCalibration(Calibration c) {
			return new Settings(inputSize, normalization, method, methodOptions, seed, c, alpha, device, batchSize);
		}

		public Settings withAlpha(double a) {
			return new Settings(inputSize, normalization, method, methodOptions, seed, calibration, a, device, batchSize);
		}

		/** Hold-out calibration of this fraction (0: none) at false-alarm rate {@code a}. */
		public Settings withCalibration(double fraction, double a) {
			return withCalibration(fraction == 0 ? Calibration.none() : Calibration.holdout(fraction)).withAlpha(a);
		}

		public Settings withBatchSize(int b) {
			return new Settings(inputSize, normalization, method, methodOptions, seed, calibration, alpha, device, b);
		}

		public Settings withNormalization(InputNormalization n) {
			return new Settings(inputSize, n, method, methodOptions, seed, calibration, alpha, device, batchSize);
		}
	}

	private Trainer() {}

	/**
	 * @param images good images (files; every plane of a stack counts as one image)
	 * @throws IOException when no image can be read, naming the problem; unreadable files are skipped with a warning
	 */
	public static AnomalyModel train(List<Path> images, Settings settings, Progress progress) throws IOException {
		if (images.isEmpty()) throw new IOException("no training images");
		long start = System.nanoTime();
		AnomalyMethodPlugin plugin = settings.plugin();
		JsonObject methodSettings = settings.methodSettings();
		Calibration.Mode mode = settings.calibration().resolve(images.size(), settings.alpha());
		if (mode == Calibration.Mode.NONE && settings.calibration().mode() != Calibration.Mode.NONE)
			progress.warn("one training image is too few to calibrate thresholds: the model will give scores and maps but no verdicts");

		List<Path> fitFiles = new ArrayList<>(images), calFiles = new ArrayList<>();
		if (mode == Calibration.Mode.HOLDOUT) {
			List<Path> shuffled = new ArrayList<>(images);
			Collections.shuffle(shuffled, new Random(settings.seed()));
			int nCal = settings.calibration().heldOut(shuffled.size(), settings.alpha());
			fitFiles = new ArrayList<>(shuffled.subList(nCal, shuffled.size()));
			calFiles = new ArrayList<>(shuffled.subList(0, nCal));
			Collections.sort(calFiles);
		}
		// Keep the training order independent of the split's shuffle, for reproducible features.
		Collections.sort(fitFiles);

		List<String> skipped = new ArrayList<>();
		ModelSpec spec = spec(settings, measureRange(fitFiles, skipped, progress));
		FeatureSession session = new FeatureSession(spec, settings.device());
		AnomalyMethod method = null;
		try {
			FeatureGrid grid = session.grid();
			if (mode == Calibration.Mode.CROSSFIT) checkCrossfitSize((long) fitFiles.size() * grid.positions(), grid);
			long tFeatures = System.nanoTime();
			Stopwatch fitTime = new Stopwatch(), calTime = new Stopwatch();
			FeatureRows all = null;
			int fitImages;
			if (mode == Calibration.Mode.CROSSFIT) {
				// The folds refit on subsets of all features: these must be held.
				FeatureRows.Builder rows = new FeatureRows.Builder(grid);
				fitImages = session.stream(fitFiles, settings.batchSize(), skipped, progress, "features", batch -> {
					rows.add(batch.values(), batch.images());
					checkCrossfitSize(rows.rowCount(), grid);
				});
				if (fitImages == 0) throw new IOException("none of the " + fitFiles.size() + " training images could be read" + firstReason(skipped));
				all = rows.build();
				FeatureRows fitRows = all;
				method = fitTime.time(() -> plugin.fit(session.manager(), fitRows, methodSettings, settings.seed(), progress));
			} else {
				// Features go straight into the method: memory holds what the method keeps, not every patch.
				Fitter fitter = plugin.fitter(session.manager(), grid, methodSettings, settings.seed(), progress);
				fitImages = session.stream(fitFiles, settings.batchSize(), skipped, progress, "features", batch -> fitTime.time(() -> {
					fitter.add(batch);
					return null;
				}));
				if (fitImages == 0) throw new IOException("none of the " + fitFiles.size() + " training images could be read" + firstReason(skipped));
				method = fitTime.time(fitter::finish);
			}

			HeldOutScores scores = null;
			if (mode == Calibration.Mode.HOLDOUT) {
				// Held-out images are scored batch by batch as they are extracted; their features are not kept.
				AnomalyMethod fitted = method;
				List<HeldOutScores> parts = new ArrayList<>();
				int calImages = session.stream(calFiles, settings.batchSize(), skipped, progress, "calibration",
					batch -> parts.add(calTime.time(() -> session.scores(fitted, batch, settings.batchSize(), progress))));
				if (calImages > 0) scores = HeldOutScores.concat(parts);
				else progress.warn("none of the " + calFiles.size() + " calibration images could be read: the model has no thresholds");
			}
			double featureSeconds = (System.nanoTime() - tFeatures) / 1e9 - fitTime.seconds() - calTime.seconds();

			if (mode == Calibration.Mode.CROSSFIT && fitImages >= 2) {
				FeatureRows folds = all;
				scores = calTime.time(() -> HeldOutScores.crossfit(plugin, methodSettings, settings.seed(), folds, settings.calibration().folds(),
					session.manager(), session.mapper(), settings.batchSize(), progress));
			} else if (mode == Calibration.Mode.CROSSFIT) {
				progress.warn("one readable training image is too few to calibrate thresholds: the model has no thresholds");
			}
			all = null;
			String calibration = mode == Calibration.Mode.HOLDOUT ? "holdout" : "crossfit";
			Thresholds thresholds = scores == null ? Thresholds.uncalibrated(settings.alpha()) : scores.thresholds(settings.alpha(), calibration);
			double fitSeconds = fitTime.seconds(), calSeconds = calTime.seconds();

			JsonObject training = new JsonObject();
			training.addProperty("images", fitImages);
			training.addProperty("patches", (long) fitImages * grid.positions());
			training.addProperty("skipped_files", skipped.size());
			training.addProperty("seed", settings.seed());
			training.addProperty("calibration", thresholds.calibration());
			if (thresholds.calibration().equals("crossfit")) training.addProperty("folds", Math.min(settings.calibration().folds(), fitImages));
			training.addProperty("feature_seconds", featureSeconds);
			training.addProperty("fit_seconds", fitSeconds);
			training.addProperty("calibration_seconds", calSeconds);
			training.addProperty("seconds", (System.nanoTime() - start) / 1e9);
			return session.toModel(method, thresholds, training);
		} catch (IOException | RuntimeException e) {
			if (method != null) method.close();
			session.close();
			throw e;
		}
	}

	/**
	 * Most training patches cross-fitted calibration accepts (2048 images at 256 px, 1 GB of
	 * features): its folds refit on subsets of all features, so they must all be held in memory, and
	 * each fold copies most of them. Hold-out calibration streams and has no such limit; {@code auto}
	 * picks it for sets this large.
	 */
	static final long CROSSFIT_MAX_PATCHES = (long) PatchCore.CHUNK_PATCHES * 8;

	static void checkCrossfitSize(long patches, FeatureGrid grid) {
		if (patches > CROSSFIT_MAX_PATCHES)
			throw new IllegalArgumentException("cross-fitted calibration holds every training feature in memory and takes at most "
				+ CROSSFIT_MAX_PATCHES / grid.positions() + " images at this input size; use hold-out calibration (--calibration holdout or auto) for more");
	}

	/** Wall time spent in some calls, summed. */
	private static final class Stopwatch {
		private long nanos;

		<T> T time(java.util.function.Supplier<T> work) {
			long t = System.nanoTime();
			try {
				return work.get();
			} finally {
				nanos += System.nanoTime() - t;
			}
		}

		double seconds() {
			return nanos / 1e9;
		}
	}

	/** The spec a training run with these settings uses. */
	static ModelSpec spec(Settings settings, IntensityRange range) {
		return new ModelSpec(BackboneCatalog.DEFAULT, settings.inputSize(), settings.normalization(), range, ModelSpec.DEFAULT_TAPS, 3,
			AnomalyMapper.defaultSigma(settings.inputSize()));
	}

	static String firstReason(List<String> skipped) {
		return skipped.isEmpty() ? "" : " (first problem: " + skipped.get(0) + ")";
	}


	/** The range of 16/32-bit training images; null when every image is 8-bit. */
	static IntensityRange measureRange(List<Path> files, List<String> skipped, Progress progress) throws IOException {
		if (files.isEmpty()) return null;
		IntensityRange.Accumulator acc = null;
		for (int i = 0; i < files.size(); i++) {
			progress.checkCancelled();
			LoadedImage img;
			try {
				img = ImageFileReader.read(files.get(i));
			} catch (IOException e) {
				continue; // reported when features are extracted
			}
			boolean needs = img.planes().stream().anyMatch(Preprocessor::needsIntensityRange);
			if (acc == null && !needs) return null; // the first readable image is 8-bit: an 8-bit set
			if (acc == null) acc = IntensityRange.accumulator();
			for (var p : img.planes()) if (Preprocessor.needsIntensityRange(p)) acc.add(p);
			progress.update("intensity", i + 1, files.size());
		}
		return acc == null || acc.count() == 0 ? null : acc.range();
	}
}
