package org.anomalyj.image;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.stream.ImageInputStream;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * PNG, JPEG, BMP and GIF through javax.imageio. Decoder warnings (e.g. "Premature end of JPEG file",
 * which otherwise yields a grey-filled image) are treated as errors: a damaged file must not become
 * a silently wrong training image.
 */
final class ImageIoFileDecoder implements FileDecoder {

	private final Path file;
	private final ImageFormat format;

	ImageIoFileDecoder(Path file, ImageFormat format) {
		this.file = file;
		this.format = format;
	}

	@Override
	public ImageInfo readInfo() throws IOException {
		try (ImageInputStream in = open()) {
			ImageReader reader = reader(in);
			try {
				int w = reader.getWidth(0), h = reader.getHeight(0);
				int frames = format == ImageFormat.GIF ? reader.getNumImages(true) : 1;
				if (frames < 1) throw new ImageFileException(file, "contains no complete image frame (the file may be truncated)");
				ImageTypeSpecifier raw = reader.getRawImageType(0);
				BufferedImagePlanes.Kind kind = raw == null ? BufferedImagePlanes.Kind.CONVERTED_RGB
					: BufferedImagePlanes.kindOf(raw.getColorModel(), raw.getSampleModel().getTransferType());
				return new ImageInfo(format.name(), kind.pixelType, w, h, kind.channels, frames, PixelCalibration.NONE);
			}
			finally {
				reader.dispose();
			}
		}
		catch (ImageFileException e) {
			throw e;
		}
		catch (IOException | RuntimeException e) {
			throw new ImageFileException(file, "cannot read the " + format + " header: " + ImageFileException.describe(e), e);
		}
	}

	@Override
	public List<RandomAccessibleInterval<? extends RealType<?>>> readPlanes(ImageInfo header) throws IOException {
		List<RandomAccessibleInterval<? extends RealType<?>>> planes = new ArrayList<>();
		List<String> warnings = new ArrayList<>();
		try (ImageInputStream in = open()) {
			ImageReader reader = reader(in);
			reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
			try {
				for (int i = 0; i < header.slices(); i++) {
					if (reader.getWidth(i) != header.width() || reader.getHeight(i) != header.height())
						throw new ImageFileException(file, "has frames of different sizes (frame 1: " + header.width() + "x"
							+ header.height() + ", frame " + (i + 1) + ": " + reader.getWidth(i) + "x" + reader.getHeight(i)
							+ "); such animated GIFs are not supported, save the frames as a TIFF stack");
					BufferedImage bi = reader.read(i);
					if (!warnings.isEmpty())
						throw new ImageFileException(file, "has damaged or truncated " + format + " data: " + warnings.get(0));
					RandomAccessibleInterval<? extends RealType<?>> plane = BufferedImagePlanes.toPlane(bi);
					if (!planes.isEmpty() && (Planes.channels(plane) != Planes.channels(planes.get(0))
						|| plane.getType().getClass() != planes.get(0).getType().getClass()))
						throw new ImageFileException(file, "has frames of different colour types; save the frames as a TIFF stack");
					planes.add(plane);
				}
			}
			finally {
				reader.dispose();
			}
		}
		catch (ImageFileException e) {
			throw e;
		}
		catch (IOException | RuntimeException e) {
			throw new ImageFileException(file, "cannot decode the " + format + " data: " + ImageFileException.describe(e), e);
		}
		return planes;
	}

	private ImageInputStream open() throws IOException {
		ImageInputStream in = ImageIO.createImageInputStream(file.toFile());
		if (in == null) throw new ImageFileException(file, "cannot be opened for reading");
		return in;
	}

	private ImageReader reader(ImageInputStream in) throws ImageFileException {
		Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.name().toLowerCase(Locale.ROOT));
		if (!readers.hasNext()) throw new ImageFileException(file, "no " + format + " decoder is available in this Java runtime");
		ImageReader reader = readers.next();
		reader.setInput(in, false, true);
		return reader;
	}
}
