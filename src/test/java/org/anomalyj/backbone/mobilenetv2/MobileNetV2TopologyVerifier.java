package org.anomalyj.backbone.mobilenetv2;


import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Checks that a Keras {@code modelTopology} contains, layer by layer and wire by wire, the
 * structure {@link MobileNetV2Structure} hard-codes (names, kernel sizes, strides, channels,
 * paddings, ReLU6, shortcuts), and that those layers were frozen. Any difference is an error: the
 * runtime would otherwise silently compute a different network.
 */
final class MobileNetV2TopologyVerifier {

	private final Map<String, JsonObject> layers = new HashMap<>();
	private final String source;

	private MobileNetV2TopologyVerifier(JsonObject topology, String source) throws IOException {
		this.source = source;
		try {
			JsonArray list = topology.getAsJsonObject("model_config").getAsJsonObject("config").getAsJsonArray("layers");
			for (JsonElement e : list) {
				JsonObject l = e.getAsJsonObject();
				layers.put(l.get("name").getAsString(), l);
			}
		} catch (RuntimeException e) {
			throw new IOException(source + ": topology has no model_config.config.layers list");
		}
	}

	/**
	 * Verifies the topology and returns the epsilon of every BatchNormalization in the frozen part.
	 *
	 * @param source a file name for error messages
	 * @throws IOException naming the first layer that differs and how
	 */
	static Map<String, Double> verify(JsonObject topology, String source) throws IOException {
		return new MobileNetV2TopologyVerifier(topology, source).run();
	}

	private Map<String, Double> run() throws IOException {
		Map<String, Double> epsilons = new LinkedHashMap<>();
		JsonObject input = layer("input_1", "InputLayer");
		JsonArray shape = input.getAsJsonObject("config").getAsJsonArray("batch_input_shape");
		if (shape == null || shape.size() != 4 || shape.get(3).isJsonNull() || shape.get(3).getAsInt() != 3)
			throw differs("input_1", "expected batch_input_shape [batch, height, width, 3], found " + shape);
		// Track the spatial size to check each ZeroPadding2D against correct_pad; Keras treats an
		// unknown size like an even one.
		int[] size = {sizeOf(shape.get(1)), sizeOf(shape.get(2))};

		String prev = "input_1";
		prev = conv(MobileNetV2Structure.STEM, prev, size, epsilons);
		for (MobileNetV2Structure.Block b : MobileNetV2Structure.BLOCKS) {
			String blockInput = prev;
			for (MobileNetV2Structure.Conv c : b.convs()) prev = conv(c, prev, size, epsilons);
			if (b.residual()) {
				JsonObject add = layer(b.addName(), "Add");
				List<String> in = inbound(b.addName(), add);
				if (!Set.copyOf(in).equals(Set.of(blockInput, prev)) || in.size() != 2)
					throw differs(b.addName(), "expected inputs [" + blockInput + ", " + prev + "], found " + in);
				frozen(b.addName(), add);
				prev = b.addName();
			} else if (layers.containsKey(b.addName())) {
				throw differs(b.addName(), "block " + b.prefix() + " should have no residual connection");
			}
		}
		return epsilons;
	}

