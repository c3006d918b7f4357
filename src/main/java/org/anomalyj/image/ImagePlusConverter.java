package org.anomalyj.image;

import ij.ImagePlus;
import ij.ImageStack;
import ij.measure.Calibration;
import ij.process.ByteProcessor;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
import ij.process.ImageProcessor;
import ij.process.ShortProcessor;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.integer.UnsignedShortType;

import java.awt.image.IndexColorModel;
import java.util.ArrayList;
import java.util.List;

/**
 * ImageJ {@link ImagePlus} to planes and back (see the package documentation for the convention).
 * <ul>
 * <li>8-, 16- and 32-bit grey processors are wrapped without copying: the planes share the
 * ImagePlus' pixel arrays, so treat them as read-only while both are in use.</li>
 * <li>RGB (ColorProcessor) becomes a 3-channel 8-bit plane (copied).</li>
 * <li>8-bit with a colour LUT (ImageJ type COLOR_256) becomes RGB through the LUT; a grey LUT,
 * inverting or not, is display only and ignored. Channels of a composite image stay grey planes.</li>
 * <li>Each stack image (every channel, slice and frame of a hyperstack) is one plane.</li>
 * </ul>
 */
public final class ImagePlusConverter {

	private ImagePlusConverter() {}

	/** One plane per stack image, in stack order. */
	public static List<RandomAccessibleInterval<? extends RealType<?>>> toPlanes(ImagePlus imp) {
		ImageStack stack = imp.getStack();
		List<RandomAccessibleInterval<? extends RealType<?>>> planes = new ArrayList<>(stack.getSize());
		for (int i = 1; i <= stack.getSize(); i++) planes.add(toPlane(imp, stack, i));
		return planes;
	}

	/**
	 * One stack image as a plane, read only now (a virtual stack's slice is read from its file here).
	 *
	 * @param stack {@code imp.getStack()}
	 * @param index 1-based
	 */
	public static RandomAccessibleInterval<? extends RealType<?>> toPlane(ImagePlus imp, ImageStack stack, int index) {
		return toPlane(stack.getProcessor(index), imp.getType() == ImagePlus.COLOR_256 && !imp.isComposite());
	}

	/**
	 * One processor as a plane.
	 *
	 * @param throughLut for 8-bit data: expand through the processor's LUT to RGB (for COLOR_256 images)
	 */
	public static RandomAccessibleInterval<? extends RealType<?>> toPlane(ImageProcessor ip, boolean throughLut) {
		int w = ip.getWidth(), h = ip.getHeight();
		if (ip instanceof ByteProcessor) {
			byte[] pixels = (byte[]) ip.getPixels();
			if (throughLut && ip.getColorModel() instanceof IndexColorModel icm) return throughLut(pixels, icm, w, h);
			return Planes.grey8(pixels, w, h);
		}
		if (ip instanceof ShortProcessor) return Planes.grey16((short[]) ip.getPixels(), w, h);
		if (ip instanceof FloatProcessor) return Planes.grey32((float[]) ip.getPixels(), w, h);
		if (ip instanceof ColorProcessor) return Planes.rgbFromPacked((int[]) ip.getPixels(), w, h);
		throw new IllegalArgumentException("unsupported ImageJ processor " + ip.getClass().getSimpleName());
	}

	/** What the planes of this image will be, in the terms {@link ImageFileReader} uses (format "ImagePlus"). */
	public static ImageInfo info(ImagePlus imp) {
		int channels = 1;
		PixelType type;
		switch (imp.getType()) {
			case ImagePlus.GRAY16 -> type = PixelType.UINT16;
			case ImagePlus.GRAY32 -> type = PixelType.FLOAT32;
			case ImagePlus.COLOR_RGB -> {
				type = PixelType.UINT8;
				channels = 3;
			}
			case ImagePlus.COLOR_256 -> {
				type = PixelType.UINT8;
				channels = imp.isComposite() ? 1 : 3;
			}
			default -> type = PixelType.UINT8;
		}
		return new ImageInfo("ImagePlus", type, imp.getWidth(), imp.getHeight(), channels, imp.getStackSize(),
			PixelCalibration.of(imp.getCalibration()));
	}

