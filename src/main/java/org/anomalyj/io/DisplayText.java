package org.anomalyj.io;

/**
 * Makes untrusted text (entry names, JSON strings, library messages) safe to embed in a one-line
 * error message: control characters are escaped and long text is cut, so a hostile file cannot
 * forge extra log lines or flood the console.
 */
final class DisplayText {

	static final int MAX_CHARS = 80;

	private DisplayText() {}

	/** The text in single quotes, escaped and shortened. */
	static String quote(String s) {
		return "'" + oneLine(s) + "'";
	}

	/** The text escaped and shortened, without quotes. */
	static String oneLine(String s) {
		if (s == null) return "null";
		StringBuilder b = new StringBuilder();
		for (int i = 0; i < s.length() && b.length() < MAX_CHARS; i++) {
			char c = s.charAt(i);
			if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == '\u2028' || c == '\u2029')
				b.append(String.format("\\u%04x", (int) c));
			else b.append(c);
		}
		if (b.length() >= MAX_CHARS && s.length() > MAX_CHARS) b.append('…');
		return b.toString();
	}
}
