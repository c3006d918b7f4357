package org.anomalyj.testing;

import org.anomalyj.image.ImageFileReader;
import org.anomalyj.image.Planes;

import ij.ImagePlus;
import ij.io.FileSaver;
import ij.process.FloatProcessor;
import ij.process.ShortProcessor;

import javax.imageio.ImageIO;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Image files of every kind the tests feed the tool, written with ImageJ and javax.imageio. */
public final class TestImages {

	private TestImages() {}

	public static Path write(BufferedImage img, String format, Path file) throws IOException {
		if (!ImageIO.write(img, format, file.toFile())) throw new IOException("no " + format + " writer");
		return file;
	}

	/** A grey image of {@code w x h} with a gradient, so it is not flat. */
	public static BufferedImage grey(int w, int h) {
		BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++) img.getRaster().setSample(x, y, 0, (x * 7 + y * 13) % 256);
		return img;
	}

	/** An image file scaled to {@code w x h} (bilinear), as another camera or a crop would give. */
	public static Path scaled(Path source, int w, int h, String format, Path file) throws IOException {
		BufferedImage src = ImageIO.read(source.toFile());
		BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
		Graphics2D g = out.createGraphics();
		g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
		g.drawImage(src, 0, 0, w, h, null);
		g.dispose();
		return write(out, format, file);
	}

	/** The first channel of an 8-bit image as a 16-bit TIFF, {@code v * scale + offset}: a 12-bit camera's range, say. */
	public static Path sixteenBit(Path source, int scale, int offset, Path file) throws IOException {
		var plane = ImageFileReader.read(source).plane(0);
		float[] v = Planes.channel(plane, 0);
		short[] px = new short[v.length];
		for (int i = 0; i < v.length; i++) px[i] = (short) (v[i] * scale + offset);
		return tiff(new ImagePlus("16", new ShortProcessor(Planes.width(plane), Planes.height(plane), px, null)), file);
	}

	/** A 32-bit float TIFF. */
	public static Path float32(float[] pixels, int w, int h, Path file) throws IOException {
		return tiff(new ImagePlus("32", new FloatProcessor(w, h, pixels)), file);
	}

	private static Path tiff(ImagePlus imp, Path file) throws IOException {
		if (!new FileSaver(imp).saveAsTiff(file.toString())) throw new IOException(file + ": ImageJ could not write it");
		return file;
	}

	/** The first {@code fraction} of a file's bytes, as a cut-off download or a full disk leaves it. */
	public static Path truncated(Path source, double fraction, Path file) throws IOException {
		byte[] b = Files.readAllBytes(source);
		return Files.write(file, java.util.Arrays.copyOf(b, (int) (b.length * fraction)));
	}
}
