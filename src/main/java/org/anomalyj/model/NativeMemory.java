package org.anomalyj.model;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * The C allocator's settings for the engine's tensors, on Linux (glibc). By default glibc gives
 * each block above a threshold (adapting up to 32 MB) a mapping of its own, unmapped when freed,
 * and returns free memory at the top of its heaps to the kernel. A forward pass at batch 8 frees
 * and allocates activations of up to 50 MB (MobileNetV2's expanded layers at 128²), so each pass
 * paid for zero-filled pages again. With both thresholds raised, large tensors come from the heaps
 * and freed blocks serve the next pass: on bottle, {@code evaluate}'s minor page faults fell from
 * 1.09 to 0.60 million and its time per image from 131–199 to 86–124 ms (docs/BENCHMARKS.md). The
 * price is memory held at its peak while models are open; {@link #release} returns it when one is
 * closed. {@code -Danomalyj.allocator=default} keeps glibc's own settings; elsewhere (macOS,
 * Windows, other C libraries) nothing changes.
 */
public final class NativeMemory {

	/** System property; {@code default} leaves the allocator alone. */
	public static final String PROPERTY = "anomalyj.allocator";
	/** glibc's mallopt parameters. */
	private static final int M_TRIM_THRESHOLD = -1, M_TOP_PAD = -2, M_MMAP_THRESHOLD = -3;
	/**
	 * glibc deletes a thread's heap (64 MB at most, each holding one or two large activations) as
	 * soon as it is entirely free, unless the heap before it lacks this much room; with the pad at
	 * a heap's full size it never does, and a pass that frees its activations layer by layer does
	 * not fault a fresh heap in again (0.26 GB per ResNet50-v2 batch otherwise).
	 */
	private static final int TOP_PAD = 64 << 20;
	/** Blocks up to this size come from the heaps and are reused (the largest tensors of a batch stay far below). */
	private static final int MMAP_THRESHOLD = 1 << 30;

	private interface C extends Library {
		int mallopt(int param, int value);

		int malloc_trim(long pad);
	}

	private static C libc;
	private static boolean tried;

	private NativeMemory() {}

	/** Sets the allocator up to keep freed blocks; once per process, before the engine computes. Whether it did. */
	public static synchronized boolean keepFreedBlocks() {
		if (!tried) {
			tried = true;
			if (!"default".equals(System.getProperty(PROPERTY)) && Platform.isLinux() && !Platform.isAndroid()) {
				try {
					C c = Native.load("c", C.class);
					// Both or neither: a fixed trim threshold alone also freezes the mmap threshold at 128 kB.
					if (c.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD) == 1 && c.mallopt(M_TRIM_THRESHOLD, Integer.MAX_VALUE) == 1
						&& c.mallopt(M_TOP_PAD, TOP_PAD) == 1) libc = c;
				} catch (LinkageError e) {
					// Not glibc: its allocator keeps its own ways.
				}
			}
		}
		return libc != null;
	}

	/** Gives the free memory of the C heaps back to the kernel (after a model is closed). */
	public static synchronized void release() {
		if (libc != null) libc.malloc_trim(0);
	}
}
