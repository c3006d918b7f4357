package org.anomalyj.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The good images to train on, from either layout: an MVTec AD category (its train/good) or a plain
 * folder of images. This is what {@code train --data DIR} accepts; {@link #findAll} reads several
 * categories for one model.
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

	/** The category's name: the folder's name. */
	public String name() {
		Path n = dir.toAbsolutePath().normalize().getFileName();
		return n == null ? dir.toString() : n.toString();
	}

	/**
	 * The training images of every folder given, one entry per category:
	 * <ul>
	 * <li>one folder: an MVTec AD category, or a folder of categories (it is no category itself, holds
	 * no images of its own, and has sub-folders with train/good: each of those is a category, in name
	 * order; other sub-folders are ignored), or else a folder of images;</li>
	 * <li>several folders: each must be an MVTec AD category.</li>
	 * </ul>
	 * Category names (folder names) must differ, since the model and the reports name them.
	 *
	 * @throws IOException naming the folder that is none of these
	 */
	public static List<TrainingImages> findAll(List<Path> dirs) throws IOException {
		if (dirs.isEmpty()) throw new IOException("no training folder given");
		List<TrainingImages> found = new ArrayList<>();
		if (dirs.size() == 1) {
			Path dir = dirs.get(0);
			List<Path> categories = categoriesIn(dir);
			if (categories.isEmpty()) return List.of(find(dir));
			for (Path c : categories) found.add(find(c));
		} else {
			for (Path dir : dirs) {
				if (!Files.isDirectory(dir)) throw new IOException(dir + ": " + (Files.exists(dir) ? "is not a folder" : "does not exist"));
				if (!CategoryFolder.isMvtecCategory(dir))
					throw new IOException(dir + ": not an MVTec AD category, " + dir.resolve("train").resolve(CategoryFolder.GOOD)
						+ " is missing (every --data of several must be a category)");
				found.add(find(dir));
			}
		}
		Map<String, Path> names = new HashMap<>();
		for (TrainingImages t : found) {
			Path other = names.putIfAbsent(t.name(), t.dir());
			if (other != null) throw new IOException(t.dir() + ": a second category named " + t.name() + " (the first is " + other + "); names must differ");
		}
		return List.copyOf(found);
	}

	/** The categories in a folder of categories; empty when {@code dir} is a category, holds images itself, or has none. */
	private static List<Path> categoriesIn(Path dir) throws IOException {
		if (!Files.isDirectory(dir) || CategoryFolder.isMvtecCategory(dir) || !ImageListing.images(dir).isEmpty()) return List.of();
		List<Path> categories = new ArrayList<>();
		for (Path sub : ImageListing.folders(dir)) if (CategoryFolder.isMvtecCategory(sub)) categories.add(sub);
		return categories;
	}
}
