package org.anomalyj.training;

import org.anomalyj.features.FeatureSession;
import org.anomalyj.io.AtomicFiles;
import org.anomalyj.method.AnomalyMethod;
import org.anomalyj.method.AnomalyMethodPlugin;
import org.anomalyj.method.MethodCatalog;
import org.anomalyj.method.TrainingSet;
import org.anomalyj.model.AnomalyModel;
import org.anomalyj.model.Categories;
import org.anomalyj.model.DeviceChoice;
import org.anomalyj.model.Thresholds;
import org.anomalyj.model.TrainingReport;
import org.anomalyj.task.Progress;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * {@code update}: a trained model learns new good images without retraining
 * ({@link AnomalyMethodPlugin#update}), and its thresholds are re-set. A seeded 10 % of the new
 * images ({@link Calibration#DEFAULT_FRACTION}) is held out of the update and scored by the updated
 * model; their scores join the model's calibration scores, which came from images neither model
 * trained on. For a memory bank those older scores can only be higher than the updated model would
 * give (its bank only grew), so the pooled threshold errs towards fewer false alarms. In a model of
 * several parts every new image belongs to a part (the one given, or the one the model recognises
 * in it): the images learned join its descriptor, the held-out ones its calibration scores.
 */
public final class ModelUpdater {

	/**
	 * @param model the updated model (the caller closes it)
	 * @param added new images the method learned
	 * @param heldOut new images scored for calibration
	 * @param skipped unreadable files, each with its reason
	 * @param featureSeconds decoding and backbone time of the new images learned
	 * @param fitSeconds the method's update
	 * @param calibrationSeconds scoring the held-out new images
	 */
	public record Result(AnomalyModel model, int added, int heldOut, List<String> skipped, double featureSeconds, double fitSeconds,
		double calibrationSeconds) {}

	private ModelUpdater() {}

	/**
	 * Loads {@code modelFile}, updates it with {@code images} and writes the result to {@code out}
	 * (atomically; never over the model file or an image).
	 *
	 * @param lines receives what people are told: thresholds before and after, the file written
	 */
	public static void toFile(Path modelFile, List<Path> images, Path out, DeviceChoice device, int batchSize, Progress progress,
		Consumer<String> lines) throws IOException {
		toFile(modelFile, images, null, out, device, batchSize, progress, lines);
	}

	/** As above, the new images of part {@code category} of a model of several (null: each image's part is the one the model recognises). */
	public static void toFile(Path modelFile, List<Path> images, String category, Path out, DeviceChoice device, int batchSize, Progress progress,
		Consumer<String> lines) throws IOException {
		AtomicFiles.requireNotSame(out, modelFile);
		AtomicFiles.requireNotSame(out, images.toArray(Path[]::new));
		try (AnomalyModel model = AnomalyModel.load(modelFile, device)) {
			String before = model.thresholds().describe();
			long t = System.nanoTime();
			Result r = update(model, images, category, device, batchSize, progress);
			try (AnomalyModel updated = r.model()) {
				updated.save(out);
				String learned = updated.method().summary();
				lines.accept(String.format(java.util.Locale.ROOT,
					"learned %d new images (%d more held out for calibration)%s in %.1f s (features %.1f s, fit %.1f s, calibration %.1f s)%s", r.added(),
					r.heldOut(), learned.isEmpty() ? "" : " -> " + learned, (System.nanoTime() - t) / 1e9, r.featureSeconds(), r.fitSeconds(),
					r.calibrationSeconds(), r.skipped().isEmpty() ? "" : "; " + r.skipped().size() + " unreadable file(s) skipped"));
				lines.accept("before: " + before);
				lines.accept("after:  " + updated.thresholds().describe());
				for (String line : updated.categories().describe()) lines.accept("  " + line);
				lines.accept("wrote " + out);
			}
		}
	}

	/**
	 * The model updated with {@code images}; {@code model} itself is not changed.
	 *
	 * @throws IOException when no new image can be read, or the model's method cannot learn without retraining
	 */
	public static Result update(AnomalyModel model, List<Path> images, DeviceChoice device, int batchSize, Progress progress) throws IOException {
		return update(model, images, null, device, batchSize, progress);
	}

	/**
	 * As above, the new images of part {@code category} of a model of several (null: each image's
	 * part is the one the model recognises).
	 *
	 * @throws IllegalArgumentException for a part the model does not have
	 */
	public static Result update(AnomalyModel model, List<Path> images, String category, DeviceChoice device, int batchSize, Progress progress)
		throws IOException {
		if (images.isEmpty()) throw new IOException("no new images given");
		Categories parts = model.categories();
		int forced = category == null ? -1 : parts.require(category);
		long start = System.nanoTime();
		AnomalyMethodPlugin plugin = MethodCatalog.get(model.method().name());
		TrainingReport old = model.training();
		Thresholds thresholds = model.thresholds();
		boolean calibrate = thresholds.imageScores() != null && images.size() >= 2;

		List<Path> fitFiles = new ArrayList<>(images), calFiles = new ArrayList<>();
		if (calibrate) {
			List<Path> shuffled = new ArrayList<>(images);
			Collections.shuffle(shuffled, new Random(old.seed()));
			int nCal = Calibration.DEFAULT.heldOut(shuffled.size());
			calFiles = new ArrayList<>(shuffled.subList(0, nCal));
			fitFiles = new ArrayList<>(shuffled.subList(nCal, shuffled.size()));
			Collections.sort(calFiles);
		}
		Collections.sort(fitFiles);

		List<String> skipped = new ArrayList<>();
		FeatureSession session = new FeatureSession(model.spec(), device);
		AnomalyMethod method = null;
		AnomalyModel updated = null;
		try {
			ModelTrainer.ImageCount count = new ModelTrainer.ImageCount();
			TrainingSet data = count.counting(session.trainingSet(fitFiles, batchSize, skipped, progress), fitFiles.size(), skipped);
			PooledFeaturesWatch watch = parts.isEmpty() ? null : new PooledFeaturesWatch(data);
			if (watch != null) data = watch;
			long t = System.nanoTime();
			try {
				method = plugin.update(model.method(), data, old.seed(), progress);
			} catch (UnsupportedOperationException | ModelTrainer.NoImages e) {
				throw new IOException(e.getMessage());
			}
			double fitSeconds = (System.nanoTime() - t) / 1e9 - session.extractionSeconds();
			ModelTrainer.requireSome(count.count, fitFiles.size(), skipped);
			int[] added = {count.count};
			int positions = session.grid().positions();
			double features = session.extractionSeconds();
			TrainingReport report = new TrainingReport(old.images() + added[0], old.patches() + (long) added[0] * positions, old.skippedFiles() + skipped.size(),
				old.seed(), thresholds.calibration(), old.folds(), features, fitSeconds, 0, (System.nanoTime() - start) / 1e9, old.contamination(),
				old.excluded(), old.screenLimit(), old.screenSeconds(), old.categories());
			updated = session.toModel(method, thresholds, report, List.of()); // no bank sources after an update (PatchCoreFitter.continuing)
			method = null;
			if (watch != null) updated.withCategories(parts.withImagesAdded(watch.sums(parts, forced)));
			int heldOut = 0;
			long tCal = System.nanoTime();
			if (calibrate) {
				HeldOutScores scores = Recalibration.score(updated, calFiles, batchSize, skipped, progress);
				heldOut = scores.imageScores().length;
				if (heldOut > 0) {
					updated.withThresholds(thresholds.withScoresAdded(scores.imageScores(), scores.mapMaxima()));
					Categories learned = updated.categories();
					if (!learned.isEmpty())
						updated.withCategories(learned.recalibrated(scores.imageScores(), scores.mapMaxima(), scores.assign(learned, forced),
							thresholds.calibration(), true));
				}
			}
			return new Result(updated, added[0], heldOut, List.copyOf(skipped), features, fitSeconds, (System.nanoTime() - tCal) / 1e9);
		} catch (IOException | RuntimeException e) {
			if (updated != null) updated.close();
			else {
				if (method != null) method.close();
				session.close();
			}
			throw e;
		}
	}
}
