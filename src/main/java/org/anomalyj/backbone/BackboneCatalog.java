package org.anomalyj.backbone;

import ai.djl.ndarray.NDManager;
import org.anomalyj.plugin.PluginCatalog;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The backbones on the class path: every {@code @Plugin(type = BackbonePlugin.class)}, found by
 * {@link PluginCatalog}. Model files name their backbone by {@link BackbonePlugin#modelId()}; users
 * and dialogs by {@link BackbonePlugin#name()}.
 */
public final class BackboneCatalog {

	/** The embedded default: MobileNetV2 (ImageNet, nsfwjs 4.4.0's frozen layers) up to block 10. */
	public static final String DEFAULT = "mobilenetv2";

	private static final PluginCatalog<BackbonePlugin> CATALOG = new PluginCatalog<>(BackbonePlugin.class, "backbone", BackbonePlugin::name);

	private BackboneCatalog() {}

	/** Names of all backbones found, sorted. */
	public static List<String> names() {
		return CATALOG.names();
	}

	/** Names in the order dialogs offer them: the default first. */
	public static List<String> choices() {
		return CATALOG.namesDefaultFirst(DEFAULT);
	}

	public static Map<String, BackbonePlugin> backbones() {
		return CATALOG.all();
	}

	/**
	 * @throws IllegalArgumentException for an unknown name, listing the known ones
	 */
	public static BackbonePlugin get(String name) {
		return CATALOG.get(name);
	}

	/**
	 * The backbone a model file names.
	 *
	 * @throws IOException when no backbone on the class path has that id, saying which to install
	 */
	public static BackbonePlugin forModelId(String modelId) throws IOException {
		for (BackbonePlugin p : CATALOG.all().values()) if (p.modelId().equals(modelId)) return p;
		throw new IOException("unknown backbone '" + modelId + "'; this AnomalyJ knows " + CATALOG.all().values().stream().map(BackbonePlugin::modelId).toList()
			+ "; install the plug-in that provides it");
	}

	/** Loads the backbone a model file names. */
	public static Backbone load(String modelId, NDManager manager) throws IOException {
		return forModelId(modelId).load(manager);
	}
}
