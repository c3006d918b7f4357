package org.anomalyj.plugin;

import org.scijava.InstantiableException;
import org.scijava.plugin.DefaultPluginFinder;
import org.scijava.plugin.PluginIndex;
import org.scijava.plugin.PluginInfo;
import org.scijava.plugin.SciJavaPlugin;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The plug-ins of one type on the class path, by name, found the SciJava way: every class annotated
 * {@code @Plugin(type = T.class)} is listed in its jar's {@code META-INF/json/org.scijava.plugin.Plugin}
 * index by SciJava's annotation processor at compile time, and read here with a {@link PluginIndex}.
 * No SciJava {@code Context} is needed (nor started), so the command line and plain ImageJ stay light
 * (they need the scijava-common jar, not its services); in Fiji the same index lists the same plugins.
 * Where two plug-ins claim one name, the one of higher {@code priority} wins. Discovery runs once, on
 * first use.
 *
 * @param <T> the plug-in type: methods, backbones, result sinks
 */
public final class PluginCatalog<T extends SciJavaPlugin> {

	private final Class<T> type;
	private final String kind;
	private final Function<T, String> nameOf;
	private volatile Discovery<T> discovered;

	private record Discovery<T>(Map<String, T> plugins, List<String> problems) {}

	/**
	 * @param kind what a plug-in of this type is called in messages, e.g. "method"
	 * @param nameOf a plug-in's name: lower case letters, digits and dashes
	 */
	public PluginCatalog(Class<T> type, String kind, Function<T, String> nameOf) {
		this.type = type;
		this.kind = kind;
		this.nameOf = nameOf;
	}

	/** Names of all plug-ins found, sorted. */
	public List<String> names() {
		return List.copyOf(new TreeMap<>(discovery().plugins()).keySet());
	}

	/** All plug-ins found, by name, sorted by name. */
	public Map<String, T> all() {
		return Collections.unmodifiableMap(new TreeMap<>(discovery().plugins()));
	}

	/** Plug-ins that were listed but could not be loaded, one line each (for error messages). */
	public List<String> problems() {
		return discovery().problems();
	}

	/** The plug-in of this name, or null. */
	public T find(String name) {
		return discovery().plugins().get(name);
	}

	/**
	 * @throws IllegalArgumentException for an unknown name, listing the known ones
	 */
	public T get(String name) {
		T p = find(name);
		if (p != null) return p;
		List<String> problems = problems();
		throw new IllegalArgumentException("unknown " + kind + " '" + name + "'; this AnomalyJ knows " + String.join(", ", names())
			+ (problems.isEmpty() ? "" : " (plugins that failed to load: " + String.join("; ", problems) + ")"));
	}

	/** The names in the order a dialog offers them: {@code first} (the default), then the others sorted. */
	public List<String> namesDefaultFirst(String first) {
		List<String> m = new ArrayList<>(names());
		if (m.remove(first)) m.add(0, first);
		return List.copyOf(m);
	}

	private Discovery<T> discovery() {
		Discovery<T> d = discovered;
		if (d == null) {
			synchronized (this) {
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
	private List<ClassLoader> classLoaders() {
		List<ClassLoader> loaders = new ArrayList<>();
		loaders.add(type.getClassLoader());
		ClassLoader context = Thread.currentThread().getContextClassLoader();
		if (context != null && context != loaders.get(0)) loaders.add(context);
		return loaders;
	}

	/**
	 * Each class loader's SciJava index, read once for every catalog (methods, backbones, sinks):
	 * reading it again took 17–21 ms per catalog. A process has one or two loaders (AnomalyJ's and a
	 * host's context loader), so the indexes are kept for its life: the plug-ins they list hold
	 * their loader anyway.
	 */
	private static final Map<ClassLoader, PluginIndex> INDEXES = new HashMap<>();

	/** The loader's index, read on first use; the caller holds the lock of {@link #INDEXES}. */
	private static PluginIndex index(ClassLoader loader) {
		return INDEXES.computeIfAbsent(loader, l -> {
			PluginIndex index = new PluginIndex(new DefaultPluginFinder(l));
			index.discover();
			return index;
		});
	}

	Discovery<T> discover(List<ClassLoader> loaders) {
		List<PluginInfo<T>> infos = new ArrayList<>();
		Set<String> seen = new HashSet<>();
		List<String> problems = new ArrayList<>();
		for (ClassLoader loader : loaders) {
			// The index is shared; it is read under its lock as SciJava's indexes are not made for threads.
			synchronized (INDEXES) {
				PluginIndex index = index(loader);
				index.getExceptions().forEach((cls, e) -> problems.add(cls + ": " + e));
				for (PluginInfo<T> info : index.getPlugins(type))
					if (seen.add(info.getClassName())) infos.add(info);
			}
		}
		// Higher priority first, so that the first plugin of a name wins.
		infos.sort(Comparator.comparingDouble((PluginInfo<T> i) -> -i.getPriority()).thenComparing(PluginInfo::getClassName));
		Map<String, T> plugins = new LinkedHashMap<>();
		for (PluginInfo<T> info : infos) {
			try {
				T p = info.createInstance();
				String name = nameOf.apply(p);
				if (name == null || !name.matches("[a-z][a-z0-9-]*")) {
					problems.add(info.getClassName() + ": " + kind + " name '" + name + "' is not lower case letters, digits and dashes");
					continue;
				}
				plugins.putIfAbsent(name, p);
			} catch (InstantiableException | RuntimeException | LinkageError e) {
				problems.add(info.getClassName() + ": " + e);
			}
		}
		return new Discovery<>(plugins, List.copyOf(problems));
	}
}
