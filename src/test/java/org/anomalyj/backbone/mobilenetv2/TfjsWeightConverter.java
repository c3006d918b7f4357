package org.anomalyj.backbone.mobilenetv2;

import org.anomalyj.io.Safetensors;


import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * Regenerates the embedded MobileNetV2 weights from the nsfwjs 4.4.0 TF.js model:
 * <pre>
 * java -cp target/test-classes:target/classes:$(deps) org.anomalyj.backbone.mobilenetv2.TfjsWeightConverter \
 *     [../shared/weights/nsfwjs-4.4.0/models/mobilenet_v2] [src/main/resources/org/anomalyj/backbone/mobilenetv2/mobilenet_v2_block10.safetensors]
 * </pre>
 * It checks the Keras topology against {@link MobileNetV2Structure}, dequantises the weights,
 * and keeps only the frozen layers ({@code Conv1} to {@code block_10}). Each BatchNormalization is
 * folded into the convolution before it, in double precision with the layer's own epsilon:
 * {@code w' = w * gamma / sqrt(var + eps)}, {@code b' = beta - mean * gamma / sqrt(var + eps)}.
 * Tensors are named {@code <keras conv name>.weight} (PyTorch layout: OIHW, depthwise
 * {@code [C, 1, 3, 3]}) and {@code <keras conv name>.bias}. The output is deterministic: the same
 * input gives the same bytes.
 */
public final class TfjsWeightConverter {

	static final String DEFAULT_MODEL_DIR = "../shared/weights/nsfwjs-4.4.0/models/mobilenet_v2";
	static final String DEFAULT_OUTPUT = "src/main/resources/org/anomalyj/backbone/mobilenetv2/mobilenet_v2_block10.safetensors";

	private TfjsWeightConverter() {}

	public static void main(String[] args) throws IOException {
		if (args.length > 2) {
			System.err.println("usage: TfjsWeightConverter [tfjs-model-dir] [output.safetensors]");
			System.exit(2);
		}
		Path modelDir = Path.of(args.length > 0 ? args[0] : DEFAULT_MODEL_DIR);
		Path output = Path.of(args.length > 1 ? args[1] : DEFAULT_OUTPUT);
		byte[] bytes = convert(modelDir);
		Path tmp = output.resolveSibling(output.getFileName() + ".tmp");
		Files.write(tmp, bytes);
		Files.move(tmp, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		System.out.println("wrote " + output + " (" + bytes.length + " bytes, sha256 " + sha256(bytes) + ")");
	}

	/** The safetensors bytes for the model in {@code modelDir} (see the class comment). */
	public static byte[] convert(Path modelDir) throws IOException {
		TfjsLayersModel model = TfjsLayersModel.read(modelDir);
		Map<String, Double> epsilons = MobileNetV2TopologyVerifier.verify(model.topology(), modelDir.resolve("model.min.js").toString());

		Map<String, Safetensors.Tensor> tensors = new LinkedHashMap<>();
		for (MobileNetV2Structure.Conv c : MobileNetV2Structure.convs()) fold(model, c, epsilons.get(c.bn()), tensors);

		Map<String, String> meta = new LinkedHashMap<>();
		meta.put("architecture", MobileNetV2Structure.describe());
		meta.put("layers", "Conv1 to block_10_project_BN (the layers nsfwjs kept frozen with their ImageNet weights)");
		meta.put("layout", "<conv>.weight OIHW (depthwise [C,1,3,3]) and <conv>.bias, BatchNorm folded in");
		meta.put("bn_epsilon", String.join(",", new TreeSet<>(epsilons.values()).stream().map(String::valueOf).toList()));
		meta.put("source", "nsfwjs 4.4.0 npm package, models/mobilenet_v2 (MIT licence, Copyright (c) 2019 Infinite Red, Inc.)");
		StringBuilder hashes = new StringBuilder();
		for (Path f : model.files())
			hashes.append(hashes.isEmpty() ? "" : ",").append(f.getFileName()).append('=').append(sha256(f));
		meta.put("source_sha256", hashes.toString());
		meta.put("converter", TfjsWeightConverter.class.getName());
		return Safetensors.toBytes(tensors, meta);
	}

	private static void fold(TfjsLayersModel model, MobileNetV2Structure.Conv c, double eps, Map<String, Safetensors.Tensor> out)
			throws IOException {
		int k = c.kernel(), in = c.inChannels(), o = c.outChannels();
		String kernelName = c.name() + (c.depthwise() ? "/depthwise_kernel" : "/kernel");
		// Keras stores kernels HWIO, depthwise ones [H, W, C, multiplier].
		float[] kernel = weight(model, kernelName, c.depthwise() ? new int[] {k, k, in, 1} : new int[] {k, k, in, o});
		float[] gamma = weight(model, c.bn() + "/gamma", new int[] {o});
		float[] beta = weight(model, c.bn() + "/beta", new int[] {o});
		float[] mean = weight(model, c.bn() + "/moving_mean", new int[] {o});
		float[] var = weight(model, c.bn() + "/moving_variance", new int[] {o});

		int inPerGroup = c.depthwise() ? 1 : in;
		float[] w = new float[o * inPerGroup * k * k];
		float[] b = new float[o];
		for (int oc = 0; oc < o; oc++) {
			double s = gamma[oc] / Math.sqrt((double) var[oc] + eps);
			b[oc] = (float) (beta[oc] - mean[oc] * s);
			for (int ic = 0; ic < inPerGroup; ic++)
				for (int y = 0; y < k; y++)
					for (int x = 0; x < k; x++) {
						int src = c.depthwise() ? ((y * k + x) * in + oc) : (((y * k + x) * in + ic) * o + oc);
						w[((oc * inPerGroup + ic) * k + y) * k + x] = (float) (kernel[src] * s);
					}
		}
		out.put(c.name() + ".weight", Safetensors.Tensor.of(w, o, inPerGroup, k, k));
		out.put(c.name() + ".bias", Safetensors.Tensor.of(b, o));
	}

	private static float[] weight(TfjsLayersModel model, String name, int[] shape) throws IOException {
		TfjsLayersModel.Weight w = model.weights().get(name);
		if (w == null) throw new IOException("weights manifest has no '" + name + "'");
		if (!java.util.Arrays.equals(w.shape(), shape))
			throw new IOException("weight '" + name + "' has shape " + java.util.Arrays.toString(w.shape()) + ", expected "
					+ java.util.Arrays.toString(shape));
		return w.values();
	}

	static String sha256(byte[] bytes) {
		return HexFormat.of().formatHex(digest().digest(bytes));
	}

	static String sha256(Path file) throws IOException {
		MessageDigest md = digest();
		try (InputStream in = Files.newInputStream(file)) {
			byte[] buf = new byte[1 << 16];
			for (int n; (n = in.read(buf)) > 0;) md.update(buf, 0, n);
		}
		return HexFormat.of().formatHex(md.digest());
	}

	private static MessageDigest digest() {
		try {
			return MessageDigest.getInstance("SHA-256");
		} catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException("SHA-256 unavailable", e);
		}
	}
}
