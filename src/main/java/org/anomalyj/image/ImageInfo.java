package org.anomalyj.image;

/**
 * What an image is, without its pixels.
 *
 * @param format      "PNG", "JPEG", "TIFF", "BMP", "GIF", or "ImagePlus" for images that came from ImageJ
 * @param pixelType   element type of the planes
 * @param width       width in pixels
 * @param height      height in pixels
 * @param channels    1 (grey) or 3 (RGB)
 * @param slices      number of planes (1 for a single image)
 * @param calibration physical pixel size, {@link PixelCalibration#NONE} if unknown
 */
public record ImageInfo(String format, PixelType pixelType, int width, int height, int channels, int slices,
	PixelCalibration calibration) {

	public ImageInfo {
		if (width < 1 || height < 1) throw new IllegalArgumentException("image size must be >= 1x1, got " + width + "x" + height);
		if (channels != 1 && channels != 3) throw new IllegalArgumentException("channels must be 1 or 3, got " + channels);
		if (slices < 1) throw new IllegalArgumentException("slices must be >= 1, got " + slices);
	}

	/** Bit depth in ImageJ's terms: 8, 16 or 32 for grey, 24 for 8-bit RGB, 48 for 16-bit RGB, 96 for float RGB. */
	public int bitDepth() {
		return pixelType.bits * channels;
	}

	public long pixelsPerPlane() {
		return (long) width * height;
	}

	/** For messages, e.g. "565x230 RGB 8-bit JPEG" or "512x512x12 grey 16-bit TIFF". */
	public String describe() {
		String size = width + "x" + height + (slices > 1 ? "x" + slices : "");
		return size + " " + (channels == 3 ? "RGB" : "grey") + " " + pixelType.bits + "-bit " + format;
	}
}
