package org.anomalyj.inspect;

import org.anomalyj.image.FloatTiffEncoder;
import org.anomalyj.image.IntensityRange;
import org.anomalyj.image.PngEncoder;
import org.anomalyj.image.Planes;
import org.anomalyj.image.RgbRows;
import org.anomalyj.io.AtomicFiles;
import org.anomalyj.postprocess.DefectRegion;
import org.anomalyj.postprocess.HeatmapOverlay;

import net.imglib2.Cursor;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.basictypeaccess.array.ByteArray;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.RealType;
import net.imglib2.view.Views;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Writes one inspection's files, each atomically: the 32-bit anomaly map as TIFF (ImageJ opens it
 * with its values), the defect mask as an 8-bit PNG (255 = defect) and the heat-map overlay as an
 * RGB PNG.
 */
public final class InspectionFiles {

	public static final String MAP_SUFFIX = ".map.tif", MASK_SUFFIX = ".mask.png", OVERLAY_SUFFIX = ".overlay.png";

	private InspectionFiles() {}

	public static void writeMap(Inspection r, Path file) throws IOException {
		AtomicFiles.writeChannel(file, out -> FloatTiffEncoder.write(r.map(), r.width(), r.height(), out));
	}

	public static void writeMask(Inspection r, Path file) throws IOException {
		byte[] mask = r.defects().mask();
		AtomicFiles.write(file, out -> PngEncoder.writeGrey(mask, r.width(), r.height(), out));
	}

	/**
	 * @param plane the image that was inspected, for the background
	 * @param range how to show 16/32-bit images (the model's intensity range); null scales to the plane's min..max
	 */
	public static void writeOverlay(Inspection r, RandomAccessibleInterval<? extends RealType<?>> plane, IntensityRange range,
		float pixelThreshold, double opacity, Path file) throws IOException {
		HeatmapOverlay overlay = HeatmapOverlay.aroundThreshold(pixelThreshold, opacity);
		float[] map = r.map();
		byte[] mask = r.defects().mask();
		int w = r.width(), h = r.height();
		// Outlines are drawn on defect pixels only, so rows outside every region's bounding box are
		// blended without the mask, which is then not read there (most rows of most images).
		boolean[] defectRows = new boolean[h];
		for (DefectRegion d : r.defects().regions()) Arrays.fill(defectRows, d.minY(), d.maxY() + 1, true);
		// Made row by row inside the encoder's bands, which run side by side; from an 8-bit image's
		// planes directly, other images through their display bytes.
		DisplayRgb.Bytes bytes = DisplayRgb.bytes(plane, range);
		PngEncoder.Rows rows;
		if (bytes != null)
			rows = (y, row) -> overlay.blendRow(map, defectRows[y] ? mask : null, w, h, y, bytes.values(), bytes.red() + y * w, 1,
				bytes.green() - bytes.red(), bytes.blue() - bytes.red(), row);
		else {
			PngEncoder.Rows image = DisplayRgb.rows(plane, range);
			rows = (y, row) -> {
				image.read(y, row);
				overlay.blendRow(map, defectRows[y] ? mask : null, w, h, y, row);
			};
		}
		AtomicFiles.write(file, out -> PngEncoder.writeRgb(w, h, rows, out));
	}

	static void writePng(BufferedImage img, Path file) throws IOException {
		int w = img.getWidth(), h = img.getHeight();
		int[] rgb = img.getRGB(0, 0, w, h, null, 0, w);
		AtomicFiles.write(file, out -> PngEncoder.writeRgb(rgb, w, h, out));
	}

	/** A plane as packed RGB for display. */
	static final class DisplayRgb {
		private DisplayRgb() {}

		static int[] of(RandomAccessibleInterval<? extends RealType<?>> plane, IntensityRange range) {
			int w = Planes.width(plane), h = Planes.height(plane);
			IntensityRange r = rangeFor(plane, range);
			Bytes bytes = bytes(plane, r);
			if (bytes == null) return packed(plane, r);
			int[] out = new int[w * h];
			byte[] row = new byte[3 * w];
			for (int y = 0; y < h; y++) {
				bytes.read(y, row);
				RgbRows.pack(row, w, out, y * w);
			}
			return out;
		}

