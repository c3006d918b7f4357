package org.anomalyj.backbone.resnet50v2;

import org.anomalyj.backbone.Backbone;
import org.anomalyj.backbone.ForwardPass;
import org.anomalyj.io.Safetensors;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * ResNet50-v2 (MXNet Gluon's pre-activation ResNet-50, {@code resnet50_v2}, as exported to the ONNX
 * model zoo as {@code resnet50-v2-7}, ImageNet-1k) from its input up to the end of stage 3, with the
 * ONNX initialiser names ({@code resnetv24_stage2_conv3_weight}, …). See the README beside the
 * weight resource for provenance and licence.
 *
 * <p>The input is RGB/255 normalised with the ImageNet mean/std; the network applies its own input
 * batch norm {@code batchnorm0} first. Stem: {@code conv0} 7×7/2 → {@code batchnorm1} + ReLU →
 * max-pool 3×3/2. Stages 1–3 have 3/4/6 pre-activation bottleneck units (256/512/1024 channels,
 * the stride in the 3×3 convolution). Unit {@code k} of a stage computes
 * {@code a = ReLU(bn_{3k}(x))}, then three convolutions with a batch norm and ReLU between them,
 * plus the shortcut: {@code x} itself, or for unit 0 the 1×1 (strided) {@code conv3} of {@code a}.
 *
 * <p>Taps: {@code stage1}, {@code stage2}, {@code stage3} are the raw residual stream at the end of
 * a stage; {@code stage1_relu}, {@code stage2_relu}, {@code stage3_relu} its post-activation view,
 * the next stage's {@code batchnorm0} and ReLU applied (what torchvision's {@code layerN} returns;
 * {@code stage4_batchnorm0} is shipped for {@code stage3_relu}). PatchCore uses the post-activation
 * views of stages 2 and 3, which measured clearly better than the raw ends.
 *
 * <p>The batch norms that directly follow a convolution are folded into it on load (in double
 * precision); the pre-activation ones are applied as a per-channel scale and shift. The weights are
 * immutable, so {@link #forward} may run in several threads at once on different inputs. Any input
 * size works; a map is {@code ceil(size / stride)} on a side.
 */
public final class ResNet50V2 implements Backbone {

	public static final String ID = "resnet50_v2-onnx-resnet50-v2-7";
	static final String RESOURCE_NAME = "weights/resnet50_v2_stage3.safetensors";
	/** Recorded by the converter and checked on load, so weights for another wiring fail clearly. */
	static final String ARCHITECTURE = "ResNet50-v2 pre-activation, Gluon resnet50_v2 / ONNX resnet50-v2-7, stem + stages 1-3 (3,4,6 units; 256,512,1024 ch) + stage4_batchnorm0";
	static final String PREFIX = "resnetv24_";
	static final double BN_EPSILON = 1e-5;
	private static final long MAX_WEIGHT_BYTES = 128L << 20;

	/** Units per stage, bottleneck widths and output channels, strides (of the first unit). */
	static final int[] UNITS = {3, 4, 6};
	static final int[] WIDTH = {64, 128, 256};
	static final int[] CHANNELS = {256, 512, 1024};
	static final int[] STRIDE = {1, 2, 2};
	/** Output stride of each stage relative to the input. */
	private static final int[] OUTPUT_STRIDE = {4, 8, 16};

	private static final List<String> TAP_NAMES = List.of("stage1", "stage1_relu", "stage2", "stage2_relu", "stage3", "stage3_relu");

	/** Owns the parameter arrays, so that closing the backbone frees them and nothing else. */
	private final NDManager weightManager;
	/** Folded convolutions: name → {weight, bias or null}. */
	private final Map<String, NDArray[]> convs;
	/** Pre-activation batch norms: name → {scale, shift}, each (1, C, 1, 1). */
	private final Map<String, NDArray[]> norms;
	private final String sha256;
	private volatile boolean closed;

	private ResNet50V2(NDManager weightManager, Map<String, NDArray[]> convs, Map<String, NDArray[]> norms, String sha256) {
		this.weightManager = weightManager;
		this.convs = convs;
		this.norms = norms;
		this.sha256 = sha256;
	}

	/** One tensor the weight file must hold: ONNX name and shape. */
	record Param(String name, long[] shape) {}

	/** One convolution: its ONNX name, the batch norm folded into it (or null), and geometry. */
	record Conv(String name, String foldedNorm, int in, int out, int kernel, int stride) {

		int padding() {
			return kernel / 2;
		}
	}

	/** Every tensor the weight file holds, in network order: the converter writes exactly these. */
	static List<Param> params() {
		List<Param> out = new ArrayList<>();
		norm(out, PREFIX + "batchnorm0", 3);
		for (Conv c : convList()) {
			out.add(new Param(c.name() + "_weight", new long[] {c.out(), c.in(), c.kernel(), c.kernel()}));
			if (c.foldedNorm() != null) norm(out, c.foldedNorm(), c.out());
		}
		for (String bn : preActivations()) norm(out, bn, channelsOf(bn));
		return out;
	}

	private static void norm(List<Param> out, String bn, int channels) {
		for (String p : List.of("gamma", "beta", "running_mean", "running_var")) out.add(new Param(bn + "_" + p, new long[] {channels}));
	}

	/** The stem convolution and every unit's convolutions, in network order. */
	static List<Conv> convList() {
		List<Conv> out = new ArrayList<>();
		out.add(new Conv(PREFIX + "conv0", PREFIX + "batchnorm1", 3, 64, 7, 2));
		int in = 64;
		for (int s = 0; s < 3; s++) {
			String st = PREFIX + "stage" + (s + 1) + "_";
			int w = WIDTH[s], c = CHANNELS[s];
			for (int k = 0; k < UNITS[s]; k++) {
				int stride = k == 0 ? STRIDE[s] : 1, first = k == 0 ? 0 : 3 * k + 1;
				out.add(new Conv(st + "conv" + first, st + "batchnorm" + (3 * k + 1), in, w, 1, 1));
				out.add(new Conv(st + "conv" + (first + 1), st + "batchnorm" + (3 * k + 2), w, w, 3, stride));
				out.add(new Conv(st + "conv" + (first + 2), null, w, c, 1, 1));
				if (k == 0) out.add(new Conv(st + "conv3", null, in, c, 1, stride));
				in = c;
			}
		}
		return out;
	}

	/** The pre-activation batch norms (each unit's first, and stage 4's for the last tap). */
	private static List<String> preActivations() {
		List<String> out = new ArrayList<>();
		for (int s = 0; s < 3; s++)
			for (int k = 0; k < UNITS[s]; k++) out.add(preActivation(s, k));
		out.add(PREFIX + "stage4_batchnorm0");
		return out;
	}

	private static String preActivation(int stage, int unit) {
		return PREFIX + "stage" + (stage + 1) + "_batchnorm" + 3 * unit;
	}

	/** Channels a pre-activation batch norm sees: the previous stage's output (64 for stage 1's first unit). */
	private static int channelsOf(String preActivation) {
		int stage = preActivation.charAt(PREFIX.length() + "stage".length()) - '1';
		boolean first = preActivation.endsWith("_batchnorm0");
		if (!first) return CHANNELS[stage];
		return stage == 0 ? 64 : CHANNELS[stage - 1];
	}

	/**
	 * Loads the weights resource. It is shipped in a jar of its own; without it the message says
	 * which jar to add.
	 *
	 * @throws IOException if the resource is missing or does not hold the expected network
	 */
	public static ResNet50V2 loadResource(NDManager manager) throws IOException {
		try (InputStream in = ResNet50V2.class.getResourceAsStream(RESOURCE_NAME)) {
			return load(in, manager);
		}
	}

	/** Loads the weights resource from {@code in}; null (the resource is missing) says which jar to add. */
	static ResNet50V2 load(InputStream in, NDManager manager) throws IOException {
		if (in == null) throw new IOException(ResNet50V2Plugin.missingWeightsMessage());
		byte[] bytes = in.readNBytes((int) MAX_WEIGHT_BYTES + 1);
		if (bytes.length > MAX_WEIGHT_BYTES) throw new IOException(RESOURCE_NAME + ": larger than " + MAX_WEIGHT_BYTES + " bytes");
		return load(bytes, RESOURCE_NAME, ForwardPass.sha256(ResNet50V2.class, RESOURCE_NAME, bytes), manager);
	}

	/** Loads weights in the converter's format from {@code bytes}; {@code source} names them in errors. */
	static ResNet50V2 load(byte[] bytes, String source, NDManager manager) throws IOException {
		return load(bytes, source, ForwardPass.sha256(bytes), manager);
	}

	private static ResNet50V2 load(byte[] bytes, String source, String sha256, NDManager manager) throws IOException {
		Safetensors.Contents contents;
		try {
			contents = Safetensors.read(new ByteArrayInputStream(bytes), bytes.length);
		} catch (IOException e) {
			throw new IOException(source + ": " + e.getMessage());
		}
		return load(contents, sha256, source, manager);
	}

	/**
	 * Loads weights already read: checks the architecture recorded in the metadata, and that every
	 * expected tensor is there with its shape and a float type (and nothing else is).
	 *
	 * @param sha256 the checksum to record in model files
	 */
	static ResNet50V2 load(Safetensors.Contents contents, String sha256, String source, NDManager manager) throws IOException {
		String arch = contents.metadata().get("architecture");
		if (!ARCHITECTURE.equals(arch))
			throw new IOException(source + ": weights are for architecture '" + arch + "', not '" + ARCHITECTURE + "'");
		List<Param> expected = params();
		Map<String, float[]> values = new HashMap<>();
		for (Param p : expected) {
			Safetensors.Tensor t;
			try {
				t = contents.require(p.name());
			} catch (IOException e) {
				throw new IOException(source + ": " + e.getMessage());
			}
			if ((t.dtype() != Safetensors.DType.F32 && t.dtype() != Safetensors.DType.F16) || !Arrays.equals(t.shape(), p.shape()))
				throw new IOException(source + ": tensor '" + p.name() + "' is " + t.dtype() + " " + Arrays.toString(t.shape()) + ", expected F32 or F16 "
					+ Arrays.toString(p.shape()));
			values.put(p.name(), t.toFloats());
		}
		if (contents.tensors().size() != expected.size())
			throw new IOException(source + ": expected " + expected.size() + " tensors, found " + contents.tensors().size());

		NDManager weightManager = manager.newSubManager();
		try {
			Map<String, NDArray[]> convs = new HashMap<>();
			for (Conv c : convList()) {
				float[] w = values.get(c.name() + "_weight");
				long[] shape = {c.out(), c.in(), c.kernel(), c.kernel()};
				if (c.foldedNorm() == null) {
					convs.put(c.name(), new NDArray[] {weightManager.create(w, new Shape(shape)), null});
					continue;
				}
				double[][] ss = scaleShift(values, c.foldedNorm());
				int per = w.length / c.out();
				float[] folded = new float[w.length];
				float[] bias = new float[c.out()];
				for (int o = 0; o < c.out(); o++) {
					for (int i = o * per; i < (o + 1) * per; i++) folded[i] = (float) (w[i] * ss[0][o]);
					bias[o] = (float) ss[1][o];
				}
				convs.put(c.name(), new NDArray[] {weightManager.create(folded, new Shape(shape)), weightManager.create(bias, new Shape(c.out()))});
			}
			Map<String, NDArray[]> norms = new HashMap<>();
			List<String> elementwise = new ArrayList<>(preActivations());
			elementwise.add(PREFIX + "batchnorm0");
			for (String bn : elementwise) {
				double[][] ss = scaleShift(values, bn);
				Shape s = new Shape(1, ss[0].length, 1, 1);
				norms.put(bn, new NDArray[] {weightManager.create(toFloats(ss[0]), s), weightManager.create(toFloats(ss[1]), s)});
			}
			return new ResNet50V2(weightManager, Map.copyOf(convs), Map.copyOf(norms), sha256);
		} catch (RuntimeException e) {
			weightManager.close();
			throw e;
		}
	}

	/** Inference batch norm as {scale, shift}: {@code gamma / sqrt(var + eps)} and {@code beta - mean * scale}. */
	private static double[][] scaleShift(Map<String, float[]> values, String bn) {
		float[] gamma = values.get(bn + "_gamma"), beta = values.get(bn + "_beta");
		float[] mean = values.get(bn + "_running_mean"), var = values.get(bn + "_running_var");
		double[] scale = new double[gamma.length], shift = new double[gamma.length];
		for (int c = 0; c < gamma.length; c++) {
			scale[c] = gamma[c] / Math.sqrt((double) var[c] + BN_EPSILON);
			shift[c] = beta[c] - mean[c] * scale[c];
		}
		return new double[][] {scale, shift};
	}

	private static float[] toFloats(double[] v) {
		float[] f = new float[v.length];
		for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
		return f;
	}

	@Override
	public String id() {
		return ID;
	}

	@Override
	public String weightsSha256() {
		return sha256;
	}

	@Override
	public List<String> taps() {
		return TAP_NAMES;
	}

	@Override
	public int channels(String tap) {
		return CHANNELS[stageOf(tap)];
	}

	@Override
	public int stride(String tap) {
		return OUTPUT_STRIDE[stageOf(tap)];
	}

	/** Stage index (0–2) of a tap. */
	private static int stageOf(String tap) {
		int i = TAP_NAMES.indexOf(tap);
		if (i < 0) throw new IllegalArgumentException("ResNet50-v2 has no tap '" + tap + "'; known: " + TAP_NAMES);
		return i / 2;
	}

	/** The device the weights live on; inputs must be there too. */
	public Device device() {
		return weightManager.getDevice();
	}

	/**
	 * {@inheritDoc}
	 *
	 * <p>Counts the convolutions (the stem, every unit up to the last stage asked for); batch norms,
	 * ReLUs, pooling and additions are a few operations per value, under 1 % of the total.
	 */
	@Override
	public long multiplyAdds(int height, int width, Collection<String> taps) {
		int lastStage = -1;
		for (String t : taps) lastStage = Math.max(lastStage, stageOf(t));
		if (lastStage < 0) throw new IllegalArgumentException("no taps given");
		long macs = 0;
		int h = height, w = width;
		for (Conv c : convList()) {
			int stage = c.name().startsWith(PREFIX + "stage") ? c.name().charAt(PREFIX.length() + "stage".length()) - '1' : -1;
			if (stage > lastStage) break;
			if (c.name().equals(PREFIX + "conv0")) {
				h = ceilDiv(ceilDiv(h, 2), 2); // conv0 stride 2, then the max-pool
				w = ceilDiv(ceilDiv(w, 2), 2);
				macs += (long) ceilDiv(height, 2) * ceilDiv(width, 2) * c.out() * c.in() * c.kernel() * c.kernel();
				continue;
			}
			// The stride of a unit's 3x3 convolution (and shortcut) shrinks everything after it.
			if (c.stride() == 2 && c.kernel() == 3) {
				h = ceilDiv(h, 2);
				w = ceilDiv(w, 2);
			}
			macs += (long) h * w * c.out() * c.in() * c.kernel() * c.kernel();
		}
		return macs;
	}

	private static int ceilDiv(int a, int b) {
		return (a + b - 1) / b;
	}

	/**
	 * {@inheritDoc}
	 *
	 * <p>Intermediate arrays live in a sub-manager closed before returning; only the requested
	 * maps are attached to the input's manager. The result iterates in network order.
	 */
	@Override
	public Map<String, NDArray> forward(NDArray input, Collection<String> taps) {
		if (closed) throw new IllegalStateException("ResNet50-v2 backbone is closed");
		ForwardPass.checkInput("ResNet50-v2", input, device(), taps);
		Set<String> wanted = new HashSet<>();
		for (String t : taps) {
			stageOf(t);
			wanted.add(t);
		}
		Map<String, NDArray> found = ForwardPass.scoped(input, (x, out) -> run(x, wanted, out));
		Map<String, NDArray> out = new LinkedHashMap<>();
		for (String t : TAP_NAMES) if (found.containsKey(t)) out.put(t, found.get(t));
		return out;
	}

	/**
	 * The layers in order, stopping as soon as every wanted tap is in {@code out}. Each
	 * intermediate is freed once consumed ({@link ForwardPass#free}).
	 */
	private void run(NDArray input, Set<String> wanted, Map<String, NDArray> out) {
		NDArray t = affine(input, PREFIX + "batchnorm0");
		NDArray c = conv(t, PREFIX + "conv0", 2, 3);
		t.close();
		NDArray x = relu(c);
		x = consume(x, Pool.maxPool2d(x, new Shape(3, 3), new Shape(2, 2), new Shape(1, 1), false), input, out);
		for (int s = 0; s < 3; s++) {
			String st = PREFIX + "stage" + (s + 1) + "_";
			for (int k = 0; k < UNITS[s]; k++) {
				NDArray a = relu(affine(x, preActivation(s, k)));
				// The previous stage's post-activation view is this stage's first pre-activation.
				if (k == 0 && s > 0 && emit("stage" + s + "_relu", a, wanted, out)) return;
				int stride = k == 0 ? STRIDE[s] : 1, first = k == 0 ? 0 : 3 * k + 1;
				NDArray y = relu(conv(a, st + "conv" + first, 1, 0));
				y = consume(y, relu(conv(y, st + "conv" + (first + 1), stride, 1)), input, out);
				y = consume(y, conv(y, st + "conv" + (first + 2), 1, 0), input, out);
				if (k == 0) {
					NDArray shortcut = conv(a, st + "conv3", stride, 0);
					y.addi(shortcut);
					shortcut.close();
				} else {
					y.addi(x);
				}
				ForwardPass.free(a, input, out);
				ForwardPass.free(x, input, out);
				x = y;
			}
			if (emit("stage" + (s + 1), x, wanted, out)) return;
		}
		emit("stage3_relu", relu(affine(x, PREFIX + "stage4_batchnorm0")), wanted, out);
	}

	/** {@code next}, freeing {@code used}, which it was computed from. */
	private static NDArray consume(NDArray used, NDArray next, NDArray input, Map<String, NDArray> out) {
		ForwardPass.free(used, input, out);
		return next;
	}

	/** max(x, 0) into a new array, closing {@code x}, a fresh intermediate. */
	private static NDArray relu(NDArray x) {
		NDArray r = x.clip(0, Float.MAX_VALUE);
		x.close();
		return r;
	}

	private static boolean emit(String name, NDArray x, Set<String> wanted, Map<String, NDArray> out) {
		if (wanted.contains(name)) out.put(name, x);
		return out.size() == wanted.size();
	}

	private NDArray affine(NDArray x, String bn) {
		NDArray[] p = norms.get(bn);
		return x.mul(p[0]).addi(p[1]);
	}

	private NDArray conv(NDArray x, String name, int stride, int padding) {
		NDArray[] p = convs.get(name);
		return Conv2d.conv2d(x, p[0], p[1], new Shape(stride, stride), new Shape(padding, padding), new Shape(1, 1), 1).singletonOrThrow();
	}

	@Override
	public void close() {
		closed = true;
		weightManager.close();
	}
}
