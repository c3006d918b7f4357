package org.anomalyj.cli;

import org.anomalyj.testing.JavaProcess;
import org.anomalyj.testing.SmallModel;
import org.anomalyj.testing.TestImages;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Measurement, not run by default ({@code mvn -P bench verify} or {@code -Dgroups=slow}): one
 * {@code score} run over 2000 images in a second JVM, its peak resident memory (VmHWM, Linux)
 * read when 200 images are done and at the end. Memory must stay flat: whatever a batch
 * allocates is released before the next. The figures go into docs/RELIABILITY.md.
 */
@Tag("slow")
class BatchMemoryBench {

	static final int IMAGES = 2000;

	@TempDir
	Path dir;

	@Test
	void peakMemoryIsTheSameAfter200And2000Images() throws Exception {
		assumeTrue(Files.isReadable(Path.of("/proc/self/status")), "needs Linux /proc to read resident memory");
		Path in = Files.createDirectories(dir.resolve("in"));
		List<Path> sample = SmallModel.sampleTrainImages(36);
		// 2000 different images: 256 x 160 crops at shifting offsets of the 36 sample images.
		for (int i = 0; i < IMAGES; i++) {
			BufferedImage src = ImageIO.read(sample.get(i % sample.size()).toFile());
			int x = (i * 7) % (src.getWidth() - 256), y = (i * 3) % (src.getHeight() - 160);
			TestImages.write(src.getSubimage(x, y, 256, 160), "jpg", in.resolve(String.format(Locale.ROOT, "img%05d.jpg", i)));
		}
		Path out = dir.resolve("out");
		Path csv = out.resolve("scores.csv");
		TreeMap<Integer, Long> hwmAtRows = new TreeMap<>();
		long t0 = System.nanoTime();
		long hwm = 0;
		try (JavaProcess p = JavaProcess.start(dir, Main.class, "score", "--model", SmallModel.file().toString(), "--input", in.toString(), "--out",
			out.toString())) {
			Path status = Path.of("/proc", Long.toString(p.pid()), "status");
			while (p.isAlive()) {
				try {
					hwm = kib(Files.readAllLines(status), "VmHWM:");
					hwmAtRows.put(rows(csv), hwm);
				} catch (IOException e) {
					break; // exited between the check and the read
				}
				Thread.sleep(50);
			}
		}
		double seconds = (System.nanoTime() - t0) / 1e9;
		assertEquals(IMAGES, rows(csv));
		long at200 = hwmAtRows.ceilingEntry(200).getValue();
		System.out.printf(Locale.ROOT, "batch memory: %d images in %.0f s (%.1f ms/image incl. JVM start); peak RSS %d MB after 200, %d MB after %d (-Xmx1g)%n",
			IMAGES, seconds, 1000 * seconds / IMAGES, at200 >> 10, hwm >> 10, IMAGES);
		hwmAtRows.forEach((rows, kb) -> System.out.printf(Locale.ROOT, "  rows %5d  VmHWM %5d MB%n", rows, kb >> 10));
		assertTrue(hwm < at200 * 1.15 + (64 << 10), "peak memory grew from " + (at200 >> 10) + " MB to " + (hwm >> 10) + " MB");
	}

	private static long kib(List<String> status, String key) {
		for (String l : status)
			if (l.startsWith(key)) return Long.parseLong(l.substring(key.length()).trim().split("\\s+")[0]);
		throw new IllegalStateException("no " + key);
	}

	private static int rows(Path csv) {
		try {
			return Files.exists(csv) ? Math.max(0, Files.readAllLines(csv).size() - 1) : 0;
		} catch (IOException e) {
			return 0;
		}
	}
}
