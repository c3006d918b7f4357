package org.anomalyj.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import org.anomalyj.backbone.BackboneCatalog;
import org.anomalyj.backbone.BackbonePlugin;
import org.anomalyj.features.FeatureGrid;
import org.anomalyj.features.FeatureRows;
import org.anomalyj.features.FeatureSession;
import org.anomalyj.features.ImageRef;
import org.anomalyj.features.PatchFeatures;
import org.anomalyj.image.ImageFileReader;
import org.anomalyj.image.InputNormalization;
import org.anomalyj.image.IntensityRange;
import org.anomalyj.image.LoadedImage;
import org.anomalyj.image.Preprocessor;
import org.anomalyj.method.AnomalyMethod;
import org.anomalyj.method.AnomalyMethodPlugin;
import org.anomalyj.method.MethodCatalog;
import org.anomalyj.method.DefectPatches;
import org.anomalyj.method.TrainingSet;
import org.anomalyj.model.AnomalyModel;
import org.anomalyj.model.DeviceChoice;
import org.anomalyj.model.ModelSpec;
import org.anomalyj.model.Thresholds;
import org.anomalyj.model.TrainingReport;
import org.anomalyj.task.Progress;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Trains a model from good images: splits off calibration images when holding out (seeded),
 * measures the intensity range when images are not 8-bit, hands the images to the method as a
 * {@link TrainingSet} (features and, for methods with networks of their own, network inputs), and
 * calibrates the thresholds ({@link Calibration}) on scores of images the scoring model did not
 * train on.
 * <p>
 * Memory does not grow with the training set, except for cross-fitting: the training images
 * stream batch by batch through every pass the method makes, then the held-out images are
 * extracted and scored batch by batch. Cross-fitted calibration refits on subsets of all features,
 * so it holds them, up to {@link #CROSSFIT_MAX_VALUES} values, and refuses larger sets up front.
 */
public final class ModelTrainer {

	/**
	 * @param backbone backbone name ({@link BackboneCatalog})
	 * @param inputSize side of the network input
	 * @param normalization network input range; null for the backbone's own (the usual choice)
	 * @param method method name ({@link MethodCatalog})
	 * @param methodOptions the method's options ({@link AnomalyMethodPlugin#options()}); absent ones take their defaults
	 * @param seed seeds the method, the hold-out split and the cross-fitting folds
	 * @param calibration how thresholds are calibrated
	 * @param alpha false-alarm rate the thresholds are calibrated for
	 * @param device where tensors live
	 * @param batchSize images per forward pass
	 */
	public record Settings(String backbone, int inputSize, InputNormalization normalization, String method, Map<String, String> methodOptions,
		long seed, Calibration calibration, double alpha, DeviceChoice device, int batchSize) {

		public static final Settings DEFAULT = new Settings(BackboneCatalog.DEFAULT, ModelSpec.DEFAULT_SIZE, null, MethodCatalog.DEFAULT, Map.of(), 0,
			Calibration.DEFAULT, Thresholds.DEFAULT_ALPHA, DeviceChoice.AUTO, 8);

		/**
		 * @throws IllegalArgumentException for an unknown backbone or method, a bad method option, or values out of range
		 */
		public Settings {
			methodOptions = Map.copyOf(methodOptions);
			BackbonePlugin b = BackboneCatalog.get(backbone);
			MethodCatalog.get(method).settings(methodOptions); // checks the options now, not after feature extraction
			int multiple = b.inputMultiple(b.defaultTaps());
			if (inputSize < 32 || inputSize > 2048 || inputSize % multiple != 0)
				throw new IllegalArgumentException("input size must be a multiple of " + multiple + " between 32 and 2048 for backbone " + backbone
					+ ", was " + inputSize);
			if (calibration == null) throw new IllegalArgumentException("no calibration given");
			if (!(alpha > 0 && alpha < 1)) throw new IllegalArgumentException("false-alarm rate must be in (0, 1), was " + alpha);
			if (batchSize < 1) throw new IllegalArgumentException("batch size must be at least 1");
		}

		public AnomalyMethodPlugin plugin() {
			return MethodCatalog.get(method);
		}

		public BackbonePlugin backbonePlugin() {
			return BackboneCatalog.get(backbone);
		}

		/** The method's settings: its options with defaults filled in. */
		public JsonObject methodSettings() {
			return plugin().settings(methodOptions);
		}

		public Settings withBackbone(String b) {
			return new Settings(b, inputSize, normalization, method, methodOptions, seed, calibration, alpha, device, batchSize);
		}

		public Settings withInputSize(int size) {
			return new Settings(backbone, size, normalization, method, methodOptions, seed, calibration, alpha, device, batchSize);
		}

		/** Another method, with its options (absent ones take their defaults). */
		public Settings withMethod(String name, Map<String, String> options) {
			return new Settings(backbone, inputSize, normalization, name, options, seed, calibration, alpha, device, batchSize);
		}

		public Settings withSeed(long s) {
			return new Settings(backbone, inputSize, normalization, method, methodOptions, s, calibration, alpha, device, batchSize);
		}

		public Settings withDevice(DeviceChoice d) {
			return new Settings(backbone, inputSize, normalization, method, methodOptions, seed, calibration, alpha, d, batchSize);
		}

		public Settings withCalibration(Calibration c) {
			return new Settings(backbone, inputSize, normalization, method, methodOptions, seed, c, alpha, device, batchSize);
		}

		public Settings withAlpha(double a) {
			return new Settings(backbone, inputSize, normalization, method, methodOptions, seed, calibration, a, device, batchSize);
		}

		/** Hold-out calibration of this fraction (0: none) at false-alarm rate {@code a}. */
		public Settings withCalibration(double fraction, double a) {
			return withCalibration(fraction == 0 ? Calibration.none() : Calibration.holdout(fraction)).withAlpha(a);
		}

		public Settings withBatchSize(int b) {
			return new Settings(backbone, inputSize, normalization, method, methodOptions, seed, calibration, alpha, device, b);
		}

		/** Overrides the backbone's input normalisation (null: the backbone's own). */
		public Settings withNormalization(InputNormalization n) {
			return new Settings(backbone, inputSize, n, method, methodOptions, seed, calibration, alpha, device, batchSize);
		}
	}

	private ModelTrainer() {}

	/**
	 * @param images good images (files; every plane of a stack counts as one image)
	 * @throws IOException when no image can be read, naming the problem; unreadable files are skipped with a warning
	 */
	public static AnomalyModel train(List<Path> images, Settings settings, Progress progress) throws IOException {
		return train(images, settings, null, progress);
	}

	/**
	 * As {@link #train(List, Settings, Progress)}, with the patch features computed elsewhere (e.g.
	 * on a cluster): the split, the method's fit and the calibration stay here, so the model is the
	 * same as when trained in one process.
	 *
	 * @param extraction where features are computed; null for here
	 */
	public static AnomalyModel train(List<Path> images, Settings settings, FeatureSession.Extraction extraction, Progress progress)
		throws IOException {
		return train(images, List.of(), settings, extraction, progress);
	}

	/**
	 * As {@link #train(List, Settings, FeatureSession.Extraction, Progress)}, with labelled defect
	 * images for a method that learns from them ({@link AnomalyMethodPlugin#learnsFromDefects()}):
	 * their defect patches ({@link LabelledDefects}) join its training, and that of every
	 * cross-fitting fold. Other methods ignore them. They never join the good images or the
	 * calibration.
	 *
	 * @param defects labelled defect images with their masks; empty for none
	 */
	public static AnomalyModel train(List<Path> images, List<DefectThresholds.Example> defects, Settings settings, FeatureSession.Extraction extraction,
		Progress progress) throws IOException {
		if (images.isEmpty()) throw new IOException("no training images");
		settings.backbonePlugin().checkInstalled();
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
		if (extraction != null) session.extractWith(extraction);
		AnomalyMethod method = null;
		try {
			FeatureGrid grid = session.grid();
			int batch = settings.batchSize();
			FeatureSession.Extracted all = null;
			TrainingSet data;
			ImageCount fitImages = new ImageCount();
			if (mode == Calibration.Mode.CROSSFIT) {
				// The folds refit on subsets of all features: these must be held.
				checkCrossfitSize((long) fitFiles.size() * grid.positions(), grid);
				FeatureRows.Builder rows = new FeatureRows.Builder(grid);
				List<ImageRef> refs = new ArrayList<>();
				session.stream(ImageRef.allPlanes(fitFiles), batch, skipped, progress, "features", (b, r) -> {
					rows.add(b.values(), b.images());
					refs.addAll(r);
					checkCrossfitSize(rows.rowCount(), grid);
				});
				all = new FeatureSession.Extracted(rows.build(), List.copyOf(refs));
				fitImages.first(all.rows().images());
				requireSome(fitImages.count, fitFiles.size(), skipped);
				data = session.trainingSet(all, batch, progress);
			} else {
				// Features stream into the method: memory holds what the method keeps, not every patch.
				data = fitImages.counting(session.trainingSet(fitFiles, batch, skipped, progress), fitFiles.size(), skipped);
			}
			DefectPatches defectPatches = plugin.learnsFromDefects() ? LabelledDefects.extract(session, defects, batch, progress) : DefectPatches.NONE;
			if (!defectPatches.isEmpty()) data = TrainingSet.withDefects(data, defectPatches);
			double extractedBefore = session.extractionSeconds();
			long t = System.nanoTime();
			method = plugin.train(data, methodSettings, settings.seed(), progress);
			double fitSeconds = (System.nanoTime() - t) / 1e9 - (session.extractionSeconds() - extractedBefore);
			requireSome(fitImages.count, fitFiles.size(), skipped);

			long tCal = System.nanoTime();
			double extractedBeforeCal = session.extractionSeconds();
			HeldOutScores scores = null;
			if (mode == Calibration.Mode.HOLDOUT) {
				// Held-out images are scored batch by batch as they are extracted; their features are not kept.
				AnomalyMethod fitted = method;
				List<HeldOutScores> parts = new ArrayList<>();
				List<ImageRef> calRefs = ImageRef.allPlanes(calFiles);
				int calImages = fitted.scoresImages()
					? session.streamInputs(calRefs, batch, skipped, progress, "calibration",
						(x, refs) -> parts.add(HeldOutScores.of(AnomalyModel.score(fitted, session.mapper(), session.features().embed(x), x))))
					: session.stream(calRefs, batch, skipped, progress, "calibration",
						(rows, refs) -> parts.add(HeldOutScores.of(fitted, session, new FeatureSession.Extracted(rows, refs), batch, progress)));
				if (calImages > 0) scores = HeldOutScores.concat(parts);
				else progress.warn("none of the " + calFiles.size() + " calibration images could be read: the model has no thresholds");
			} else if (mode == Calibration.Mode.CROSSFIT && fitImages.count >= 2) {
				scores = HeldOutScores.crossfit(plugin, methodSettings, settings.seed(), session, all, defectPatches, settings.calibration().folds(), batch,
					progress);
			} else if (mode == Calibration.Mode.CROSSFIT) {
				progress.warn("one readable training image is too few to calibrate thresholds: the model has no thresholds");
			}
			all = null;
			double calSeconds = (System.nanoTime() - tCal) / 1e9 - (session.extractionSeconds() - extractedBeforeCal);
			String calibration = mode == Calibration.Mode.HOLDOUT ? "holdout" : "crossfit";
			Thresholds thresholds = scores == null ? Thresholds.uncalibrated(settings.alpha()) : scores.thresholds(settings.alpha(), calibration);
			TrainingReport report = new TrainingReport(fitImages.count, (long) fitImages.count * grid.positions(), skipped.size(), settings.seed(),
				thresholds.calibration(), thresholds.calibration().equals("crossfit") ? Math.min(settings.calibration().folds(), fitImages.count) : 0,
				session.extractionSeconds(), fitSeconds, calSeconds, (System.nanoTime() - start) / 1e9);
			return session.toModel(method, thresholds, report);
		} catch (NoImages e) {
			if (method != null) method.close();
			session.close();
			throw new IOException(e.getMessage());
		} catch (IOException | RuntimeException e) {
			if (method != null) method.close();
			session.close();
			throw e;
		}
	}

	/** The images of the training set's first pass, whichever pass (features or inputs) the method makes first. */
	private static final class ImageCount {
		int count = -1;

		void first(int n) {
			if (count < 0) count = n;
		}

		/** {@code set}, counting its first pass; a first pass that reads nothing stops training at once. */
		TrainingSet counting(TrainingSet set, int files, List<String> skipped) {
			return new TrainingSet() {
				@Override
				public NDManager manager() {
					return set.manager();
				}

				@Override
				public FeatureGrid grid() {
					return set.grid();
				}

				@Override
				public PatchFeatures features() {
					return set.features();
				}

				@Override
				public int inputSize() {
					return set.inputSize();
				}

				@Override
				public int batchSize() {
					return set.batchSize();
				}

				@Override
				public int forEachFeatures(Consumer<FeatureRows> batch) {
					return checked(set.forEachFeatures(batch));
				}

				@Override
				public int forEachInput(Consumer<NDArray> batch) {
					return checked(set.forEachInput(batch));
				}

				private int checked(int n) {
					first(n);
					if (n == 0) throw new NoImages(noneReadable(files, skipped));
					return n;
				}
			};
		}
	}

	/** Thrown through the method when no training image could be read; reported as an IOException. */
	private static final class NoImages extends RuntimeException {
		NoImages(String message) {
			super(message);
		}
	}

	private static void requireSome(int images, int files, List<String> skipped) throws IOException {
		if (images == 0) throw new IOException(noneReadable(files, skipped));
		if (images < 0) throw new IllegalStateException("the method trained without looking at the training images");
	}

	private static String noneReadable(int files, List<String> skipped) {
		return "none of the " + files + " training images could be read" + firstReason(skipped);
	}

	/**
	 * Most feature values cross-fitted calibration holds (1 GiB of floats: 2048 images at 256 px with
	 * 128-dimensional features): its folds refit on subsets of all features, so they must all be held
	 * in memory, and each fold copies most of them. Hold-out calibration streams and has no such
	 * limit; {@code auto} picks it for sets this large.
	 */
	static final long CROSSFIT_MAX_VALUES = 1L << 28;

	/** Most patches cross-fitting holds for features of this grid. */
	static long crossfitMaxPatches(FeatureGrid grid) {
		return CROSSFIT_MAX_VALUES / grid.channels();
	}

	static void checkCrossfitSize(long patches, FeatureGrid grid) {
		if (patches > crossfitMaxPatches(grid))
			throw new IllegalArgumentException("cross-fitted calibration holds every training feature in memory and takes at most "
				+ crossfitMaxPatches(grid) / grid.positions() + " images at this input size; use hold-out calibration (--calibration holdout or auto) for more");
	}

	/** The spec a training run with these settings uses. */
	public static ModelSpec spec(Settings settings, IntensityRange range) {
		return ModelSpec.defaults(settings.backbonePlugin(), settings.inputSize(), settings.normalization(), range);
	}

	static String firstReason(List<String> skipped) {
		return skipped.isEmpty() ? "" : " (first problem: " + skipped.get(0) + ")";
	}

	/** The range of 16/32-bit training images; null when every image is 8-bit. */
	public static IntensityRange measureRange(List<Path> files, List<String> skipped, Progress progress) throws IOException {
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
