package org.anomalyj.training;

import org.anomalyj.data.TestSample;
import org.anomalyj.features.FeatureSession;
import org.anomalyj.method.DefectPatches;
import org.anomalyj.task.Progress;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Labelled defect images ({@code train --defects DIR}, read by {@link DefectThresholds#find}) turned
 * into the defect patches a method at the semi-supervised level trains on: their patch features
 * through the training's own backbone and input size, kept where {@link DefectPatches}' rule says
 * the mask covers the patch.
 */
public final class LabelledDefects {

	private LabelledDefects() {}

	/**
	 * Which labelled defects a training run learns from, and what to tell the user about it.
	 *
	 * @param examples the defects the method trains with (those with masks); empty when it does not learn from them
	 * @param note one line for the user, or null when no defects were given
	 */
	public record Use(List<DefectThresholds.Example> examples, String note) {}

	/**
	 * The defects given for a run ({@code train --defects DIR}, Fiji's defects folder): a method that
	 * learns from them takes those with masks; images labelled as a whole (a plain folder) cannot
	 * say which patches are defective, and set F1 thresholds only, as for every other method.
	 */
	public static Use forTraining(ModelTrainer.Settings settings, Path dir, List<DefectThresholds.Example> defects) {
		if (defects.isEmpty()) return new Use(List.of(), null);
		if (!settings.plugin().learnsFromDefects())
			return new Use(List.of(), settings.method() + " does not learn from labelled defects: those in " + dir + " set F1 thresholds only");
		List<DefectThresholds.Example> masked = defects.stream().filter(e -> e.mask() != null).toList();
		if (masked.isEmpty())
			return new Use(masked, dir + ": the defect images have no masks (test/<type>/ with ground_truth/<type>/); " + settings.method()
				+ " learns from defect patches only, so they set F1 thresholds only");
		return new Use(masked, settings.method() + " learns from " + masked.size() + " labelled defect images of " + dir
			+ "; the F1 thresholds are then set on images the model trained on (optimistic)");
	}

	/**
	 * @param defects labelled images, each with its mask (see {@link #withMasks})
	 * @throws IOException naming the image or mask that cannot be read or does not fit
	 */
	public static DefectPatches extract(FeatureSession session, List<DefectThresholds.Example> defects, int batchSize, Progress progress)
		throws IOException {
		if (defects.isEmpty()) return DefectPatches.NONE;
		List<Path> files = new ArrayList<>();
		for (DefectThresholds.Example e : defects) {
			if (e.mask() == null) throw new IllegalArgumentException(e.image() + ": a labelled defect for training needs its mask");
			files.add(e.image());
		}
		List<String> skipped = new ArrayList<>();
		FeatureSession.Extracted held = session.extract(files, batchSize, skipped, progress, "defect features");
		if (!skipped.isEmpty()) throw new IOException(skipped.get(0));
		if (held.rows().images() != files.size())
			throw new IOException(files.size() + " labelled defect images gave " + held.rows().images() + " planes; labelled defects must be single images");
		int s = session.spec().inputSize();
		boolean[][] masks = new boolean[defects.size()][];
		for (int i = 0; i < masks.length; i++) {
			DefectThresholds.Example e = defects.get(i);
			masks[i] = new TestSample(e.image(), "defect", e.mask()).loadMask().resizeNearest(s, s).toArray();
		}
		return DefectPatches.of(held.rows(), masks, s);
	}
}
