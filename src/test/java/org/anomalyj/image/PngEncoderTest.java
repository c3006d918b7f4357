package org.anomalyj.image;

import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** The encoder's files, decoded by javax.imageio's independent PNG reader, give back the pixels given. */
class PngEncoderTest {

	private static BufferedImage decode(ByteArrayOutputStream png) throws IOException {
		BufferedImage img = ImageIO.read(new ByteArrayInputStream(png.toByteArray()));
		assertNotNull(img, "javax.imageio reads the file");
		return img;
	}

	@Test
	void rgbImagesComeBackPixelForPixel() throws IOException {
		Random r = new Random(1);
		// 1 x 1, odd widths, and one wider than the 64 kB chunk buffer holds in a row band (several IDAT chunks).
		int[][] sizes = {{1, 1}, {7, 3}, {301, 199}, {1200, 90}};
		for (int[] s : sizes) {
			int w = s[0], h = s[1];
			int[] rgb = new int[w * h];
			// Smooth gradients (Paeth's case) with noise and saturated values (wrap-around of the byte differences).
			for (int i = 0; i < rgb.length; i++) {
				int x = i % w, y = i / w;
				int red = (x * 3 + r.nextInt(5)) & 0xff, green = r.nextBoolean() ? 255 : 0, blue = (y * 7 + x) & 0xff;
				rgb[i] = red << 16 | green << 8 | blue;
			}
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			PngEncoder.writeRgb(rgb, w, h, out);
			BufferedImage back = decode(out);
			assertEquals(w, back.getWidth());
			assertEquals(h, back.getHeight());
			for (int i = 0; i < rgb.length; i++) assertEquals(rgb[i], back.getRGB(i % w, i / w) & 0xffffff, w + "x" + h + " pixel " + i);
		}
	}

	@Test
	void greyImagesComeBackPixelForPixel() throws IOException {
		Random r = new Random(2);
		int w = 257, h = 131;
		byte[] grey = new byte[w * h];
		for (int i = 0; i < grey.length; i++) grey[i] = (byte) (i % 5 == 0 ? r.nextInt(256) : (i % w) & 0xff);
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		PngEncoder.writeGrey(grey, w, h, out);
		BufferedImage back = decode(out);
		assertEquals(BufferedImage.TYPE_BYTE_GRAY, back.getType(), "an 8-bit grey PNG");
		byte[] values = (byte[]) back.getRaster().getDataElements(0, 0, w, h, null);
		assertArrayEquals(grey, values);
	}

	@Test
	void imagesDeflatedInSeveralBandsComeBackPixelForPixel() throws IOException {
		Random r = new Random(4);
		// 3.6 and 2.2 bands of PngEncoder.BAND_BYTES: the bands' streams must join into one.
		int w = 1500, h = 840;
		int[] rgb = new int[w * h];
		for (int i = 0; i < rgb.length; i++) rgb[i] = (i / w) % 200 < 100 ? r.nextInt(1 << 24) : (i % w) * 0x010101 & 0xffffff;
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		PngEncoder.writeRgb(rgb, w, h, out);
		BufferedImage back = decode(out);
		for (int i = 0; i < rgb.length; i++) assertEquals(rgb[i], back.getRGB(i % w, i / w) & 0xffffff, "pixel " + i);
		int gw = 1024, gh = 2300;
		byte[] grey = new byte[gw * gh];
		for (int i = 0; i < grey.length; i++) grey[i] = (byte) (i % 7 == 0 ? r.nextInt(256) : i / gw);
		ByteArrayOutputStream g = new ByteArrayOutputStream();
		PngEncoder.writeGrey(grey, gw, gh, g);
		assertArrayEquals(grey, (byte[]) decode(g).getRaster().getDataElements(0, 0, gw, gh, null));
	}

	@Test
	void flatAndNoisyOverlaysAreBothCodedWell() throws IOException {
		// Coding each byte on its own (zlib's Huffman-only strategy, which overlays use) needs a bit
		// per byte: ~300 kB for a flat 900 x 900 image. The encoder sees that and matches strings
		// instead: 27 kB, of which the first 32 kB of each band coded byte by byte 13 kB.
		int w = 900, h = 900;
		int[] flat = new int[w * h];
		java.util.Arrays.fill(flat, 0x4080c0);
		ByteArrayOutputStream f = new ByteArrayOutputStream();
		PngEncoder.writeRgb(flat, w, h, f);
		assertTrue(f.size() < 2 * 3 * w * h / 100, "flat image: " + f.size() + " bytes");
		BufferedImage back = decode(f);
		for (int i = 0; i < flat.length; i += 997) assertEquals(flat[i], back.getRGB(i % w, i / w) & 0xffffff);
		// Noise cannot be coded below its entropy, 8 bits per byte here: the file is not much larger than the pixels.
		Random r = new Random(6);
		int[] noise = new int[w * h];
		for (int i = 0; i < noise.length; i++) noise[i] = r.nextInt(1 << 24);
		ByteArrayOutputStream n = new ByteArrayOutputStream();
		PngEncoder.writeRgb(noise, w, h, n);
		assertTrue(n.size() < 3L * w * h * 102 / 100, "noise: " + n.size() + " bytes");
		BufferedImage nb = decode(n);
		for (int i = 0; i < noise.length; i += 101) assertEquals(noise[i], nb.getRGB(i % w, i / w) & 0xffffff);
	}

	@Test
	void adlerChecksumsCombineAsOverTheWholeSequence() {
		Random r = new Random(5);
		byte[] a = new byte[70_000], b = new byte[123_457];
		r.nextBytes(a);
		r.nextBytes(b);
		java.util.zip.Adler32 whole = new java.util.zip.Adler32(), first = new java.util.zip.Adler32(), second = new java.util.zip.Adler32();
		whole.update(a);
		whole.update(b);
		first.update(a);
		second.update(b);
		assertEquals(whole.getValue(), PngEncoder.adlerCombine(first.getValue(), second.getValue(), b.length));
		assertEquals(second.getValue(), PngEncoder.adlerCombine(1, second.getValue(), b.length), "1 is the checksum of nothing");
	}

	@Test
	void aPixelCountThatDoesNotMatchTheSizeIsRefused() {
		assertThrows(IllegalArgumentException.class, () -> PngEncoder.writeGrey(new byte[10], 3, 3, new ByteArrayOutputStream()));
		assertThrows(IllegalArgumentException.class, () -> PngEncoder.writeRgb(new int[0], 0, 0, new ByteArrayOutputStream()));
	}
}
