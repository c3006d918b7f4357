package org.anomalyj.model;

import ai.djl.Device;
import org.anomalyj.image.ImageFileReader;
import org.anomalyj.image.LoadedImage;
import org.anomalyj.image.Preprocessor;
import org.anomalyj.task.Progress;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Image files as batches of network inputs, one image per plane (a stack gives several). Files are
 * decoded and preprocessed ahead on worker threads while the engine runs the previous batch
 * (decoding a 900x900 PNG and resizing it costs about as much as the backbone), in file order.
 * Files that cannot be read are skipped, each with its reason reported and recorded, so one bad
 * file in ten thousand does not stop a training run.
 */
final class PlaneBatches implements AutoCloseable {

	record Batch(float[] data, int count) {}

	/** A decoded file: its network inputs, or why it was skipped. */
	private record Decoded(List<float[]> inputs, String problem) {}

	private final List<Path> files;
	private final Preprocessor pre;
	private final int batchSize;
	private final List<String> skipped;
	private final Progress progress;
	private final String stage;
	private final CoreSplit cores;
	private final ExecutorService workers;
	private final Deque<Future<Decoded>> ahead = new ArrayDeque<>();
	private final Deque<float[]> pending = new ArrayDeque<>();
	private int submitted, consumed;

	/**
	 * @param device where the batches go; on the CPU the cores are split between decoding and the
	 *        engine until {@link #close()} ({@link CoreSplit})
	 */
	PlaneBatches(List<Path> files, Preprocessor pre, int batchSize, List<String> skipped, Progress progress, String stage, Device device) {
		this.files = files;
		this.pre = pre;
		this.batchSize = batchSize;
		this.skipped = skipped;
		this.progress = progress;
		this.stage = stage;
		this.cores = CoreSplit.open(device);
		int threads = Math.max(1, Math.min(files.size(), cores.decoders()));
		this.workers = Executors.newFixedThreadPool(threads, r -> {
			Thread t = new Thread(r, "anomalyj-decode");
			t.setDaemon(true);
			return t;
		});
	}

	/** The next batch, or null when all files are consumed. */
	Batch next() {
		// Keep about two batches of files in flight: enough to hide decoding, bounded in memory.
		while (submitted < files.size() && ahead.size() < 2 * batchSize) {
			Path f = files.get(submitted++);
			ahead.add(workers.submit(() -> decode(f)));
		}
		while (pending.size() < batchSize && !ahead.isEmpty()) {
			progress.checkCancelled();
			Decoded d = await(ahead.poll());
			consumed++;
			if (d.problem() != null) {
				skipped.add(d.problem());
				progress.warn("skipped " + d.problem());
			} else {
				pending.addAll(d.inputs());
			}
			progress.update(stage, consumed, files.size());
			if (submitted < files.size()) {
				Path f = files.get(submitted++);
				ahead.add(workers.submit(() -> decode(f)));
			}
		}
		if (pending.isEmpty()) return null;
		int n = Math.min(batchSize, pending.size());
		int per = 3 * pre.size() * pre.size();
		float[] data = new float[n * per];
		for (int i = 0; i < n; i++) System.arraycopy(pending.poll(), 0, data, i * per, per);
		return new Batch(data, n);
	}

	private Decoded decode(Path f) {
		try {
			LoadedImage img = ImageFileReader.read(f);
			List<float[]> inputs = new ArrayList<>(img.planes().size());
			for (var plane : img.planes()) inputs.add(pre.toInput(plane));
			return new Decoded(inputs, null);
		} catch (IOException e) {
			return new Decoded(null, e.getMessage());
		} catch (IllegalArgumentException e) {
			return new Decoded(null, f + ": " + e.getMessage());
		}
	}

	private static Decoded await(Future<Decoded> f) {
		try {
			return f.get();
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new Progress.Cancelled();
		} catch (ExecutionException e) {
			Throwable c = e.getCause();
			if (c instanceof RuntimeException r) throw r;
			if (c instanceof Error err) throw err;
			throw new IllegalStateException(c);
		}
	}

	@Override
	public void close() {
		workers.shutdownNow();
		cores.close();
	}
}