		/** The same pixels as {@link #of}, as RGB bytes row by row (any row, on any thread). */
		static PngEncoder.Rows rows(RandomAccessibleInterval<? extends RealType<?>> plane, IntensityRange range) {
			IntensityRange r = rangeFor(plane, range);
			Bytes bytes = bytes(plane, r);
			if (bytes != null) return bytes::read;
			int[] packed = packed(plane, r);
			int w = Planes.width(plane);
			return (y, row) -> RgbRows.unpack(packed, y * w, w, row);
		}

		/**
		 * The pixels shown of an 8-bit plane: the plane's own bytes, channel after channel (each of
		 * {@code width * height}), red, green and blue starting at the offsets given (the same for a
		 * grey plane).
		 */
		record Bytes(byte[] values, int width, int red, int green, int blue) {
			/** Row {@code y} as RGB bytes. One pass writing the row in order: a pass per channel, writing every third byte, was a third of the overlay's time. */
			void read(int y, byte[] row) {
				byte[] v = values;
				for (int x = 0, i = y * width, p = 0; x < width; x++, i++, p += 3) {
					row[p] = v[red + i];
					row[p + 1] = v[green + i];
					row[p + 2] = v[blue + i];
				}
			}
		}

		/**
		 * The common case, an 8-bit plane as the readers make it (an {@link ArrayImg} over one byte
		 * array, channel after channel), shown as it is: its bytes are the display's, without
		 * ImgLib2's per-pixel accessors or a packed copy of the image (which made the overlay the
		 * largest cost of {@code score}). Null for any other plane.
		 */
		static Bytes bytes(RandomAccessibleInterval<? extends RealType<?>> plane, IntensityRange range) {
			if (!(plane instanceof ArrayImg<?, ?> img) || !(plane.getType() instanceof UnsignedByteType) || !(img.update(null) instanceof ByteArray a))
				return null;
			byte[] v = a.getCurrentStorageArray();
			int w = Planes.width(plane), n = w * Planes.height(plane), channels = Planes.channels(plane);
			if (v.length != (long) n * channels) return null;
			// 8-bit planes are shown as they are (their range is 0..255); any other range takes the
			// pixel-by-pixel path.
			IntensityRange r = rangeFor(plane, range);
			for (int k = 0; k < 256; k++)
				if (byteOf(r.normalize(k)) != k) return null;
			return new Bytes(v, w, 0, Math.min(1, channels - 1) * n, Math.min(2, channels - 1) * n);
		}

		/** Pixel by pixel from the plane: float copies of the channels of a 100-megapixel image would take 1.2 GB. */
		private static int[] packed(RandomAccessibleInterval<? extends RealType<?>> plane, IntensityRange r) {
			int c = Planes.channels(plane);
			int[] out = new int[Planes.width(plane) * Planes.height(plane)];
			for (int i = 0; i < 3; i++) {
				Cursor<? extends RealType<?>> values = Views.flatIterable(channel(plane, Math.min(i, c - 1))).cursor();
				int shift = 16 - 8 * i;
				for (int k = 0; k < out.length; k++) out[k] |= byteOf(r.normalize(values.next().getRealFloat())) << shift;
			}
			return out;
		}

		private static IntensityRange rangeFor(RandomAccessibleInterval<? extends RealType<?>> plane, IntensityRange range) {
			return org.anomalyj.image.Preprocessor.needsIntensityRange(plane) ? (range != null ? range : span(channel(plane, 0)))
				: IntensityRange.EIGHT_BIT;
		}

		private static RandomAccessibleInterval<? extends RealType<?>> channel(RandomAccessibleInterval<? extends RealType<?>> plane, int c) {
			return plane.numDimensions() == 2 ? plane : Views.hyperSlice(plane, 2, plane.min(2) + c);
		}

		private static IntensityRange span(RandomAccessibleInterval<? extends RealType<?>> values) {
			IntensityRange.Accumulator a = IntensityRange.accumulator().add(values);
			return a.count() == 0 ? new IntensityRange(0, 1) : a.range();
		}

		private static int byteOf(float unit) {
			return Math.max(0, Math.min(255, Math.round(unit * 255)));
		}
	}
}
