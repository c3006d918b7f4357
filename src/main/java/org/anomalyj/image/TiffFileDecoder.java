package org.anomalyj.image;

import ij.io.FileInfo;
import ij.io.FileOpener;
import ij.io.RandomAccessStream;
import ij.io.TiffDecoder;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * TIFF through ImageJ's own reader ({@link TiffDecoder} for the header, {@link ij.io.ImageReader} for
 * the pixels), so that a file gives the pixel values Fiji shows. ImageJ's reader is lenient: it fills
 * missing data with zeros and logs errors instead of failing. So the structure is checked here first
 * (image directory chain, every strip inside the file) and the reader is called without its
 * logging paths (no FileOpener).
 * <p>
 * As in ImageJ, an 8-bit TIFF with a colour map gives its index values: ImageJ treats the map as a
 * display LUT (e.g. "Fire"), so a TIFF saved from Fiji reads back as the data Fiji had.
 */
final class TiffFileDecoder implements FileDecoder {

	/** More pages than this is not a stack we can score; also bounds the directory walk. */
	private static final int MAX_PAGES = 100_000;

	private final Path file;
	private FileInfo[] pages;
	private long fileLength;

	TiffFileDecoder(Path file) {
		this.file = file;
	}

	@Override
	public ImageInfo readInfo() throws IOException {
		fileLength = file.toFile().length();
		checkDirectoryChain();
		FileInfo[] info;
		try {
			String dir = file.toAbsolutePath().getParent().toString() + File.separator;
			info = new TiffDecoder(dir, file.getFileName().toString()).getTiffInfo();
			// ImageJ keeps the unit and the stack size in its image description.
			if (info != null && info.length > 0) new FileOpener(info[0]).decodeDescriptionString(info[0]);
		}
		catch (IOException | RuntimeException e) {
			throw new ImageFileException(file, "cannot read the TIFF header: " + ImageFileException.describe(e), e);
		}
		if (info == null || info.length == 0)
			throw new ImageFileException(file, "is not a valid TIFF file (no image directory)");
		FileInfo first = info[0];
		for (int i = 1; i < info.length; i++) {
			FileInfo p = info[i];
			if (p.width != first.width || p.height != first.height || p.fileType != first.fileType)
				throw new ImageFileException(file, "has pages of different size or type (page 1: " + first.width + "x" + first.height
					+ ", page " + (i + 1) + ": " + p.width + "x" + p.height + "); multi-resolution TIFFs are not supported");
		}
		if (first.width < 1 || first.height < 1)
			throw new ImageFileException(file, "has an invalid image size " + first.width + "x" + first.height);
		pages = info;
		int slices = info.length == 1 ? Math.max(1, first.nImages) : info.length;
		return new ImageInfo("TIFF", pixelType(first), first.width, first.height, channels(first), slices, calibration(first));
	}

	@Override
	public List<RandomAccessibleInterval<? extends RealType<?>>> readPlanes(ImageInfo header) throws IOException {
		if (pages == null) readInfo();
		for (FileInfo fi : pages) checkExtent(fi);
		List<RandomAccessibleInterval<? extends RealType<?>>> planes = new ArrayList<>();
		for (FileInfo fi : pages) {
			int n = Math.max(1, fi.nImages);
			for (int k = 0; k < n; k++) {
				long offset = fi.getOffset() + k * (planeBytes(fi) + fi.gapBetweenImages);
				planes.add(toPlane(fi, readPixels(fi, offset, planes.size() + 1)));
			}
		}
		return planes;
	}

	private Object readPixels(FileInfo fi, long offset, int index) throws IOException {
		FileInfo one = (FileInfo) fi.clone();
		one.nImages = 1;
		Object pixels;
		try (RandomAccessStream in = new RandomAccessStream(new RandomAccessFile(file.toFile(), "r"))) {
			// The two-argument form returns null instead of zero-filling when the data ends early.
			pixels = new ij.io.ImageReader(one).readPixels(in, offset);
		}
		catch (RuntimeException e) {
			throw new ImageFileException(file, "has corrupt pixel data in image " + index + " (" + ImageFileException.describe(e) + ")", e);
		}
		if (pixels == null)
			throw new ImageFileException(file, "could not decode the pixel data of image " + index + " (truncated or corrupt)");
		return pixels;
	}

