package org.anomalyj.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.sun.jna.Platform;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The engine's OpenMP runtime reads the wait policy set before libtorch loads: GNU libgomp then
 * spins 0 times before sleeping (300 000 under its default), and a policy the user set is kept.
 * libgomp prints what it read when {@code OMP_DISPLAY_ENV=verbose}; each case runs in a fresh JVM,
 * as the runtime reads its environment once.
 */
class EngineThreadWaitTest {

	/** Loads the engine and runs one parallel operation. */
	public static void main(String[] args) {
		NativeEngine.get();
		try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
			System.out.println(m.ones(new Shape(1 << 20)).mul(2).sum().getFloat());
		}
	}

	/** What libgomp printed of its settings, started with these environment variables. */
	private static String runtimeSettings(Map<String, String> env) throws Exception {
		ProcessBuilder b = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
			System.getProperty("java.class.path"), EngineThreadWaitTest.class.getName());
		b.environment().remove(EngineThreadWait.VARIABLE);
		b.environment().put("OMP_DISPLAY_ENV", "verbose");
		b.environment().putAll(env);
		b.redirectErrorStream(true);
		Process p = b.start();
		String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertEquals(0, p.waitFor(), out);
		assertTrue(out.contains("2097152.0"), out);
		return out;
	}

	private static String setting(String out, String name) {
		List<String> lines = out.lines().filter(l -> l.trim().startsWith(name + " = ")).toList();
		assumeTrue(lines.size() == 1, "the engine's OpenMP runtime is not GNU libgomp");
		return lines.get(0).trim().substring(name.length() + 3);
	}

	@Test
	void theEnginesThreadsSleepWhenIdleUnlessTheUserChoseOtherwise() throws Exception {
		assumeTrue(Platform.isLinux() && !Platform.isAndroid(), "PyTorch's OpenMP is GNU libgomp on Linux");
		String ours = runtimeSettings(Map.of());
		assertEquals("'0'", setting(ours, "GOMP_SPINCOUNT"), "threads sleep at once");
		assertEquals("'PASSIVE'", setting(ours, "OMP_WAIT_POLICY"));
		String users = runtimeSettings(Map.of(EngineThreadWait.VARIABLE, "active"));
		assertEquals("'ACTIVE'", setting(users, "OMP_WAIT_POLICY"), "the user's policy is kept");
		assertTrue(!"'0'".equals(setting(users, "GOMP_SPINCOUNT")), "the user's policy spins");
	}
}
