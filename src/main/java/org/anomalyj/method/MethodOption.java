package org.anomalyj.method;

/**
 * One user-settable parameter of a method, as the command line ({@code --name value}, or
 * {@code --name} for a flag) and the Fiji dialogs offer it.
 *
 * @param name option name, lower case with dashes (e.g. {@code coreset})
 * @param defaultValue the value used when the user gives none, as text
 * @param description one line for help texts
 * @param flag whether it is a yes/no switch, given without a value
 */
public record MethodOption(String name, String defaultValue, String description, boolean flag) {

	public MethodOption {
		if (name == null || !name.matches("[a-z][a-z0-9-]*")) throw new IllegalArgumentException("option name must be lower case with dashes, was " + name);
	}

	public static MethodOption value(String name, String defaultValue, String description) {
		return new MethodOption(name, defaultValue, description, false);
	}

	public static MethodOption flag(String name, String description) {
		return new MethodOption(name, "false", description, true);
	}
}