	/**
	 * A plane as an ImageJ processor of the matching type: UnsignedByteType grey to 8-bit, UnsignedShortType
	 * to 16-bit, 8-bit RGB to a ColorProcessor, anything else grey to 32-bit (copied).
	 */
	public static ImageProcessor toProcessor(RandomAccessibleInterval<? extends RealType<?>> plane) {
		int w = Planes.width(plane), h = Planes.height(plane), channels = Planes.channels(plane);
		RealType<?> type = plane.getType();
		if (channels == 3) {
			if (!(type instanceof UnsignedByteType))
				throw new IllegalArgumentException("only 8-bit RGB planes convert to an ImageJ RGB image; convert "
					+ type.getClass().getSimpleName() + " colour planes channel by channel");
			float[] r = Planes.channel(plane, 0), g = Planes.channel(plane, 1), b = Planes.channel(plane, 2);
			int[] argb = new int[w * h];
			for (int i = 0; i < argb.length; i++)
				argb[i] = 0xFF000000 | ((int) r[i] << 16) | ((int) g[i] << 8) | (int) b[i];
			return new ColorProcessor(w, h, argb);
		}
		float[] v = Planes.channel(plane, 0);
		if (type instanceof UnsignedByteType) {
			byte[] p = new byte[v.length];
			for (int i = 0; i < v.length; i++) p[i] = (byte) (int) v[i];
			return new ByteProcessor(w, h, p);
		}
		if (type instanceof UnsignedShortType) {
			short[] p = new short[v.length];
			for (int i = 0; i < v.length; i++) p[i] = (short) (int) v[i];
			return new ShortProcessor(w, h, p, null);
		}
		return new FloatProcessor(w, h, v);
	}

	/** Planes of one type and size as an ImageJ image or stack, with the given calibration (null for none). */
	public static ImagePlus toImagePlus(String title, List<? extends RandomAccessibleInterval<? extends RealType<?>>> planes,
		PixelCalibration calibration) {
		if (planes.isEmpty()) throw new IllegalArgumentException("no planes to convert");
		ImageProcessor first = toProcessor(planes.get(0));
		ImageStack stack = new ImageStack(first.getWidth(), first.getHeight());
		stack.addSlice(first);
		for (int i = 1; i < planes.size(); i++) {
			ImageProcessor ip = toProcessor(planes.get(i));
			if (ip.getClass() != first.getClass() || ip.getWidth() != first.getWidth() || ip.getHeight() != first.getHeight())
				throw new IllegalArgumentException("plane " + (i + 1) + " differs in size or type from plane 1");
			stack.addSlice(ip);
		}
		ImagePlus imp = new ImagePlus(title, stack);
		setCalibration(imp, calibration);
		return imp;
	}

	/**
	 * A 2-D float map (e.g. an anomaly map) as a 32-bit ImagePlus with the given calibration (null for
	 * none), display range set to the map's min..max.
	 */
	public static ImagePlus toFloatImagePlus(String title, RandomAccessibleInterval<? extends RealType<?>> map,
		PixelCalibration calibration) {
		if (map.numDimensions() != 2)
			throw new IllegalArgumentException("expected a 2-D map (x, y), got " + map.numDimensions() + " dimensions");
		FloatProcessor fp = new FloatProcessor(Planes.width(map), Planes.height(map), Planes.channel(map, 0));
		fp.resetMinAndMax();
		ImagePlus imp = new ImagePlus(title, fp);
		setCalibration(imp, calibration);
		return imp;
	}

	private static void setCalibration(ImagePlus imp, PixelCalibration calibration) {
		if (calibration == null || !calibration.isCalibrated()) return;
		Calibration cal = new Calibration();
		calibration.applyTo(cal);
		imp.setCalibration(cal);
	}

	private static RandomAccessibleInterval<? extends RealType<?>> throughLut(byte[] index, IndexColorModel icm, int w, int h) {
		int size = icm.getMapSize(), n = index.length;
		byte[] r = new byte[size], g = new byte[size], b = new byte[size];
		icm.getReds(r);
		icm.getGreens(g);
		icm.getBlues(b);
		byte[] planar = new byte[3 * n];
		for (int i = 0; i < n; i++) {
			int k = Math.min(index[i] & 0xFF, size - 1);
			planar[i] = r[k];
			planar[n + i] = g[k];
			planar[2 * n + i] = b[k];
		}
		return Planes.rgb8(planar, w, h);
	}
}
