package org.anomalyj.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.anomalyj.image.Preprocessor;
import org.anomalyj.method.FeatureGrid;
import org.anomalyj.method.FeatureRows;
import org.anomalyj.method.PatchFeatures;
import org.anomalyj.task.Progress;

import java.nio.file.Path;
import java.util.List;

/** Image files to patch features held in memory, batch by batch; unreadable files are skipped and recorded. */
final class FeatureExtraction {

	private FeatureExtraction() {}

	/**
	 * @param skipped receives one reason per unreadable file
	 * @param stage progress stage name
	 */
	static FeatureRows extract(List<Path> files, Preprocessor pre, PatchFeatures features, NDManager manager, int batchSize, List<String> skipped,
		Progress progress, String stage) {
		FeatureRows.Builder rows = new FeatureRows.Builder(FeatureGrid.of(features));
		try (PlaneBatches batches = new PlaneBatches(files, pre, batchSize, skipped, progress, stage, manager.getDevice())) {
			for (PlaneBatches.Batch b = batches.next(); b != null; b = batches.next()) {
				try (NDManager tmp = manager.newSubManager()) {
					NDArray x = tmp.create(b.data(), new Shape(b.count(), 3, pre.size(), pre.size()));
					rows.add(PatchFeatures.asRows(features.embed(x)).toFloatArray(), b.count());
				}
			}
		}
		return rows.build();
	}
}
