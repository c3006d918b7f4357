package org.anomalyj.spark;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * PyTorch's thread pool on an executor. Spark runs as many tasks at once as the executor has cores
 * (divided by {@code spark.task.cpus}), and each task's forward passes get a pool of their own: left
 * at its default (every core of the machine), the pools of concurrent tasks would oversubscribe
 * the cores Spark gave out, so each task's pool gets its {@code spark.task.cpus}. A user's own
 * setting ({@code -Dai.djl.pytorch.num_threads}, {@code OMP_NUM_THREADS}) is kept. Setting the
 * property also keeps training's decode/engine split ({@code features.CoreSplit}) from resizing the
 * pool to the whole machine.
 */
final class ExecutorEngine {

	private static final String PROPERTY = "ai.djl.pytorch.num_threads";
	private static Integer configured;

	private ExecutorEngine() {}

	/** Before a task's first forward pass. */
	static synchronized void configure(int taskCpus) {
		if (configured != null) return;
		if (System.getProperty(PROPERTY) != null || System.getenv("OMP_NUM_THREADS") != null) {
			configured = -1;
			return;
		}
		int threads = Math.max(1, taskCpus);
		System.setProperty(PROPERTY, Integer.toString(threads));
		if ("PyTorch".equals(Engine.getInstance().getEngineName())) JniUtils.setNumThreads(threads);
		configured = threads;
	}
}
