package org.anomalyj.model;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * How the engine's OpenMP threads wait between parallel regions: asleep ({@code OMP_WAIT_POLICY=passive})
 * rather than spinning. PyTorch's OpenMP (GNU libgomp on Linux) spins by default, which pays on a
 * machine given to the engine alone; here Java's own threads work between the engine's passes
 * (decoding the next files, writing the last results' files), and on a 2-core machine a spinning
 * engine thread takes the core they need: {@code score} of bottle's 83 test images used about a
 * tenth less CPU time with it (docs/BENCHMARKS.md). The OpenMP runtime reads the variable once, when
 * libtorch loads, so it is put into the C environment before; a policy the user set is kept.
 */
final class EngineThreadWait {

	static final String VARIABLE = "OMP_WAIT_POLICY";

	private interface C extends Library {
		int setenv(String name, String value, int overwrite);
	}

	private EngineThreadWait() {}

	/** Before the engine loads: its threads will sleep when idle, unless the user chose otherwise. */
	static void sleepWhenIdle() {
		if (Platform.isWindows() || System.getenv(VARIABLE) != null) return;
		try {
			Native.load("c", C.class).setenv(VARIABLE, "passive", 0);
		} catch (LinkageError e) {
			// No C library to reach: the runtime's own default stays, at some CPU cost.
		}
	}
}
