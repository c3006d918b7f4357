package org.anomalyj.sink;

import org.anomalyj.plugin.PluginCatalog;

import java.util.List;
import java.util.Map;

/**
 * The result sinks on the class path: every {@code @Plugin(type = ResultSinkPlugin.class)}, found
 * by {@link PluginCatalog}.
 */
public final class SinkCatalog {

	/** What a batch run writes unless told otherwise: {@code scores.csv}, maps, masks and overlays. */
	public static final List<String> DEFAULTS = List.of(CsvSinkPlugin.NAME, MapSinkPlugin.NAME, MaskSinkPlugin.NAME, OverlaySinkPlugin.NAME);

	private static final PluginCatalog<ResultSinkPlugin> CATALOG = new PluginCatalog<>(ResultSinkPlugin.class, "sink", ResultSinkPlugin::name);

	private SinkCatalog() {}

	/** Names of all sinks found, sorted. */
	public static List<String> names() {
		return CATALOG.names();
	}

	/** All sinks found, by name, sorted. */
	public static Map<String, ResultSinkPlugin> sinks() {
		return CATALOG.all();
	}

	/**
	 * @throws IllegalArgumentException for an unknown name, listing the known ones
	 */
	public static ResultSinkPlugin get(String name) {
		return CATALOG.get(name);
	}
}
