package org.anomalyj.image;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The direct PNG decoder gives what javax.imageio gives, and leaves every other file to it. */
class PngFileDecoderTest {

	@TempDir
	Path tmp;

	@Test
	void branchFreePaethEqualsSpecification() {
		for (int a = 0; a < 256; a++)
			for (int b = 0; b < 256; b++)
				for (int c = 0; c < 256; c++)
					if (RowFilter.paeth(a, b, c) != PngBytes.paeth(a, b, c)) assertEquals(PngBytes.paeth(a, b, c), RowFilter.paeth(a, b, c), a + "," + b + "," + c);
	}

	@Test
	void everyHandledLayoutEqualsImageIo() throws IOException {
		Random rnd = new Random(11);
		for (int colourType : new int[] { 0, 2, 4, 6 })
			for (int depth : new int[] { 8, 16 })
				for (int[] size : new int[][] { { 1, 1 }, { 7, 5 }, { 33, 17 }, { 2, 12 } }) {
					int w = size[0], h = size[1], perPixel = colourType == 0 ? 1 : colourType == 2 ? 3 : colourType == 4 ? 2 : 4;
					byte[] samples = new byte[w * h * perPixel * depth / 8];
					for (int i = 0; i < samples.length; i++)
						samples[i] = (byte) (rnd.nextInt(4) == 0 ? rnd.nextInt(256) : (i * 7 / (perPixel * depth / 8)) + rnd.nextInt(5));
					byte[] png = PngBytes.encode(w, h, colourType, depth, samples, false);
					String what = "colour type " + colourType + ", " + depth + "-bit, " + w + "x" + h;
					RandomAccessibleInterval<? extends RealType<?>> direct = PngFileDecoder.decode(png);
					assertNotNull(direct, what + " should be decoded directly");
					Path file = Files.write(tmp.resolve("t" + colourType + "_" + depth + "_" + w + ".png"), png);
					ImageIoFileDecoder imageIo = new ImageIoFileDecoder(file, ImageFormat.PNG);
					ImageInfo info = imageIo.readInfo();
					assertEquals(info, new PngFileDecoder(file).readInfo(), what);
					assertSamePlane(imageIo.readPlanes(info).get(0), direct, what);
					assertSamePlane(direct, ImageFileReader.read(file).plane(0), what);
					assertSamePlane(direct, expectedFromRaster(file), what + " (against Raster.getSample)");
				}
	}

	@Test
	void imageIoWrittenFilesEqualImageIo() throws IOException {
		Random rnd = new Random(5);
		for (int type : new int[] { BufferedImage.TYPE_3BYTE_BGR, BufferedImage.TYPE_4BYTE_ABGR, BufferedImage.TYPE_INT_RGB,
			BufferedImage.TYPE_BYTE_GRAY, BufferedImage.TYPE_USHORT_GRAY }) {
			BufferedImage bi = new BufferedImage(45, 31, type);
			for (int y = 0; y < 31; y++)
				for (int x = 0; x < 45; x++)
					for (int b = 0; b < bi.getRaster().getNumBands(); b++)
						bi.getRaster().setSample(x, y, b, (x * 5 + y * 3 + rnd.nextInt(9)) * (type == BufferedImage.TYPE_USHORT_GRAY ? 250 : 1) % 65536
							& (type == BufferedImage.TYPE_USHORT_GRAY ? 0xFFFF : 0xFF));
			Path file = tmp.resolve("imageio" + type + ".png");
			ImageIO.write(bi, "png", file.toFile());
			RandomAccessibleInterval<? extends RealType<?>> direct = PngFileDecoder.decode(Files.readAllBytes(file));
			assertNotNull(direct, "type " + type);
			ImageIoFileDecoder imageIo = new ImageIoFileDecoder(file, ImageFormat.PNG);
			assertSamePlane(imageIo.readPlanes(imageIo.readInfo()).get(0), direct, "type " + type);
			assertSamePlane(expectedFromRaster(file), direct, "type " + type + " (against Raster.getSample)");
		}
	}

