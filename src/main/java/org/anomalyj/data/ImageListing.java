package org.anomalyj.data;

import org.anomalyj.image.ImageFileReader;


import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The image files directly inside one folder, in the order every listing in this package uses. */
final class ImageListing {

	private ImageListing() {}

	/** By file name, plain string order: the same on every platform and locale. */
	static final Comparator<Path> BY_NAME = Comparator.comparing(p -> p.getFileName().toString());

	/** Regular, non-hidden files with an image extension, sorted by name; not recursive. */
	static List<Path> images(Path dir) throws IOException {
		List<Path> images = new ArrayList<>();
		for (Path p : entries(dir))
			if (Files.isRegularFile(p) && ImageFileReader.hasImageExtension(p)) images.add(p);
		return images;
	}

	/** Non-hidden sub-folders, sorted by name. */
	static List<Path> folders(Path dir) throws IOException {
		List<Path> folders = new ArrayList<>();
		for (Path p : entries(dir))
			if (Files.isDirectory(p)) folders.add(p);
		return folders;
	}

	/** Images in {@code dir}; an error naming the folder when there are none, saying what is there instead. */
	static List<Path> requireImages(Path dir) throws IOException {
		List<Path> images = images(dir);
		if (!images.isEmpty()) return images;
		List<Path> all = entries(dir);
		long files = all.stream().filter(Files::isRegularFile).count();
		long folders = all.stream().filter(Files::isDirectory).count();
		String found = all.isEmpty() ? "it is empty"
			: "found " + files + " file(s) without an image extension and " + folders + " sub-folder(s), which are not searched";
		throw new IOException(dir + ": contains no images (extensions " + String.join(", ", ImageFileReader.EXTENSIONS) + "); " + found);
	}

	private static List<Path> entries(Path dir) throws IOException {
		if (!Files.isDirectory(dir))
			throw new IOException(dir + ": " + (Files.exists(dir) ? "is not a folder" : "does not exist"));
		List<Path> entries = new ArrayList<>();
		try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
			for (Path p : stream)
				if (!p.getFileName().toString().startsWith(".")) entries.add(p);
		}
		entries.sort(BY_NAME);
		return entries;
	}
}
