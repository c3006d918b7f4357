package org.anomalyj.method.efficientad;

import org.anomalyj.io.Safetensors;
import org.anomalyj.method.StoredTensors;
import org.anomalyj.method.nn.Conv;
import org.anomalyj.postprocess.ResamplingMatrix;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.pooling.Pool;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * EfficientAD's two trained networks, laid out by an {@link Architecture}: the student PDN and the
 * autoencoder, their weights on one manager. Forward passes record gradients when the weights
 * require them, so the same code trains and scores.
 */
final class Networks {

	static final String STUDENT = "student", ENCODER = "autoencoder.encoder", DECODER = "autoencoder.decoder";

	private final Architecture architecture;
	private final List<Conv> student, encoder, decoder;
	/** Per decoder stage: (side, previous side) bilinear rows and the transposed columns operator. */
	private final List<NDArray[]> upsample = new ArrayList<>();

	private Networks(NDManager manager, Architecture architecture, List<Conv> student, List<Conv> encoder, List<Conv> decoder) {
		this.architecture = architecture;
		this.student = student;
		this.encoder = encoder;
		this.decoder = decoder;
		int previous = 1;
		for (int side : architecture.decoderSizes()) {
			NDArray rows = manager.create(ResamplingMatrix.bilinear(previous, side), new Shape(side, previous));
			upsample.add(new NDArray[] {rows, rows.transpose()});
			previous = side;
		}
	}

	/** Fresh networks with He-normal weights drawn from {@code random} in a fixed order. */
	static Networks initialise(NDManager manager, Architecture a, Random random) {
		return new Networks(manager, a, create(manager, a.student(), random), create(manager, a.encoder(), random), create(manager, a.decoder(), random));
	}

	private static List<Conv> create(NDManager manager, List<Architecture.Layer> layers, Random random) {
		List<Conv> l = new ArrayList<>();
		for (Architecture.Layer s : layers) l.add(Conv.he(manager, random, s.in(), s.out(), s.kernel(), s.stride(), s.padding()));
		return l;
	}

	/**
	 * Networks from a model file's tensors, each checked for presence, shape and finite values.
	 *
	 * @throws IOException naming the tensor that is missing or wrong
	 */
	static Networks restore(NDManager manager, Architecture a, Map<String, Safetensors.Tensor> tensors) throws IOException {
		return new Networks(manager, a, read(manager, STUDENT, a.student(), tensors), read(manager, ENCODER, a.encoder(), tensors),
			read(manager, DECODER, a.decoder(), tensors));
	}

	private static List<Conv> read(NDManager manager, String prefix, List<Architecture.Layer> layers, Map<String, Safetensors.Tensor> tensors)
		throws IOException {
		List<Conv> l = new ArrayList<>();
		for (int i = 0; i < layers.size(); i++) {
			Architecture.Layer s = layers.get(i);
			long[] shape = Conv.weightShape(s.in(), s.out(), s.kernel());
			float[] w = StoredTensors.floats(tensors, weightName(prefix, i), shape), b = StoredTensors.floats(tensors, biasName(prefix, i), s.out());
			l.add(new Conv(manager.create(w, new Shape(shape)), manager.create(b, new Shape(s.out())), s.stride(), s.padding()));
		}
		return l;
	}

	static String weightName(String prefix, int layer) {
		return prefix + "." + layer + ".weight";
	}

	static String biasName(String prefix, int layer) {
		return prefix + "." + layer + ".bias";
	}

	Architecture architecture() {
		return architecture;
	}

	/** {@code (N, 3, S, S)} inputs to {@code (N, 2 D, g, g)}: teacher regression, then autoencoder regression. */
	NDArray student(NDArray x) {
		return chain(student, x);
	}

	/** {@code (N, 3, S, S)} inputs to {@code (N, D, g, g)} reconstructed (standardised) teacher features. */
	NDArray autoencoder(NDArray x) {
		NDArray y = chain(encoder, Pool.avgPool2d(x, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false, true), true);
		for (int i = 0; i < upsample.size(); i++) {
			NDArray[] up = upsample.get(i);
			NDArray rows = y.matMul(up[1]);
			y.close();
			NDArray upsampled = up[0].matMul(rows);
			rows.close();
			NDArray conv = next(upsampled, decoder.get(i).apply(upsampled));
			y = next(conv, Activation.relu(conv));
		}
		return next(y, decoder.get(decoder.size() - 1).apply(y));
	}

	private static NDArray chain(List<Conv> layers, NDArray x) {
		return chain(layers, x, false);
	}

	/**
	 * Convolutions with a ReLU between them, none after the last. Each intermediate is closed once
	 * the next layer has it (autograd keeps what backpropagation needs), so a batch holds a few
	 * activations at a time; {@code x} too if {@code ownsInput}.
	 */
	private static NDArray chain(List<Conv> layers, NDArray x, boolean ownsInput) {
		NDArray y = x;
		for (int i = 0; i < layers.size(); i++) {
			NDArray z = layers.get(i).apply(y);
			if (y != x || ownsInput) y.close();
			y = z;
			if (i < layers.size() - 1) y = next(y, Activation.relu(y));
		}
		return y;
	}

	/** {@code result}, after closing {@code used}, an intermediate it was computed from. */
	private static NDArray next(NDArray used, NDArray result) {
		used.close();
		return result;
	}

	/** Every trained array, student first, in a fixed order. */
	List<NDArray> parameters() {
		List<NDArray> p = new ArrayList<>();
		for (List<Conv> net : List.of(student, encoder, decoder))
			for (Conv c : net) p.addAll(c.parameters());
		return p;
	}

	/** Multiply-adds of both networks per grid cell of one image. */
	long multiplyAddsPerPatch() {
		double total = 0;
		int n = architecture.inputSize();
		for (Conv c : student) {
			n = c.outputSize(n);
			total += (double) c.multiplyAdds() * n * n;
		}
		n = architecture.inputSize() / 2;
		for (Conv c : encoder) {
			n = c.outputSize(n);
			total += (double) c.multiplyAdds() * n * n;
		}
		int[] sides = architecture.decoderSizes();
		for (int i = 0; i < decoder.size(); i++) {
			int side = sides[Math.min(i, sides.length - 1)];
			total += (double) decoder.get(i).multiplyAdds() * side * side;
		}
		return Math.round(total / ((double) architecture.grid() * architecture.grid()));
	}

	void putTensors(Map<String, Safetensors.Tensor> t) {
		put(t, STUDENT, student);
		put(t, ENCODER, encoder);
		put(t, DECODER, decoder);
	}

	private static void put(Map<String, Safetensors.Tensor> t, String prefix, List<Conv> layers) {
		for (int i = 0; i < layers.size(); i++) {
			Conv c = layers.get(i);
			t.put(weightName(prefix, i), Safetensors.Tensor.of(c.weight().toFloatArray(), c.weight().getShape().getShape()));
			t.put(biasName(prefix, i), Safetensors.Tensor.of(c.bias().toFloatArray(), c.bias().getShape().getShape()));
		}
	}
}
