package org.anomalyj.method;

import org.scijava.InstantiableException;
import org.scijava.plugin.DefaultPluginFinder;
import org.scijava.plugin.PluginIndex;
import org.scijava.plugin.PluginInfo;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The methods on the class path, found the SciJava way: every class annotated
 * {@code @Plugin(type = AnomalyMethodPlugin.class)} is listed in the jar's
 * {@code META-INF/json/org.scijava.plugin.Plugin} index by SciJava's annotation processor at
 * compile time, and read here with a {@link PluginIndex}. No SciJava {@code Context} is needed
 * (nor started), so the command line stays light; in Fiji the same index lists the same plugins.
 * Where two plugins claim one name, the one of higher {@code priority} wins.
 */
public final class MethodCatalog {

	/** The method used when none is named. */
	public static final String DEFAULT = PatchCore.NAME;

	private static volatile Discovery discovered;

	private record Discovery(Map<String, AnomalyMethodPlugin> methods, List<String> problems) {}

	private MethodCatalog() {}

	/** Names of all methods found, sorted. */
	public static List<String> names() {
		return List.copyOf(new TreeMap<>(discovery().methods()).keySet());
	}

	/** All methods found, by name. */
	public static Map<String, AnomalyMethodPlugin> methods() {
		return Collections.unmodifiableMap(new TreeMap<>(discovery().methods()));
	}

	/** Plugins that were listed but could not be loaded, one line each (for error messages). */
	public static List<String> problems() {
		return discovery().problems();
	}

	/**
	 * @throws IllegalArgumentException for an unknown name, listing the known ones
	 */
	public static AnomalyMethodPlugin get(String name) {
		AnomalyMethodPlugin p = discovery().methods().get(name);
		if (p != null) return p;
		List<String> problems = problems();
		throw new IllegalArgumentException("unknown method '" + name + "'; this AnomalyJ knows " + String.join(", ", names())
			+ (problems.isEmpty() ? "" : " (plugins that failed to load: " + String.join("; ", problems) + ")"));
	}

	private static Discovery discovery() {
		Discovery d = discovered;
		if (d == null) {
			synchronized (MethodCatalog.class) {
				if (discovered == null) discovered = discover(classLoader());
				d = discovered;
			}
		}
		return d;
	}

	private static ClassLoader classLoader() {
		ClassLoader context = Thread.currentThread().getContextClassLoader();
		return context != null ? context : MethodCatalog.class.getClassLoader();
	}

	static Discovery discover(ClassLoader loader) {
		PluginIndex index = new PluginIndex(new DefaultPluginFinder(loader));
		index.discover();
		Map<String, AnomalyMethodPlugin> methods = new LinkedHashMap<>();
		List<String> problems = new ArrayList<>();
		index.getExceptions().forEach((cls, e) -> problems.add(cls + ": " + e));
		// getPlugins lists by descending priority, so the first plugin of a name wins.
		for (PluginInfo<AnomalyMethodPlugin> info : index.getPlugins(AnomalyMethodPlugin.class)) {
			try {
				AnomalyMethodPlugin p = info.createInstance();
				String name = p.name();
				if (name == null || !name.matches("[a-z][a-z0-9-]*")) {
					problems.add(info.getClassName() + ": method name '" + name + "' is not lower case letters, digits and dashes");
					continue;
				}
				methods.putIfAbsent(name, p);
			} catch (InstantiableException | RuntimeException | LinkageError e) {
				problems.add(info.getClassName() + ": " + e);
			}
		}
		return new Discovery(methods, List.copyOf(problems));
	}
}
