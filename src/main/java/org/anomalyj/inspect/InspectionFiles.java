package org.anomalyj.inspect;

import ij.ImagePlus;
import ij.io.FileSaver;
import ij.process.FloatProcessor;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;
import org.anomalyj.image.IntensityRange;
import org.anomalyj.image.Planes;
import org.anomalyj.io.AtomicFiles;
import org.anomalyj.postprocess.HeatmapOverlay;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Writes one inspection's files, each atomically: the 32-bit anomaly map as TIFF (ImageJ opens it
 * with its values), the defect mask as an 8-bit PNG (255 = defect) and the heat-map overlay as an
 * RGB PNG.
 */
public final class InspectionFiles {

	public static final String MAP_SUFFIX = ".map.tif", MASK_SUFFIX = ".mask.png", OVERLAY_SUFFIX = ".overlay.png";

	private InspectionFiles() {}

	public static void writeMap(Inspection r, Path file) throws IOException {
		ImagePlus imp = new ImagePlus(file.getFileName().toString(), new FloatProcessor(r.width(), r.height(), r.map()));
		AtomicFiles.writeVia(file, tmp -> {
			if (!new FileSaver(imp).saveAsTiff(tmp.toString())) throw new IOException(file + ": could not write TIFF");
		});
	}

	public static void writeMask(Inspection r, Path file) throws IOException {
		BufferedImage img = new BufferedImage(r.width(), r.height(), BufferedImage.TYPE_BYTE_GRAY);
		img.getRaster().setDataElements(0, 0, r.width(), r.height(), r.defects().mask());
		writePng(img, file);
	}

	/**
	 * @param plane the image that was inspected, for the background
	 * @param range how to show 16/32-bit images (the model's intensity range); null scales to the plane's min..max
	 */
	public static void writeOverlay(Inspection r, RandomAccessibleInterval<? extends RealType<?>> plane, IntensityRange range,
		float pixelThreshold, double opacity, Path file) throws IOException {
		int[] base = DisplayRgb.of(plane, range);
		int[] rgb = HeatmapOverlay.aroundThreshold(pixelThreshold, opacity).render(base, r.map(), r.defects().mask(), r.width(), r.height());
		BufferedImage img = new BufferedImage(r.width(), r.height(), BufferedImage.TYPE_INT_RGB);
		img.setRGB(0, 0, r.width(), r.height(), rgb, 0, r.width());
		writePng(img, file);
	}

	private static void writePng(BufferedImage img, Path file) throws IOException {
		AtomicFiles.write(file, out -> {
			if (!ImageIO.write(img, "png", out)) throw new IOException(file + ": no PNG writer available");
		});
	}

	/** A plane as packed RGB for display. */
	static final class DisplayRgb {
		private DisplayRgb() {}

		static int[] of(RandomAccessibleInterval<? extends RealType<?>> plane, IntensityRange range) {
			int w = Planes.width(plane), h = Planes.height(plane), c = Planes.channels(plane);
			float[][] ch = new float[3][];
			for (int i = 0; i < 3; i++) ch[i] = Planes.channel(plane, Math.min(i, c - 1));
			IntensityRange r = org.anomalyj.image.Preprocessor.needsIntensityRange(plane) ? (range != null ? range : span(ch)) : IntensityRange.EIGHT_BIT;
			int[] out = new int[w * h];
			for (int i = 0; i < out.length; i++) {
				int rr = byteOf(r.normalize(ch[0][i])), gg = byteOf(r.normalize(ch[1][i])), bb = byteOf(r.normalize(ch[2][i]));
				out[i] = (rr << 16) | (gg << 8) | bb;
			}
			return out;
		}

		private static IntensityRange span(float[][] ch) {
			IntensityRange.Accumulator a = IntensityRange.accumulator();
			for (float v : ch[0]) a.add(v);
			return a.count() == 0 ? new IntensityRange(0, 1) : a.range();
		}

		private static int byteOf(float unit) {
			return Math.max(0, Math.min(255, Math.round(unit * 255)));
		}
	}
}
