package org.anomalyj.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A plain folder of (good) images. Only the folder itself is listed, not sub-folders: what gets
 * trained on is then exactly what one sees in the folder, and an "ok/" next to a "rejects/" folder
 * inside it cannot slip in by accident.
 */
public final class ImageFolder {

	private final Path dir;
	private final List<Path> images;

	private ImageFolder(Path dir, List<Path> images) {
		this.dir = dir;
		this.images = List.copyOf(images);
	}

	/** Lists the images; fails naming the folder when it has none. */
	public static ImageFolder open(Path dir) throws IOException {
		return new ImageFolder(dir, ImageListing.requireImages(dir));
	}

	public Path dir() {
		return dir;
	}

	/** Image files, sorted by name. */
	public List<Path> images() {
		return images;
	}
}
