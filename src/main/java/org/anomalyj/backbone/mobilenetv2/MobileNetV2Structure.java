package org.anomalyj.backbone.mobilenetv2;


import java.util.ArrayList;
import java.util.List;

/**
 * The standard Keras MobileNetV2 (alpha 1.0) from its input up to and including {@code block_10},
 * with Keras' layer names. Written out here rather than read from the weight file so that the
 * runtime needs no graph interpreter; {@link MobileNetV2TopologyVerifier} checks it against the
 * Keras topology at conversion time, and the converter records {@link #describe()} in the
 * weight file, which {@link MobileNetV2} checks on load.
 */
final class MobileNetV2Structure {

	private MobileNetV2Structure() {}

	/**
	 * One convolution with its (folded) batch norm and optional ReLU6.
	 *
	 * @param name Keras layer name of the convolution
	 * @param bn Keras name of the BatchNormalization that follows it
	 * @param relu Keras name of the ReLU6 after the BN, or null (linear projections)
	 * @param pad Keras name of the ZeroPadding2D before it (stride-2 convolutions), or null
	 * @param kernel square kernel size; stride-1 3x3 convolutions use "same" padding
	 * @param depthwise one filter per input channel (groups = channels)
	 */
	record Conv(String name, String bn, String relu, String pad, int inChannels, int outChannels, int kernel,
			int stride, boolean depthwise) {

		/** The tap this convolution's block emits: its ReLU6 output, or its BN output if linear. */
		String outputTap() {
			return relu != null ? relu : bn;
		}
	}

	/**
	 * An inverted residual block: optional 1x1 expansion, 3x3 depthwise, 1x1 linear projection,
	 * and an identity shortcut when shape is preserved.
	 */
	record Block(String prefix, int expansion, int inChannels, int outChannels, int stride) {

		boolean residual() {
			return stride == 1 && inChannels == outChannels;
		}

		String addName() {
			return prefix + "_add";
		}

		/** Keras omits the expansion (and its layers) in the first block, whose factor is 1. */
		List<Conv> convs() {
			List<Conv> convs = new ArrayList<>(3);
			int hidden = inChannels * expansion;
			if (expansion != 1)
				convs.add(new Conv(prefix + "_expand", prefix + "_expand_BN", prefix + "_expand_relu", null, inChannels, hidden, 1, 1,
						false));
			convs.add(new Conv(prefix + "_depthwise", prefix + "_depthwise_BN", prefix + "_depthwise_relu",
					stride == 2 ? prefix + "_pad" : null, hidden, hidden, 3, stride, true));
			convs.add(new Conv(prefix + "_project", prefix + "_project_BN", null, null, hidden, outChannels, 1, 1, false));
			return convs;
		}
	}

	/** A named feature map, its channel count and its stride relative to the input. */
	record Tap(String name, int channels, int stride) {}

	static final Conv STEM = new Conv("Conv1", "bn_Conv1", "Conv1_relu", "Conv1_pad", 3, 32, 3, 2, false);

	/** (expansion t, output channels c, stride s) as in the MobileNetV2 paper's table 2, for the frozen blocks. */
	static final List<Block> BLOCKS = List.of(
			new Block("expanded_conv", 1, 32, 16, 1),
			new Block("block_1", 6, 16, 24, 2),
			new Block("block_2", 6, 24, 24, 1),
			new Block("block_3", 6, 24, 32, 2),
			new Block("block_4", 6, 32, 32, 1),
			new Block("block_5", 6, 32, 32, 1),
			new Block("block_6", 6, 32, 64, 2),
			new Block("block_7", 6, 64, 64, 1),
			new Block("block_8", 6, 64, 64, 1),
			new Block("block_9", 6, 64, 64, 1),
			new Block("block_10", 6, 64, 96, 1));

	/** Every convolution in network order. */
	static List<Conv> convs() {
		List<Conv> all = new ArrayList<>();
		all.add(STEM);
		for (Block b : BLOCKS) all.addAll(b.convs());
		return all;
	}

	/** Every tap in network order: each convolution's output and each residual sum. */
	static List<Tap> taps() {
		List<Tap> taps = new ArrayList<>();
		int stride = STEM.stride();
		taps.add(new Tap(STEM.outputTap(), STEM.outChannels(), stride));
		for (Block b : BLOCKS) {
			for (Conv c : b.convs()) {
				stride *= c.stride();
				taps.add(new Tap(c.outputTap(), c.outChannels(), stride));
			}
			if (b.residual()) taps.add(new Tap(b.addName(), b.outChannels(), stride));
		}
		return taps;
	}

	/**
	 * Keras' {@code correct_pad} for a 3x3 stride-2 convolution along one axis of the given size:
	 * (before, after) zeros so that a "valid" convolution covers the input like TF "same" would,
	 * i.e. (0, 1) for even sizes and (1, 1) for odd ones.
	 */
	static int[] correctPad(int size) {
		int adjust = 1 - size % 2;
		return new int[] {1 - adjust, 1};
	}

	/** A one-line summary, recorded in the weight file so a mismatched file fails on load. */
	static String describe() {
		StringBuilder sb = new StringBuilder("MobileNetV2 alpha=1.0 stem=Conv1:3>32/s2");
		for (Block b : BLOCKS)
			sb.append(' ').append(b.prefix()).append(":t").append(b.expansion()).append(',').append(b.inChannels()).append('>')
					.append(b.outChannels()).append("/s").append(b.stride()).append(b.residual() ? ",res" : "");
		return sb.toString();
	}
}