	@Test
	void otherLayoutsAndExtrasAreLeftToImageIo() throws IOException {
		byte[] rgb = new byte[6 * 4 * 3];
		for (int i = 0; i < rgb.length; i++) rgb[i] = (byte) (i * 11);
		// Transparency key, colour profile, unknown critical chunk, interlacing: not decoded here.
		byte[][] declined = {
			PngBytes.encode(6, 4, 2, 8, rgb, false, PngBytes.chunk("tRNS", new byte[] { 0, 0, 0, 11, 0, 22 })),
			PngBytes.encode(6, 4, 2, 8, rgb, false, PngBytes.chunk("iCCP", new byte[] { 'x', 0, 0 })),
			PngBytes.encode(6, 4, 2, 8, rgb, false, PngBytes.chunk("ABCD", new byte[] { 1 })),
			PngBytes.encode(6, 4, 2, 8, rgb, true),
		};
		for (byte[] png : declined) assertNull(PngFileDecoder.decode(png));
		// Ancillary chunks that do not change pixel values are fine.
		assertNotNull(PngFileDecoder.decode(PngBytes.encode(6, 4, 2, 8, rgb, false, PngBytes.chunk("gAMA", new byte[] { 0, 0, (byte) 0xB1, (byte) 0x8F }))));

		// A palette file still reads as before, through javax.imageio.
		byte[] lut = { 0, (byte) 128, (byte) 255 };
		BufferedImage indexed = new BufferedImage(3, 1, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(8, 3, lut, lut, lut));
		indexed.getRaster().setSamples(0, 0, 3, 1, 0, new int[] { 2, 0, 1 });
		Path palette = tmp.resolve("palette.png");
		ImageIO.write(indexed, "png", palette.toFile());
		assertNull(PngFileDecoder.decode(Files.readAllBytes(palette)));
		assertArrayEquals(new float[] { 255, 0, 128 }, Planes.channel(ImageFileReader.read(palette).plane(0), 0));
	}

	@Test
	void damagedFilesFailAsBefore() throws IOException {
		byte[] grey = new byte[40 * 30];
		new Random(3).nextBytes(grey);
		byte[] png = PngBytes.encode(40, 30, 0, 8, grey, false);
		byte[] truncated = Arrays.copyOf(png, png.length / 2);
		assertNull(PngFileDecoder.decode(truncated));
		Path file = Files.write(tmp.resolve("truncated.png"), truncated);
		assertThrows(ImageFileException.class, () -> ImageFileReader.read(file));
		byte[] flipped = png.clone();
		flipped[png.length / 2] ^= 0x55;
		assertNull(PngFileDecoder.decode(flipped), "zlib's checksum catches a changed byte in the pixel data");
	}

	@Test
	void fixturesEqualImageIo() throws IOException {
		for (String name : List.of("rgb_8bit.png", "rgba.png", "grey_16bit.png")) {
			Path file = Fixtures.path(name);
			ImageIoFileDecoder imageIo = new ImageIoFileDecoder(file, ImageFormat.PNG);
			assertSamePlane(imageIo.readPlanes(imageIo.readInfo()).get(0), ImageFileReader.read(file).plane(0), name);
		}
	}

	/** The colour samples of ImageIO's decoded raster, one by one: the values the planes must hold. */
	private static RandomAccessibleInterval<? extends RealType<?>> expectedFromRaster(Path file) throws IOException {
		BufferedImage bi = ImageIO.read(file.toFile());
		Raster r = bi.getRaster();
		int w = bi.getWidth(), h = bi.getHeight(), n = w * h, colours = bi.getColorModel().getNumColorComponents();
		boolean sixteen = bi.getColorModel().getComponentSize(0) == 16;
		short[] s = new short[colours * n];
		byte[] b = new byte[colours * n];
		for (int c = 0; c < colours; c++)
			for (int y = 0; y < h; y++)
				for (int x = 0; x < w; x++) {
					s[c * n + y * w + x] = (short) r.getSample(x, y, c);
					b[c * n + y * w + x] = (byte) r.getSample(x, y, c);
				}
		if (sixteen) return colours == 1 ? Planes.grey16(s, w, h) : Planes.rgb16(s, w, h);
		return colours == 1 ? Planes.grey8(b, w, h) : Planes.rgb8(b, w, h);
	}

	private static void assertSamePlane(RandomAccessibleInterval<? extends RealType<?>> expected,
		RandomAccessibleInterval<? extends RealType<?>> actual, String what) {
		assertEquals(expected.getType().getClass(), actual.getType().getClass(), what);
		assertEquals(Planes.channels(expected), Planes.channels(actual), what);
		assertEquals(Planes.width(expected), Planes.width(actual), what);
		assertEquals(Planes.height(expected), Planes.height(actual), what);
		for (int c = 0; c < Planes.channels(expected); c++)
			assertArrayEquals(Planes.channel(expected, c), Planes.channel(actual, c), what + ", channel " + c);
	}
}
