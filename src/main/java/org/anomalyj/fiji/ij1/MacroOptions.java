package org.anomalyj.fiji.ij1;

import ij.Macro;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lets GenericDialog read switches written the SciJava way: {@code overlay=true} becomes the bare
 * {@code overlay} ImageJ 1.x expects, {@code overlay=false} is dropped. Without this, a macro
 * recorded in Fiji would silently turn every switch off in plain ImageJ.
 */
final class MacroOptions {

	private MacroOptions() {}

	/** Rewrites the running macro's options for this thread, if there are any. */
	static void acceptSwitchValues(String... keys) {
		String options = Macro.getOptions();
		if (options == null) return;
		Macro.setOptions(rewrite(options, keys));
	}

	static String rewrite(String options, String... keys) {
		String out = options;
		for (String key : keys) {
			Pattern p = Pattern.compile("(^|\\s)" + Pattern.quote(key) + "=(true|false)(?=\\s|$)", Pattern.CASE_INSENSITIVE);
			Matcher m = p.matcher(out);
			StringBuilder b = new StringBuilder();
			while (m.find()) m.appendReplacement(b, Matcher.quoteReplacement(m.group(1) + ("true".equalsIgnoreCase(m.group(2)) ? key : "")));
			m.appendTail(b);
			out = b.toString();
		}
		return out;
	}
}
