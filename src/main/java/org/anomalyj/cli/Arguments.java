package org.anomalyj.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code --name value} and {@code --flag} options of one verb, with one-line errors for the user. An
 * option given more than once keeps every value in order ({@link #strings}); the single-value
 * readers take the last one.
 */
public final class Arguments {

	private final String verb;
	private final Map<String, String> values = new LinkedHashMap<>();
	private final Map<String, List<String>> repeated = new LinkedHashMap<>();

	/**
	 * @param known option names the verb accepts (without dashes); names in {@code flags} take no value
	 */
	public Arguments(String verb, String[] args, int from, Set<String> known, Set<String> flags) {
		this.verb = verb;
		for (int i = from; i < args.length; i++) {
			String a = args[i];
			if (!a.startsWith("--")) throw new UsageException(verb + ": unexpected argument '" + a + "'");
			String name = a.substring(2);
			String value = null;
			int eq = name.indexOf('=');
			if (eq >= 0) {
				value = name.substring(eq + 1);
				name = name.substring(0, eq);
			}
			if (!known.contains(name) && !flags.contains(name))
				throw new UsageException(verb + ": unknown option --" + name + " (known: " + String.join(", ", known) + (flags.isEmpty() ? "" : ", " + String.join(", ", flags)) + ")");
			if (flags.contains(name)) {
				values.put(name, value == null ? "true" : value);
				continue;
			}
			if (value == null) {
				if (i + 1 >= args.length) throw new UsageException(verb + ": option --" + name + " needs a value");
				value = args[++i];
			}
			values.put(name, value);
			repeated.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
		}
	}

	public String string(String name, String fallback) {
		return values.getOrDefault(name, fallback);
	}

	public String required(String name) {
		String v = values.get(name);
		if (v == null) throw new UsageException(verb + ": option --" + name + " is required");
		return v;
	}

	/** Every value of an option given once or more, in the order given; empty when absent. */
	public List<String> strings(String name) {
		return List.copyOf(repeated.getOrDefault(name, List.of()));
	}

	/** Every path an option names, in the order given; at least one. */
	public List<Path> paths(String name) {
		required(name);
		return strings(name).stream().map(Path::of).toList();
	}

	public Path path(String name) {
		return Path.of(required(name));
	}

	public Path path(String name, Path fallback) {
		String v = values.get(name);
		return v == null ? fallback : Path.of(v);
	}

	public boolean flag(String name) {
		return Boolean.parseBoolean(values.getOrDefault(name, "false"));
	}

	public int integer(String name, int fallback) {
		return parsed(name, fallback, Integer::parseInt, "a whole number");
	}

	public long longValue(String name, long fallback) {
		return parsed(name, fallback, Long::parseLong, "a whole number");
	}

	public double real(String name, double fallback) {
		return parsed(name, fallback, Double::parseDouble, "a number");
	}

	private <T> T parsed(String name, T fallback, java.util.function.Function<String, T> parse, String what) {
		String v = values.get(name);
		if (v == null) return fallback;
		try {
			return parse.apply(v.trim());
		} catch (NumberFormatException e) {
			throw new UsageException(verb + ": --" + name + " takes " + what + ", not '" + v + "'");
		}
	}

	/** A mistake in how the command was called: printed as one line, exit code 2. */
	public static final class UsageException extends RuntimeException {
		public UsageException(String message) {
			super(message);
		}
	}
}
