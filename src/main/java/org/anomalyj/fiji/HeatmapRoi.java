package org.anomalyj.fiji;

import org.anomalyj.inspect.Inspection;
import org.anomalyj.postprocess.HeatmapOverlay;

import ij.gui.ImageRoi;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;

/**
 * The anomaly map as an overlay image: an ARGB image at the image's own size (so it lies on the
 * original pixels whatever the model's input size), coloured and faded exactly as the CLI's
 * overlay PNGs ({@link HeatmapOverlay}: jet colour LUT, the pixel threshold in the middle of the
 * scale, clean areas transparent), drawn with the chosen opacity.
 */
final class HeatmapRoi {

	static final String NAME = "anomaly heat map";

	private HeatmapRoi() {}

	static ImageRoi of(Inspection r, float pixelThreshold, double opacity) {
		HeatmapOverlay scale = HeatmapOverlay.aroundThreshold(pixelThreshold, opacity);
		float[] map = r.map();
		int[] argb = new int[map.length];
		for (int i = 0; i < map.length; i++) argb[i] = scale.argb(map[i]);
		BufferedImage heat = new BufferedImage(r.width(), r.height(), BufferedImage.TYPE_INT_ARGB);
		heat.setRGB(0, 0, r.width(), r.height(), argb, 0, r.width());
		ImageRoi roi = new ImageRoi(0, 0, heat);
		roi.setOpacity(scale.opacity());
		roi.setName(NAME);
		return roi;
	}

	/** The jet colour LUT for the 32-bit map image, on the overlay's scale. */
	static IndexColorModel lut() {
		byte[] red = new byte[256], green = new byte[256], blue = new byte[256];
		for (int i = 0; i < 256; i++) {
			int rgb = HeatmapOverlay.jet(i / 255.0);
			red[i] = (byte) (rgb >> 16);
			green[i] = (byte) (rgb >> 8);
			blue[i] = (byte) rgb;
		}
		return new IndexColorModel(8, 256, red, green, blue);
	}
}
