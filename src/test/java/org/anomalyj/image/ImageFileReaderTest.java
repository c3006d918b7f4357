package org.anomalyj.image;

import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import ij.io.FileSaver;
import ij.measure.Calibration;
import ij.process.ByteProcessor;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
import ij.process.ShortProcessor;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageFileReaderTest {

	@TempDir
	Path tmp;

	// ---- formats written by Pillow, values from the formulas in make_fixtures.py ----

	private static float rgbFormula(int c, int x, int y) {
		return switch (c) {
			case 0 -> (40 * x + 7 * y) % 256;
			case 1 -> (3 * x + 50 * y) % 256;
			default -> (11 * x * y + 5) % 256;
		};
	}

	@Test
	void readsRgbInEveryFormat() throws IOException {
		for (String name : List.of("rgb_8bit.png", "rgb_8bit.bmp", "rgb_lzw.tif", "rgba.png")) {
			LoadedImage img = read(Fixtures.path(name));
			assertInfo(img.info(), PixelType.UINT8, 5, 4, 3, 1);
			for (int c = 0; c < 3; c++) {
				final int ch = c;
				assertPlane(img.plane(0), c, (x, y) -> rgbFormula(ch, x, y), name);
			}
		}
	}

	@Test
	void readsEightBitGreyAndPalettes() throws IOException {
		for (String name : List.of("grey_8bit.bmp", "grey_8bit.gif")) {
			LoadedImage img = read(Fixtures.path(name));
			assertInfo(img.info(), PixelType.UINT8, 5, 4, 1, 1);
			assertPlane(img.plane(0), 0, (x, y) -> 30 * x + 9 * y, name);
		}
		LoadedImage pal = read(Fixtures.path("palette.gif"));
		assertInfo(pal.info(), PixelType.UINT8, 5, 4, 3, 1);
		assertPlane(pal.plane(0), 0, (x, y) -> 60 * ((x + y) % 4), "red");
		assertPlane(pal.plane(0), 1, (x, y) -> 255 - 50 * ((x + y) % 4), "green");
		assertPlane(pal.plane(0), 2, (x, y) -> 20 + 30 * ((x + y) % 4), "blue");
	}

	@Test
	void readsSixteenBit() throws IOException {
		for (String name : List.of("grey_16bit.png", "grey_16bit.tif", "grey_16bit_lzw.tif")) {
			LoadedImage img = read(Fixtures.path(name));
			assertInfo(img.info(), PixelType.UINT16, 6, 3, 1, 1);
			assertPlane(img.plane(0), 0, (x, y) -> 10000 * x + 123 * y, name);
		}
	}

	@Test
	void readsFloatWithNaNAndInfinities() throws IOException {
		LoadedImage img = read(Fixtures.path("float_nan.tif"));
		assertInfo(img.info(), PixelType.FLOAT32, 4, 3, 1, 1);
		float[] v = Planes.channel(img.plane(0), 0);
		assertTrue(Float.isNaN(v[0]));
		assertEquals(Float.POSITIVE_INFINITY, v[4 + 1]);
		assertEquals(Float.NEGATIVE_INFINITY, v[8 + 2]);
		for (int y = 0; y < 3; y++)
			for (int x = 0; x < 4; x++)
				if (x != y) assertEquals(0.5f * x - 1.25f * y, v[y * 4 + x]);
	}

	@Test
	void readsMultiPageTiffAsPlanes() throws IOException {
		LoadedImage img = read(Fixtures.path("stack_3pages.tif"));
		assertInfo(img.info(), PixelType.UINT8, 4, 4, 1, 3);
		for (int k = 0; k < 3; k++) {
			final int page = k;
			assertPlane(img.plane(k), 0, (x, y) -> 10 * page + x + 4 * y, "page " + k);
		}
		assertThrows(ImageFileException.class, img::singlePlane);
	}

	@Test
	void readsTiffResolutionAsCalibration() throws IOException {
		ImageInfo info = read(Fixtures.path("grey_300dpi.tif")).info();
		assertEquals("inch", info.calibration().unit());
		assertEquals(1.0 / 300, info.calibration().pixelWidth(), 1e-12);
		assertEquals(1.0 / 300, info.calibration().pixelHeight(), 1e-12);
		assertFalse(read(Fixtures.path("grey_16bit.tif")).info().calibration().isCalibrated());
	}

	@Test
	void readsSampleDataJpegLikePillow() throws IOException {
		var ref = Fixtures.json("preprocess.json").getAsJsonObject("jpeg");
		LoadedImage img = read(Path.of(ref.get("file").getAsString()));
		assertInfo(img.info(), PixelType.UINT8, ref.get("width").getAsInt(), ref.get("height").getAsInt(), 3, 1);
		assertEquals("JPEG", img.info().format());
		for (int c = 0; c < 3; c++) {
			float[] v = Planes.channel(img.plane(0), c);
			double mean = 0;
			for (float f : v) mean += f;
			mean /= v.length;
			// JPEG decoders may differ by a grey level here and there; the means agree closely.
			assertEquals(ref.getAsJsonArray("mean").get(c).getAsDouble(), mean, 0.5, "channel " + c);
		}
	}

	@Test
	void headerInfoAgreesWithDecodedImage() throws IOException {
		for (String name : List.of("rgb_8bit.png", "rgb_8bit.bmp", "rgb_lzw.tif", "rgba.png", "grey_8bit.bmp", "grey_8bit.gif",
			"palette.gif", "grey_16bit.png", "grey_16bit.tif", "grey_16bit_lzw.tif", "float_nan.tif", "stack_3pages.tif", "grey_300dpi.tif")) {
			Path p = Fixtures.path(name);
			assertEquals(read(p).info(), ImageFileReader.readInfo(p), name);
		}
	}

	// ---- files written by ImageJ: what Fiji users save ----

	@Test
	void readsImageJSixteenBitStackWithCalibration() throws IOException {
		ImageStack stack = new ImageStack(7, 5);
		for (int k = 0; k < 4; k++) {
			short[] px = new short[35];
			for (int i = 0; i < 35; i++) px[i] = (short) (1000 * k + i * 300);
			stack.addSlice(new ShortProcessor(7, 5, px, null));
		}
		ImagePlus imp = new ImagePlus("stack", stack);
		Calibration cal = new Calibration();
		cal.pixelWidth = 0.25;
		cal.pixelHeight = 0.5;
		cal.setUnit("micron");
		imp.setCalibration(cal);
		Path file = tmp.resolve("stack16.tif");
		assertTrue(new FileSaver(imp).saveAsTiffStack(file.toString()));

		LoadedImage img = read(file);
		assertInfo(img.info(), PixelType.UINT16, 7, 5, 1, 4);
		assertEquals(new PixelCalibration(0.25, 0.5, "micron"), img.info().calibration());
		for (int k = 0; k < 4; k++) {
			final int slice = k;
			assertPlane(img.plane(k), 0, (x, y) -> 1000 * slice + (y * 7 + x) * 300, "slice " + k);
		}
	}

	@Test
	void readsImageJFloatRgbAndColourLutTiffs() throws IOException {
		float[] f = { Float.NaN, -3.5f, 1e30f, Float.POSITIVE_INFINITY, 0f, 42.25f };
		Path floatFile = save(new ImagePlus("f", new FloatProcessor(3, 2, f.clone())), "float.tif");
		LoadedImage fimg = read(floatFile);
		assertInfo(fimg.info(), PixelType.FLOAT32, 3, 2, 1, 1);
		assertArrayEquals(f, Planes.channel(fimg.plane(0), 0));

		int[] argb = { 0xFF102030, 0xFFFFFFFF, 0xFF000000, 0xFF7F8081 };
		LoadedImage rgb = read(save(new ImagePlus("rgb", new ColorProcessor(2, 2, argb.clone())), "rgb.tif"));
		assertInfo(rgb.info(), PixelType.UINT8, 2, 2, 3, 1);
		assertArrayEquals(new float[] { 0x10, 0xFF, 0, 0x7F }, Planes.channel(rgb.plane(0), 0));
		assertArrayEquals(new float[] { 0x30, 0xFF, 0, 0x81 }, Planes.channel(rgb.plane(0), 2));

		// ImageJ treats the colour map as a display LUT: the data are the indices.
		LoadedImage withLut = read(save(colourLutImage(), "lut.tif"));
		assertInfo(withLut.info(), PixelType.UINT8, 3, 1, 1, 1);
		assertArrayEquals(new float[] { 0, 1, 2 }, Planes.channel(withLut.plane(0), 0));
	}

	/** The same TIFF must give the same planes in the CLI (file reader) and in Fiji (ImagePlus). */
	@Test
	void fileReaderAgreesWithImageJOpener() throws IOException {
		ImagePlus[] images = {
			new ImagePlus("g8", new ByteProcessor(4, 3, new byte[] { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, (byte) 250 })),
			new ImagePlus("g16", new ShortProcessor(2, 2, new short[] { 0, 1, (short) 40000, (short) 65535 }, null)),
			new ImagePlus("g32", new FloatProcessor(2, 1, new float[] { -1.5f, Float.NaN })),
			new ImagePlus("rgb", new ColorProcessor(2, 1, new int[] { 0xFF010203, 0xFFFEFDFC })),
			colourLutImage() };
		for (ImagePlus imp : images) {
			Path file = save(imp, imp.getTitle() + ".tif");
			List<RandomAccessibleInterval<? extends RealType<?>>> fromFile = read(file).planes();
			List<RandomAccessibleInterval<? extends RealType<?>>> fromImageJ = ImagePlusConverter.toPlanes(IJ.openImage(file.toString()));
			assertEquals(fromImageJ.size(), fromFile.size());
			assertEquals(Planes.channels(fromImageJ.get(0)), Planes.channels(fromFile.get(0)), imp.getTitle());
			assertEquals(fromImageJ.get(0).getType().getClass(), fromFile.get(0).getType().getClass(), imp.getTitle());
			for (int c = 0; c < Planes.channels(fromFile.get(0)); c++)
				assertArrayEquals(Planes.channel(fromImageJ.get(0), c), Planes.channel(fromFile.get(0), c), imp.getTitle());
		}
	}

	@Test
	void onePixelImageReadsAndPreprocesses() throws IOException {
		BufferedImage bi = new BufferedImage(1, 1, BufferedImage.TYPE_BYTE_GRAY);
		bi.getRaster().setSample(0, 0, 0, 204);
		Path file = tmp.resolve("dot.png");
		ImageIO.write(bi, "png", file.toFile());
		LoadedImage img = read(file);
		assertInfo(img.info(), PixelType.UINT8, 1, 1, 1, 1);
		for (float v : new Preprocessor(256).toInput(img.singlePlane())) assertEquals(0.8f, v, 1e-7f);
	}

	// ---- bad files: one-line IOException naming the file, nothing printed ----

	@Test
	void emptyMissingAndFolder() throws IOException {
		assertFails(Files.write(tmp.resolve("empty.png"), new byte[0]), "is empty (0 bytes)");
		assertFails(tmp.resolve("missing.png"), "does not exist");
		assertFails(Files.createDirectory(tmp.resolve("folder.png")), "is a folder");
	}

	@Test
	void nonImagesWithImageExtensions() throws IOException {
		assertFails(Files.writeString(tmp.resolve("notes.jpg"), "just some text\nsecond line\n"), "looks like a text file");
		byte[] noise = new byte[200];
		new Random(3).nextBytes(noise);
		noise[0] = 0x01;
		assertFails(Files.write(tmp.resolve("noise.png"), noise), "starts with bytes 01");
		byte[] webp = "RIFF\0\0\0\0WEBPVP8 ".getBytes(StandardCharsets.US_ASCII);
		assertFails(Files.write(tmp.resolve("photo.png"), webp), "WebP");
		assertFails(Files.write(tmp.resolve("big.tif"), new byte[] { 'I', 'I', 43, 0, 8, 0, 0, 0 }), "BigTIFF");
	}

	@Test
	void truncatedFilesOfEveryFormat() throws IOException {
		BufferedImage noise = noiseImage(64, 48);
		for (String format : List.of("png", "bmp", "gif")) {
			Path whole = tmp.resolve("whole." + format);
			assertTrue(ImageIO.write(format.equals("gif") ? toIndexed(noise) : noise, format, whole.toFile()));
			read(whole); // the complete file is fine
			assertFails(cut(whole, 0.6), "");
		}
		Path jpeg = Path.of("sample-data/ball_screw/train/good").toAbsolutePath();
		try (var files = Files.list(jpeg)) {
			Path first = files.sorted().findFirst().orElseThrow();
			Path copy = Files.copy(first, tmp.resolve("whole.jpg"));
			assertFails(cut(copy, 0.5), "");
		}
		ShortProcessor sp = new ShortProcessor(64, 64);
		for (int i = 0; i < 64 * 64; i++) sp.set(i, i);
		Path tif = save(new ImagePlus("t", sp), "whole.tif");
		assertFails(cut(tif, 0.6), "truncated");
		assertFails(cut(tif, 30.0 / Files.size(tif)), "");
	}

	@Test
	void corruptData() throws IOException {
		Path png = tmp.resolve("noise.png");
		ImageIO.write(noiseImage(64, 48), "png", png.toFile());
		byte[] b = Files.readAllBytes(png);
		Arrays.fill(b, b.length / 3, b.length / 3 + 200, (byte) 0xFF);
		assertFails(Files.write(tmp.resolve("corrupt.png"), b), "");

		byte[] jpeg = new byte[4000];
		new Random(5).nextBytes(jpeg);
		jpeg[0] = (byte) 0xFF;
		jpeg[1] = (byte) 0xD8;
		jpeg[2] = (byte) 0xFF;
		assertFails(Files.write(tmp.resolve("corrupt.jpg"), jpeg), "");

		byte[] tiff = new byte[300];
		new Random(9).nextBytes(tiff);
		tiff[0] = 'I';
		tiff[1] = 'I';
		tiff[2] = 42;
		tiff[3] = 0;
		assertFails(Files.write(tmp.resolve("corrupt.tif"), tiff), "");
	}

	@Test
	void corruptTiffDirectories() throws IOException {
		assertFails(Files.write(tmp.resolve("loop.tif"), TiffBytes.grey8(2, 2, 0).build(8)), "loop");
		assertFails(Files.write(tmp.resolve("outside.tif"), TiffBytes.grey8(2, 2, 0).build(1_000_000)), "outside");
		byte[] header = { 'I', 'I', 42, 0, (byte) 0x40, 0x42, 0x0F, 0 };
		assertFails(Files.write(tmp.resolve("header-only.tif"), header), "");
	}

	@Test
	void hugeImagesAreRefusedFromTheHeader() throws IOException {
		Path png = Files.write(tmp.resolve("huge.png"), HeaderOnlyPng.grey8(20000, 20000));
		ImageInfo info = ImageFileReader.readInfo(png);
		assertEquals(20000, info.width());
		ImageFileException e = assertFails(png, "400.0 megapixels");
		assertTrue(e.getMessage().contains("limit of 100 megapixels"), e.getMessage());

		assertFails(Files.write(tmp.resolve("huge.tif"), TiffBytes.grey8(12000, 10000, 8).build(0)), "120.0 megapixels");
		byte[] stack = TiffBytes.grey8(1000, 1000, 8).description("ImageJ=1.54p\nimages=600\n").build(0);
		assertFails(Files.write(tmp.resolve("stack.tif"), stack), "stack of 600 images");
	}

	// ---- helpers ----

	private static LoadedImage read(Path file) throws IOException {
		return ImageFileReader.read(file);
	}

	/** Reads a bad file: must throw one ImageFileException naming the file, one line, and print nothing. */
	private static ImageFileException assertFails(Path file, String expected) {
		PrintStream out = System.out, err = System.err;
		ByteArrayOutputStream captured = new ByteArrayOutputStream();
		PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8);
		ImageFileException e;
		try {
			System.setOut(capture);
			System.setErr(capture);
			e = assertThrows(ImageFileException.class, () -> ImageFileReader.read(file));
		}
		finally {
			System.setOut(out);
			System.setErr(err);
		}
		String m = e.getMessage();
		assertTrue(m.startsWith(file.toString() + ": "), m);
		assertFalse(m.contains("\n") || m.contains("\r"), m);
		assertTrue(m.contains(expected), "expected '" + expected + "' in: " + m);
		assertEquals("", captured.toString(StandardCharsets.UTF_8), "printed while reading " + file);
		assertEquals(file, e.file());
		return e;
	}

	private static void assertInfo(ImageInfo info, PixelType type, int w, int h, int channels, int slices) {
		assertEquals(type, info.pixelType(), info.describe());
		assertEquals(w, info.width(), info.describe());
		assertEquals(h, info.height(), info.describe());
		assertEquals(channels, info.channels(), info.describe());
		assertEquals(slices, info.slices(), info.describe());
	}

	interface Formula {
		float at(int x, int y);
	}

	private static void assertPlane(RandomAccessibleInterval<? extends RealType<?>> plane, int c, Formula f, String what) {
		float[] v = Planes.channel(plane, c);
		int w = Planes.width(plane);
		for (int i = 0; i < v.length; i++)
			assertEquals(f.at(i % w, i / w), v[i], what + " channel " + c + " at (" + i % w + ", " + i / w + ")");
	}

	private Path save(ImagePlus imp, String name) {
		Path file = tmp.resolve(name);
		assertTrue(new FileSaver(imp).saveAsTiff(file.toString()));
		return file;
	}

	/** 8-bit image with a colour LUT: index 0 black, 1 red, 2 green. */
	static ImagePlus colourLutImage() {
		byte[] r = new byte[256], g = new byte[256], b = new byte[256];
		r[1] = (byte) 255;
		g[2] = (byte) 255;
		ByteProcessor bp = new ByteProcessor(3, 1, new byte[] { 0, 1, 2 }, new IndexColorModel(8, 256, r, g, b));
		return new ImagePlus("lut", bp);
	}

	private Path cut(Path whole, double fraction) throws IOException {
		byte[] b = Files.readAllBytes(whole);
		String name = whole.getFileName().toString().replace("whole", "cut" + Math.round(fraction * 100));
		return Files.write(tmp.resolve(name), Arrays.copyOf(b, (int) Math.max(1, b.length * fraction)));
	}

	private static BufferedImage noiseImage(int w, int h) {
		BufferedImage bi = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
		Random r = new Random(11);
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++) bi.setRGB(x, y, r.nextInt() & 0xFFFFFF);
		return bi;
	}

	private static BufferedImage toIndexed(BufferedImage src) {
		BufferedImage out = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_BYTE_INDEXED);
		out.getGraphics().drawImage(src, 0, 0, null);
		return out;
	}
}
