package org.anomalyj.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.anomalyj.features.FeatureGrid;
import org.anomalyj.features.FeatureRows;
import org.anomalyj.features.PatchFeatures;

import java.util.function.Consumer;

/** A training set of features held in memory and nothing else: what feature methods' tests and {@link AnomalyMethodPlugin#fit} train on. */
public final class InMemoryFeatures implements TrainingSet {

	private final NDManager manager;
	private final FeatureRows rows;

	private InMemoryFeatures(NDManager manager, FeatureRows rows) {
		this.manager = manager;
		this.rows = rows;
	}

	public static TrainingSet of(NDManager manager, FeatureRows rows) {
		return new InMemoryFeatures(manager, rows);
	}

	@Override
	public NDManager manager() {
		return manager;
	}

	@Override
	public FeatureGrid grid() {
		return rows.grid();
	}

	@Override
	public PatchFeatures features() {
		throw new UnsupportedOperationException("this training set holds features only, no backbone");
	}

	@Override
	public int inputSize() {
		throw new UnsupportedOperationException("this training set holds features only, no images");
	}

	@Override
	public int batchSize() {
		return rows.images();
	}

	@Override
	public int forEachFeatures(Consumer<FeatureRows> batch) {
		batch.accept(rows);
		return rows.images();
	}

	@Override
	public int forEachInput(Consumer<NDArray> batch) {
		throw new UnsupportedOperationException("this training set holds features only, no images");
	}
}
