package org.anomalyj.image;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;

import java.nio.file.Path;
import java.util.List;

/**
 * An image read from a file: its description and its planes (see the package documentation for the
 * plane convention). A single image has one plane, a stack one per stack image.
 */
public record LoadedImage(Path file, ImageInfo info, List<RandomAccessibleInterval<? extends RealType<?>>> planes) {

	public LoadedImage {
		planes = List.copyOf(planes);
		if (planes.size() != info.slices())
			throw new IllegalArgumentException(file + ": " + planes.size() + " planes but info says " + info.slices());
	}

	public RandomAccessibleInterval<? extends RealType<?>> plane(int index) {
		return planes.get(index);
	}

	/** The only plane; a stack is refused, for callers that expect one image per file. */
	public RandomAccessibleInterval<? extends RealType<?>> singlePlane() throws ImageFileException {
		if (planes.size() != 1)
			throw new ImageFileException(file, "is a stack of " + planes.size() + " images; expected a single image");
		return planes.get(0);
	}
}
