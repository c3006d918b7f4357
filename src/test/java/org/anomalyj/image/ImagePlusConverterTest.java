package org.anomalyj.image;

import ij.ImagePlus;
import ij.ImageStack;
import ij.measure.Calibration;
import ij.process.ByteProcessor;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
import ij.process.ImageProcessor;
import ij.process.LUT;
import ij.process.ShortProcessor;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.integer.UnsignedShortType;
import net.imglib2.type.numeric.real.FloatType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ImagePlusConverterTest {

	@Test
	void greyProcessorsAreWrappedWithoutCopy() {
		byte[] b = { 1, 2, 3, (byte) 200, 5, 6 };
		var p8 = ImagePlusConverter.toPlanes(new ImagePlus("8", new ByteProcessor(3, 2, b))).get(0);
		assertInstanceOf(UnsignedByteType.class, p8.getType());
		assertArrayEquals(new float[] { 1, 2, 3, 200, 5, 6 }, Planes.channel(p8, 0));
		b[0] = 9; // shared array
		assertEquals(9f, Planes.channel(p8, 0)[0]);

		short[] s = { 0, (short) 65535, 1234, (short) 40000 };
		var p16 = ImagePlusConverter.toPlanes(new ImagePlus("16", new ShortProcessor(2, 2, s, null))).get(0);
		assertInstanceOf(UnsignedShortType.class, p16.getType());
		assertArrayEquals(new float[] { 0, 65535, 1234, 40000 }, Planes.channel(p16, 0));

		float[] f = { Float.NaN, -1f, 3.25f };
		var p32 = ImagePlusConverter.toPlanes(new ImagePlus("32", new FloatProcessor(3, 1, f))).get(0);
		assertInstanceOf(FloatType.class, p32.getType());
		assertArrayEquals(f, Planes.channel(p32, 0));
		assertEquals(2, p32.numDimensions());
	}

	@Test
	void rgbBecomesThreeChannels() {
		var plane = ImagePlusConverter.toPlanes(new ImagePlus("rgb", new ColorProcessor(2, 1, new int[] { 0x80112233, 0xFFFF0001 }))).get(0);
		assertEquals(3, plane.numDimensions());
		assertEquals(3, plane.dimension(2));
		assertArrayEquals(new float[] { 0x11, 0xFF }, Planes.channel(plane, 0));
		assertArrayEquals(new float[] { 0x22, 0x00 }, Planes.channel(plane, 1));
		assertArrayEquals(new float[] { 0x33, 0x01 }, Planes.channel(plane, 2));
	}

	@Test
	void lutIsDisplayOnlyUnlessIndexedColour() {
		ImagePlus lut = ImageFileReaderTest.colourLutImage();
		assertEquals(ImagePlus.GRAY8, lut.getType());
		assertArrayEquals(new float[] { 0, 1, 2 }, Planes.channel(ImagePlusConverter.toPlanes(lut).get(0), 0));
		// An indexed-colour image (ImageJ type COLOR_256) is expanded through its LUT.
		ImageProcessor ip = lut.getProcessor();
		var expanded = ImagePlusConverter.toPlane(ip, true);
		assertArrayEquals(new float[] { 0, 255, 0 }, Planes.channel(expanded, 0));
		assertArrayEquals(new float[] { 0, 0, 255 }, Planes.channel(expanded, 1));
		ByteProcessor inverted = new ByteProcessor(2, 1, new byte[] { 10, 20 });
		inverted.setLut(LUT.createLutFromColor(java.awt.Color.WHITE).createInvertedLut());
		assertArrayEquals(new float[] { 10, 20 }, Planes.channel(ImagePlusConverter.toPlanes(new ImagePlus("inv", inverted)).get(0), 0));
	}

	@Test
	void stackGivesOnePlanePerImage() {
		ImageStack stack = new ImageStack(2, 2);
		for (int k = 0; k < 5; k++) stack.addSlice(new ShortProcessor(2, 2, new short[] { (short) k, 0, 0, (short) (100 + k) }, null));
		ImagePlus imp = new ImagePlus("s", stack);
		imp.setDimensions(1, 5, 1);
		List<RandomAccessibleInterval<? extends RealType<?>>> planes = ImagePlusConverter.toPlanes(imp);
		assertEquals(5, planes.size());
		for (int k = 0; k < 5; k++) assertArrayEquals(new float[] { k, 0, 0, 100 + k }, Planes.channel(planes.get(k), 0));
		ImageInfo info = ImagePlusConverter.info(imp);
		assertEquals(new ImageInfo("ImagePlus", PixelType.UINT16, 2, 2, 1, 5, PixelCalibration.NONE), info);
	}

	@Test
	void floatMapToImagePlusKeepsCalibration() {
		float[] map = { 0.5f, 1.5f, -2f, 4f, 0f, 1f };
		PixelCalibration cal = new PixelCalibration(2.5, 3.0, "mm");
		ImagePlus imp = ImagePlusConverter.toFloatImagePlus("map", Planes.grey32(map, 3, 2), cal);
		assertEquals(32, imp.getBitDepth());
		assertEquals(3, imp.getWidth());
		assertEquals(2, imp.getHeight());
		assertArrayEquals(map, (float[]) imp.getProcessor().getPixels());
		Calibration c = imp.getCalibration();
		assertEquals(2.5, c.pixelWidth);
		assertEquals(3.0, c.pixelHeight);
		assertEquals("mm", c.getUnit());
		assertEquals(cal, ImagePlusConverter.info(imp).calibration());
		assertEquals(-2, imp.getProcessor().getMin());
		assertEquals(4, imp.getProcessor().getMax());
		assertEquals(PixelCalibration.NONE, PixelCalibration.of(ImagePlusConverter.toFloatImagePlus("m", Planes.grey32(map, 3, 2), null).getCalibration()));
		assertThrows(IllegalArgumentException.class, () -> ImagePlusConverter.toFloatImagePlus("x", Planes.rgb8(new byte[3], 1, 1), null));
	}

	@Test
	void planesRoundTripThroughImagePlus() {
		List<RandomAccessibleInterval<? extends RealType<?>>> planes = List.of(
			Planes.grey8(new byte[] { 1, (byte) 255 }, 2, 1),
			Planes.grey16(new short[] { 7, (short) 65000 }, 2, 1),
			Planes.grey32(new float[] { Float.NaN, -0.5f }, 2, 1),
			Planes.rgb8(new byte[] { 1, 2, 3, 4, 5, (byte) 250 }, 2, 1));
		for (var plane : planes) {
			ImagePlus imp = ImagePlusConverter.toImagePlus("t", List.of(plane, plane), PixelCalibration.NONE);
			assertEquals(2, imp.getStackSize());
			var back = ImagePlusConverter.toPlanes(imp);
			assertSame(plane.getType().getClass(), back.get(1).getType().getClass());
			for (int c = 0; c < Planes.channels(plane); c++)
				assertArrayEquals(Planes.channel(plane, c), Planes.channel(back.get(1), c));
		}
		assertThrows(IllegalArgumentException.class,
			() -> ImagePlusConverter.toImagePlus("mixed", List.of(planes.get(0), planes.get(1)), null));
	}
}
