package org.example.thirdparty;

import org.anomalyj.features.FeatureGrid;
import org.anomalyj.io.JsonFields;
import org.anomalyj.io.Safetensors;
import org.anomalyj.method.AnomalyMethod;
import org.anomalyj.method.AnomalyMethodPlugin;
import org.anomalyj.method.MethodOption;
import org.anomalyj.method.OptionValues;
import org.anomalyj.method.TrainingSet;
import org.anomalyj.task.Progress;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
import org.scijava.plugin.Plugin;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * A method as a third party would add one, outside AnomalyJ's packages and using only its public
 * API: a patch's score is its (scaled) Euclidean distance to the mean training feature at its grid
 * position. The tests check that AnomalyJ finds, trains, saves and loads it without any change to
 * AnomalyJ's code.
 */
@Plugin(type = AnomalyMethodPlugin.class, name = MeanDistancePlugin.NAME)
public final class MeanDistancePlugin implements AnomalyMethodPlugin {

	public static final String NAME = "mean-distance";
	private static final List<MethodOption> OPTIONS = List.of(MethodOption.value("scale", "1", "multiplies the distances"));

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public String description() {
		return "test method: distance to the mean feature per position";
	}

	@Override
	public List<MethodOption> options() {
		return OPTIONS;
	}

	@Override
	public JsonObject settings(Map<String, String> given) {
		double scale = new OptionValues(NAME, OPTIONS, given).real("scale");
		if (!(scale > 0)) throw new IllegalArgumentException(NAME + " option scale must be positive, was " + scale);
		JsonObject o = new JsonObject();
		o.addProperty("scale", scale);
		return o;
	}

	@Override
	public AnomalyMethod train(TrainingSet data, JsonObject settings, long seed, Progress progress) {
		FeatureGrid g = data.grid();
		double[] sum = new double[g.valuesPerImage()];
		int images = data.forEachFeatures(batch -> {
			float[] v = batch.values();
			for (int i = 0; i < v.length; i++) sum[i % sum.length] += v[i];
		});
		float[] mean = new float[sum.length];
		for (int i = 0; i < mean.length; i++) mean[i] = (float) (sum[i] / images);
		return new Scorer(data.manager(), g, mean, settings.get("scale").getAsFloat());
	}

	@Override
	public AnomalyMethod restore(NDManager manager, FeatureGrid grid, JsonFields parameters, Map<String, Safetensors.Tensor> tensors) throws IOException {
		Safetensors.Tensor t = tensors.get("mean");
		if (t == null || t.elementCount() != grid.valuesPerImage()) throw new IOException("mean-distance: no mean tensor of the right size");
		return new Scorer(manager, grid, t.toFloats(), (float) parameters.number("scale", Float.MIN_VALUE, Float.MAX_VALUE));
	}

	private static final class Scorer implements AnomalyMethod {
		private final NDManager manager;
		private final FeatureGrid grid;
		private final float[] mean;
		private final float scale;
		private final NDArray meanArray;

		Scorer(NDManager parent, FeatureGrid grid, float[] mean, float scale) {
			this.manager = parent.newSubManager();
			this.grid = grid;
			this.mean = mean;
			this.scale = scale;
			// Stored as rows (position, channel); as a feature map (1, D, h, w) for scoring.
			this.meanArray = manager.create(mean, new Shape(1, grid.height(), grid.width(), grid.channels())).transpose(0, 3, 1, 2);
		}

		@Override
		public String name() {
			return NAME;
		}

		@Override
		public NDArray patchScores(NDArray features) {
			NDArray d = features.sub(meanArray).square().sum(new int[] {1}).sqrt().mul(scale);
			d.attach(features.getManager());
			return d;
		}

		@Override
		public JsonObject parameters() {
			JsonObject o = new JsonObject();
			o.addProperty("scale", scale);
			return o;
		}

		@Override
		public Map<String, Safetensors.Tensor> tensors() {
			return Map.of("mean", Safetensors.Tensor.of(mean, mean.length));
		}

		@Override
		public void close() {
			manager.close();
		}
	}
}
