package org.anomalyj.spark;

import org.anomalyj.data.ImageFolder;
import org.anomalyj.image.ImageFileReader;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Where images are: local paths (every executor must see them: a shared mount on a cluster), or
 * any URI Hadoop has a file system for (hdfs://, s3a:// with the cluster's connector), which an
 * executor copies to a temporary folder to decode. Listing a folder takes its image files, sorted by
 * name, like the command line; a list file names one image per line.
 */
final class ImageSource {

	/** One input image: where it is, its file name (the CSV's file column) and size in bytes. */
	record Input(String location, String name, long size) implements Serializable {

		/** A path whose file name is the image's: what output names are made from. */
		Path namePath() {
			return isLocal(location) ? Path.of(location) : Path.of(URI.create(location).getPath());
		}
	}

	private ImageSource() {}

	static boolean isLocal(String location) {
		int colon = location.indexOf(':'), slash = location.indexOf('/');
		return colon < 0 || (slash >= 0 && slash < colon) || location.startsWith("file:");
	}

	private static Path localPath(String location) {
		return location.startsWith("file:") ? Path.of(URI.create(location)) : Path.of(location).toAbsolutePath().normalize();
	}

	/**
	 * The images of a folder, of a list file (one path or URI per line; blank lines and lines
	 * starting with # are ignored) or one image.
	 */
	static List<Input> list(String input, Configuration hadoop) throws IOException {
		if (isLocal(input)) {
			Path p = localPath(input);
			if (Files.isDirectory(p)) return local(ImageFolder.open(p).images());
			if (!Files.isRegularFile(p)) throw new IOException(input + (Files.exists(p) ? ": not a regular file or folder" : ": no such file or folder"));
			if (ImageFileReader.hasImageExtension(p)) return local(List.of(p));
			List<Input> out = new ArrayList<>();
			for (String line : Files.readAllLines(p)) {
				String l = line.strip();
				if (l.isEmpty() || l.startsWith("#")) continue;
				out.add(one(l, hadoop));
			}
			if (out.isEmpty()) throw new IOException(input + ": the list names no images");
			return out;
		}
		FileSystem fs = FileSystem.get(URI.create(input), hadoop);
		org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(input);
		if (!fs.exists(p)) throw new IOException(input + ": no such file or folder");
		if (!fs.getFileStatus(p).isDirectory()) return List.of(one(input, hadoop));
		List<Input> out = new ArrayList<>();
		for (FileStatus s : fs.listStatus(p)) {
			String name = s.getPath().getName();
			if (s.isFile() && !name.startsWith(".") && ImageFileReader.hasImageExtension(Path.of(name)))
				out.add(new Input(s.getPath().toString(), name, s.getLen()));
		}
		out.sort(Comparator.comparing(Input::name));
		if (out.isEmpty()) throw new IOException(input + ": contains no images (extensions " + String.join(", ", ImageFileReader.EXTENSIONS) + ")");
		return out;
	}

	private static List<Input> local(List<Path> files) throws IOException {
		List<Input> out = new ArrayList<>(files.size());
		for (Path f : files) out.add(new Input(f.toAbsolutePath().normalize().toString(), f.getFileName().toString(), Files.size(f)));
		return out;
	}

	/** An image named in a list file; one that is missing is still listed (and reported as skipped when scored). */
	private static Input one(String location, Configuration hadoop) throws IOException {
		if (isLocal(location)) {
			Path p = localPath(location);
			return new Input(p.toString(), p.getFileName().toString(), Files.isRegularFile(p) ? Files.size(p) : 0);
		}
		org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(location);
		FileSystem fs = FileSystem.get(URI.create(location), hadoop);
		return new Input(location, p.getName(), fs.exists(p) ? fs.getFileStatus(p).getLen() : 0);
	}

	/**
	 * The image as a local file: a local path as it is, a URI copied into {@code folder} under the
	 * image's own name (which results are listed by).
	 *
	 * @throws IOException naming the image as the user gave it when it cannot be copied
	 */
	static Path local(Input in, Map<String, String> hadoopConf, Path folder) throws IOException {
		if (isLocal(in.location())) return localPath(in.location());
		Path copy = folder.resolve(in.name());
		Configuration conf = new Configuration();
		hadoopConf.forEach(conf::set);
		org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(in.location());
		try (InputStream s = FileSystem.get(URI.create(in.location()), conf).open(p)) {
			Files.copy(s, copy, StandardCopyOption.REPLACE_EXISTING);
		} catch (IOException | RuntimeException e) {
			Files.deleteIfExists(copy);
			throw new IOException(in.location() + ": cannot be read (" + e.getMessage() + ")");
		}
		return copy;
	}
}