	/** Follows the chain of image directories: catches loops and offsets outside the file before ImageJ walks it. */
	private void checkDirectoryChain() throws IOException {
		try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
			if (fileLength < 8) throw new ImageFileException(file, "is truncated: " + fileLength + " bytes is too short for a TIFF header");
			boolean little = raf.read() == 'I';
			raf.seek(4);
			long offset = uint32(raf, little);
			Set<Long> seen = new HashSet<>();
			while (offset != 0) {
				if (offset < 8 || offset + 2 > fileLength)
					throw new ImageFileException(file, "is truncated or corrupt: an image directory is at byte " + offset
						+ " but the file has " + fileLength + " bytes");
				if (!seen.add(offset))
					throw new ImageFileException(file, "is corrupt: its image directories form a loop");
				if (seen.size() > MAX_PAGES)
					throw new ImageFileException(file, "has more than " + MAX_PAGES + " pages");
				raf.seek(offset);
				int entries = uint16(raf, little);
				long next = offset + 2 + 12L * entries;
				if (next + 4 > fileLength)
					throw new ImageFileException(file, "is truncated: an image directory ends at byte " + (next + 4)
						+ " but the file has " + fileLength + " bytes");
				raf.seek(next);
				offset = uint32(raf, little);
			}
		}
	}

	/** Every byte the pixel data needs must be inside the file; ImageJ would silently read zeros. */
	private void checkExtent(FileInfo fi) throws ImageFileException {
		if (fi.stripOffsets != null && fi.stripLengths != null) {
			for (int i = 0; i < Math.min(fi.stripOffsets.length, fi.stripLengths.length); i++) {
				long end = (fi.stripOffsets[i] & 0xFFFFFFFFL) + (fi.stripLengths[i] & 0xFFFFFFFFL);
				if (end > fileLength) throw truncated(end);
			}
		}
		if (fi.compression <= FileInfo.COMPRESSION_NONE) {
			int n = Math.max(1, fi.nImages);
			long end = fi.getOffset() + n * planeBytes(fi) + (n - 1L) * fi.gapBetweenImages;
			if (end > fileLength) throw truncated(end);
		}
		else if (fi.nImages > 1)
			throw new ImageFileException(file, "is a compressed stack with a single image directory, which ImageJ cannot read");
	}

	private ImageFileException truncated(long needed) {
		return new ImageFileException(file, "is truncated: the image data needs " + needed + " bytes but the file has " + fileLength);
	}

	/** Bytes of one uncompressed image, as ij.io.ImageReader reads them. */
	private static long planeBytes(FileInfo fi) {
		long w = fi.width, h = fi.height;
		return switch (fi.fileType) {
			case FileInfo.BITMAP -> (w + 7) / 8 * h;
			case FileInfo.GRAY12_UNSIGNED -> ((long) (w * 1.5) + (w & 1)) * h;
			case FileInfo.RGB48_PLANAR -> w * h * 2 * 3;
			default -> w * h * fi.getBytesPerPixel();
		};
	}

	private RandomAccessibleInterval<? extends RealType<?>> toPlane(FileInfo fi, Object pixels) throws ImageFileException {
		int w = fi.width, h = fi.height;
		switch (fi.fileType) {
			case FileInfo.GRAY8, FileInfo.BITMAP, FileInfo.COLOR8: // a colour map is a display LUT, as in ImageJ
				return Planes.grey8((byte[]) pixels, w, h);
			case FileInfo.GRAY16_SIGNED, FileInfo.GRAY16_UNSIGNED, FileInfo.GRAY12_UNSIGNED, FileInfo.GRAY10_UNSIGNED:
				return Planes.grey16((short[]) pixels, w, h);
			case FileInfo.GRAY32_INT, FileInfo.GRAY32_UNSIGNED, FileInfo.GRAY32_FLOAT, FileInfo.GRAY24_UNSIGNED, FileInfo.GRAY64_FLOAT:
				return Planes.grey32((float[]) pixels, w, h);
			case FileInfo.RGB, FileInfo.BGR, FileInfo.ARGB, FileInfo.ABGR, FileInfo.BARG, FileInfo.RGB_PLANAR, FileInfo.CMYK: {
				int[] argb = (int[]) pixels;
				if (fi.fileType == FileInfo.CMYK) // as ImageJ's FileOpener does after reading
					for (int i = 0; i < argb.length; i++) argb[i] = ~argb[i];
				return Planes.rgbFromPacked(argb, w, h);
			}
			case FileInfo.RGB48, FileInfo.RGB48_PLANAR: {
				Object[] channels = (Object[]) pixels;
				return Planes.rgb16((short[]) channels[0], (short[]) channels[1], (short[]) channels[2], w, h);
			}
			default:
				throw unsupported(fi);
		}
	}

	private PixelType pixelType(FileInfo fi) throws ImageFileException {
		return switch (fi.fileType) {
			case FileInfo.GRAY8, FileInfo.BITMAP, FileInfo.COLOR8, FileInfo.RGB, FileInfo.BGR, FileInfo.ARGB, FileInfo.ABGR,
				FileInfo.BARG, FileInfo.RGB_PLANAR, FileInfo.CMYK -> PixelType.UINT8;
			case FileInfo.GRAY16_SIGNED, FileInfo.GRAY16_UNSIGNED, FileInfo.GRAY12_UNSIGNED, FileInfo.GRAY10_UNSIGNED,
				FileInfo.RGB48, FileInfo.RGB48_PLANAR -> PixelType.UINT16;
			case FileInfo.GRAY32_INT, FileInfo.GRAY32_UNSIGNED, FileInfo.GRAY32_FLOAT, FileInfo.GRAY24_UNSIGNED,
				FileInfo.GRAY64_FLOAT -> PixelType.FLOAT32;
			default -> throw unsupported(fi);
		};
	}

	private static int channels(FileInfo fi) {
		return switch (fi.fileType) {
			case FileInfo.RGB, FileInfo.BGR, FileInfo.ARGB, FileInfo.ABGR, FileInfo.BARG, FileInfo.RGB_PLANAR, FileInfo.CMYK,
				FileInfo.RGB48, FileInfo.RGB48_PLANAR -> 3;
			default -> 1;
		};
	}

	private ImageFileException unsupported(FileInfo fi) {
		return new ImageFileException(file, "has a TIFF pixel type ImageJ cannot read (ImageJ file type " + fi.fileType + ")");
	}

	private static PixelCalibration calibration(FileInfo fi) {
		String unit = fi.unit == null ? "" : fi.unit.trim();
		double w = fi.pixelWidth, h = fi.pixelHeight > 0 ? fi.pixelHeight : fi.pixelWidth;
		if (unit.isEmpty() || unit.equals("pixel") || !(w > 0) || !(h > 0) || Double.isInfinite(w) || Double.isInfinite(h))
			return PixelCalibration.NONE;
		return new PixelCalibration(w, h, unit);
	}

	private static int uint16(RandomAccessFile raf, boolean little) throws IOException {
		int b0 = raf.read(), b1 = raf.read();
		if ((b0 | b1) < 0) throw new java.io.EOFException();
		return little ? (b1 << 8) | b0 : (b0 << 8) | b1;
	}

	private static long uint32(RandomAccessFile raf, boolean little) throws IOException {
		long b0 = raf.read(), b1 = raf.read(), b2 = raf.read(), b3 = raf.read();
		if ((b0 | b1 | b2 | b3) < 0) throw new java.io.EOFException();
		return little ? (b3 << 24) | (b2 << 16) | (b1 << 8) | b0 : (b0 << 24) | (b1 << 16) | (b2 << 8) | b3;
	}
}
