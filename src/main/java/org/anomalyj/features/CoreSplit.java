package org.anomalyj.features;

import ai.djl.Device;
import ai.djl.pytorch.jni.JniUtils;

import org.anomalyj.model.NativeEngine;

/**
 * Shares the CPU cores between image decoding and the engine while both run at once. PyTorch's
 * OpenMP pool spins at its barriers: when decoder threads take cores from it, each operator waits
 * for a descheduled thread, and on 2 cores feature extraction took 9.5 s for bottle with the pool
 * at 2 threads and 2 decoders, against 7.1 s with one of each. So while the split is open the pool
 * gets the cores the decoders leave, and its previous size comes back on {@link #close()}.
 * <p>
 * Nothing changes on a GPU, on another engine, or when the user chose the engine's thread count
 * ({@code -Dai.djl.pytorch.num_threads}, {@code OMP_NUM_THREADS}). The pool size is process-wide:
 * runs that overlap in one process share one split.
 */
final class CoreSplit implements AutoCloseable {

	/**
	 * Share of the cores for decoding: a 900x900 PNG costs ~21 ms to read and resize on one core, the
	 * backbone ~32 core-ms per image at 256 px; about 0.4 balances them.
	 */
	static final double DECODE_SHARE = 0.4;

	private final int decoders;
	private final int previousEngineThreads, engineThreads;

	private CoreSplit(int decoders, int previousEngineThreads, int engineThreads) {
		this.decoders = decoders;
		this.previousEngineThreads = previousEngineThreads;
		this.engineThreads = engineThreads;
	}

	/** Decoder and engine threads for {@code cores} cores: at least one each. */
	static int decoders(int cores) {
		return Math.max(1, Math.min(cores - 1, (int) Math.round(cores * DECODE_SHARE)));
	}

	static int engineThreads(int cores) {
		return Math.max(1, cores - decoders(cores));
	}

	/** Opens the split for work that decodes files for an engine on {@code device}. */
	static CoreSplit open(Device device) {
		int cores = Runtime.getRuntime().availableProcessors();
		if (!controlsEngineThreads(device)) return new CoreSplit(decoders(cores), -1, -1);
		int previous = JniUtils.getNumThreads();
		JniUtils.setNumThreads(engineThreads(cores));
		return new CoreSplit(decoders(cores), previous, engineThreads(cores));
	}

	/**
	 * Runs {@code work} with the engine's previous thread count, then splits again: for what the
	 * consumer of the batches does with them on its own, while the decoders have at most the files
	 * queued ahead left. A training run selects a chunk's memory bank there, by matrix products on
	 * the engine; at one thread of two the second chunk's distances to the bank took 21.7–25.0 s
	 * instead of 12.1 (docs/BENCHMARKS.md). Must be called on the thread that runs the engine:
	 * the count is that thread's.
	 */
	void withAllCores(Runnable work) {
		if (previousEngineThreads <= 0) {
			work.run();
			return;
		}
		JniUtils.setNumThreads(previousEngineThreads);
		try {
			work.run();
		} finally {
			JniUtils.setNumThreads(engineThreads);
		}
	}

	private static boolean controlsEngineThreads(Device device) {
		if (device == null || !Device.Type.CPU.equals(device.getDeviceType())) return false;
		if (System.getProperty("ai.djl.pytorch.num_threads") != null || System.getenv("OMP_NUM_THREADS") != null) return false;
		return "PyTorch".equals(NativeEngine.get().getEngineName());
	}

	/** Threads to decode files with. */
	int decoders() {
		return decoders;
	}

	@Override
	public void close() {
		if (previousEngineThreads > 0) JniUtils.setNumThreads(previousEngineThreads);
	}
}
