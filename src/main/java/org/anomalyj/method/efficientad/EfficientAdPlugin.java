package org.anomalyj.method.efficientad;

import org.anomalyj.features.FeatureGrid;
import org.anomalyj.io.JsonFields;
import org.anomalyj.io.Safetensors;
import org.anomalyj.method.AnomalyMethod;
import org.anomalyj.method.AnomalyMethodPlugin;
import org.anomalyj.method.MethodOption;
import org.anomalyj.method.OptionValues;
import org.anomalyj.method.TrainingSet;
import org.anomalyj.task.Progress;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import org.scijava.plugin.Plugin;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * EfficientAD as a {@link AnomalyMethodPlugin}: options, training ({@link EfficientAdTrainer}) and
 * restoring of {@link EfficientAd}. Trains networks of its own on the images
 * ({@link TrainingSet#forEachInput}, one pass; the steps then run on the images held in memory) and
 * scores images, not stored features.
 */
@Plugin(type = AnomalyMethodPlugin.class, name = EfficientAd.NAME, priority = 80)
public final class EfficientAdPlugin implements AnomalyMethodPlugin {

	private static final EfficientAd.Settings D = EfficientAd.Settings.DEFAULT;
	private static final List<MethodOption> OPTIONS = List.of(
		MethodOption.value("steps", Integer.toString(D.steps()), "optimisation steps (the paper's 70000 on a GPU)"),
		MethodOption.value("learning-rate", Double.toString(D.learningRate()), "Adam learning rate (a tenth of it for the last 5 % of steps)"),
		MethodOption.value("batch-images", Integer.toString(D.batch()), "training images per step"),
		MethodOption.value("width", Integer.toString(D.width()), "channels of the student's first layer (then 2x, 4x)"));

	@Override
	public String name() {
		return EfficientAd.NAME;
	}

	@Override
	public String description() {
		return "EfficientAD (Batzner et al. 2024): student and autoencoder trained to match the backbone's features";
	}

	@Override
	public List<MethodOption> options() {
		return OPTIONS;
	}

	@Override
	public JsonObject settings(Map<String, String> given) {
		OptionValues v = new OptionValues(name(), OPTIONS, given);
		EfficientAd.Settings s = new EfficientAd.Settings(v.integer("steps"), v.real("learning-rate"), v.integer("batch-images"), v.integer("width"));
		JsonObject o = new JsonObject();
		o.addProperty("steps", s.steps());
		o.addProperty("learning_rate", s.learningRate());
		o.addProperty("batch", s.batch());
		o.addProperty("width", s.width());
		return o;
	}

	static EfficientAd.Settings of(JsonObject settings) {
		return new EfficientAd.Settings(settings.get("steps").getAsInt(), settings.get("learning_rate").getAsDouble(), settings.get("batch").getAsInt(),
			settings.get("width").getAsInt());
	}

	@Override
	public AnomalyMethod train(TrainingSet data, JsonObject settings, long seed, Progress progress) {
		return EfficientAdTrainer.train(data, of(settings), seed, progress).model();
	}

	@Override
	public AnomalyMethod restore(NDManager manager, FeatureGrid grid, JsonFields parameters, Map<String, Safetensors.Tensor> tensors)
		throws IOException {
		return EfficientAd.restore(manager, grid, parameters, tensors);
	}
}
