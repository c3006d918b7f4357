package org.anomalyj.features;

import java.nio.file.Path;
import java.util.List;

/**
 * An image a training set or a study refers to: one plane of a file, or every plane of it.
 *
 * @param plane the plane (0 = first), or {@link #ALL_PLANES}
 */
public record ImageRef(Path file, int plane) {

	public static final int ALL_PLANES = -1;

	public ImageRef {
		if (file == null) throw new IllegalArgumentException("no file given");
		if (plane < ALL_PLANES) throw new IllegalArgumentException("plane must be >= 0 or ALL_PLANES, was " + plane);
	}

	/** Every plane of each file, in order. */
	public static List<ImageRef> allPlanes(List<Path> files) {
		return files.stream().map(f -> new ImageRef(f, ALL_PLANES)).toList();
	}
}
