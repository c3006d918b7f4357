package org.anomalyj.method;

import org.anomalyj.features.FeatureGrid;
import org.anomalyj.features.FeatureRows;
import org.anomalyj.features.ImageRef;
import org.anomalyj.features.PatchFeatures;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import java.util.List;
import java.util.function.Consumer;

/**
 * A training set that is another one with something added or watched (labelled defects, a count
 * of the images a pass read): everything not overridden is the wrapped set's.
 */
public abstract class ForwardingTrainingSet implements TrainingSet {

	private final TrainingSet set;

	protected ForwardingTrainingSet(TrainingSet set) {
		this.set = set;
	}

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
		return set.forEachFeatures(batch);
	}

	@Override
	public int forEachInput(Consumer<NDArray> batch) {
		return set.forEachInput(batch);
	}

	@Override
	public List<ImageRef> images() {
		return set.images();
	}

	@Override
	public DefectPatches defects() {
		return set.defects();
	}
}
