package org.anomalyj.method.padim;

import org.anomalyj.features.FeatureGrid;
import org.anomalyj.io.JsonFields;
import org.anomalyj.io.Safetensors;
import org.anomalyj.method.AnomalyMethod;
import org.anomalyj.method.AnomalyMethodPlugin;
import org.anomalyj.method.Fitter;
import org.anomalyj.method.TrainingSet;
import org.anomalyj.method.MethodOption;
import org.anomalyj.method.OptionValues;
import org.anomalyj.task.Progress;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import org.scijava.plugin.Plugin;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/** PaDiM as a {@link AnomalyMethodPlugin}: options, training and restoring of {@link Padim}. */
@Plugin(type = AnomalyMethodPlugin.class, name = Padim.NAME, priority = 100)
public final class PadimPlugin implements AnomalyMethodPlugin {

	private static final List<MethodOption> OPTIONS = List.of(
		MethodOption.value("dims", Integer.toString(Padim.Settings.DEFAULT.dims()), "feature channels kept (random, seeded); at most the backbone's"),
		MethodOption.value("regularisation", Double.toString(Padim.Settings.DEFAULT.regularisation()), "added to the covariance diagonal"));

	@Override
	public String name() {
		return Padim.NAME;
	}

	@Override
	public String description() {
		return "PaDiM (Defard et al. 2021): Mahalanobis distance to a Gaussian per patch position";
	}

	@Override
	public List<MethodOption> options() {
		return OPTIONS;
	}

	@Override
	public JsonObject settings(Map<String, String> given) {
		OptionValues v = new OptionValues(name(), OPTIONS, given);
		Padim.Settings s = new Padim.Settings(v.integer("dims"), v.real("regularisation"));
		JsonObject o = new JsonObject();
		o.addProperty("dims", s.dims());
		o.addProperty("regularisation", s.regularisation());
		return o;
	}

	@Override
	public AnomalyMethod train(TrainingSet data, JsonObject settings, long seed, Progress progress) {
		return Fitter.onePass(fitter(data.manager(), data.grid(), settings, seed, progress), data);
	}

	/** The one-pass fitter with these settings, for training sets larger than memory. */
	public Fitter fitter(NDManager manager, FeatureGrid grid, JsonObject settings, long seed, Progress progress) {
		Padim.Settings s = new Padim.Settings(settings.get("dims").getAsInt(), settings.get("regularisation").getAsDouble());
		return Padim.fitter(manager, grid, s, seed, progress);
	}

	/** The moments continue: the Gaussians of the old and the new images together ({@code PadimFitter.continuing}). */
	@Override
	public AnomalyMethod update(AnomalyMethod trained, TrainingSet more, long seed, Progress progress) {
		if (!(trained instanceof Padim p)) throw new IllegalArgumentException("not a PaDiM model: " + trained.name());
		if (!p.grid().equals(more.grid())) throw new IllegalArgumentException("features of " + more.grid() + ", the model has " + p.grid());
		return Fitter.onePass(PadimFitter.continuing(more.manager(), p, progress), more);
	}

	@Override
	public AnomalyMethod restore(NDManager manager, FeatureGrid grid, JsonFields parameters, Map<String, Safetensors.Tensor> tensors)
		throws IOException {
		return Padim.restore(manager, grid, parameters, tensors);
	}
}
