package org.anomalyj.model;

import ai.djl.engine.Engine;

/**
 * The deep-learning engine, set up once per process before it first computes: every front end
 * (command line, Fiji, ImageJ 1, tests) reaches it through {@link DeviceChoice#resolve()}, which
 * every model and feature session calls before it makes its NDManager.
 * <p>
 * The setup: PyTorch's NNPACK is switched off (see {@link NnpackSwitch}), so CPUs without what
 * NNPACK needs do not get its warning printed dozens of times per command; the C allocator keeps
 * freed tensor memory for reuse ({@link NativeMemory}); the engine's threads sleep when idle
 * ({@link EngineThreadWait}).
 */
public final class NativeEngine {

	private static boolean ready;

	private NativeEngine() {}

	/** The engine, loading it if need be. */
	public static synchronized Engine get() {
		if (!ready) {
			NativeMemory.keepFreedBlocks();
			EngineThreadWait.sleepWhenIdle();
		}
		Engine engine = Engine.getInstance();
		if (!ready) {
			if ("PyTorch".equals(engine.getEngineName())) NnpackSwitch.find().ifPresent(s -> s.setEnabled(false));
			ready = true;
		}
		return engine;
	}
}
