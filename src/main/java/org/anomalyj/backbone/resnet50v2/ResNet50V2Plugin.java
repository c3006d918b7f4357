package org.anomalyj.backbone.resnet50v2;

import ai.djl.ndarray.NDManager;
import org.anomalyj.backbone.Backbone;
import org.anomalyj.backbone.BackbonePlugin;
import org.anomalyj.image.InputNormalization;
import org.scijava.plugin.Plugin;

import java.io.IOException;
import java.util.List;

/**
 * ResNet50-v2 (ImageNet, ONNX model zoo {@code resnet50-v2-7} / MXNet Gluon, Apache-2.0) to the end
 * of stage 3: PatchCore's usual ResNet taps, 1536-d patches. About 8 times MobileNetV2's compute;
 * its weights come in a jar of their own ({@link #JAR}).
 */
@Plugin(type = BackbonePlugin.class, name = ResNet50V2Plugin.NAME, priority = 50)
public final class ResNet50V2Plugin implements BackbonePlugin {

	public static final String NAME = "resnet50v2";
	/** The artifact that holds the weights, without its version. */
	public static final String JAR = "anomalyj-backbone-resnet50v2";

	private static final List<Tap> TAPS = List.of(
		new Tap("stage1", 4, 256), new Tap("stage1_relu", 4, 256),
		new Tap("stage2", 8, 512), new Tap("stage2_relu", 8, 512),
		new Tap("stage3", 16, 1024), new Tap("stage3_relu", 16, 1024));

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public String description() {
		return "ResNet50-v2 to stage 3 (ImageNet, ONNX model zoo, Apache-2.0), weights in " + JAR + ".jar; slower, for hard parts";
	}

	@Override
	public String modelId() {
		return ResNet50V2.ID;
	}

	@Override
	public List<Tap> taps() {
		return TAPS;
	}

	/** The ends of stages 2 and 3 after the next stage's batch norm and ReLU (torchvision's layer2, layer3). */
	@Override
	public List<String> defaultTaps() {
		return List.of("stage2_relu", "stage3_relu");
	}

	/** Gluon's ImageNet preprocessing; the network's own input batch norm follows inside it. */
	@Override
	public InputNormalization normalization() {
		return InputNormalization.IMAGENET;
	}

	@Override
	public String weightsSource() {
		return JAR + ".jar (17 MB), beside the AnomalyJ jar";
	}

	@Override
	public Backbone load(NDManager manager) throws IOException {
		return ResNet50V2.loadResource(manager);
	}

	@Override
	public void checkInstalled() throws IOException {
		if (ResNet50V2.class.getResource(ResNet50V2.RESOURCE_NAME) == null) throw new IOException(missingWeightsMessage());
	}

	/** What to tell a user whose class path lacks the weights jar. */
	static String missingWeightsMessage() {
		return "backbone " + NAME + " needs its weights, which are not installed: put " + JAR + "-<version>.jar (built beside the AnomalyJ jar) into lib/ beside anomalyj-cli.jar, or into Fiji's jars/ folder";
	}
}
