package org.anomalyj;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.*;

class DjlSmokeTest {
	@Test
	void engineRunsOffline() {
		try (NDManager m = NDManager.newBaseManager()) {
			NDArray a = m.create(new float[] {1, 2, 3, 4}, new ai.djl.ndarray.types.Shape(2, 2));
			NDArray b = a.matMul(a);
			assertArrayEquals(new float[] {7, 10, 15, 22}, b.toFloatArray(), 1e-6f);
			System.out.println("engine " + m.getEngine().getEngineName() + " " + m.getEngine().getVersion() + " " + m.getDevice());
		}
	}
}
