package org.anomalyj.model;

import org.anomalyj.image.ImageFileReader;
import org.anomalyj.image.LoadedImage;
import org.anomalyj.image.Preprocessor;
import org.anomalyj.task.Progress;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Image files as batches of network inputs, one image per plane (a stack gives several). Files
 * that cannot be read are skipped, each with its reason reported and recorded, so one bad file in
 * ten thousand does not stop a training run.
 */
final class PlaneBatches {

	record Batch(float[] data, int count) {}

	private final List<Path> files;
	private final Preprocessor pre;
	private final int batchSize;
	private final List<String> skipped;
	private final Progress progress;
	private final String stage;
	private final Deque<float[]> pending = new ArrayDeque<>();
	private int nextFile;

	PlaneBatches(List<Path> files, Preprocessor pre, int batchSize, List<String> skipped, Progress progress, String stage) {
		this.files = files;
		this.pre = pre;
		this.batchSize = batchSize;
		this.skipped = skipped;
		this.progress = progress;
		this.stage = stage;
	}

	/** The next batch, or null when all files are consumed. */
	Batch next() {
		while (pending.size() < batchSize && nextFile < files.size()) {
			progress.checkCancelled();
			Path f = files.get(nextFile++);
			try {
				LoadedImage img = ImageFileReader.read(f);
				for (var plane : img.planes()) pending.add(pre.toInput(plane));
			} catch (IOException | IllegalArgumentException e) {
				String reason = e instanceof IOException ? e.getMessage() : f + ": " + e.getMessage();
				skipped.add(reason);
				progress.warn("skipped " + reason);
			}
			progress.update(stage, nextFile, files.size());
		}
		if (pending.isEmpty()) return null;
		int n = Math.min(batchSize, pending.size());
		int per = 3 * pre.size() * pre.size();
		float[] data = new float[n * per];
		for (int i = 0; i < n; i++) System.arraycopy(pending.poll(), 0, data, i * per, per);
		return new Batch(data, n);
	}
}
