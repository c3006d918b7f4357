package org.anomalyj.image;

import java.io.IOException;
import java.nio.file.Path;

/** A file that cannot be used as an image. The message is one line: "{file}: {problem}". */
public final class ImageFileException extends IOException {

	private static final long serialVersionUID = 1L;

	private final transient Path file;
	private final String problem;

	public ImageFileException(Path file, String problem) {
		this(file, problem, null);
	}

	public ImageFileException(Path file, String problem, Throwable cause) {
		super(file + ": " + oneLine(problem), cause);
		this.file = file;
		this.problem = oneLine(problem);
	}

	public Path file() {
		return file;
	}

	/** The message without the file name. */
	public String problem() {
		return problem;
	}

	/** Collapses multi-line messages (ImageJ's contain line breaks) into one line. */
	static String oneLine(String s) {
		if (s == null) return "unknown error";
		return s.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
	}

	/** Message of an exception and its causes, e.g. "Error reading PNG image data (Unexpected end of ZLIB input stream)". */
	static String describe(Throwable e) {
		StringBuilder sb = new StringBuilder();
		for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
			String m = t.getMessage() != null ? oneLine(t.getMessage())
				: t instanceof java.io.EOFException ? "the file ends too early" : t.getClass().getSimpleName();
			if (sb.indexOf(m) >= 0) continue;
			if (sb.length() == 0) sb.append(m);
			else sb.append(" (").append(m).append(')');
		}
		return sb.toString();
	}
}
