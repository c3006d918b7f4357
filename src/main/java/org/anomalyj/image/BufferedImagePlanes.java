package org.anomalyj.image;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferUShort;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;

/**
 * BufferedImage (from javax.imageio) to a plane. Sample values are taken from the raster, not through
 * {@code getRGB}, because Java converts grey images to sRGB there (a gamma change) and drops 16-bit
 * precision. Only layouts that have no such direct mapping go through {@code getRGB}. The usual
 * component layouts (grey, BGR, ABGR bytes; 16-bit grey and RGB) are copied straight from the data
 * buffer rather than sample by sample.
 */
final class BufferedImagePlanes {

	private BufferedImagePlanes() {}

	/** How a colour model maps to a plane. */
	enum Kind {
		/** Palette whose entries are all grey: grey values from the palette. */
		PALETTE_GREY(PixelType.UINT8, 1),
		PALETTE_RGB(PixelType.UINT8, 3),
		/** Grey with 1 to 8 bits per sample, scaled to 0..255. */
		GREY8(PixelType.UINT8, 1),
		/** Grey with 9 to 16 bits per sample, raw values. */
		GREY16(PixelType.UINT16, 1),
		RGB8(PixelType.UINT8, 3),
		RGB16(PixelType.UINT16, 3),
		/** Anything else (packed 5-6-5, other colour spaces): converted by Java to 8-bit sRGB. */
		CONVERTED_RGB(PixelType.UINT8, 3);

		final PixelType pixelType;
		final int channels;

		Kind(PixelType pixelType, int channels) {
			this.pixelType = pixelType;
			this.channels = channels;
		}
	}

	static Kind kindOf(ColorModel cm, int transferType) {
		if (cm instanceof IndexColorModel icm) return isGrey(icm) ? Kind.PALETTE_GREY : Kind.PALETTE_RGB;
		boolean integer = transferType == DataBuffer.TYPE_BYTE || transferType == DataBuffer.TYPE_USHORT
			|| transferType == DataBuffer.TYPE_INT;
		int type = cm.getColorSpace().getType();
		int colours = cm.getNumColorComponents();
		if (integer && type == ColorSpace.TYPE_GRAY && colours == 1) {
			int bits = cm.getComponentSize(0);
			if (bits <= 8) return Kind.GREY8;
			if (bits <= 16) return Kind.GREY16;
		}
		if (integer && type == ColorSpace.TYPE_RGB && colours == 3) {
			int b0 = cm.getComponentSize(0), b1 = cm.getComponentSize(1), b2 = cm.getComponentSize(2);
			if (b0 == 8 && b1 == 8 && b2 == 8) return Kind.RGB8;
			if (b0 == 16 && b1 == 16 && b2 == 16) return Kind.RGB16;
		}
		return Kind.CONVERTED_RGB;
	}

	static RandomAccessibleInterval<? extends RealType<?>> toPlane(BufferedImage bi) {
		ColorModel cm = bi.getColorModel();
		Raster raster = bi.getRaster();
		int w = bi.getWidth(), h = bi.getHeight(), n = w * h;
		int[] row = new int[w];
		Kind kind = kindOf(cm, raster.getTransferType());
		switch (kind) {
			case PALETTE_GREY, PALETTE_RGB: {
				IndexColorModel icm = (IndexColorModel) cm;
				int size = icm.getMapSize();
				byte[] r = new byte[size], g = new byte[size], b = new byte[size];
				icm.getReds(r);
				icm.getGreens(g);
				icm.getBlues(b);
				byte[] out = new byte[kind.channels * n];
				for (int y = 0; y < h; y++) {
					raster.getSamples(0, y, w, 1, 0, row);
					for (int x = 0; x < w; x++) {
						int k = Math.min(row[x], size - 1), i = y * w + x;
						out[i] = r[k];
						if (kind == Kind.PALETTE_RGB) {
							out[n + i] = g[k];
							out[2 * n + i] = b[k];
						}
					}
				}
				return kind == Kind.PALETTE_GREY ? Planes.grey8(out, w, h) : Planes.rgb8(out, w, h);
			}
			case GREY8: {
				int max = (1 << cm.getComponentSize(0)) - 1;
				byte[] out = new byte[n];
				if (max == 255 && copyBand(raster, 0, out, 0)) return Planes.grey8(out, w, h);
				for (int y = 0; y < h; y++) {
					raster.getSamples(0, y, w, 1, 0, row);
					for (int x = 0; x < w; x++)
						out[y * w + x] = (byte) (max == 255 ? row[x] : Math.round(row[x] * 255f / max));
				}
				return Planes.grey8(out, w, h);
			}
			case GREY16: {
				short[] out = new short[n];
				if (copyBand(raster, 0, out, 0)) return Planes.grey16(out, w, h);
				for (int y = 0; y < h; y++) {
					raster.getSamples(0, y, w, 1, 0, row);
					for (int x = 0; x < w; x++) out[y * w + x] = (short) row[x];
				}
				return Planes.grey16(out, w, h);
			}
			case RGB8: {
				byte[] out = new byte[3 * n];
				if (copyBand(raster, 0, out, 0) && copyBand(raster, 1, out, n) && copyBand(raster, 2, out, 2 * n))
					return Planes.rgb8(out, w, h);
				for (int c = 0; c < 3; c++)
					for (int y = 0; y < h; y++) {
						raster.getSamples(0, y, w, 1, c, row);
						for (int x = 0; x < w; x++) out[c * n + y * w + x] = (byte) row[x];
					}
				return Planes.rgb8(out, w, h);
			}
			case RGB16: {
				short[] out = new short[3 * n];
				if (copyBand(raster, 0, out, 0) && copyBand(raster, 1, out, n) && copyBand(raster, 2, out, 2 * n))
					return Planes.rgb16(out, w, h);
				for (int c = 0; c < 3; c++)
					for (int y = 0; y < h; y++) {
						raster.getSamples(0, y, w, 1, c, row);
						for (int x = 0; x < w; x++) out[c * n + y * w + x] = (short) row[x];
					}
				return Planes.rgb16(out, w, h);
			}
			default: {
				int[] argb = new int[n];
				for (int y = 0; y < h; y++) bi.getRGB(0, y, w, 1, argb, y * w, w);
				return Planes.rgbFromPacked(argb, w, h);
			}
		}
	}

