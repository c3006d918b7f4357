package org.anomalyj.fiji;

import ij.gui.ImageRoi;
import ij.process.ByteProcessor;
import org.anomalyj.inspect.Inspection;
import org.anomalyj.postprocess.HeatmapOverlay;

import java.awt.image.IndexColorModel;

/**
 * The anomaly map as an overlay image: an 8-bit index image at the image's own size (so it lies on
 * the original pixels whatever the model's input size) shown through the jet colour LUT the CLI's
 * overlay PNGs use, on the same scale (the pixel threshold in the middle). Values below
 * {@link HeatmapOverlay#FADE_START} of the scale get index 0, which the LUT makes black and the
 * ImageRoi transparent, so clean areas stay readable.
 */
final class HeatmapRoi {

	static final String NAME = "anomaly heat map";

	private HeatmapRoi() {}

	static ImageRoi of(Inspection r, float pixelThreshold, double opacity) {
		HeatmapOverlay scale = HeatmapOverlay.aroundThreshold(pixelThreshold, opacity);
		float[] map = r.map();
		byte[] index = new byte[map.length];
		for (int i = 0; i < map.length; i++) {
			double t = scale.position(map[i]);
			index[i] = t < HeatmapOverlay.FADE_START ? 0 : (byte) Math.max(1, Math.round(t * 255));
		}
		ImageRoi roi = new ImageRoi(0, 0, new ByteProcessor(r.width(), r.height(), index, lut()));
		roi.setZeroTransparent(true);
		roi.setOpacity(Math.max(0, Math.min(1, opacity)));
		roi.setName(NAME);
		return roi;
	}

	/** Jet from index 1 to 255; index 0 black (transparent in the overlay). */
	static IndexColorModel lut() {
		byte[] red = new byte[256], green = new byte[256], blue = new byte[256];
		for (int i = 1; i < 256; i++) {
			int rgb = HeatmapOverlay.jet(i / 255.0);
			red[i] = (byte) (rgb >> 16);
			green[i] = (byte) (rgb >> 8);
			blue[i] = (byte) rgb;
		}
		return new IndexColorModel(8, 256, red, green, blue);
	}
}
