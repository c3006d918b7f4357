package org.anomalyj.features;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class CoreSplitTest {

	@Test
	void everyCoreCountGetsAtLeastOneThreadOfEachKindAndNoMoreThanItHas() {
		assertEquals(1, CoreSplit.decoders(1));
		assertEquals(1, CoreSplit.engineThreads(1));
		assertEquals(1, CoreSplit.decoders(2));
		assertEquals(1, CoreSplit.engineThreads(2));
		for (int cores = 2; cores <= 128; cores++) {
			assertTrue(CoreSplit.decoders(cores) >= 1 && CoreSplit.engineThreads(cores) >= 1, cores + " cores");
			assertEquals(cores, CoreSplit.decoders(cores) + CoreSplit.engineThreads(cores), cores + " cores");
		}
		assertEquals(3, CoreSplit.decoders(8));
		assertEquals(5, CoreSplit.engineThreads(8));
	}

	@Test
	void theEnginePoolComesBackToItsSizeWhenTheSplitCloses() {
		Engine.getInstance(); // loads the natives
		int before = JniUtils.getNumThreads();
		int cores = Runtime.getRuntime().availableProcessors();
		boolean userChose = System.getProperty("ai.djl.pytorch.num_threads") != null || System.getenv("OMP_NUM_THREADS") != null;
		try (CoreSplit split = CoreSplit.open(Device.cpu())) {
			assertEquals(CoreSplit.decoders(cores), split.decoders());
			assertEquals(userChose ? before : CoreSplit.engineThreads(cores), JniUtils.getNumThreads());
			// The consumer's own work gets the pool back, and the split resumes after it, even when the work fails.
			int[] during = new int[1];
			split.withAllCores(() -> during[0] = JniUtils.getNumThreads());
			assertEquals(before, during[0]);
			assertEquals(userChose ? before : CoreSplit.engineThreads(cores), JniUtils.getNumThreads());
			assertThrows(IllegalStateException.class, () -> split.withAllCores(() -> {
				throw new IllegalStateException("consumer failed");
			}));
			assertEquals(userChose ? before : CoreSplit.engineThreads(cores), JniUtils.getNumThreads());
		}
		assertEquals(before, JniUtils.getNumThreads());
	}
}