	/**
	 * Copies band {@code band} of a raster whose samples are bytes in a component layout (what the
	 * decoders give for grey, BGR and ABGR images) straight from its data buffer into
	 * {@code out[offset ..]}, row-major. False, with nothing meaningful written, for any other layout;
	 * the caller then goes through {@code Raster.getSamples}, which gives the same values slower.
	 */
	private static boolean copyBand(Raster raster, int band, byte[] out, int offset) {
		if (!(raster.getDataBuffer() instanceof DataBufferByte buffer)) return false;
		Layout l = Layout.of(raster, band);
		if (l == null) return false;
		byte[] data = buffer.getData(l.bank);
		int w = raster.getWidth();
		for (int y = 0; y < raster.getHeight(); y++) {
			int from = l.first + y * l.scanline, to = offset + y * w;
			if (l.pixelStride == 1) System.arraycopy(data, from, out, to, w);
			else for (int x = 0; x < w; x++) out[to + x] = data[from + x * l.pixelStride];
		}
		return true;
	}

	/** As {@link #copyBand(Raster, int, byte[], int)} for unsigned 16-bit samples. */
	private static boolean copyBand(Raster raster, int band, short[] out, int offset) {
		if (!(raster.getDataBuffer() instanceof DataBufferUShort buffer)) return false;
		Layout l = Layout.of(raster, band);
		if (l == null) return false;
		short[] data = buffer.getData(l.bank);
		int w = raster.getWidth();
		for (int y = 0; y < raster.getHeight(); y++) {
			int from = l.first + y * l.scanline, to = offset + y * w;
			if (l.pixelStride == 1) System.arraycopy(data, from, out, to, w);
			else for (int x = 0; x < w; x++) out[to + x] = data[from + x * l.pixelStride];
		}
		return true;
	}

	/** Where one band's samples lie in a {@link ComponentSampleModel} raster's data bank. */
	private record Layout(int bank, int first, int scanline, int pixelStride) {

		static Layout of(Raster raster, int band) {
			if (!(raster.getSampleModel() instanceof ComponentSampleModel sm) || band >= sm.getNumBands()) return null;
			int bank = sm.getBankIndices()[band];
			// Raster pixel (minX, minY) is sample-model pixel (minX - translateX, minY - translateY).
			long first = (long) raster.getDataBuffer().getOffsets()[bank] + sm.getBandOffsets()[band]
				+ (long) (raster.getMinY() - raster.getSampleModelTranslateY()) * sm.getScanlineStride()
				+ (long) (raster.getMinX() - raster.getSampleModelTranslateX()) * sm.getPixelStride();
			if (first < 0 || first > Integer.MAX_VALUE) return null;
			return new Layout(bank, (int) first, sm.getScanlineStride(), sm.getPixelStride());
		}
	}

	private static boolean isGrey(IndexColorModel icm) {
		for (int i = 0; i < icm.getMapSize(); i++) {
			int r = icm.getRed(i);
			if (r != icm.getGreen(i) || r != icm.getBlue(i)) return false;
		}
		return true;
	}
}
