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

	/** The examples that carry a mask; images labelled as a whole (a plain folder) cannot say which patches are defective. */
	public static List<DefectThresholds.Example> withMasks(List<DefectThresholds.Example> defects) {
		return defects.stream().filter(e -> e.mask() != null).toList();
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
