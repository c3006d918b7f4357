package org.anomalyj.method;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import org.anomalyj.features.FeatureGrid;
import org.anomalyj.features.FeatureRows;
import org.anomalyj.io.JsonFields;
import org.anomalyj.io.Safetensors;
import org.anomalyj.task.Progress;
import org.scijava.plugin.SciJavaPlugin;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * A kind of anomaly detection method (PatchCore, PaDiM, …): its options, how to train one on good
 * images, and how to restore a trained one from a model file. This is the extension point for
 * methods: annotate an implementation with {@code @Plugin(type = AnomalyMethodPlugin.class)} and put
 * its jar on the class path; {@link MethodCatalog} finds it, {@code train --method NAME} and the
 * Train dialogs offer it with its {@link #options()}, and its model files load, with no change to
 * AnomalyJ. Backbone, feature aggregation, map post-processing, thresholds, calibration,
 * persistence and evaluation are shared, so a method only turns what it learned into patch scores.
 * <p>
 * A method trains in {@link #train}: in one pass over patch features (memory banks, Gaussians), in
 * several (epochs, mini-batches), or by training a network of its own on the images next to the
 * frozen backbone ({@link TrainingSet#forEachInput}); it reports progress per epoch, stops when
 * {@link Progress#checkCancelled()} says so, and draws all randomness from the seed. What it learned
 * goes into the model file as JSON parameters and safetensors tensors
 * ({@link AnomalyMethod#parameters()}, {@link AnomalyMethod#tensors()}).
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

	/** The parameters a user may set, with their defaults: the CLI's help and options and the Train dialogs come from these. */
	List<MethodOption> options();

	/**
	 * The settings to train with, from user-given options: every option of {@link #options()},
	 * defaults filled in, values checked. They are stored in the training report of the model.
	 *
	 * @param given option name to value; names not in {@link #options()} are refused
	 * @throws IllegalArgumentException naming the option and the problem
	 */
	JsonObject settings(Map<String, String> given);

	/**
	 * Trains on good images. Called for the model itself and again for every fold of cross-fitted
	 * calibration, few-shot draw and false-alarm split, on other subsets.
	 *
	 * @param data the training images, as features and as network inputs; at least one image
	 * @param settings as returned by {@link #settings}
	 * @param seed seed of any randomness, so training is reproducible
	 * @param progress per-epoch (or per-stage) progress; check it for cancellation between steps
	 * @return the trained scorer; its {@link AnomalyMethod#parameters()} and tensors must let
	 *         {@link #restore} rebuild it
	 */
	AnomalyMethod train(TrainingSet data, JsonObject settings, long seed, Progress progress);

	/**
	 * Continues a trained method with more good images, without the images it was trained on: a
	 * new batch of production, a new variant. The result should score about as the method trained
	 * on the old and the new images together would (a memory bank grows where the new images are
	 * not yet covered; distribution methods update their moments; trained methods fine-tune), at a
	 * fraction of retraining's cost. Calibration is the caller's: thresholds are re-set afterwards.
	 * <p>
	 * The default says the method cannot: {@code update} then tells the user to retrain.
	 *
	 * @param trained the method as restored from the model file (not changed, not closed)
	 * @param more the new images; at least one
	 * @param seed seed of any randomness (the model's training seed, so updates are reproducible)
	 * @return a new method on {@code more.manager()}
	 * @throws UnsupportedOperationException when the method cannot learn new images without retraining
	 */
	default AnomalyMethod update(AnomalyMethod trained, TrainingSet more, long seed, Progress progress) {
		throw new UnsupportedOperationException("method " + name() + " cannot learn new images without retraining: train on all the images instead");
	}

	/**
	 * Whether {@link #train} learns from labelled defect patches ({@link TrainingSet#defects()}):
	 * the survey's semi-supervised level. Front ends tell the user when labelled defects are given
	 * to a method that does not (they then only set F1 thresholds).
	 */
	default boolean learnsFromDefects() {
		return false;
	}

	/** Trains on features held in memory (a features-only {@link TrainingSet}): tests and studies of feature methods. */
	default AnomalyMethod fit(NDManager manager, FeatureRows features, JsonObject settings, long seed, Progress progress) {
		return train(InMemoryFeatures.of(manager, features), settings, seed, progress);
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
