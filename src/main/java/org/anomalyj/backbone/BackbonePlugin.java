package org.anomalyj.backbone;

import ai.djl.ndarray.NDManager;
import org.anomalyj.image.InputNormalization;
import org.scijava.plugin.SciJavaPlugin;

import java.io.IOException;
import java.util.List;

/**
 * A kind of frozen feature extractor (MobileNetV2, ResNet50-v2, …): what it offers and how to load
 * it. This is the extension point for backbones: annotate an implementation with
 * {@code @Plugin(type = BackbonePlugin.class)} and put its jar on the class path;
 * {@link BackboneCatalog} finds it, {@code train --backbone NAME} and the Train dialogs offer it, and
 * model files that name its {@link #modelId()} load with it. Everything after the feature maps
 * (neighbourhood aggregation, methods, maps, thresholds) is shared.
 * <p>
 * Implementations need a public no-argument constructor and must be stateless: one instance serves
 * every load.
 */
public interface BackbonePlugin extends SciJavaPlugin {

	/**
	 * The name on the command line and in dialogs ({@code --backbone NAME}): lower case letters,
	 * digits and dashes, e.g. {@code mobilenetv2}.
	 */
	String name();

	/** One line for help texts and dialogs. */
	String description();

	/**
	 * The identity of the network and its weights recorded in model files, e.g.
	 * {@code mobilenet_v2-nsfwjs-4.4.0}. It must stay the same for the same weights across versions,
	 * or old models no longer load; new weights get a new id.
	 */
	String modelId();

	/** Every feature map it can return, in network order. */
	List<Tap> taps();

	/** The taps PatchCore-style patch features are built from unless a model says otherwise. */
	List<String> defaultTaps();

	/** The input scaling its weights were trained with (applied after intensities are scaled to [0, 1]). */
	InputNormalization normalization();

	/** Where the weights come from, for help texts and error messages (e.g. "embedded, 1.2 MB"). */
	String weightsSource();

	/**
	 * Loads the network onto {@code manager}'s device. The backbone keeps its own sub-manager;
	 * closing it (or {@code manager}) frees the weights.
	 *
	 * @throws IOException when the weights are missing or not what this backbone expects, with a
	 *         one-line reason that tells the user what to install
	 */
	Backbone load(NDManager manager) throws IOException;

	/**
	 * Fails at once, before any images are read, when {@link #load} would fail because weights
	 * shipped separately are not installed. The default does nothing: embedded weights are always there.
	 *
	 * @throws IOException with a one-line reason that tells the user what to install
	 */
	default void checkInstalled() throws IOException {}

	/** The tap of this name. */
	default Tap tap(String name) {
		for (Tap t : taps()) if (t.name().equals(name)) return t;
		throw new IllegalArgumentException("backbone " + name() + " has no tap '" + name + "'; it has "
			+ taps().stream().map(Tap::name).toList());
	}

	/** Input sides must be a multiple of this for {@code taps} (their largest stride), so the grids align. */
	default int inputMultiple(List<String> taps) {
		int m = 1;
		for (String t : taps) m = Math.max(m, tap(t).stride());
		return m;
	}

	/**
	 * One feature map a backbone returns.
	 *
	 * @param name the name used in model files
	 * @param stride down-sampling relative to the input
	 * @param channels feature channels
	 */
	record Tap(String name, int stride, int channels) {
		public Tap {
			if (name == null || name.isEmpty() || stride < 1 || channels < 1)
				throw new IllegalArgumentException("a tap needs a name, a positive stride and channels: " + name + ", " + stride + ", " + channels);
		}
	}
}
