package org.anomalyj.sink;

import org.anomalyj.image.ImageFileReader;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One input file of a run, as its sinks see it: where it is, its name (the key of earlier
 * results) and the stem its output files are named after.
 */
public final class SinkInput {

	private final Path file;
	private final String stem;
	private int planes = -1;

	/**
	 * @param stem what output files are named after: usually the file name without its extension
	 */
	public SinkInput(Path file, String stem) {
		this.file = file;
		this.stem = stem;
	}

	/**
	 * The inputs of a run, in order, with their output stems: the file name without its extension,
	 * or the whole name where two inputs would share that stem.
	 */
	public static List<SinkInput> of(List<Path> files) {
		Map<String, Integer> count = new HashMap<>();
		for (Path p : files) count.merge(stemOf(p), 1, Integer::sum);
		List<SinkInput> out = new ArrayList<>(files.size());
		for (Path p : files) out.add(new SinkInput(p, count.get(stemOf(p)) > 1 ? p.getFileName().toString() : stemOf(p)));
		return out;
	}

	private static String stemOf(Path p) {
		String n = p.getFileName().toString();
		int dot = n.lastIndexOf('.');
		return dot > 0 ? n.substring(0, dot) : n;
	}

	public Path file() {
		return file;
	}

	/** The file name, as the results list it. */
	public String name() {
		return file.getFileName().toString();
	}

	public String stem() {
		return stem;
	}

	/**
	 * The number of planes (1, or a stack's images), read from the file's header on first use.
	 *
	 * @throws IOException when the header cannot be read
	 */
	public int planes() throws IOException {
		if (planes < 0) planes = ImageFileReader.readInfo(file).slices();
		return planes;
	}

	/** What a plane's output files are named after: the stem, and for a stack {@code STEM_p001} etc. (1-based). */
	public String baseName(int plane, int planes) {
		return planes > 1 ? stem + String.format(Locale.ROOT, "_p%03d", plane + 1) : stem;
	}

	@Override
	public String toString() {
		return file.toString();
	}
}
