package org.anomalyj.fiji;

import java.io.File;
import java.nio.file.Path;

/** SciJava file parameters to paths; an empty parameter stays null and is reported by the action. */
final class FilePaths {

	private FilePaths() {}

	static Path of(File f) {
		return f == null || f.getPath().isEmpty() ? null : f.toPath();
	}
}
