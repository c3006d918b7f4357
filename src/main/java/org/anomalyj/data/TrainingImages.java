package org.anomalyj.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The good images to train on, from either layout: an MVTec AD category (its train/good) or a plain
 * folder of images. This is what {@code train --data DIR} accepts.
 *
 * @param dir    the folder given
 * @param layout "MVTec AD category" or "image folder", for messages
 * @param images the image files, sorted by name
 */
public record TrainingImages(Path dir, String layout, List<Path> images) {

	public TrainingImages {
		images = List.copyOf(images);
	}

	/**
	 * Finds the training images under {@code dir}. A category is recognised by its train/good folder;
	 * only that folder is read here, so a category whose test set is incomplete can still be trained on.
	 */
	public static TrainingImages find(Path dir) throws IOException {
		if (CategoryFolder.isMvtecCategory(dir))
			return new TrainingImages(dir, "MVTec AD category", ImageListing.requireImages(dir.resolve("train").resolve(CategoryFolder.GOOD)));
		return new TrainingImages(dir, "image folder", ImageFolder.open(dir).images());
	}
}
