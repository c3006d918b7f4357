package org.anomalyj.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Peak resident memory of this process (heap, native tensors and all), from Linux's /proc. */
public final class ProcessMemory {

	private ProcessMemory() {}

	/** VmHWM in MiB, or NaN where /proc is not available. */
	public static double peakResidentMiB() {
		return field("VmHWM:");
	}

	/** VmRSS in MiB, or NaN where /proc is not available. */
	public static double residentMiB() {
		return field("VmRSS:");
	}

	private static double field(String name) {
		try {
			for (String line : Files.readAllLines(Path.of("/proc/self/status")))
				if (line.startsWith(name)) return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
		} catch (IOException | NumberFormatException e) {
			return Double.NaN;
		}
		return Double.NaN;
	}
}
