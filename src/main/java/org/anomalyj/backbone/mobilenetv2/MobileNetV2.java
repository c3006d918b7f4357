package org.anomalyj.backbone.mobilenetv2;

import org.anomalyj.backbone.Backbone;
import org.anomalyj.backbone.ForwardPass;
import org.anomalyj.io.Safetensors;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * MobileNetV2 (Keras, alpha 1.0) up to {@code block_10}, with the ImageNet weights embedded from
 * nsfwjs 4.4.0 (see the README beside the weight resource). BatchNorm is folded into the
 * convolutions by the converter, so each layer here is one convolution with bias, then ReLU6
 * except for the linear projections. Taps carry Keras' layer names, e.g. {@code block_5_add}
 * (stride 8, 32 channels) and {@code block_10_project_BN} (stride 16, 96 channels).
 *
 * <p>Any input size works: each stride-2 layer pads as Keras' {@code correct_pad} would for its
 * actual input, (0, 1) along an even axis and (1, 1) along an odd one, so a feature map is
 * {@code ceil(size / stride)} on a side; input sizes that are multiples of 16 give exact strides.
 * The weights are immutable, so {@link #forward} may run in several threads at once on different
 * inputs.
 */
public final class MobileNetV2 implements Backbone {

	public static final String ID = "mobilenet_v2-nsfwjs-4.4.0";
	static final String RESOURCE_NAME = "mobilenet_v2_block10.safetensors";
	private static final long MAX_WEIGHT_BYTES = 64L << 20;

	private static final List<MobileNetV2Structure.Tap> TAPS = MobileNetV2Structure.taps();
	private static final List<String> TAP_NAMES = TAPS.stream().map(MobileNetV2Structure.Tap::name).toList();
	private static final Map<String, MobileNetV2Structure.Tap> TAP_BY_NAME = new HashMap<>();
	static {
		for (MobileNetV2Structure.Tap t : TAPS) TAP_BY_NAME.put(t.name(), t);
	}

	/** Owns the parameter arrays, so that closing the backbone frees them and nothing else. */
	private final NDManager weightManager;
	/** Convolution name → {folded weight, folded bias}. */
	private final Map<String, NDArray[]> params;
	private final String sha256;
	private volatile boolean closed;

	private MobileNetV2(NDManager weightManager, Map<String, NDArray[]> params, String sha256) {
		this.weightManager = weightManager;
		this.params = params;
		this.sha256 = sha256;
	}

	/**
	 * Loads the embedded weights onto {@code manager}'s device. The backbone keeps its own
	 * sub-manager of {@code manager}; close the backbone (or {@code manager}) to free the weights.
	 *
	 * @throws IOException if the resource is missing or does not hold the expected network
	 */
	public static MobileNetV2 loadEmbedded(NDManager manager) throws IOException {
		byte[] bytes;
		try (InputStream in = MobileNetV2.class.getResourceAsStream(RESOURCE_NAME)) {
			if (in == null) throw new IOException("classpath resource " + RESOURCE_NAME + " is missing");
			bytes = in.readNBytes((int) MAX_WEIGHT_BYTES + 1);
		}
		if (bytes.length > MAX_WEIGHT_BYTES) throw new IOException(RESOURCE_NAME + ": larger than " + MAX_WEIGHT_BYTES + " bytes");
		return load(bytes, RESOURCE_NAME, ForwardPass.sha256(MobileNetV2.class, RESOURCE_NAME, bytes), manager);
	}

	/** Loads weights in the converter's format from {@code bytes}; {@code source} names them in errors. */
	static MobileNetV2 load(byte[] bytes, String source, NDManager manager) throws IOException {
		return load(bytes, source, ForwardPass.sha256(bytes), manager);
	}

	private static MobileNetV2 load(byte[] bytes, String source, String sha256, NDManager manager) throws IOException {
		Safetensors.Contents contents;
		try {
			contents = Safetensors.read(new ByteArrayInputStream(bytes), bytes.length);
		} catch (IOException e) {
			throw new IOException(source + ": " + e.getMessage());
		}
		String arch = contents.metadata().get("architecture");
		if (!MobileNetV2Structure.describe().equals(arch))
			throw new IOException(source + ": weights are for architecture '" + arch + "', not '" + MobileNetV2Structure.describe() + "'");
		List<MobileNetV2Structure.Conv> convs = MobileNetV2Structure.convs();
		if (contents.tensors().size() != 2 * convs.size())
			throw new IOException(source + ": expected " + 2 * convs.size() + " tensors, found " + contents.tensors().size());

		NDManager weightManager = manager.newSubManager();
		try {
			Map<String, NDArray[]> params = new HashMap<>();
			for (MobileNetV2Structure.Conv c : convs) {
				long inPerGroup = c.depthwise() ? 1 : c.inChannels();
				NDArray w = array(contents, c.name() + ".weight", new long[] {c.outChannels(), inPerGroup, c.kernel(), c.kernel()},
						weightManager, source);
				NDArray b = array(contents, c.name() + ".bias", new long[] {c.outChannels()}, weightManager, source);
				params.put(c.name(), new NDArray[] {w, b});
			}
			return new MobileNetV2(weightManager, Map.copyOf(params), sha256);
		} catch (IOException | RuntimeException e) {
			weightManager.close();
			throw e;
		}
	}

	private static NDArray array(Safetensors.Contents contents, String name, long[] shape, NDManager manager, String source)
			throws IOException {
		Safetensors.Tensor t;
		try {
			t = contents.require(name);
		} catch (IOException e) {
			throw new IOException(source + ": " + e.getMessage());
		}
		if (t.dtype() != Safetensors.DType.F32 || !Arrays.equals(t.shape(), shape))
			throw new IOException(source + ": tensor '" + name + "' is " + t.dtype() + " " + Arrays.toString(t.shape()) + ", expected F32 "
					+ Arrays.toString(shape));
		return manager.create(t.toFloats(), new Shape(shape));
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
		return tap(tap).channels();
	}

	@Override
	public int stride(String tap) {
		return tap(tap).stride();
	}

	/** The device the weights live on; inputs must be there too. */
	public Device device() {
		return weightManager.getDevice();
	}

	private static MobileNetV2Structure.Tap tap(String name) {
		MobileNetV2Structure.Tap t = TAP_BY_NAME.get(name);
		if (t == null) throw new IllegalArgumentException("MobileNetV2 has no tap '" + name + "'; known: " + TAP_NAMES);
		return t;
	}

	/**
	 * {@inheritDoc}
	 *
	 * <p>Intermediate arrays live in a sub-manager closed before returning; only the requested
	 * maps are attached to the input's manager. The result iterates in network order.
	 */
	@Override
	public long multiplyAdds(int height, int width, Collection<String> taps) {
		int last = -1;
		for (String t : taps) last = Math.max(last, taps().indexOf(t));
		if (last < 0) throw new IllegalArgumentException("no known tap among " + taps);
		String lastTap = taps().get(last);
		long macs = 0;
		int h = height, w = width;
		for (MobileNetV2Structure.Conv c : MobileNetV2Structure.convs()) {
			if (c.stride() == 2) {
				h = (h + 1) / 2;
				w = (w + 1) / 2;
			}
			macs += (long) h * w * c.outChannels() * c.kernel() * c.kernel() * (c.depthwise() ? 1 : c.inChannels());
			if (c.outputTap().equals(lastTap) || lastTap.equals(c.name().replaceAll("_(expand|depthwise|project)$", "") + "_add")
				&& c.name().endsWith("_project")) break;
		}
		return macs;
	}

	@Override
	public Map<String, NDArray> forward(NDArray input, Collection<String> taps) {
		if (closed) throw new IllegalStateException("MobileNetV2 backbone is closed");
		ForwardPass.checkInput("MobileNetV2", input, device(), taps);
		Set<String> wanted = new HashSet<>();
		for (String t : taps) wanted.add(tap(t).name());
		return ForwardPass.scoped(input, (x, out) -> run(x, wanted, out));
	}

	/**
	 * The layers in order, stopping as soon as every wanted tap is in {@code out}. Each
	 * intermediate is freed once consumed ({@link ForwardPass#free}).
	 */
	private void run(NDArray input, Set<String> wanted, Map<String, NDArray> out) {
		NDArray x = conv(input, MobileNetV2Structure.STEM);
		if (emit(MobileNetV2Structure.STEM.outputTap(), x, wanted, out)) return;
		for (MobileNetV2Structure.Block b : MobileNetV2Structure.BLOCKS) {
			NDArray blockInput = x;
			for (MobileNetV2Structure.Conv c : b.convs()) {
				NDArray y = conv(x, c);
				// A residual block's input is needed again at its end.
				if (x != blockInput || !b.residual()) ForwardPass.free(x, input, out);
				x = y;
				if (emit(c.outputTap(), x, wanted, out)) return;
			}
			if (b.residual()) {
				NDArray sum = blockInput.add(x);
				ForwardPass.free(x, input, out);
				ForwardPass.free(blockInput, input, out);
				x = sum;
				if (emit(b.addName(), x, wanted, out)) return;
			}
		}
	}

	private static boolean emit(String name, NDArray x, Set<String> wanted, Map<String, NDArray> out) {
		if (wanted.contains(name)) out.put(name, x);
		return out.size() == wanted.size();
	}

	/** The layer's output, a new array; {@code x} is left alone, the layer's own temporaries are freed. */
	private NDArray conv(NDArray x, MobileNetV2Structure.Conv c) {
		NDArray[] p = params.get(c.name());
		Shape padding;
		NDArray in = x;
		if (c.stride() == 2) {
			in = padForStride2(x);
			padding = new Shape(0, 0);
		} else {
			padding = new Shape(c.kernel() / 2, c.kernel() / 2);
		}
		NDArray y = Conv2d.conv2d(in, p[0], p[1], new Shape(c.stride(), c.stride()), padding, new Shape(1, 1),
				c.depthwise() ? c.inChannels() : 1).singletonOrThrow();
		if (in != x) in.close();
		if (c.relu() == null) return y;
		NDArray r = y.clip(0, 6);
		y.close();
		return r;
	}

	/**
	 * Keras' ZeroPadding2D(correct_pad(...)) before a 3x3 stride-2 "valid" convolution, per axis
	 * from the actual size. PyTorch's pad list runs from the last axis: (left, right, top, bottom).
	 */
	static NDArray padForStride2(NDArray x) {
		int[] h = MobileNetV2Structure.correctPad(Math.toIntExact(x.getShape().get(2)));
		int[] w = MobileNetV2Structure.correctPad(Math.toIntExact(x.getShape().get(3)));
		return x.pad(new Shape(w[0], w[1], h[0], h[1]), 0);
	}

	@Override
	public void close() {
		closed = true;
		weightManager.close();
	}
}
