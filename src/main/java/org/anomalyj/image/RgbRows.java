package org.anomalyj.image;

/**
 * Rows of packed RGB ({@code 0xRRGGBB} ints, as ImageJ and AWT keep colour pixels) as the RGB bytes
 * the PNG encoder and the overlay work on, and back.
 */
public final class RgbRows {

	private RgbRows() {}

	/** Pixels {@code from .. from + w - 1} of {@code rgb} into {@code row} as R, G, B bytes. */
	public static void unpack(int[] rgb, int from, int w, byte[] row) {
		for (int x = 0, i = from; x < w; x++, i++) {
			int p = rgb[i];
			row[3 * x] = (byte) (p >> 16);
			row[3 * x + 1] = (byte) (p >> 8);
			row[3 * x + 2] = (byte) p;
		}
	}

	/** The first {@code w} pixels of {@code row} (R, G, B bytes) into {@code rgb} from {@code from}, packed. */
	public static void pack(byte[] row, int w, int[] rgb, int from) {
		for (int x = 0, i = from; x < w; x++, i++)
			rgb[i] = (row[3 * x] & 0xFF) << 16 | (row[3 * x + 1] & 0xFF) << 8 | row[3 * x + 2] & 0xFF;
	}
}
