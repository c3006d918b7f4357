package org.anomalyj.fiji;

import java.io.File;
import java.nio.file.Path;

/** SciJava file parameters to paths (an empty parameter stays null and is reported by the action), and file-name stems. */
final class FilePaths {

	private FilePaths() {}

	static Path of(File f) {
		return f == null || f.getPath().isEmpty() ? null : f.toPath();
	}

	/** A file name or image title without its extension. */
	static String stem(String name) {
		int dot = name.lastIndexOf('.');
		return dot > 0 ? name.substring(0, dot) : name;
	}
}
