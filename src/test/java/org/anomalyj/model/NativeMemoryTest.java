package org.anomalyj.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Structure;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * A large tensor comes from the C allocator's heaps, whose freed blocks serve the next tensor,
 * instead of from a mapping of its own, which is unmapped when freed and whose pages fault in
 * afresh next time. Under glibc's own settings every block above 32 MB is such a mapping; glibc
 * counts their bytes ({@code mallinfo2().hblkhd}). Each case runs in a fresh JVM, as the
 * allocator is set once per process.
 */
class NativeMemoryTest {

	static final long TENSOR = 40L << 20;

	/** glibc's {@code struct mallinfo2}: ten {@code size_t} counters. */
	@Structure.FieldOrder({"arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks", "keepcost"})
	public static class MallInfo2 extends Structure implements Structure.ByValue {
		public long arena, ordblks, smblks, hblks, hblkhd, usmblks, fsmblks, uordblks, fordblks, keepcost;
	}

	interface C extends Library {
		MallInfo2 mallinfo2();
	}

	/**
	 * Prints how many bytes of mappings of their own a 40 MB tensor took, whether the allocator was
	 * set, how many bytes the heaps still hold from the system once three such tensors are freed,
	 * and the page faults of ten layer-like steps (each output made, then its input freed).
	 */
	public static void main(String[] args) {
		NativeEngine.get();
		C c = Native.load("c", C.class);
		try (NDManager m = NDManager.newBaseManager(ai.djl.Device.cpu())) {
			MallInfo2 before = c.mallinfo2();
			// Three, as a pass's activations: each fills a thread heap (at most 64 MB) of its own.
			NDArray[] t = new NDArray[3];
			for (int i = 0; i < t.length; i++) t[i] = m.ones(new Shape(TENSOR / Float.BYTES));
			long during = (c.mallinfo2().hblkhd - before.hblkhd) / t.length;
			for (int i = t.length - 1; i >= 0; i--) t[i].close();
			MallInfo2 after = c.mallinfo2();
			// Layer after layer: each output is made while its input is alive, then the input is freed.
			NDArray x = m.ones(new Shape(TENSOR / Float.BYTES));
			long faults = 0;
			for (int i = 0; i < 20; i++) {
				if (i == 10) faults = minorFaults();
				NDArray y = x.add(1);
				x.close();
				x = y;
			}
			faults = minorFaults() - faults;
			System.out.println("mapped " + during + " " + NativeMemory.keepFreedBlocks() + " " + (after.arena - before.arena) + " " + faults);
		}
	}

	/** The process's minor page faults so far (Linux). */
	private static long minorFaults() {
		try {
			String stat = java.nio.file.Files.readString(Path.of("/proc/self/stat"));
			return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[7]);
		} catch (IOException e) {
			throw new java.io.UncheckedIOException(e);
		}
	}

	/** Bytes mapped for the tensor, and whether the allocator was set, in a fresh JVM with these options. */
	private static String[] probe(String... options) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
			System.getProperty("java.class.path")));
		command.addAll(List.of(options));
		command.add(NativeMemoryTest.class.getName());
		Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
		String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
		assertEquals(0, p.waitFor(), out);
		return out.lines().filter(l -> l.startsWith("mapped ")).findFirst().orElseThrow().split(" ");
	}

	@Test
	void largeTensorsComeFromTheHeapsAndTheirFreedBlocksServeTheNext() throws Exception {
		assumeTrue(Platform.isLinux() && !Platform.isAndroid(), "the C allocator's settings apply to Linux");
		String[] glibc = probe("-D" + NativeMemory.PROPERTY + "=default");
		assertTrue(Long.parseLong(glibc[1]) >= TENSOR, "under glibc's settings the tensor is a mapping of its own: " + glibc[1] + " bytes");
		String[] ours = probe();
		assertTrue(Boolean.parseBoolean(ours[2]), "glibc's allocator was set up");
		assertTrue(Long.parseLong(ours[1]) < TENSOR, ours[1] + " bytes of mappings of their own for a " + TENSOR + "-byte tensor");
		assertTrue(Long.parseLong(ours[3]) >= TENSOR, "the heaps kept " + ours[3] + " bytes of the freed " + TENSOR + "-byte tensors");
		// Layer after layer, outputs reuse freed blocks. Measured: glibc's settings fault in all 10
		// outputs afresh; without the top pad 8 of 10 (emptied thread heaps are unmapped); ours 1.
		long fresh = 10 * TENSOR / 4096;
		assertTrue(Long.parseLong(glibc[4]) > fresh / 2, "under glibc's settings outputs fault in afresh: " + glibc[4] + " faults");
		assertTrue(Long.parseLong(ours[4]) < fresh / 4, ours[4] + " page faults for 10 outputs that could reuse freed blocks (" + fresh + " if none did)");
	}
}
