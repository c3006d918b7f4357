package org.anomalyj.fiji;

import org.anomalyj.method.AnomalyMethodPlugin;
import org.anomalyj.method.MethodCatalog;
import org.anomalyj.method.MethodOption;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The Train dialogs' fields for method options: one per option of every method the plug-in index
 * finds, so a plug-in method's options appear with no change here. The default method's options
 * are keyed by their own names (the macro key {@code coreset=0.1} of earlier releases); other
 * methods' by {@code method_option} ({@code padim_dims=100}), so keys never collide.
 */
public final class MethodFields {

	/**
	 * @param key the dialog field and macro key
	 * @param method the method the option belongs to
	 * @param label what the dialog shows
	 */
	public record Field(String key, String method, MethodOption option, String label) {}

	private MethodFields() {}

	/** The fields of every method, the default method's first. */
	public static List<Field> all() {
		List<Field> out = new ArrayList<>();
		Map<String, AnomalyMethodPlugin> methods = MethodCatalog.methods();
		for (String name : MethodCatalog.choices())
			for (MethodOption o : methods.get(name).options()) out.add(new Field(key(name, o), name, o, name + ": " + o.description()));
		return out;
	}

	static String key(String method, MethodOption o) {
		String option = o.name().replace('-', '_');
		return method.equals(MethodCatalog.DEFAULT) ? option : method.replace('-', '_') + "_" + option;
	}

	/**
	 * The options of {@code method} as the dialog holds them.
	 *
	 * @param valueOf the text of a field by its key
	 */
	public static Map<String, String> optionsOf(String method, Function<String, String> valueOf) {
		Map<String, String> options = new LinkedHashMap<>();
		for (Field f : all())
			if (f.method().equals(method)) options.put(f.option().name(), valueOf.apply(f.key()));
		return options;
	}
}
