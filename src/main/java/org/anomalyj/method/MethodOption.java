package org.anomalyj.method;

/**
 * One user-settable parameter of a method, declared once by the method's plug-in: the command line
 * ({@code --name value}, or {@code --name} for a flag) and its help, the Fiji and ImageJ 1 Train
 * dialogs (a field of the right kind) and the settings stored in the model all come from it.
 *
 * @param name option name, lower case with dashes (e.g. {@code coreset})
 * @param defaultValue the value used when the user gives none, as text
 * @param description one line for help texts and dialog labels
 * @param kind what values it takes, which decides the dialog's field
 */
public record MethodOption(String name, String defaultValue, String description, Kind kind) {

	/** What values an option takes. */
	public enum Kind {
		/** A real number. */
		NUMBER,
		/** A whole number. */
		INTEGER,
		/** Yes or no, given on the command line without a value. */
		FLAG,
		/** Any text. */
		TEXT
	}

	public MethodOption {
		if (name == null || !name.matches("[a-z][a-z0-9-]*")) throw new IllegalArgumentException("option name must be lower case with dashes, was " + name);
		if (kind == null) throw new IllegalArgumentException("option " + name + " has no kind");
	}

	/** A value option whose kind follows from its default: a whole number, a real number, or text. */
	public static MethodOption value(String name, String defaultValue, String description) {
		return new MethodOption(name, defaultValue, description, kindOf(defaultValue));
	}

	public static MethodOption flag(String name, String description) {
		return new MethodOption(name, "false", description, Kind.FLAG);
	}

	/** Whether it is a yes/no switch, given without a value. */
	public boolean flag() {
		return kind == Kind.FLAG;
	}

	private static Kind kindOf(String value) {
		try {
			Long.parseLong(value.trim());
			return Kind.INTEGER;
		} catch (NumberFormatException e) {
			// not whole
		}
		try {
			Double.parseDouble(value.trim());
			return Kind.NUMBER;
		} catch (NumberFormatException e) {
			return Kind.TEXT;
		}
	}
}
