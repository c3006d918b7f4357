package org.anomalyj.postprocess;

import org.anomalyj.image.RgbRows;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Renders what a person inspects: the image, the anomaly map as a translucent heat map on top, and
 * the outline of each defect region. Works on rows of RGB bytes, as the PNG encoder asks for them
 * ({@link #blendRow}), or on packed RGB pixels ({@link #render}, for tests); Fiji draws its own
 * overlay objects from the same map and mask.
 */
public final class HeatmapOverlay {

	/** Outline colour of defect regions: pure white shows on the heat map's warm and cold ends. */
	public static final int OUTLINE = 0xffffff;

	/**
	 * Position on the colour scale below which the heat map is fully transparent, so clean areas
	 * stay readable; at the threshold (the middle) it is half-strength.
	 */
	public static final double FADE_START = 0.25;

	/**
	 * Steps of the colour scale. The overlay colours and weights each map value by the nearest of
	 * these (at most a level apart from the continuous scale), through tables: the blend was a tenth
	 * of {@code score}'s CPU time in double arithmetic per pixel.
	 */
	static final int LEVELS = 1024;

	private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

	private final float low, levelsPerUnit;
	private final double opacity;
	/** Per level: the jet colour; its alpha before the opacity, out of 255. */
	private final int[] heat = new int[LEVELS], alpha = new int[LEVELS];
	/**
	 * Per level, the blend {@code (under * (256 - a) + over * a + 128) >> 8} of a channel with the
	 * heat's weight {@code a} (out of 256) split into the image's factor {@code 256 - a} and the
	 * heat's terms {@code over * a + 128}, the three channels' in 16-bit lanes of one long (red
	 * lowest): a pixel's channels, in the same lanes, are then blended by one multiplication. No lane
	 * carries into the next, as {@code under * (256 - a) + over * a + 128} is at most
	 * {@code 255 * 256 + 128}. (3.5 → 3.25 ns a pixel against three multiplications and tables.)
	 * Weight 0 (below the fade start) would give back the image's value exactly; such pixels (most
	 * of a good part) are copied without it, up to {@link #lastClear} (3.3 → 2.7 ns a pixel where
	 * half the map is hot).
	 */
	private final int[] underFactor = new int[LEVELS];
	private final long[] heatTerms = new long[LEVELS];
	/** Levels up to this one have weight 0 (the weight grows with the level). */
	private final int lastClear;

	/**
	 * @param low map value shown fully transparent and at the cold end of the scale
	 * @param high map value at the hot end of the scale
	 * @param opacity heat-map opacity at the hot end, 0..1
	 */
	public HeatmapOverlay(float low, float high, double opacity) {
		if (!(high > low)) throw new IllegalArgumentException("heat-map scale needs high > low, was " + low + ".." + high);
		this.low = low;
		this.opacity = Math.max(0, Math.min(1, opacity));
		this.levelsPerUnit = (LEVELS - 1) / (high - low);
		int clear = -1;
		for (int k = 0; k < LEVELS; k++) {
			double t = (double) k / (LEVELS - 1);
			int c = jet(t), a = round(256 * this.opacity * strength(t));
			if (a == 0 && clear == k - 1) clear = k;
			heat[k] = c;
			alpha[k] = round(255 * strength(t));
			underFactor[k] = 256 - a;
			heatTerms[k] = (((c >> 16) & 0xff) * a + 128) | (long) (((c >> 8) & 0xff) * a + 128) << 16 | (long) ((c & 0xff) * a + 128) << 32;
		}
		lastClear = clear;
	}

	/** A scale that puts the mask threshold at its middle, matching normalised scores (0.5 = threshold). */
	public static HeatmapOverlay aroundThreshold(float threshold, double opacity) {
		float t = threshold > 0 ? threshold : 1f;
		return new HeatmapOverlay(0, 2 * t, opacity);
	}

	/**
	 * @param base packed RGB of the image, {@code w * h}
	 * @param map anomaly map at the image's size
	 * @param mask defect mask at the image's size (non-zero = defect), or null
	 * @return packed RGB
	 */
	public int[] render(int[] base, float[] map, byte[] mask, int w, int h) {
		if (base.length != w * h) throw new IllegalArgumentException("image, map and mask sizes differ");
		int[] out = new int[base.length];
		byte[] row = new byte[3 * w];
		for (int y = 0; y < h; y++) {
			RgbRows.unpack(base, y * w, w, row);
			blendRow(map, mask, w, h, y, row);
			RgbRows.pack(row, w, out, y * w);
		}
		return out;
	}

	/**
	 * Turns row {@code y} of the image into that row of the overlay, in place: rows can so be
	 * rendered in any order, on any thread, as an encoder asks for them.
	 *
	 * @param rgb holds the image's row as RGB bytes ({@code 3 * w}); receives the overlay's
	 */
	public void blendRow(float[] map, byte[] mask, int w, int h, int y, byte[] rgb) {
		blendRow(map, mask, w, h, y, rgb, 0, 3, 1, 2, rgb);
	}

	/**
	 * Makes row {@code y} of the overlay from the image's pixels where they are, e.g. in an 8-bit
	 * image's planes: read there, not first copied into the row, the overlay took 3.7 instead of 5.3
	 * ns a pixel (docs/BENCHMARKS.md).
	 *
	 * @param image holds pixel {@code x} of the row as red at {@code at + x * step}, green
	 *        {@code green} bytes after its red and blue {@code blue} bytes after it; may be {@code rgb}
	 *        itself, holding the row
	 * @param rgb receives the overlay's row as RGB bytes ({@code 3 * w})
	 */
	public void blendRow(float[] map, byte[] mask, int w, int h, int y, byte[] image, int at, int step, int green, int blue, byte[] rgb) {
		int n = w * h;
		if (map.length != n || (mask != null && mask.length != n) || rgb.length < 3 * w || y < 0 || y >= h)
			throw new IllegalArgumentException("image, map and mask sizes differ");
		if (at < 0 || step < 1 || green < 0 || blue < 0 || at + (long) (w - 1) * step + Math.max(green, blue) >= image.length)
			throw new IllegalArgumentException("the image's row lies outside its array");
		int[] under = underFactor;
		long[] terms = heatTerms;
		float from = low, scale = levelsPerUnit; // in locals: the loop then reads no field
		int clear = lastClear;
		for (int x = 0, i = y * w, p = 0, s = at; x < w; x++, i++, p += 3, s += step) {
			int k = level(map[i], from, scale);
			int r = image[s] & 0xff, g = image[s + green] & 0xff, b = image[s + blue] & 0xff;
			if (k > clear) {
				long v = (r | (long) g << 16 | (long) b << 32) * under[k] + terms[k];
				r = (int) (v >>> 8);
				g = (int) (v >>> 24);
				b = (int) (v >>> 40);
			}
			rgb[p] = (byte) r;
			rgb[p + 1] = (byte) g;
			rgb[p + 2] = (byte) b;
		}
		if (mask != null) outline(mask, w, h, y, rgb);
	}

	/**
	 * Paints row {@code y}'s outline pixels: defect pixels on the image's edge or beside a
	 * non-defect pixel (4-neighbourhood). Flags are 0 or -1 (all bits), so a pixel's channels are
	 * ORed with its flag, without branches.
	 */
	private static void outline(byte[] mask, int w, int h, int y, byte[] rgb) {
		int row = y * w, end = row + w;
		// Outline pixels are defect pixels: only the span of the row's defect pixels is looked at
		// (none, in most rows of most images), found 8 mask bytes at a time. Here and below without
		// branches on the data, and with the edge rows apart, so the JIT's hoisted checks hold for
		// every row (a row whose checks fail sends the method back to be compiled again).
		int first = end, last = row, i = row;
		for (; i + 8 <= end; i += 8) {
			long v = (long) LONG.get(mask, i);
			int some = (int) ((v | -v) >> 63); // -1 when any of the 8 is a defect
			first = Math.min(first, (i & some) | (end & ~some));
			last = Math.max(last, ((i + 8) & some) | (row & ~some));
		}
		for (; i < end; i++) {
			int some = defect(mask[i]);
			first = Math.min(first, (i & some) | (end & ~some));
			last = Math.max(last, ((i + 1) & some) | (row & ~some));
		}
		int from = Math.max(row + 1, first), to = Math.min(end - 1, last);
		if (y == 0 || y == h - 1)
			for (i = from; i < to; i++) paint(rgb, 3 * (i - row), defect(mask[i]));
		else
			for (i = from; i < to; i++) {
				int inside = defect(mask[i - 1]) & defect(mask[i + 1]) & defect(mask[i - w]) & defect(mask[i + w]);
				paint(rgb, 3 * (i - row), defect(mask[i]) & ~inside);
			}
		// The row's ends are on the image's edge.
		paint(rgb, 0, defect(mask[row]));
		paint(rgb, 3 * (w - 1), defect(mask[row + w - 1]));
	}

	/** -1 for a defect pixel, else 0. */
	private static int defect(byte m) {
		return -(m & 0xff) >> 31;
	}

	private static void paint(byte[] rgb, int p, int flag) {
		rgb[p] |= (byte) flag;
		rgb[p + 1] |= (byte) flag;
		rgb[p + 2] |= (byte) flag;
	}

	/**
	 * The heat-map colour of a map value as ARGB: jet colour, alpha (before the opacity) fading in
	 * from {@link #FADE_START}; for overlays drawn by other means (ImageJ's ImageRoi).
	 */
	public int argb(float v) {
		int k = level(v);
		return (alpha[k] << 24) | heat[k];
	}

	/** The scale's level nearest to a map value; NaN counts as low. */
	int level(float v) {
		return level(v, low, levelsPerUnit);
	}

	/**
	 * Clamped in integers after the cast (which makes NaN 0 and saturates infinities): clamping the
	 * float with {@code Math.min} and {@code max} made the blend 1.6 times slower.
	 */
	private static int level(float v, float low, float levelsPerUnit) {
		int k = (int) ((v - low) * levelsPerUnit + 0.5f);
		return Math.min(k & ~(k >> 31), LEVELS - 1);
	}

	/** How strongly the heat shows at scale position {@code t}: 0 up to the fade start, full at the top end. */
	private static double strength(double t) {
		return clamp((t - FADE_START) / (1 - 2 * FADE_START));
	}

	public double opacity() {
		return opacity;
	}

	/** Rounds a non-negative value half up ({@code Math.round} is not an intrinsic on Java 17). */
	private static int round(double v) {
		return (int) (v + 0.5);
	}

	/** The classic jet colour map: blue, cyan, yellow, red. */
	public static int jet(double t) {
		double r = clamp(1.5 - Math.abs(4 * t - 3));
		double g = clamp(1.5 - Math.abs(4 * t - 2));
		double b = clamp(1.5 - Math.abs(4 * t - 1));
		return (round(r * 255) << 16) | (round(g * 255) << 8) | round(b * 255);
	}

	private static double clamp(double v) {
		return Math.max(0, Math.min(1, v));
	}
}
