package org.anomalyj.method;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import org.anomalyj.io.JsonFields;
import org.anomalyj.io.Safetensors;
import org.anomalyj.task.Progress;
import org.scijava.plugin.SciJavaPlugin;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * A kind of anomaly detection method (PatchCore, PaDiM, …): how to train one on patch features and
 * how to restore a trained one from a model file. This is the extension point for third parties:
 * annotate an implementation with {@code @Plugin(type = AnomalyMethodPlugin.class)} and put its jar
 * on the class path; {@link MethodCatalog} finds it without any change to AnomalyJ. Backbone,
 * feature aggregation, map post-processing, thresholds, persistence and evaluation are shared, so
 * a method only turns features into patch scores.
 * <p>
 * Implementations need a public no-argument constructor and must be stateless: one instance
 * serves every training and loading.
 */
public interface AnomalyMethodPlugin extends SciJavaPlugin {

	/**
	 * The name in model files and on the command line ({@code --method NAME}): lower case letters,
	 * digits and dashes. It must stay the same across versions, or old models no longer load.
	 */
	String name();

	/** One line for help texts and dialogs. */
	String description();

	/** The parameters a user may set, with their defaults. */
	List<MethodOption> options();

	/**
	 * The settings to train with, from user-given options: every option of {@link #options()},
	 * defaults filled in, values checked.
	 *
	 * @param given option name to value; names not in {@link #options()} are refused
	 * @throws IllegalArgumentException naming the option and the problem
	 */
	JsonObject settings(Map<String, String> given);

	/**
	 * Trains on the patch features of good images.
	 *
	 * @param manager where the trained method's arrays live (its device)
	 * @param features training features; at least one image
	 * @param settings as returned by {@link #settings}
	 * @param seed seed of any randomness, so training is reproducible
	 * @return the trained scorer; its {@link AnomalyMethod#parameters()} must let {@link #restore}
	 *         rebuild it
	 */
	AnomalyMethod fit(NDManager manager, FeatureRows features, JsonObject settings, long seed, Progress progress);

	/**
	 * Trains on features given batch by batch, so training sets larger than memory can be used
	 * (the trainer streams the images' features into it). The default collects every batch and
	 * calls {@link #fit}; methods that can fit with less memory override it, and then implement
	 * {@link #fit} as this fitter fed all features, so the two never disagree.
	 *
	 * @param grid the shape of every batch's features
	 * @param settings as returned by {@link #settings}
	 * @param seed seed of any randomness, so training is reproducible
	 */
	default Fitter fitter(NDManager manager, FeatureGrid grid, JsonObject settings, long seed, Progress progress) {
		return new BufferedFitter(this, manager, grid, settings, seed, progress);
	}

	/**
	 * Rebuilds a trained method from a model file, which is untrusted input: every parameter and
	 * tensor is checked against the feature grid before use.
	 *
	 * @param grid the features the model's backbone and taps produce
	 * @param parameters the manifest object stored under {@link #name()}, with typed, checked reads
	 * @param tensors every tensor of the model file (the method's and the shared ones)
	 * @throws IOException naming the parameter or tensor that is wrong
	 */
	AnomalyMethod restore(NDManager manager, FeatureGrid grid, JsonFields parameters, Map<String, Safetensors.Tensor> tensors)
		throws IOException;
}
