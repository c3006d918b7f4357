package org.anomalyj.method;

import org.scijava.InstantiableException;
import org.scijava.plugin.DefaultPluginFinder;
import org.scijava.plugin.PluginIndex;
import org.scijava.plugin.PluginInfo;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The methods on the class path, found the SciJava way: every class annotated
 * {@code @Plugin(type = AnomalyMethodPlugin.class)} is listed in the jar's
 * {@code META-INF/json/org.scijava.plugin.Plugin} index by SciJava's annotation processor at
 * compile time, and read here with a {@link PluginIndex}. No SciJava {@code Context} is needed
 * (nor started), so the command line and plain ImageJ stay light (they need the scijava-common jar,
 * not its services); in Fiji the same index lists the same plugins.
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
				if (discovered == null) discovered = discover(classLoaders());
				d = discovered;
			}
		}
		return d;
	}

	/**
	 * AnomalyJ's own class loader, which sees the jars beside it (in plain ImageJ the plug-in class
	 * loader, whatever the calling thread's context loader is), and the context class loader when
	 * it differs (a host that loads plug-ins in a child loader).
	 */
	private static List<ClassLoader> classLoaders() {
		List<ClassLoader> loaders = new ArrayList<>();
		loaders.add(MethodCatalog.class.getClassLoader());
		ClassLoader context = Thread.currentThread().getContextClassLoader();
		if (context != null && context != loaders.get(0)) loaders.add(context);
		return loaders;
	}

	static Discovery discover(List<ClassLoader> loaders) {
		List<PluginInfo<AnomalyMethodPlugin>> infos = new ArrayList<>();
		Set<String> seen = new HashSet<>();
		List<String> problems = new ArrayList<>();
		for (ClassLoader loader : loaders) {
			PluginIndex index = new PluginIndex(new DefaultPluginFinder(loader));
			index.discover();
			index.getExceptions().forEach((cls, e) -> problems.add(cls + ": " + e));
			for (PluginInfo<AnomalyMethodPlugin> info : index.getPlugins(AnomalyMethodPlugin.class))
				if (seen.add(info.getClassName())) infos.add(info);
		}
		// Higher priority first, so that the first plugin of a name wins.
		infos.sort(Comparator.comparingDouble((PluginInfo<AnomalyMethodPlugin> i) -> -i.getPriority()).thenComparing(PluginInfo::getClassName));
		Map<String, AnomalyMethodPlugin> methods = new LinkedHashMap<>();
		for (PluginInfo<AnomalyMethodPlugin> info : infos) {
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
