package org.anomalyj.postprocess;

/**
 * Renders what a person inspects: the image, the anomaly map as a translucent heat map on top, and
 * the outline of each defect region. Works on packed RGB pixels so the CLI (PNG files) and tests
 * share it; Fiji draws its own overlay objects from the same map and mask.
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

	private final float low, levelsPerUnit;
	private final double opacity;
	/** Per level: the jet colour; the heat's weight in the blend, out of 256; its alpha before the opacity, out of 255. */
	private final int[] heat = new int[LEVELS], weight = new int[LEVELS], alpha = new int[LEVELS];
	/** Levels up to this one have weight 0. */
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
			heat[k] = jet(t);
			weight[k] = round(256 * this.opacity * strength(t));
			alpha[k] = round(255 * strength(t));
			if (weight[k] == 0 && clear == k - 1) clear = k;
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
		checkSizes(base, map, mask, w, h);
		int[] out = new int[base.length];
		for (int y = 0, i = 0; y < h; y++)
			for (int x = 0; x < w; x++, i++) out[i] = rendered(base, map, mask, w, h, x, y);
		return out;
	}

	/**
	 * Row {@code y} of {@link #render}'s result as RGB bytes, from {@code base} left as it is: rows
	 * can so be rendered in any order, on any thread, as an encoder asks for them.
	 *
	 * @param rgb receives {@code 3 * w} bytes
	 */
	public void renderRow(int[] base, float[] map, byte[] mask, int w, int h, int y, byte[] rgb) {
		checkSizes(base, map, mask, w, h);
		for (int x = 0; x < w; x++) {
			int p = rendered(base, map, mask, w, h, x, y);
			rgb[3 * x] = (byte) (p >> 16);
			rgb[3 * x + 1] = (byte) (p >> 8);
			rgb[3 * x + 2] = (byte) p;
		}
	}

	/** Pixel (x, y) of the overlay: a defect's outline, or the heat blended over the image. */
	private int rendered(int[] base, float[] map, byte[] mask, int w, int h, int x, int y) {
		int i = y * w + x;
		return mask != null && mask[i] != 0 && onBorder(mask, x, y, w, h) ? OUTLINE : pixel(base[i], map[i]);
	}

	private static void checkSizes(int[] rgb, float[] map, byte[] mask, int w, int h) {
		int n = w * h;
		if (rgb.length != n || map.length != n || (mask != null && mask.length != n))
			throw new IllegalArgumentException("image, map and mask sizes differ");
	}

	/** A pixel with the heat of map value {@code v} blended over it. */
	private int pixel(int under, float v) {
		int k = level(v);
		// Below the fade start the heat's weight is 0 and the pixel keeps its value: most of a good part.
		if (k <= lastClear) return under;
		int a = weight[k], c = heat[k];
		int r = blend((under >> 16) & 0xff, (c >> 16) & 0xff, a);
		int g = blend((under >> 8) & 0xff, (c >> 8) & 0xff, a);
		int b = blend(under & 0xff, c & 0xff, a);
		return (r << 16) | (g << 8) | b;
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
		float x = (v - low) * levelsPerUnit;
		// Written so that NaN fails the first test and ends at level 0.
		if (!(x > 0)) return 0;
		return x >= LEVELS - 1 ? LEVELS - 1 : (int) (x + 0.5f);
	}

	/** How strongly the heat shows at scale position {@code t}: 0 up to the fade start, full at the top end. */
	private static double strength(double t) {
		return clamp((t - FADE_START) / (1 - 2 * FADE_START));
	}

	public double opacity() {
		return opacity;
	}

	private static boolean onBorder(byte[] mask, int x, int y, int w, int h) {
		return x == 0 || y == 0 || x == w - 1 || y == h - 1 || mask[y * w + x - 1] == 0 || mask[y * w + x + 1] == 0
			|| mask[(y - 1) * w + x] == 0 || mask[(y + 1) * w + x] == 0;
	}

	/** {@code under} and {@code over} mixed with weight {@code a} / 256 on {@code over}, rounded half up. */
	private static int blend(int under, int over, int a) {
		return (under * (256 - a) + over * a + 128) >> 8;
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
