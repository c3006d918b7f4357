package org.anomalyj.task;

/**
 * The pixels a batch run holds per batch: a 128th of the memory Java may use, at least 16 M. Every
 * pixel of an image costs some 30 bytes until its files are written (image, map and mask at its
 * own size, overlay), and a batch's files may be written while the next batch is read and
 * inspected: some 15 bytes per pixel more meanwhile, so a batch and the one being written take
 * about a third of Java's memory at most, leaving the rest to what else is open (in Fiji, the
 * user's images). One rule for the batches read ({@code BatchInspection}) and the files written
 * behind them ({@code ResultSinks}).
 */
public final class BatchMemory {

	/** For the memory this Java may use. */
	public static final long PIXELS = pixels(Runtime.getRuntime().maxMemory());

	private BatchMemory() {}

	/** For {@code maxMemory} bytes of Java memory. */
	public static long pixels(long maxMemory) {
		return Math.max(16_000_000L, maxMemory / 128);
	}
}
