package org.anomalyj.training;

import ai.djl.ndarray.NDArray;
import com.google.gson.JsonObject;
import org.anomalyj.backbone.BackboneCatalog;
import org.anomalyj.backbone.BackbonePlugin;
import org.anomalyj.data.TrainingImages;
import org.anomalyj.features.FeatureGrid;
import org.anomalyj.features.FeatureRows;
import org.anomalyj.features.FeatureSession;
import org.anomalyj.features.ImageRef;
import org.anomalyj.image.ImageFileReader;
import org.anomalyj.image.InputNormalization;
import org.anomalyj.image.IntensityRange;
import org.anomalyj.image.LoadedImage;
import org.anomalyj.image.Preprocessor;
import org.anomalyj.method.AnomalyMethod;
import org.anomalyj.method.AnomalyMethodPlugin;
import org.anomalyj.method.MethodCatalog;
import org.anomalyj.method.DefectPatches;
import org.anomalyj.method.ForwardingTrainingSet;
import org.anomalyj.method.TrainingSet;
import org.anomalyj.model.AnomalyModel;
import org.anomalyj.model.Categories;
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
	 * @param contamination whether and how anomalous training images are found and left out
	 */
	public record Settings(String backbone, int inputSize, InputNormalization normalization, String method, Map<String, String> methodOptions,
		long seed, Calibration calibration, double alpha, DeviceChoice device, int batchSize, Contamination contamination) {

		public static final Settings DEFAULT = new Settings(BackboneCatalog.DEFAULT, ModelSpec.DEFAULT_SIZE, null, MethodCatalog.DEFAULT, Map.of(), 0,
			Calibration.DEFAULT, Thresholds.DEFAULT_ALPHA, DeviceChoice.AUTO, 8, Contamination.DEFAULT);

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
			if (contamination == null) throw new IllegalArgumentException("no contamination setting given");
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
			return new Settings(b, inputSize, normalization, method, methodOptions, seed, calibration, alpha, device, batchSize, contamination);
		}

		public Settings withInputSize(int size) {
			return new Settings(backbone, size, normalization, method, methodOptions, seed, calibration, alpha, device, batchSize, contamination);
		}

		/** Another method, with its options (absent ones take their defaults). */
		public Settings withMethod(String name, Map<String, String> options) {
			return new Settings(backbone, inputSize, normalization, name, options, seed, calibration, alpha, device, batchSize, contamination);
		}

		public Settings withSeed(long s) {
			return new Settings(backbone, inputSize, normalization, method, methodOptions, s, calibration, alpha, device, batchSize, contamination);
		}

		public Settings withDevice(DeviceChoice d) {
			return new Settings(backbone, inputSize, normalization, method, methodOptions, seed, calibration, alpha, d, batchSize, contamination);
		}

		public Settings withCalibration(Calibration c) {
			return new Settings(backbone, inputSize, normalization, method, methodOptions, seed, c, alpha, device, batchSize, contamination);
		}

		public Settings withAlpha(double a) {
			return new Settings(backbone, inputSize, normalization, method, methodOptions, seed, calibration, a, device, batchSize, contamination);
		}

		/** Hold-out calibration of this fraction (0: none) at false-alarm rate {@code a}. */
		public Settings withCalibration(double fraction, double a) {
			return withCalibration(fraction == 0 ? Calibration.none() : Calibration.holdout(fraction)).withAlpha(a);
		}

		public Settings withBatchSize(int b) {
			return new Settings(backbone, inputSize, normalization, method, methodOptions, seed, calibration, alpha, device, b, contamination);
		}

		public Settings withContamination(Contamination c) {
			return new Settings(backbone, inputSize, normalization, method, methodOptions, seed, calibration, alpha, device, batchSize, c);
		}

		/** Overrides the backbone's input normalisation (null: the backbone's own). */
		public Settings withNormalization(InputNormalization n) {
			return new Settings(backbone, inputSize, n, method, methodOptions, seed, calibration, alpha, device, batchSize, contamination);
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
	 * The good images of one category (one part), for a model of several.
	 *
	 * @param name the category's name, recorded in the model
	 * @param images its good images
	 */
	public record CategoryImages(String name, List<Path> images) {
		public CategoryImages {
			images = List.copyOf(images);
		}

		/** The categories {@link TrainingImages#findAll} found, named by their folders. */
		public static List<CategoryImages> of(List<TrainingImages> found) {
			return found.stream().map(t -> new CategoryImages(t.name(), t.images())).toList();
		}
	}

	/**
	 * One model for several categories (the uniform or multi-class setting): their images are
	 * trained on together, as one set, with the same settings; the calibration images are held out
	 * from each category in proportion to its size, at least one each ({@link StratifiedHoldOut}),
	 * and the training report names the categories with their counts. Each category also gets
	 * thresholds of its own, from its own calibration images, and a descriptor by which scoring
	 * recognises it ({@link Categories}). One category trains as
	 * {@link #train(List, Settings, FeatureSession.Extraction, Progress)} does, unnamed.
	 *
	 * @param extraction where features are computed; null for here
	 */
	public static AnomalyModel trainCategories(List<CategoryImages> categories, Settings settings, FeatureSession.Extraction extraction,
		Progress progress) throws IOException {
		return trainCategories(categories, List.of(), settings, extraction, progress);
	}

	/** As above, with labelled defect images (see {@link #train(List, List, Settings, FeatureSession.Extraction, Progress)}). */
	public static AnomalyModel trainCategories(List<CategoryImages> categories, List<DefectThresholds.Example> defects, Settings settings,
		FeatureSession.Extraction extraction, Progress progress) throws IOException {
		List<Path> images = new ArrayList<>();
		for (CategoryImages c : categories) images.addAll(c.images());
		return train(images, categories.size() == 1 ? TrainingCategories.NONE : new TrainingCategories(categories), defects, settings, extraction, progress);
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
		return train(images, TrainingCategories.NONE, defects, settings, extraction, progress);
	}

	private static AnomalyModel train(List<Path> images, TrainingCategories categories, List<DefectThresholds.Example> defects, Settings settings,
		FeatureSession.Extraction extraction, Progress progress) throws IOException {
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
			boolean[] held = categories.heldOut(images, settings.calibration().heldOut(images.size(), settings.alpha()), settings.seed());
			fitFiles.clear();
			for (int i = 0; i < held.length; i++) (held[i] ? calFiles : fitFiles).add(images.get(i));
			Collections.sort(calFiles);
		}
		// Keep the training order independent of the split's shuffle, for reproducible features.
		Collections.sort(fitFiles);
		List<Path> everyFile = new ArrayList<>(images);
		Collections.sort(everyFile);

		boolean screen = screens(settings.contamination(), images.size());
		List<String> skipped = new ArrayList<>();
		ModelSpec spec = spec(settings, measureRange(screen ? everyFile : fitFiles, skipped, progress));
		FeatureSession session = new FeatureSession(spec, settings.device());
		if (extraction != null) session.extractWith(extraction);
		if (screen && settings.contamination().mode() == Contamination.Mode.AUTO
			&& (long) images.size() * session.grid().positions() > crossfitMaxPatches(session.grid())) {
			progress.warn("too many images to screen for anomalous ones (at most " + crossfitMaxPatches(session.grid()) / session.grid().positions()
				+ " at this input size): all are trained on; --contamination FRACTION screens up to that many, 0 silences this");
			screen = false;
		}
		AnomalyMethod method = null;
		try {
			FeatureGrid grid = session.grid();
			int batch = settings.batchSize();
			FeatureSession.Extracted all = null, calibrationSet = null;
			TrainingSet data;
			ImageCount fitImages = new ImageCount();
			Screening screening = Screening.NONE;
			if (screen) {
				// Screening scores every image out of fold, the calibration images too: all features are held.
				all = holdAll(session, everyFile, batch, skipped, progress);
				requireSome(all.rows().images(), everyFile.size(), skipped);
				long t = System.nanoTime();
				double extractedBefore = session.extractionSeconds();
				ContaminationScreen.Result r = ContaminationScreen.run(settings.contamination(), plugin, methodSettings, settings.seed(), session, all,
					batch, progress);
				screening = Screening.of(r, all.images(), (System.nanoTime() - t) / 1e9 - (session.extractionSeconds() - extractedBefore));
				if (!screening.excluded().isEmpty())
					progress.warn(screening.excluded().size() + " of " + all.rows().images() + " training images look anomalous and are left out: "
						+ screening.names());
				int[] kept = r.kept();
				if (mode == Calibration.Mode.HOLDOUT) {
					// The split of the kept images, drawn as the split of files is when nothing is screened.
					List<Path> keptFiles = new ArrayList<>();
					for (int i : kept) keptFiles.add(all.images().get(i).file());
					int nCal = Math.min(kept.length - 1, settings.calibration().heldOut(kept.length, settings.alpha()));
					boolean[] held = categories.heldOut(keptFiles, Math.max(0, nCal), settings.seed());
					List<Integer> cal = new ArrayList<>(), fit = new ArrayList<>();
					calFiles.clear();
					for (int k = 0; k < kept.length; k++) {
						(held[k] ? cal : fit).add(kept[k]);
						if (held[k]) calFiles.add(keptFiles.get(k));
					}
					calibrationSet = cal.isEmpty() ? null : all.subset(sortedIndices(cal));
					all = all.subset(sortedIndices(fit));
				} else all = all.subset(kept);
				fitImages.first(all.rows().images());
				data = session.trainingSet(all, batch, progress);
			} else if (mode == Calibration.Mode.CROSSFIT) {
				all = holdAll(session, fitFiles, batch, skipped, progress);
				fitImages.first(all.rows().images());
				requireSome(fitImages.count, fitFiles.size(), skipped);
				data = session.trainingSet(all, batch, progress);
			} else {
				// Features stream into the method: memory holds what the method keeps, not every patch.
				data = fitImages.counting(session.trainingSet(fitFiles, batch, skipped, progress), fitFiles.size(), skipped);
			}
			DefectPatches defectPatches = plugin.learnsFromDefects() ? LabelledDefects.extract(session, defects, batch, progress) : DefectPatches.NONE;
			if (!defectPatches.isEmpty()) data = TrainingSet.withDefects(data, defectPatches);
			PooledFeaturesWatch watch = categories.several() ? new PooledFeaturesWatch(data) : null;
			if (watch != null) data = watch;
			double extractedBefore = session.extractionSeconds();
			long t = System.nanoTime();
			method = plugin.train(data, methodSettings, settings.seed(), progress);
			List<ImageRef> trainedOn = data.images();
			double fitSeconds = (System.nanoTime() - t) / 1e9 - (session.extractionSeconds() - extractedBefore);
			requireSome(fitImages.count, fitFiles.size(), skipped);

			long tCal = System.nanoTime();
			double extractedBeforeCal = session.extractionSeconds();
			HeldOutScores scores = null;
			List<ImageRef> scored = new ArrayList<>(); // the images of the scores, in their order
			if (mode == Calibration.Mode.HOLDOUT && calibrationSet != null) {
				scores = HeldOutScores.of(method, session, calibrationSet, batch, progress);
				scored.addAll(calibrationSet.images());
			} else if (mode == Calibration.Mode.HOLDOUT && screen) {
				progress.warn("too few images are left to hold any out for calibration: the model has no thresholds");
			} else if (mode == Calibration.Mode.HOLDOUT) {
				// Held-out images are scored batch by batch as they are extracted; their features are not kept.
				AnomalyMethod fitted = method;
				List<HeldOutScores> parts = new ArrayList<>();
				List<ImageRef> calRefs = ImageRef.allPlanes(calFiles);
				int calImages = fitted.scoresImages()
					? session.streamInputs(calRefs, batch, skipped, progress, "calibration", (x, refs) -> {
						parts.add(HeldOutScores.of(AnomalyModel.score(fitted, session.mapper(), session.features().embed(x), x)));
						scored.addAll(refs);
					})
					: session.stream(calRefs, batch, skipped, progress, "calibration", (rows, refs) -> {
						parts.add(HeldOutScores.of(fitted, session, new FeatureSession.Extracted(rows, refs), batch, progress));
						scored.addAll(refs);
					});
				if (calImages > 0) scores = HeldOutScores.concat(parts);
				else progress.warn("none of the " + calFiles.size() + " calibration images could be read: the model has no thresholds");
			} else if (mode == Calibration.Mode.CROSSFIT && fitImages.count >= 2) {
				scores = HeldOutScores.crossfit(plugin, methodSettings, settings.seed(), session, all, defectPatches, settings.calibration().folds(), batch,
					progress, "calibration folds");
				scored.addAll(all.images());
			} else if (mode == Calibration.Mode.CROSSFIT) {
				progress.warn("one readable training image is too few to calibrate thresholds: the model has no thresholds");
			}
			all = null;
			calibrationSet = null;
			double calSeconds = (System.nanoTime() - tCal) / 1e9 - (session.extractionSeconds() - extractedBeforeCal);
			String calibration = mode == Calibration.Mode.HOLDOUT ? "holdout" : "crossfit";
			Thresholds thresholds = scores == null ? Thresholds.uncalibrated(settings.alpha()) : scores.thresholds(settings.alpha(), calibration);
			Categories parts = watch == null ? Categories.NONE : categories.parts(watch, scores, scored, settings.alpha(), calibration, progress);
			// Cross-fitting calibrates on every image, out of fold: those are each category's calibration images.
			List<Path> calibrating = mode == Calibration.Mode.CROSSFIT ? scored.stream().map(ImageRef::file).toList() : calFiles;
			TrainingReport report = new TrainingReport(fitImages.count, (long) fitImages.count * grid.positions(), skipped.size(), settings.seed(),
				thresholds.calibration(), thresholds.calibration().equals("crossfit") ? Math.min(settings.calibration().folds(), fitImages.count) : 0,
				session.extractionSeconds(), fitSeconds, calSeconds, (System.nanoTime() - start) / 1e9,
				screen ? settings.contamination().id() : settings.contamination().mode() == Contamination.Mode.NONE ? "0" : "",
				screening.excluded(), screening.limit(), screening.seconds(), categories.report(calibrating, parts, scores, scored));
			return session.toModel(method, thresholds, report, trainedOn).withCategories(parts);
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

	/**
	 * Whether training screens {@code files} for anomalous images: always for a fraction, for
	 * {@code auto} from {@link ContaminationScreen#AUTO_MIN_IMAGES} images on.
	 */
	static boolean screens(Contamination c, int files) {
		return switch (c.mode()) {
			case NONE -> false;
			case FRACTION -> files >= 2;
			case AUTO -> files >= ContaminationScreen.AUTO_MIN_IMAGES;
		};
	}

	/** What the screen found, as the training report records it. */
	private record Screening(List<TrainingReport.Excluded> excluded, double limit, double seconds) {
		static final Screening NONE = new Screening(List.of(), Double.NaN, 0);

		static Screening of(ContaminationScreen.Result r, List<ImageRef> images, double seconds) {
			List<TrainingReport.Excluded> out = new ArrayList<>();
			Path root = commonFolder(images);
			for (int i : r.excluded()) out.add(new TrainingReport.Excluded(name(images, i, root), r.scores()[i]));
			return new Screening(List.copyOf(out), r.limit(), seconds);
		}

		String names() {
			return String.join(", ", excluded.stream().map(TrainingReport.Excluded::image).toList());
		}

		/** The file relative to the folder all images share; with its plane when its file has several. */
		private static String name(List<ImageRef> images, int i, Path root) {
			ImageRef ref = images.get(i);
			String file = (root == null ? ref.file() : root.relativize(ref.file().toAbsolutePath())).toString().replace('\\', '/');
			boolean stack = images.stream().filter(r -> r.file().equals(ref.file())).count() > 1;
			return stack ? file + " (plane " + (ref.plane() + 1) + ")" : file;
		}

		private static Path commonFolder(List<ImageRef> images) {
			Path root = null;
			for (ImageRef r : images) {
				Path dir = r.file().toAbsolutePath().getParent();
				if (root == null) root = dir;
				while (root != null && dir != null && !dir.startsWith(root)) root = root.getParent();
			}
			return root;
		}
	}

	private static int[] sortedIndices(List<Integer> indices) {
		return indices.stream().mapToInt(Integer::intValue).sorted().toArray();
	}

	/** Every image's features in memory, within what cross-fitting may hold. */
	private static FeatureSession.Extracted holdAll(FeatureSession session, List<Path> files, int batch, List<String> skipped, Progress progress) {
		FeatureGrid grid = session.grid();
		checkCrossfitSize((long) files.size() * grid.positions(), grid);
		FeatureRows.Builder rows = new FeatureRows.Builder(grid);
		List<ImageRef> refs = new ArrayList<>();
		session.stream(ImageRef.allPlanes(files), batch, skipped, progress, "features", (b, r) -> {
			rows.add(b.values(), b.images());
			refs.addAll(r);
			checkCrossfitSize(rows.rowCount(), grid);
		});
		return new FeatureSession.Extracted(rows.build(), List.copyOf(refs));
	}

	/** The images of the training set's first pass, whichever pass (features or inputs) the method makes first. */
	static final class ImageCount {
		int count = -1;

		void first(int n) {
			if (count < 0) count = n;
		}

		/** {@code set}, counting its first pass; a first pass that reads nothing stops training at once. */
		TrainingSet counting(TrainingSet set, int files, List<String> skipped) {
			return new ForwardingTrainingSet(set) {
				@Override
				public int forEachFeatures(Consumer<FeatureRows> batch) {
					return checked(super.forEachFeatures(batch));
				}

				@Override
				public int forEachInput(Consumer<NDArray> batch) {
					return checked(super.forEachInput(batch));
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
	static final class NoImages extends RuntimeException {
		NoImages(String message) {
			super(message);
		}
	}

	static void requireSome(int images, int files, List<String> skipped) throws IOException {
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
