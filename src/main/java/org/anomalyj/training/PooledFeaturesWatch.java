package org.anomalyj.training;

import org.anomalyj.features.FeatureRows;
import org.anomalyj.features.ImageRef;
import org.anomalyj.features.PatchFeatures;
import org.anomalyj.method.ForwardingTrainingSet;
import org.anomalyj.method.TrainingSet;
import org.anomalyj.model.Categories;
import org.anomalyj.model.DescriptorSums;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.ToIntBiFunction;

/**
 * A training set that keeps each image's pooled features ({@link PatchFeatures#globalAverage}) as
 * the method's first pass goes by, for the descriptors of a model of several parts: the features
 * are already computed for the method, so the parts cost no extra backbone pass — except for a
 * method whose first pass takes network inputs only, whose batches are embedded here once.
 * Holds one vector of feature width per image.
 */
final class PooledFeaturesWatch extends ForwardingTrainingSet {

	private final List<float[]> pooled = new ArrayList<>();
	private boolean passed;

	PooledFeaturesWatch(TrainingSet set) {
		super(set);
	}

	@Override
	public int forEachFeatures(Consumer<FeatureRows> batch) {
		if (passed) return super.forEachFeatures(batch);
		passed = true;
		return super.forEachFeatures(rows -> {
			for (int from = 0; from < rows.images(); from += batchSize()) {
				try (NDManager tmp = manager().newSubManager()) {
					keep(rows.batch(tmp, from, Math.min(rows.images(), from + batchSize())));
				}
			}
			batch.accept(rows);
		});
	}

	@Override
	public int forEachInput(Consumer<NDArray> batch) {
		if (passed) return super.forEachInput(batch);
		passed = true;
		return super.forEachInput(x -> {
			try (NDArray features = features().embed(x)) {
				keep(features);
			}
			batch.accept(x);
		});
	}

	private void keep(NDArray features) {
		for (float[] p : PatchFeatures.globalAverage(features)) pooled.add(p);
	}

	/**
	 * The pooled features of the first pass's images summed per part.
	 *
	 * @param categoryOf an image's part, from the image and its pooled features
	 * @throws IllegalStateException when no pass has run
	 */
	DescriptorSums sums(ToIntBiFunction<ImageRef, float[]> categoryOf, int categories) {
		List<ImageRef> images = images();
		if (!passed || images.size() != pooled.size())
			throw new IllegalStateException(pooled.size() + " pooled feature vectors for " + images.size() + " training images");
		DescriptorSums sums = new DescriptorSums(categories, grid().channels());
		for (int i = 0; i < images.size(); i++) sums.add(categoryOf.applyAsInt(images.get(i), pooled.get(i)), pooled.get(i));
		return sums;
	}

	/**
	 * The pooled features of the first pass's new images summed per part of a model that has
	 * parts: each image's is the one given ({@code forced}, an index), or else the one whose
	 * descriptor is nearest.
	 */
	DescriptorSums sums(Categories parts, int forced) {
		return sums((ref, p) -> forced >= 0 ? forced : parts.nearest(p), parts.size());
	}
}
