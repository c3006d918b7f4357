package org.anomalyj.training;

import org.anomalyj.image.ImageFileReader;
import org.anomalyj.image.Preprocessor;
import org.anomalyj.inspect.Inspector;
import org.anomalyj.io.AtomicFiles;
import org.anomalyj.model.AnomalyModel;
import org.anomalyj.model.Categories;
import org.anomalyj.model.DeviceChoice;
import org.anomalyj.model.DriftCheck;
import org.anomalyj.model.Thresholds;
import org.anomalyj.task.Progress;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Re-sets a trained model's conformal thresholds from good images of current production, without
 * retraining: when the goods of today score above the images the thresholds were set on (lighting,
 * a new batch of parts), the model still ranks defects above goods but its threshold cries wolf.
 * The given goods must be images the model did not train on; they become the calibration set
 * ({@code calibration: goods}), so the conformal guarantee holds for images like them. Before the
 * thresholds are replaced, the goods are checked against the old calibration set
 * ({@link DriftCheck}), which tells whether recalibrating was needed. In a model of several parts
 * each good image also re-sets the thresholds of its part (the part given, or the one the model
 * recognises in it); a part none of the goods show keeps its thresholds.
 */
public final class Recalibration {

	/**
	 * @param thresholds the new thresholds (F1 thresholds and the active choice kept)
	 * @param categories the model's parts with their new thresholds ({@link Categories#NONE} for a model of one)
	 * @param assigned each good image's part, in the order of {@code scores} (empty for a model of one)
	 * @param drift the given goods against the model's previous calibration set; null when the model had none
	 * @param scores the goods' image scores and map maxima
	 * @param skipped files that could not be read, each with its reason
	 */
	public record Result(Thresholds thresholds, Categories categories, int[] assigned, DriftCheck drift, HeldOutScores scores, List<String> skipped) {

		/** The model with these thresholds. */
		public AnomalyModel applyTo(AnomalyModel model) {
			return model.withThresholds(thresholds).withCategories(categories);
		}

		/** One line per part: how many of the goods it got and its thresholds now; none for a model of one. */
		public List<String> describeCategories() {
			List<String> lines = new ArrayList<>(), after = categories.describe();
			for (int c = 0; c < categories.size(); c++) {
				int n = 0;
				for (int a : assigned) if (a == c) n++;
				lines.add(n == 0 ? after.get(c) + " (kept: none of the goods is of this category)" : after.get(c));
			}
			return lines;
		}
	}

	/**
	 * {@code calibrate}: loads a model file, re-sets its thresholds from the goods and writes the
	 * result to another file (atomically; the model file is never overwritten, nor are the goods).
	 *
	 * @param lines receives what people are told: the drift check, the thresholds before and after, the file written
	 * @throws IOException for an unreadable model, no usable good image, or {@code out} being an input
	 */
	public static Result toFile(Path modelFile, List<Path> goods, Path out, DeviceChoice device, int batchSize, Progress progress,
		Consumer<String> lines) throws IOException {
		return toFile(modelFile, goods, null, out, device, batchSize, progress, lines);
	}

	/**
	 * As above, for a model of several parts with every good image of part {@code category}
	 * (null: each image's part is the one the model recognises).
	 */
	public static Result toFile(Path modelFile, List<Path> goods, String category, Path out, DeviceChoice device, int batchSize, Progress progress,
		Consumer<String> lines) throws IOException {
		AtomicFiles.requireNotSame(out, modelFile);
		AtomicFiles.requireNotSame(out, goods.toArray(Path[]::new));
		try (AnomalyModel model = AnomalyModel.load(modelFile, device)) {
			String before = model.thresholds().describe();
			Result r = run(model, goods, category, batchSize, progress);
			r.applyTo(model).save(out);
			if (r.drift() != null) lines.accept(r.drift().describe());
			lines.accept("before: " + before);
			lines.accept("after:  " + r.thresholds().describe() + (r.skipped().isEmpty() ? "" : " (" + r.skipped().size() + " files skipped)"));
			for (String line : r.describeCategories()) lines.accept("  " + line);
			lines.accept("wrote " + out);
			return r;
		}
	}

	private Recalibration() {}

	/**
	 * Scores the goods with the model and returns thresholds calibrated on them; the model itself is
	 * not changed ({@link AnomalyModel#withThresholds} applies the result).
	 *
	 * @param goods good image files (every plane of a stack counts as one image)
	 * @throws IOException when none of the files gives an image the model can score
	 */
	public static Result run(AnomalyModel model, List<Path> goods, int batchSize, Progress progress) throws IOException {
		return run(model, goods, null, batchSize, progress);
	}

	/**
	 * As above, for a model of several parts with every good image of part {@code category} (null:
	 * each image's part is the one the model recognises).
	 *
	 * @throws IllegalArgumentException for a part the model does not have
	 */
	public static Result run(AnomalyModel model, List<Path> goods, String category, int batchSize, Progress progress) throws IOException {
		Categories parts = model.categories();
		int forced = category == null ? -1 : parts.require(category);
		List<String> skipped = new ArrayList<>();
		HeldOutScores scores = score(model, goods, batchSize, skipped, progress);
		if (scores.imageScores().length == 0)
			throw new IOException("none of the " + goods.size() + " good images could be scored" + ModelTrainer.firstReason(skipped));
		Thresholds old = model.thresholds();
		DriftCheck drift = old.imageScores() == null ? null : DriftCheck.of(old, scores.imageScores());
		int[] assigned = parts.isEmpty() ? new int[0] : scores.assign(parts, forced);
		if (!parts.isEmpty()) parts = parts.recalibrated(scores.imageScores(), scores.mapMaxima(), assigned, "goods", false);
		return new Result(old.recalibrated(scores.imageScores(), scores.mapMaxima(), "goods"), parts, assigned, drift, scores, List.copyOf(skipped));
	}

	/**
	 * The image scores and map maxima of image files, batch by batch; a file that cannot be read, or
	 * that the model cannot take, is skipped (reported to {@code progress} and added to {@code skipped}).
	 */
	public static HeldOutScores score(AnomalyModel model, List<Path> files, int batchSize, List<String> skipped, Progress progress) {
		Inspector check = new Inspector(model);
		int s = model.spec().inputSize(), per = 3 * s * s;
		Preprocessor pre = new Preprocessor(s, model.spec().intensity(), model.spec().normalization());
		List<HeldOutScores> parts = new ArrayList<>();
		List<RandomAccessibleInterval<? extends RealType<?>>> pending = new ArrayList<>();
		for (int f = 0; f < files.size(); f++) {
			progress.checkCancelled();
			Path file = files.get(f);
			try {
				for (RandomAccessibleInterval<? extends RealType<?>> plane : ImageFileReader.read(file).planes()) {
					String problem = check.problemWith(plane);
					if (problem != null) throw new IOException(problem);
					pending.add(plane);
				}
			} catch (IOException | RuntimeException e) {
				String reason = file + ": " + e.getMessage();
				skipped.add(reason);
				progress.warn("skipped " + reason);
			}
			if (pending.size() >= batchSize || f == files.size() - 1 && !pending.isEmpty()) {
				float[] batch = new float[pending.size() * per];
				for (int i = 0; i < pending.size(); i++) pre.toInput(pending.get(i), batch, i * per);
				parts.add(HeldOutScores.of(model.score(batch, pending.size())));
				pending.clear();
			}
			progress.update("calibration", f + 1, files.size());
		}
		return HeldOutScores.concat(parts);
	}
}
