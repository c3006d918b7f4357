package org.anomalyj.data;

import org.anomalyj.image.BinaryMask;
import org.anomalyj.image.ImageFileReader;
import org.anomalyj.image.ImageInfo;
import org.anomalyj.image.LoadedImage;


import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * One test image of an MVTec AD category.
 *
 * @param image the image file
 * @param type  "good" or the defect type (the name of its folder under test/)
 * @param mask  its ground-truth mask file; null for good images (no anomalous pixel)
 */
public record TestSample(Path image, String type, Path mask) {

	public TestSample {
		if (CategoryFolder.GOOD.equals(type) != (mask == null))
			throw new IllegalArgumentException(image + ": good images have no mask, defect images need one");
	}

	public boolean isAnomalous() {
		return mask != null;
	}

	public Optional<Path> maskFile() {
		return Optional.ofNullable(mask);
	}

	/** The ground truth; the image's size is read from its header. */
	public BinaryMask loadMask() throws IOException {
		ImageInfo info = ImageFileReader.readInfo(image);
		return loadMask(info.width(), info.height());
	}

	/**
	 * The ground truth for an image already loaded as {@code imageWidth x imageHeight}: an empty mask for
	 * good images, else the mask file, which must have exactly that size.
	 */
	public BinaryMask loadMask(int imageWidth, int imageHeight) throws IOException {
		if (mask == null) return BinaryMask.empty(imageWidth, imageHeight);
		LoadedImage m = ImageFileReader.read(mask);
		if (m.info().slices() != 1)
			throw new IOException(mask + ": a mask must be a single image, this is a stack of " + m.info().slices());
		BinaryMask result = BinaryMask.fromPlane(m.plane(0));
		if (result.width() != imageWidth || result.height() != imageHeight)
			throw new IOException("mask " + mask + " is " + result.width() + "x" + result.height() + " but its image "
				+ image + " is " + imageWidth + "x" + imageHeight);
		return result;
	}
}
