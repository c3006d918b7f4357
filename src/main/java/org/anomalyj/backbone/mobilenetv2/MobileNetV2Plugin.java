package org.anomalyj.backbone.mobilenetv2;

import ai.djl.ndarray.NDManager;
import org.anomalyj.backbone.Backbone;
import org.anomalyj.backbone.BackbonePlugin;
import org.anomalyj.image.InputNormalization;
import org.scijava.plugin.Plugin;

import java.io.IOException;
import java.util.List;

/** The embedded MobileNetV2 (ImageNet weights of nsfwjs 4.4.0, frozen layers up to block 10), AnomalyJ's default backbone. */
@Plugin(type = BackbonePlugin.class, name = MobileNetV2Plugin.NAME, priority = 100)
public final class MobileNetV2Plugin implements BackbonePlugin {

	public static final String NAME = "mobilenetv2";
	private static final List<Tap> TAPS = MobileNetV2Structure.taps().stream().map(t -> new Tap(t.name(), t.stride(), t.channels())).toList();

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public String description() {
		return "MobileNetV2 to block 10 (ImageNet, nsfwjs 4.4.0, MIT): small and fast";
	}

	@Override
	public String modelId() {
		return MobileNetV2.ID;
	}

	@Override
	public List<Tap> taps() {
		return TAPS;
	}

	@Override
	public List<String> defaultTaps() {
		return List.of("block_5_add", "block_10_project_BN");
	}

	/** The package feeds it RGB/255 in 0..1, which measured clearly better for anomaly features than Keras' x/127.5 - 1. */
	@Override
	public InputNormalization normalization() {
		return InputNormalization.UNIT;
	}

	@Override
	public String weightsSource() {
		return "embedded in the AnomalyJ jar (1.2 MB)";
	}

	@Override
	public Backbone load(NDManager manager) throws IOException {
		return MobileNetV2.loadEmbedded(manager);
	}
}
