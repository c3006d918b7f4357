package org.anomalyj.method.patchcore;

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

/** PatchCore as a {@link AnomalyMethodPlugin}: options, training and restoring of {@link PatchCore}. */
@Plugin(type = AnomalyMethodPlugin.class, name = PatchCore.NAME, priority = 100)
public final class PatchCorePlugin implements AnomalyMethodPlugin {

	private static final List<MethodOption> OPTIONS = List.of(
		MethodOption.value("coreset", Double.toString(PatchCore.Settings.DEFAULT.coresetRatio()), "fraction of training patches kept in the memory bank, (0, 1]"),
		MethodOption.flag("reweight", "reweight image scores by how isolated the nearest bank entry is (PatchCore eq. 7)"),
		MethodOption.value("neighbours", Integer.toString(PatchCore.Settings.DEFAULT.neighbours()), "neighbourhood size of the reweighting"),
		MethodOption.value("probes", Integer.toString(PatchCore.Settings.DEFAULT.probes()),
			"memory-bank clusters a patch's search visits beyond its own, nearest first; 0 = exact search (slower on texture)"));

	@Override
	public String name() {
		return PatchCore.NAME;
	}

	@Override
	public String description() {
		return "PatchCore (Roth et al. 2022): nearest neighbour in a coreset of good patches";
	}

	@Override
	public List<MethodOption> options() {
		return OPTIONS;
	}

	@Override
	public JsonObject settings(Map<String, String> given) {
		OptionValues v = new OptionValues(name(), OPTIONS, given);
		PatchCore.Settings s = new PatchCore.Settings(v.real("coreset"), 0, v.flag("reweight"), v.integer("neighbours"), v.integer("probes"));
		JsonObject o = new JsonObject();
		o.addProperty("coreset_ratio", s.coresetRatio());
		o.addProperty("reweight", s.reweight());
		o.addProperty("neighbours", s.neighbours());
		o.addProperty("probes", s.probes());
		return o;
	}

	/** The options that give {@code settings}, for callers that hold a {@link PatchCore.Settings}. */
	public static Map<String, String> options(PatchCore.Settings settings) {
		return Map.of("coreset", Double.toString(settings.coresetRatio()), "reweight", Boolean.toString(settings.reweight()), "neighbours",
			Integer.toString(settings.neighbours()), "probes", Integer.toString(settings.probes()));
	}

	@Override
	public AnomalyMethod train(TrainingSet data, JsonObject settings, long seed, Progress progress) {
		return Fitter.onePass(fitter(data.manager(), data.grid(), settings, seed, progress), data);
	}

	/** The one-pass fitter with these settings, for training sets larger than memory. */
	public Fitter fitter(NDManager manager, FeatureGrid grid, JsonObject settings, long seed, Progress progress) {
		// Settings stored before the bounded search have no probes: exact, as they were.
		int probes = settings.has("probes") ? settings.get("probes").getAsInt() : 0;
		PatchCore.Settings s = new PatchCore.Settings(settings.get("coreset_ratio").getAsDouble(), seed, settings.get("reweight").getAsBoolean(),
			settings.get("neighbours").getAsInt(), probes);
		return PatchCore.fitter(manager, grid.channels(), s, progress);
	}

	/**
	 * The bank continues: the new patches' greedy selection starts from their distances to the
	 * bank ({@link CoresetSampler#continueFrom}) and adds the coreset ratio's share of them,
	 * farthest first, so the bank grows where the new images are not yet covered, as a later chunk
	 * of a large training set does.
	 */
	@Override
	public AnomalyMethod update(AnomalyMethod trained, TrainingSet more, long seed, Progress progress) {
		if (!(trained instanceof PatchCore p)) throw new IllegalArgumentException("not a PatchCore model: " + trained.name());
		if (p.dim() != more.grid().channels())
			throw new IllegalArgumentException("features of " + more.grid().channels() + " channels, the bank has " + p.dim());
		return Fitter.onePass(PatchCore.continuing(more.manager(), p, progress), more);
	}

	@Override
	public AnomalyMethod restore(NDManager manager, FeatureGrid grid, JsonFields parameters, Map<String, Safetensors.Tensor> tensors)
		throws IOException {
		return PatchCore.restore(manager, parameters, tensors, grid);
	}
}
