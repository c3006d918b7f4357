package org.anomalyj.method;

import ai.djl.pytorch.jni.JniUtils;

/**
 * A stretch of code that records no gradients on this thread: where a trainable method updates its
 * weights in place between backward passes. PyTorch keeps its gradient mode per thread, on by
 * default, and DJL turns it off only on the thread that started the engine, so a method training on
 * another thread (a Fiji command's, a test's) would otherwise have its in-place updates refused
 * ("a leaf Variable that requires grad is being used in an in-place operation"). Restores the
 * thread's previous mode when closed:
 * <pre>
 * try (GradientFree g = GradientFree.open()) {
 *     weight.subi(weight.getGradient().mul(lr));
 * }
 * </pre>
 */
public final class GradientFree implements AutoCloseable {

	private final boolean previous;

	private GradientFree(boolean previous) {
		this.previous = previous;
	}

	public static GradientFree open() {
		boolean previous = JniUtils.isGradMode();
		JniUtils.setGradMode(false);
		return new GradientFree(previous);
	}

	@Override
	public void close() {
		JniUtils.setGradMode(previous);
	}
}
