package org.anomalyj.testing;

import org.anomalyj.model.NativeEngine;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Sets the engine up as the front ends do ({@link NativeEngine}) before any test class runs, so tests
 * that make their own NDManager see the same engine as users (and print no NNPACK warnings).
 * Registered for every test class through {@code META-INF/services} and
 * {@code junit-platform.properties}.
 */
public final class EngineSetup implements BeforeAllCallback {

	@Override
	public void beforeAll(ExtensionContext context) {
		NativeEngine.get();
	}
}
