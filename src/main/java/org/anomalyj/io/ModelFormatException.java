package org.anomalyj.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A model file that cannot be used because of what it contains (damaged, foreign, too new,
 * malformed), as opposed to an I/O failure such as a missing file or a denied permission.
 */
public class ModelFormatException extends IOException {

	private final Path file;
	private final String problem;

	public ModelFormatException(Path file, String problem) {
		super(file + ": " + problem);
		this.file = file;
		this.problem = problem;
	}

	/** The offending file. */
	public Path file() {
		return file;
	}

	/** The problem, without the file name. */
	public String problem() {
		return problem;
	}
}
