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
import java.util.function.Consumer;

/** Image files to patch features, batch by batch, streamed or held in memory; unreadable files are skipped and recorded. */
final class FeatureExtraction {

	private FeatureExtraction() {}

	/**
	 * Extracts the features batch by batch and hands each batch to {@code sink}, holding no more
	 * than one batch.
	 *
	 * @param skipped receives one reason per unreadable file
	 * @param stage progress stage name
	 * @return the number of images (planes) extracted
	 */
	static int stream(List<Path> files, Preprocessor pre, PatchFeatures features, NDManager manager, int batchSize, List<String> skipped,
		Progress progress, String stage, Consumer<FeatureRows> sink) {
		FeatureGrid grid = FeatureGrid.of(features);
		int images = 0;
		try (PlaneBatches batches = new PlaneBatches(files, pre, batchSize, skipped, progress, stage, manager.getDevice())) {
			for (PlaneBatches.Batch b = batches.next(); b != null; b = batches.next()) {
				float[] rows;
				try (NDManager tmp = manager.newSubManager()) {
					NDArray x = tmp.create(b.data(), new Shape(b.count(), 3, pre.size(), pre.size()));
					rows = PatchFeatures.asRows(features.embed(x)).toFloatArray();
				}
				sink.accept(new FeatureRows(rows, b.count(), grid));
				images += b.count();
			}
		}
		return images;
	}

	/** All features in memory ({@link #stream} into one {@link FeatureRows}). */
	static FeatureRows extract(List<Path> files, Preprocessor pre, PatchFeatures features, NDManager manager, int batchSize, List<String> skipped,
		Progress progress, String stage) {
		FeatureRows.Builder rows = new FeatureRows.Builder(FeatureGrid.of(features));
		stream(files, pre, features, manager, batchSize, skipped, progress, stage, b -> rows.add(b.values(), b.images()));
		return rows.build();
	}
}
