package org.anomalyj.method;

import org.anomalyj.io.Safetensors;
import org.anomalyj.method.patchcore.PatchCore;

import ai.djl.ndarray.NDArray;
import com.google.gson.JsonObject;

import java.util.Map;

/**
 * A trained anomaly scorer over patch features: what a method (PatchCore, PaDiM, …) keeps after
 * training and how it scores. Backbone, feature aggregation, map post-processing, thresholds and
 * persistence are shared and live outside the method.
 */
public interface AnomalyMethod extends AutoCloseable {

	/** The method's name as written in model files and on the command line, e.g. {@code patchcore}. */
	String name();

	/**
	 * Patch scores of a method that scores features (memory banks, distributions).
	 *
	 * @param features (N, D, h, w) patch features
	 * @return (N, h, w) patch anomaly scores, attached to the features' manager
	 */
	default NDArray patchScores(NDArray features) {
		throw new UnsupportedOperationException(name() + " scores images: call patchScores(features, inputs)");
	}

	/**
	 * Whether scoring needs the network inputs as well as the backbone's features: true for a method
	 * with a network of its own (a student, an autoencoder), which implements
	 * {@link #patchScores(NDArray, NDArray)}. Calibration and studies then decode the images again
	 * instead of scoring stored features.
	 */
	default boolean scoresImages() {
		return false;
	}

	/**
	 * Patch scores; the default ignores the inputs and calls {@link #patchScores(NDArray)}.
	 *
	 * @param features (N, D, h, w) patch features of the inputs
	 * @param inputs (N, 3, S, S) the normalised network inputs; null when only stored features are at hand, which happens only when
	 *        {@link #scoresImages()} is false
	 * @return (N, h, w) patch anomaly scores, attached to the features' manager
	 */
	default NDArray patchScores(NDArray features, NDArray inputs) {
		return patchScores(features);
	}

	/**
	 * Image scores from the patch scores. The default is the maximum patch score; methods may refine
	 * it (PatchCore's reweighting).
	 *
	 * @param features (N, D, h, w)
	 * @param patchScores (N, h, w) as returned by {@link #patchScores}
	 */
	default float[] imageScores(NDArray features, NDArray patchScores) {
		long n = patchScores.getShape().get(0);
		return patchScores.reshape(n, -1).max(new int[] {1}).toFloatArray();
	}

	/**
	 * A few words on what was learned, for the training summary (e.g. PatchCore's "bank 1925");
	 * empty when there is nothing to say.
	 */
	default String summary() {
		return "";
	}

	/**
	 * Multiply-adds that scoring one patch costs, for the compute floor the benchmark reports (the
	 * backbone's share is counted apart); 0 when the method does not say.
	 */
	default long multiplyAddsPerPatch() {
		return 0;
	}

	/**
	 * What one patch score of this method measures, in a sentence for explanations ("why is this
	 * patch anomalous?"), e.g. PaDiM's "Mahalanobis distance to the good patches' Gaussian at this
	 * grid position". The default says only that the method keeps no training patches to show.
	 */
	default String scoreMeaning() {
		return "the " + name() + " method's patch score; the method keeps no training patches to show";
	}

	/**
	 * The training patches the method scores against, for methods that keep some (memory banks);
	 * null for methods that keep none (distributions, networks), which is the default.
	 */
	default Exemplars exemplars() {
		return null;
	}

	/** The method's parameters, stored in the model manifest under the method's name. */
	JsonObject parameters();

	/** The method's learned tensors, stored in the model file. */
	Map<String, Safetensors.Tensor> tensors();

	@Override
	void close();
}
