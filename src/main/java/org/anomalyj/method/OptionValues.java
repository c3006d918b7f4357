package org.anomalyj.method;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A method's option values as the user gave them, with the defaults of its
 * {@link MethodOption}s for the rest, read as typed values with one-line errors naming the option.
 */
public final class OptionValues {

	private final String method;
	private final Map<String, String> values = new HashMap<>();

	/**
	 * @throws IllegalArgumentException for an option the method does not have
	 */
	public OptionValues(String method, List<MethodOption> options, Map<String, String> given) {
		this.method = method;
		for (MethodOption o : options) values.put(o.name(), o.defaultValue());
		for (Map.Entry<String, String> e : given.entrySet()) {
			if (!values.containsKey(e.getKey()))
				throw new IllegalArgumentException(method + " has no option '" + e.getKey() + "' (it has "
					+ options.stream().map(MethodOption::name).collect(Collectors.joining(", ")) + ")");
			values.put(e.getKey(), e.getValue());
		}
	}

	public String text(String name) {
		String v = values.get(name);
		if (v == null) throw new IllegalStateException(method + " reads undeclared option '" + name + "'");
		return v.trim();
	}

	public double real(String name) {
		String v = text(name);
		try {
			double d = Double.parseDouble(v);
			if (Double.isFinite(d)) return d;
		} catch (NumberFormatException e) {
			// reported below
		}
		throw new IllegalArgumentException(method + " option " + name + " takes a number, not '" + v + "'");
	}

	public int integer(String name) {
		String v = text(name);
		try {
			return Integer.parseInt(v);
		} catch (NumberFormatException e) {
			throw new IllegalArgumentException(method + " option " + name + " takes a whole number, not '" + v + "'");
		}
	}

	public boolean flag(String name) {
		String v = text(name).toLowerCase(Locale.ROOT);
		if (v.equals("true") || v.equals("yes") || v.equals("1")) return true;
		if (v.equals("false") || v.equals("no") || v.equals("0")) return false;
		throw new IllegalArgumentException(method + " option " + name + " is true or false, not '" + v + "'");
	}
}
