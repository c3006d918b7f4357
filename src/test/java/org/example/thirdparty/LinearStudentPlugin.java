package org.example.thirdparty;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import org.anomalyj.features.FeatureGrid;
import org.anomalyj.io.JsonFields;
import org.anomalyj.io.Safetensors;
import org.anomalyj.method.AnomalyMethod;
import org.anomalyj.method.AnomalyMethodPlugin;
import org.anomalyj.method.GradientFree;
import org.anomalyj.method.MethodOption;
import org.anomalyj.method.OptionValues;
import org.anomalyj.method.TrainingSet;
import org.anomalyj.task.Progress;
import org.scijava.plugin.Plugin;

import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A third-party trainable method, to prove the trainable-method seam: a student network of its own
 * (one strided convolution from image cells to patch features) trained over several epochs, by
 * gradient descent with DJL's autograd, to regress the frozen backbone's patch features on good
 * images; a patch's score is the student's squared error there. Declared in test sources, in a
 * foreign package, found only through SciJava's plug-in index.
 */
@Plugin(type = AnomalyMethodPlugin.class, name = LinearStudentPlugin.NAME)
public final class LinearStudentPlugin implements AnomalyMethodPlugin {

	public static final String NAME = "linear-student";
	private static final List<MethodOption> OPTIONS = List.of(MethodOption.value("epochs", "4", "passes over the training images"),
		MethodOption.value("learning-rate", "0.5", "gradient descent step"));

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public String description() {
		return "test method: a one-layer student regressing the backbone's features";
	}

	@Override
	public List<MethodOption> options() {
		return OPTIONS;
	}

	@Override
	public JsonObject settings(Map<String, String> given) {
		OptionValues v = new OptionValues(NAME, OPTIONS, given);
		int epochs = v.integer("epochs");
		double lr = v.real("learning-rate");
		if (epochs < 1) throw new IllegalArgumentException(NAME + " option epochs must be at least 1, was " + epochs);
		if (!(lr > 0)) throw new IllegalArgumentException(NAME + " option learning-rate must be positive, was " + lr);
		JsonObject o = new JsonObject();
		o.addProperty("epochs", epochs);
		o.addProperty("learning_rate", lr);
		return o;
	}

	@Override
	public AnomalyMethod train(TrainingSet data, JsonObject settings, long seed, Progress progress) {
		FeatureGrid g = data.grid();
		int cell = data.inputSize() / g.height(), epochs = settings.get("epochs").getAsInt();
		float lr = settings.get("learning_rate").getAsFloat();
		Random random = new Random(seed);
		float[] init = new float[g.channels() * 3 * cell * cell];
		for (int i = 0; i < init.length; i++) init[i] = (float) (random.nextGaussian() * 0.01);
		NDManager m = data.manager().newSubManager();
		NDArray w = m.create(init, new Shape(g.channels(), 3, cell, cell));
		NDArray b = m.zeros(new Shape(g.channels()));
		w.setRequiresGradient(true);
		b.setRequiresGradient(true);
		double[] losses = new double[epochs];
		for (int e = 0; e < epochs; e++) {
			progress.update("epochs", e, epochs);
			double[] sum = {0};
			int images = data.forEachInput(x -> {
				progress.checkCancelled();
				NDArray target = data.features().embed(x);
				try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
					NDArray loss = student(x, w, b, cell).sub(target).square().mean();
					gc.backward(loss);
					sum[0] += loss.getFloat() * x.getShape().get(0);
				}
				try (GradientFree noGrad = GradientFree.open()) {
					for (NDArray p : List.of(w, b)) {
						NDArray grad = p.getGradient();
						p.subi(grad.mul(lr));
						grad.subi(grad); // the engine accumulates gradients: start each step from zero
					}
				}
			});
			losses[e] = sum[0] / images;
		}
		progress.update("epochs", epochs, epochs);
		// Plain copies of the trained weights: scoring needs no gradient history.
		NDManager kept = data.manager().newSubManager();
		Student student = new Student(kept, kept.create(w.toFloatArray(), w.getShape()), kept.create(b.toFloatArray(), b.getShape()), cell, losses);
		m.close();
		return student;
	}

	private static NDArray student(NDArray x, NDArray w, NDArray b, int cell) {
		return Conv2d.conv2d(x, w, b, new Shape(cell, cell), new Shape(0, 0), new Shape(1, 1), 1).singletonOrThrow();
	}

	@Override
	public AnomalyMethod restore(NDManager manager, FeatureGrid grid, JsonFields parameters, Map<String, Safetensors.Tensor> tensors) throws IOException {
		int cell = (int) parameters.integer("cell", 1, 64);
		Safetensors.Tensor w = tensors.get("student.weight"), b = tensors.get("student.bias");
		if (w == null || b == null) throw new IOException("the linear-student model has no student.weight or student.bias tensor");
		if (!Arrays.equals(w.shape(), new long[] {grid.channels(), 3, cell, cell}) || !Arrays.equals(b.shape(), new long[] {grid.channels()}))
			throw new IOException("tensor student.weight " + Arrays.toString(w.shape()) + " or student.bias " + Arrays.toString(b.shape())
				+ " does not fit " + grid.channels() + " channels and " + cell + " px cells");
		NDManager m = manager.newSubManager();
		return new Student(m, m.create(w.toFloats(), new Shape(w.shape())), m.create(b.toFloats(), new Shape(b.shape())), cell, new double[0]);
	}

	/** The trained student; {@link #losses()} records the mean loss of every training epoch. */
	public static final class Student implements AnomalyMethod {
		private final NDManager manager;
		private final NDArray w, b;
		private final int cell;
		private final double[] losses;

		Student(NDManager manager, NDArray w, NDArray b, int cell, double[] losses) {
			this.manager = manager;
			this.w = w;
			this.b = b;
			this.cell = cell;
			this.losses = losses;
		}

		public double[] losses() {
			return losses.clone();
		}

		@Override
		public String name() {
			return NAME;
		}

		@Override
		public boolean scoresImages() {
			return true;
		}

		/** The student's squared error per patch. */
		@Override
		public NDArray patchScores(NDArray features, NDArray inputs) {
			return student(inputs, w, b, cell).sub(features).square().sum(new int[] {1});
		}

		@Override
		public String summary() {
			return losses.length == 0 ? "" : String.format(java.util.Locale.ROOT, "loss %.4g -> %.4g", losses[0], losses[losses.length - 1]);
		}

		@Override
		public JsonObject parameters() {
			JsonObject o = new JsonObject();
			o.addProperty("cell", cell);
			JsonArray l = new JsonArray();
			for (double v : losses) l.add(v);
			o.add("epoch_losses", l);
			return o;
		}

		@Override
		public Map<String, Safetensors.Tensor> tensors() {
			Map<String, Safetensors.Tensor> t = new LinkedHashMap<>();
			t.put("student.weight", Safetensors.Tensor.of(w.toFloatArray(), w.getShape().getShape()));
			t.put("student.bias", Safetensors.Tensor.of(b.toFloatArray(), b.getShape().getShape()));
			return t;
		}

		@Override
		public void close() {
			manager.close();
		}
	}
}
