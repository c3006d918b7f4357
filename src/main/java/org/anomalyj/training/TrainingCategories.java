package org.anomalyj.training;

import org.anomalyj.features.ImageRef;
import org.anomalyj.model.Categories;
import org.anomalyj.model.DescriptorSums;
import org.anomalyj.model.TrainingReport;
import org.anomalyj.task.Progress;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which category (part) each training file of a model of several belongs to, and what training
 * makes of it: the stratified hold-out split, the parts' descriptors and thresholds, and the
 * report's entries. {@link #NONE} when the images are one unnamed set.
 */
final class TrainingCategories {

	static final TrainingCategories NONE = new TrainingCategories(List.of());

	private final List<ModelTrainer.CategoryImages> list;
	private final Map<Path, Integer> index = new HashMap<>();

	TrainingCategories(List<ModelTrainer.CategoryImages> list) {
		this.list = List.copyOf(list);
		for (int c = 0; c < list.size(); c++)
			for (Path p : list.get(c).images()) if (index.putIfAbsent(key(p), c) != null)
				throw new IllegalArgumentException(p + ": given in two categories, " + list.get(index.get(key(p))).name() + " and " + list.get(c).name());
	}

	int count() {
		return Math.max(1, list.size());
	}

	/** Whether there are parts to tell apart (two or more). */
	boolean several() {
		return list.size() > 1;
	}

	int of(Path file) {
		return list.isEmpty() ? 0 : index.get(key(file));
	}

	private static Path key(Path p) {
		return p.toAbsolutePath().normalize();
	}

	/** The hold-out split of {@code files}: which of them calibrate. */
	boolean[] heldOut(List<Path> files, int held, long seed) {
		int[] category = new int[files.size()];
		for (int i = 0; i < category.length; i++) category[i] = of(files.get(i));
		return StratifiedHoldOut.split(category, count(), held, seed);
	}

	/**
	 * The parts of the model: descriptors from the images the method was fitted on (its first
	 * pass), thresholds each from its own images among the calibration scores; {@link Categories#NONE}
	 * with a warning when a part has no image the method was fitted on (nothing to recognise it by).
	 *
	 * @param scores the calibration images' scores, or null when there are none
	 * @param scored the calibration images, in the order of {@code scores}
	 * @param calibration how the scores were obtained
	 */
	Categories parts(PooledFeaturesWatch watch, HeldOutScores scores, List<ImageRef> scored, double alpha, String calibration, Progress progress) {
		DescriptorSums sums = watch.sums((ref, pooled) -> of(ref.file()), list.size());
		for (int c = 0; c < list.size(); c++)
			if (sums.count(c) == 0) {
				progress.warn("category " + list.get(c).name() + " has no image the model trained on, so it cannot be recognised: "
					+ "one threshold serves every category");
				return Categories.NONE;
			}
		Categories parts = Categories.of(list.stream().map(ModelTrainer.CategoryImages::name).toList(), sums, alpha);
		if (scores == null) return parts;
		return parts.recalibrated(scores.imageScores(), scores.mapMaxima(), trueCategories(scored), calibration, false);
	}

	/** Each image's own part. */
	int[] trueCategories(List<ImageRef> images) {
		int[] out = new int[images.size()];
		for (int i = 0; i < out.length; i++) out[i] = of(images.get(i).file());
		return out;
	}

	/**
	 * The report's entries: each category's files, how many of its images calibrate, and how many
	 * of those the model recognises as the category.
	 *
	 * @param calibrating the calibration images (held out, or all images when cross-fitted)
	 * @param parts the model's parts, or {@link Categories#NONE} (then nothing is recognised: -1)
	 * @param scores the calibration images' scores, in the order of {@code calibrating}, or null
	 */
	List<TrainingReport.Category> report(List<Path> calibrating, Categories parts, HeldOutScores scores, List<ImageRef> scored) {
		if (list.isEmpty()) return List.of();
		int[] held = new int[list.size()], recognised = new int[list.size()];
		for (Path p : calibrating) held[of(p)]++;
		boolean known = !parts.isEmpty() && scores != null;
		if (known) {
			int[] truth = trueCategories(scored), nearest = scores.assign(parts, -1);
			for (int i = 0; i < truth.length; i++) if (nearest[i] == truth[i]) recognised[truth[i]]++;
		}
		List<TrainingReport.Category> out = new ArrayList<>();
		for (int c = 0; c < list.size(); c++)
			out.add(new TrainingReport.Category(list.get(c).name(), list.get(c).images().size(), held[c], known ? recognised[c] : -1));
		return out;
	}
}
