package org.anomalyj.method;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import org.anomalyj.io.JsonFields;
import org.anomalyj.io.Safetensors;
import org.anomalyj.task.Progress;
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
	public AnomalyMethod fit(NDManager manager, FeatureRows features, JsonObject settings, long seed, Progress progress) {
		Fitter f = fitter(manager, features.grid(), settings, seed, progress);
		f.add(features);
		return f.finish();
	}

	@Override
	public Fitter fitter(NDManager manager, FeatureGrid grid, JsonObject settings, long seed, Progress progress) {
		Padim.Settings s = new Padim.Settings(settings.get("dims").getAsInt(), settings.get("regularisation").getAsDouble());
		return Padim.fitter(manager, grid, s, seed, progress);
	}

	@Override
	public AnomalyMethod restore(NDManager manager, FeatureGrid grid, JsonFields parameters, Map<String, Safetensors.Tensor> tensors)
		throws IOException {
		return Padim.restore(manager, grid, parameters, tensors);
	}
}
