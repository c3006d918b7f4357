package org.anomalyj.image;

import org.anomalyj.task.HelperThreads;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads PNG, JPEG, TIFF (8/16/32-bit grey, RGB, 48-bit RGB, stacks), BMP and GIF files into planes
 * (see the package documentation for the convention). TIFF is decoded with ImageJ's TIFF reader,
 * so files give the same pixel values as in Fiji; the other formats with javax.imageio (common PNG
 * layouts with a faster direct decoder that gives the same values).
 * <p>
 * The format is recognised from the file's first bytes, not its name. Any problem (missing, empty,
 * truncated or corrupt file, unknown format, image too large) is an {@link ImageFileException}
 * whose one-line message names the file; nothing is printed and null is never returned.
 */
public final class ImageFileReader {

	/** Largest plane decoded, in pixels. Larger images are refused from their header, before decoding. */
	public static final long MAX_PLANE_PIXELS = 100_000_000L;

	/** Largest total over all planes of a stack, in pixels. */
	public static final long MAX_TOTAL_PIXELS = 500_000_000L;

	/** Lower-case file name extensions of the supported formats, without the dot. */
	public static final List<String> EXTENSIONS;

	static {
		List<String> all = new ArrayList<>();
		for (ImageFormat f : ImageFormat.values()) all.addAll(f.extensions);
		EXTENSIONS = List.copyOf(all);
	}

	private ImageFileReader() {}

	/** What reading one of several files gave: its image, or else the problem. */
	public record Outcome(Path file, LoadedImage image, IOException problem) {

		/** The image, or the problem thrown. */
		public LoadedImage get() throws IOException {
			if (problem != null) throw problem;
			return image;
		}
	}

	/**
	 * Files read side by side, each as {@link #read} reads it, in the files' order. All are held at
	 * once: callers bound how many (a batch's worth; a batch run also by their pixels).
	 */
	public static List<Outcome> readEach(List<Path> files) {
		// Decoding one file is one thread's work.
		return HelperThreads.each(HelperThreads.IMAGES, files.size(), i -> {
			Path f = files.get(i);
			try {
				return new Outcome(f, read(f), null);
			} catch (IOException e) {
				return new Outcome(f, null, e);
			}
		});
	}

	/** Whether the file name has one of {@link #EXTENSIONS} (case-insensitive). Says nothing about the content. */
	public static boolean hasImageExtension(Path file) {
		Path name = file.getFileName();
		return name != null && ImageFormat.fromFileName(name.toString()) != null;
	}

	/** Reads the file's header only: size, pixel type, number of images, calibration. */
	public static ImageInfo readInfo(Path file) throws IOException {
		return decoder(file).readInfo();
	}

	/** Reads the whole image. Images above {@link #MAX_PLANE_PIXELS} or {@link #MAX_TOTAL_PIXELS} are refused before decoding. */
	public static LoadedImage read(Path file) throws IOException {
		FileDecoder decoder = decoder(file);
		ImageInfo header = decoder.readInfo();
		checkSize(file, header);
		List<RandomAccessibleInterval<? extends RealType<?>>> planes;
		try {
			planes = decoder.readPlanes(header);
		}
		catch (OutOfMemoryError e) {
			throw new ImageFileException(file, "not enough memory to decode this " + header.describe()
				+ "; give Java more memory (-Xmx) or downscale the image");
		}
		RandomAccessibleInterval<? extends RealType<?>> first = planes.get(0);
		RealType<?> type = first.getType();
		ImageInfo info = new ImageInfo(header.format(), PixelType.of(type), Planes.width(first), Planes.height(first),
			Planes.channels(first), planes.size(), header.calibration());
		return new LoadedImage(file, info, planes);
	}

	private static void checkSize(Path file, ImageInfo info) throws ImageFileException {
		long plane = info.pixelsPerPlane();
		if (plane > MAX_PLANE_PIXELS)
			throw new ImageFileException(file, String.format(Locale.ROOT,
				"is %dx%d pixels (%.1f megapixels), more than the limit of %d megapixels per image; "
					+ "downscale or tile it first (e.g. Image > Scale or Image > Crop in Fiji)",
				info.width(), info.height(), plane / 1e6, MAX_PLANE_PIXELS / 1_000_000));
		long total = plane * info.slices();
		if (total > MAX_TOTAL_PIXELS)
			throw new ImageFileException(file, String.format(Locale.ROOT,
				"is a stack of %d images of %dx%d pixels (%.1f megapixels in total), more than the limit of %d megapixels; "
					+ "split it into smaller stacks or single images first",
				info.slices(), info.width(), info.height(), total / 1e6, MAX_TOTAL_PIXELS / 1_000_000));
	}

	private static FileDecoder decoder(Path file) throws IOException {
		ImageFormat format = detectFormat(file);
		return switch (format) {
			case TIFF -> new TiffFileDecoder(file);
			case PNG -> new PngFileDecoder(file);
			default -> new ImageIoFileDecoder(file, format);
		};
	}

	/** Checks that the file is a readable, non-empty file and recognises its format from the first bytes. */
	static ImageFormat detectFormat(Path file) throws IOException {
		if (Files.isDirectory(file)) throw new ImageFileException(file, "is a folder, not an image file");
		if (!Files.exists(file)) throw new ImageFileException(file, "does not exist");
		if (!Files.isRegularFile(file)) throw new ImageFileException(file, "is not a regular file");
		byte[] head = new byte[ImageFormat.SIGNATURE_BYTES];
		int n;
		try (InputStream in = Files.newInputStream(file)) {
			n = in.readNBytes(head, 0, head.length);
		}
		catch (AccessDeniedException e) {
			throw new ImageFileException(file, "cannot be read (permission denied)");
		}
		catch (IOException e) {
			throw new ImageFileException(file, "cannot be read: " + ImageFileException.describe(e), e);
		}
		if (n == 0) throw new ImageFileException(file, "is empty (0 bytes)");
		ImageFormat format = ImageFormat.detect(head, n);
		if (format == null) throw new ImageFileException(file, ImageFormat.describeUnsupported(head, n));
		return format;
	}
}
