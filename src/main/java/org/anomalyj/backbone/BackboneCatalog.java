package org.anomalyj.backbone;

import ai.djl.ndarray.NDManager;

import java.io.IOException;
import java.util.List;

/**
 * The backbones AnomalyJ knows by id. Model files name their backbone; loading one looks it up here
 * and checks the weights' checksum against the one recorded at training time.
 */
public final class BackboneCatalog {

	/** The embedded default: MobileNetV2 (ImageNet, nsfwjs 4.4.0's frozen layers) up to block 10. */
	public static final String DEFAULT = MobileNetV2.ID;

	private BackboneCatalog() {}

	public static List<String> ids() {
		return List.of(MobileNetV2.ID);
	}

	public static Backbone load(String id, NDManager manager) throws IOException {
		if (MobileNetV2.ID.equals(id)) return MobileNetV2.loadEmbedded(manager);
		throw new IOException("unknown backbone '" + id + "'; this AnomalyJ knows " + ids());
	}
}