	/** Checks [pad,] conv, BN [, ReLU6] and returns the name of the last of them. */
	private String conv(MobileNetV2Structure.Conv c, String prev, int[] size, Map<String, Double> epsilons) throws IOException {
		if (c.stride() == 2) {
			JsonObject pad = layer(c.pad(), "ZeroPadding2D");
			expectInbound(c.pad(), pad, prev);
			int[] h = MobileNetV2Structure.correctPad(size[0]), w = MobileNetV2Structure.correctPad(size[1]);
			String expected = "[[" + h[0] + "," + h[1] + "],[" + w[0] + "," + w[1] + "]]";
			expectConfig(c.pad(), pad, "padding", expected);
			expectConfig(c.pad(), pad, "data_format", "\"channels_last\"");
			frozen(c.pad(), pad);
			prev = c.pad();
			size[0] = (size[0] + h[0] + h[1] - 3) / 2 + 1;
			size[1] = (size[1] + w[0] + w[1] - 3) / 2 + 1;
		} else if (c.stride() != 1) {
			throw new IllegalStateException("stride " + c.stride());
		}

		JsonObject conv = layer(c.name(), c.depthwise() ? "DepthwiseConv2D" : "Conv2D");
		expectInbound(c.name(), conv, prev);
		if (c.depthwise()) expectConfig(c.name(), conv, "depth_multiplier", "1");
		else expectConfig(c.name(), conv, "filters", Integer.toString(c.outChannels()));
		expectConfig(c.name(), conv, "kernel_size", "[" + c.kernel() + "," + c.kernel() + "]");
		expectConfig(c.name(), conv, "strides", "[" + c.stride() + "," + c.stride() + "]");
		expectConfig(c.name(), conv, "padding", c.stride() == 2 ? "\"valid\"" : "\"same\"");
		expectConfig(c.name(), conv, "dilation_rate", "[1,1]");
		expectConfig(c.name(), conv, "use_bias", "false");
		expectConfig(c.name(), conv, "activation", "\"linear\"");
		expectConfig(c.name(), conv, "data_format", "\"channels_last\"");
		frozen(c.name(), conv);

		JsonObject bn = layer(c.bn(), "BatchNormalization");
		expectInbound(c.bn(), bn, c.name());
		JsonElement axis = config(c.bn(), bn, "axis");
		String axisText = axis.toString();
		if (!axisText.equals("-1") && !axisText.equals("3") && !axisText.equals("[3]") && !axisText.equals("[-1]"))
			throw differs(c.bn(), "expected normalisation over channels (axis -1), found axis " + axisText);
		expectConfig(c.bn(), bn, "center", "true");
		expectConfig(c.bn(), bn, "scale", "true");
		double eps = config(c.bn(), bn, "epsilon").getAsDouble();
		if (!(eps > 0)) throw differs(c.bn(), "epsilon " + eps + " is not positive");
		epsilons.put(c.bn(), eps);
		frozen(c.bn(), bn);
		if (c.relu() == null) return c.bn();

		JsonObject relu = layer(c.relu(), "ReLU");
		expectInbound(c.relu(), relu, c.bn());
		expectConfig(c.relu(), relu, "max_value", "6");
		JsonObject cfg = relu.getAsJsonObject("config");
		if (cfg.has("negative_slope") && cfg.get("negative_slope").getAsDouble() != 0) throw differs(c.relu(), "negative_slope is not 0");
		if (cfg.has("threshold") && cfg.get("threshold").getAsDouble() != 0) throw differs(c.relu(), "threshold is not 0");
		frozen(c.relu(), relu);
		return c.relu();
	}

	private static int sizeOf(JsonElement dim) {
		return dim.isJsonNull() ? 0 : dim.getAsInt();
	}

	private JsonObject layer(String name, String className) throws IOException {
		JsonObject l = layers.get(name);
		if (l == null) throw differs(name, "layer is missing");
		String actual = l.get("class_name").getAsString();
		if (!actual.equals(className)) throw differs(name, "expected a " + className + ", found a " + actual);
		return l;
	}

	private List<String> inbound(String name, JsonObject layer) throws IOException {
		JsonArray nodes = layer.getAsJsonArray("inbound_nodes");
		if (nodes == null || nodes.size() != 1) throw differs(name, "expected one inbound node (an unshared layer)");
		return nodes.get(0).getAsJsonArray().asList().stream().map(e -> e.getAsJsonArray().get(0).getAsString()).toList();
	}

	private void expectInbound(String name, JsonObject layer, String from) throws IOException {
		List<String> in = inbound(name, layer);
		if (!in.equals(List.of(from))) throw differs(name, "expected input " + from + ", found " + in);
	}

	private JsonElement config(String name, JsonObject layer, String key) throws IOException {
		JsonElement v = layer.getAsJsonObject("config").get(key);
		if (v == null) throw differs(name, "config has no '" + key + "'");
		return v;
	}

	/** Compares a config value by its JSON text, numbers normalised so that 6, 6.0 and 6e0 agree. */
	private void expectConfig(String name, JsonObject layer, String key, String expected) throws IOException {
		String actual = normalise(config(name, layer, key));
		if (!Objects.equals(actual, expected)) throw differs(name, "expected " + key + " " + expected + ", found " + actual);
	}

	private static String normalise(JsonElement e) {
		if (e.isJsonArray()) {
			StringBuilder sb = new StringBuilder("[");
			JsonArray a = e.getAsJsonArray();
			for (int i = 0; i < a.size(); i++) sb.append(i > 0 ? "," : "").append(normalise(a.get(i)));
			return sb.append(']').toString();
		}
		if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber()) {
			double d = e.getAsDouble();
			if (d == Math.rint(d) && Math.abs(d) < 1e15) return Long.toString((long) d);
			return Double.toString(d);
		}
		return e.toString();
	}

	/** The package's claim that these layers kept their ImageNet weights rests on this flag. */
	private void frozen(String name, JsonObject layer) throws IOException {
		JsonElement t = layer.getAsJsonObject("config").get("trainable");
		if (t == null || t.getAsBoolean()) throw differs(name, "layer is not frozen (trainable is " + t + ")");
	}

	private IOException differs(String layer, String what) {
		return new IOException(source + ": topology differs from the MobileNetV2 structure at layer '" + layer + "': " + what);
	}
}
