package org.anomalyj.method;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import org.anomalyj.task.Progress;

/**
 * The fitter of a method that only fits on all features at once: collects the batches and calls
 * {@link AnomalyMethodPlugin#fit}. Memory grows with the training set.
 */
final class BufferedFitter implements Fitter {

	private final AnomalyMethodPlugin plugin;
	private final NDManager manager;
	private final JsonObject settings;
	private final long seed;
	private final Progress progress;
	private final FeatureRows.Builder rows;

	BufferedFitter(AnomalyMethodPlugin plugin, NDManager manager, FeatureGrid grid, JsonObject settings, long seed, Progress progress) {
		this.plugin = plugin;
		this.manager = manager;
		this.settings = settings;
		this.seed = seed;
		this.progress = progress;
		this.rows = new FeatureRows.Builder(grid);
	}

	@Override
	public void add(FeatureRows batch) {
		if (!batch.grid().equals(rows.grid())) throw new IllegalArgumentException("features of " + batch.grid() + ", expected " + rows.grid());
		rows.add(batch.values(), batch.images());
	}

	@Override
	public AnomalyMethod finish() {
		if (rows.images() == 0) throw new IllegalStateException("no training images were added");
		return plugin.fit(manager, rows.build(), settings, seed, progress);
	}
}
