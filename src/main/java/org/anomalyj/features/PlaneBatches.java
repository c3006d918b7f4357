package org.anomalyj.features;

import org.anomalyj.image.ImageFileReader;
import org.anomalyj.image.LoadedImage;
import org.anomalyj.image.Preprocessor;
import org.anomalyj.task.Progress;

import ai.djl.Device;

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

	/** {@code count} network inputs, concatenated, and the plane each came from. */
	record Batch(float[] data, int count, List<ImageRef> images) {}

	/** A decoded file: its network inputs with their planes, or why it was skipped. */
	private record Decoded(List<float[]> inputs, List<ImageRef> images, String problem) {}

	private final List<ImageRef> files;
	private final Preprocessor pre;
	private final int batchSize;
	private final List<String> skipped;
	private final Progress progress;
	private final String stage;
	private final CoreSplit cores;
	private final ExecutorService workers;
	private final Deque<Future<Decoded>> ahead = new ArrayDeque<>();
	private final Deque<float[]> pending = new ArrayDeque<>();
	private final Deque<ImageRef> pendingRefs = new ArrayDeque<>();
	private int submitted, consumed;

	/**
	 * @param device where the batches go; on the CPU the cores are split between decoding and the
	 *        engine until {@link #close()} ({@link CoreSplit})
	 */
	PlaneBatches(List<ImageRef> files, Preprocessor pre, int batchSize, List<String> skipped, Progress progress, String stage, Device device) {
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
			ImageRef f = files.get(submitted++);
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
				pendingRefs.addAll(d.images());
			}
			progress.update(stage, consumed, files.size());
			if (submitted < files.size()) {
				ImageRef f = files.get(submitted++);
				ahead.add(workers.submit(() -> decode(f)));
			}
		}
		if (pending.isEmpty()) return null;
		int n = Math.min(batchSize, pending.size());
		int per = 3 * pre.size() * pre.size();
		float[] data = new float[n * per];
		List<ImageRef> refs = new ArrayList<>(n);
		for (int i = 0; i < n; i++) {
			System.arraycopy(pending.poll(), 0, data, i * per, per);
			refs.add(pendingRefs.poll());
		}
		return new Batch(data, n, refs);
	}

	private Decoded decode(ImageRef ref) {
		Path f = ref.file();
		try {
			LoadedImage img = ImageFileReader.read(f);
			int n = img.planes().size();
			if (ref.plane() >= n) return new Decoded(null, null, f + ": has " + n + " plane(s), no plane " + (ref.plane() + 1));
			int from = ref.plane() == ImageRef.ALL_PLANES ? 0 : ref.plane(), to = ref.plane() == ImageRef.ALL_PLANES ? n : ref.plane() + 1;
			List<float[]> inputs = new ArrayList<>(to - from);
			List<ImageRef> refs = new ArrayList<>(to - from);
			for (int p = from; p < to; p++) {
				inputs.add(pre.toInput(img.planes().get(p)));
				refs.add(new ImageRef(f, p));
			}
			return new Decoded(inputs, refs, null);
		} catch (IOException e) {
			return new Decoded(null, null, e.getMessage());
		} catch (IllegalArgumentException e) {
			return new Decoded(null, null, f + ": " + e.getMessage());
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

	/** Runs {@code work}, the consumer's own use of a batch, with the cores the decoders were given back to the engine ({@link CoreSplit#withAllCores}). */
	void withAllCores(Runnable work) {
		cores.withAllCores(work);
	}

	@Override
	public void close() {
		workers.shutdownNow();
		cores.close();
	}
}
