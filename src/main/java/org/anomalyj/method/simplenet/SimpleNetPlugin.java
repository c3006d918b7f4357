package org.anomalyj.method.simplenet;

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
 * SimpleNet as a {@link AnomalyMethodPlugin}: options, training ({@link SimpleNetTrainer}) and
 * restoring of {@link SimpleNet}. Trains on the patch features only ({@link TrainingSet#forEachFeatures},
 * one pass, then epochs over the patches held in memory).
 */
@Plugin(type = AnomalyMethodPlugin.class, name = SimpleNet.NAME, priority = 90)
public final class SimpleNetPlugin implements AnomalyMethodPlugin {

	private static final SimpleNet.Settings D = SimpleNet.Settings.DEFAULT;
	private static final List<MethodOption> OPTIONS = List.of(
		MethodOption.value("epochs", Integer.toString(D.epochs()), "passes over the training patches"),
		MethodOption.value("learning-rate", Double.toString(D.learningRate()), "Adam learning rate of the discriminator (the adaptor's is half)"),
		MethodOption.value("noise", Double.toString(D.noise()), "standard deviation of the noise that makes anomalous features, in units of the features' typical standard deviation"),
		MethodOption.value("hidden", Integer.toString(D.hidden()), "width of the discriminator's hidden layer"),
		MethodOption.value("schedule", D.schedule().id(), "learning rates over the training: cosine (annealed to 0) or constant"),
		MethodOption.value("average-decay", Double.toString(D.averageDecay()),
			"per-step decay of the moving average of the weights that the kept net has (0: the last step's weights)"));

	@Override
	public String name() {
		return SimpleNet.NAME;
	}

	@Override
	public String description() {
		return "SimpleNet (Liu et al. 2023): discriminator trained on good patches against noise-perturbed ones";
	}

	@Override
	public List<MethodOption> options() {
		return OPTIONS;
	}

	@Override
	public JsonObject settings(Map<String, String> given) {
		OptionValues v = new OptionValues(name(), OPTIONS, given);
		SimpleNet.Settings s = new SimpleNet.Settings(v.integer("epochs"), v.real("learning-rate"), v.real("noise"), v.integer("hidden"),
			SimpleNet.Schedule.of(v.text("schedule")), v.real("average-decay"));
		JsonObject o = new JsonObject();
		o.addProperty("epochs", s.epochs());
		o.addProperty("learning_rate", s.learningRate());
		o.addProperty("noise", s.noise());
		o.addProperty("hidden", s.hidden());
		o.addProperty("schedule", s.schedule().id());
		o.addProperty("average_decay", s.averageDecay());
		return o;
	}

	static SimpleNet.Settings of(JsonObject settings) {
		return new SimpleNet.Settings(settings.get("epochs").getAsInt(), settings.get("learning_rate").getAsDouble(), settings.get("noise").getAsDouble(),
			settings.get("hidden").getAsInt(),
			// Settings recorded before the schedule was an option meant a constant rate.
			settings.has("schedule") ? SimpleNet.Schedule.of(settings.get("schedule").getAsString()) : SimpleNet.Schedule.CONSTANT,
			// Settings recorded before weight averaging was an option meant the last step's weights.
			settings.has("average_decay") ? settings.get("average_decay").getAsDouble() : 0);
	}

	/** Labelled defect patches join the noise-perturbed features as anomalous examples of the discriminator's loss. */
	@Override
	public boolean learnsFromDefects() {
		return true;
	}

	@Override
	public AnomalyMethod train(TrainingSet data, JsonObject settings, long seed, Progress progress) {
		return SimpleNetTrainer.train(data, of(settings), seed, progress).net();
	}

	@Override
	public AnomalyMethod restore(NDManager manager, FeatureGrid grid, JsonFields parameters, Map<String, Safetensors.Tensor> tensors)
		throws IOException {
		return SimpleNet.restore(manager, grid, parameters, tensors);
	}
}
