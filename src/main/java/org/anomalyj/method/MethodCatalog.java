package org.anomalyj.method;

import org.anomalyj.plugin.PluginCatalog;

import java.util.List;
import java.util.Map;

/**
 * The methods on the class path: every {@code @Plugin(type = AnomalyMethodPlugin.class)}, found by
 * {@link PluginCatalog} without a SciJava context.
 */
public final class MethodCatalog {

	/** The method used when none is named. */
	public static final String DEFAULT = "patchcore";

	private static final PluginCatalog<AnomalyMethodPlugin> CATALOG = new PluginCatalog<>(AnomalyMethodPlugin.class, "method", AnomalyMethodPlugin::name);

	private MethodCatalog() {}

	/** Names of all methods found, sorted. */
	public static List<String> names() {
		return CATALOG.names();
	}

	/** Names in the order dialogs offer them: the default first. */
	public static List<String> choices() {
		return CATALOG.namesDefaultFirst(DEFAULT);
	}

	/** All methods found, by name. */
	public static Map<String, AnomalyMethodPlugin> methods() {
		return CATALOG.all();
	}

	/** Plugins that were listed but could not be loaded, one line each (for error messages). */
	public static List<String> problems() {
		return CATALOG.problems();
	}

	/**
	 * @throws IllegalArgumentException for an unknown name, listing the known ones
	 */
	public static AnomalyMethodPlugin get(String name) {
		return CATALOG.get(name);
	}
}
