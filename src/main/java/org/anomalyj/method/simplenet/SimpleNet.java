package org.anomalyj.method.simplenet;

import org.anomalyj.features.FeatureGrid;
import org.anomalyj.features.PatchFeatures;
import org.anomalyj.io.JsonFields;
import org.anomalyj.io.Safetensors;
import org.anomalyj.method.AnomalyMethod;
import org.anomalyj.method.DefectPatches;
import org.anomalyj.method.StoredTensors;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import com.google.gson.JsonObject;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SimpleNet (Liu et al., "SimpleNet: A Simple Network for Image Anomaly Detection and
 * Localization", CVPR 2023): the frozen backbone's patch features (PatchCore's), centred and scaled
 * (one scale for all channels), pass a feature adaptor (one linear layer) and a discriminator (linear, leaky ReLU,
 * linear) trained to score good patches high and the same patches plus Gaussian noise low
 * ({@link SimpleNetTrainer}). A patch's anomaly score is minus the discriminator's output, passed
 * through a softplus ({@code log(1 + exp(-D))}): the same order as the paper's {@code -D}, about
 * {@code -D} for anomalous patches, but positive, as the shared thresholds' normalised score
 * (threshold at 0.5, 0 at raw 0) assumes. The map and image score are made as for every method. Scoring costs two small matrix products per patch,
 * whatever the size of the training set.
 */
public final class SimpleNet implements AnomalyMethod {

	public static final String NAME = "simplenet";
	static final String MEAN = "feature_mean", SCALE = "feature_scale", ADAPTOR_WEIGHT = "adaptor_weight", ADAPTOR_BIAS = "adaptor_bias",
		HIDDEN_WEIGHT = "discriminator_hidden_weight", HIDDEN_BIAS = "discriminator_hidden_bias", OUTPUT_WEIGHT = "discriminator_output_weight",
		OUTPUT_BIAS = "discriminator_output_bias";
	/** Slope of the discriminator's leaky ReLU (the paper's 0.2). */
	static final float LEAK = 0.2f;

	/**
	 * @param epochs passes over the training patches
	 * @param learningRate Adam learning rate of the discriminator; the adaptor's is half of it (the paper's ratio)
	 * @param noise standard deviation of the Gaussian noise that makes anomalous features, in units of
	 *        the features' scale (root mean square of the channels' standard deviations)
	 * @param hidden width of the discriminator's hidden layer
	 * @param schedule how the learning rates change over the training steps
	 * @param averageDecay the per-step decay of the exponential moving average of the weights that the
	 *        kept net has ({@link org.anomalyj.method.nn.WeightAverage}); 0 keeps the last step's weights
	 */
	public record Settings(int epochs, double learningRate, double noise, int hidden, Schedule schedule, double averageDecay) {

		/**
		 * Cosine schedule and a weight average of decay 0.995 (a horizon of about 200 steps): on bottle each
		 * raised pixel AUROC on each of four seeds, together by +0.0008 to +0.0016 (docs/BENCHMARKS.md).
		 */
		public static final Settings DEFAULT = new Settings(24, 1e-3, 0.25, 512, Schedule.COSINE, 0.995);

		/** Without weight averaging: the last step's weights, as every model was trained before averaging was an option. */
		public Settings(int epochs, double learningRate, double noise, int hidden, Schedule schedule) {
			this(epochs, learningRate, noise, hidden, schedule, 0);
		}

		public Settings {
			if (schedule == null) throw new IllegalArgumentException("no simplenet learning-rate schedule given");
			if (epochs < 1 || epochs > 100_000) throw new IllegalArgumentException("simplenet epochs must be from 1 to 100000, was " + epochs);
			if (!(learningRate > 0 && learningRate < 1)) throw new IllegalArgumentException("simplenet learning rate must be in (0, 1), was " + learningRate);
			if (!(noise > 0 && noise < 100)) throw new IllegalArgumentException("simplenet noise must be in (0, 100), was " + noise);
			if (hidden < 1 || hidden > 16384) throw new IllegalArgumentException("simplenet hidden must be from 1 to 16384, was " + hidden);
			if (!(averageDecay >= 0 && averageDecay < 1))
				throw new IllegalArgumentException("simplenet average decay must be 0 (none) or in (0, 1), was " + averageDecay);
		}
	}

	/** The learning rate over training, as a factor of {@link Settings#learningRate()}. */
	public enum Schedule {
		/** The full rate throughout: how models were trained before the schedule was an option (and the default until issue 12's second follow-up). */
		CONSTANT("constant"),
		/**
		 * Cosine annealing to zero (Loshchilov and Hutter, SGDR, 2017, without restarts), step by step: the
		 * discriminator's last steps move its boundary less and less, so it settles instead of following
		 * the last mini-batches' noise. The default, with the weight average: on bottle it raised pixel AUROC
		 * on each of four seeds (+0.0005 to +0.0012), on ball_screw it was neutral (docs/BENCHMARKS.md).
		 */
		COSINE("cosine");

		private final String id;

		Schedule(String id) {
			this.id = id;
		}

		public String id() {
			return id;
		}

		/** @throws IllegalArgumentException for a name that is not a schedule's, naming the ones there are */
		public static Schedule of(String id) {
			for (Schedule s : values())
				if (s.id.equals(id)) return s;
			throw new IllegalArgumentException("simplenet schedule must be constant or cosine, was '" + id + "'");
		}

		/**
		 * The factor for step {@code step} (from 0) of {@code steps}: for cosine {@code (1 + cos(pi step / steps)) / 2},
		 * 1 at the first step and above 0 at the last, as Adam needs a positive rate.
		 */
		public double factor(long step, long steps) {
			if (step < 0 || step >= steps) throw new IllegalArgumentException("step " + step + " of " + steps);
			return this == CONSTANT ? 1 : 0.5 * (1 + Math.cos(Math.PI * step / steps));
		}
	}

	/** The learned arrays, on one manager: standardisation, adaptor, discriminator. */
	record Weights(NDArray mean, NDArray scale, NDArray adaptorWeight, NDArray adaptorBias, NDArray hiddenWeight, NDArray hiddenBias,
		NDArray outputWeight, NDArray outputBias) {

		/** The trainable ones, in a fixed order. */
		List<NDArray> adaptor() {
			return List.of(adaptorWeight, adaptorBias);
		}

		List<NDArray> discriminator() {
			return List.of(hiddenWeight, hiddenBias, outputWeight, outputBias);
		}

		/** (M, D) standardised features to adapted ones. */
		NDArray adapt(NDArray standardised) {
			return standardised.matMul(adaptorWeight).add(adaptorBias);
		}

		/** (M, D) adapted features to (M) discriminator outputs: high for normal patches. */
		NDArray discriminate(NDArray adapted) {
			return Activation.leakyRelu(adapted.matMul(hiddenWeight).add(hiddenBias), LEAK).matMul(outputWeight).add(outputBias).reshape(-1);
		}

		/** (M, D) raw features to (M, D) standardised ones. */
		NDArray standardise(NDArray rows) {
			return rows.sub(mean).div(scale);
		}
	}

	private final Settings settings;
	private final FeatureGrid grid;
	private final long seed;
	private final int images;
	private final long patches;
	private final int defectImages, defectPatches;
	private final NDManager manager;
	private final Weights weights;

	/** Takes over {@code manager}, which holds {@code weights}. */
	SimpleNet(NDManager manager, Settings settings, FeatureGrid grid, long seed, int images, long patches, DefectPatches defects, Weights weights) {
		this(manager, settings, grid, seed, images, patches, defects.images(), defects.count(), weights);
	}

	/**
	 * Restores a trained model, checking the parameters and tensors against the feature grid.
	 *
	 * @param parameters the manifest's {@code simplenet} object
	 */
	public static SimpleNet restore(NDManager parent, FeatureGrid grid, JsonFields parameters, Map<String, Safetensors.Tensor> tensors) throws IOException {
		Settings settings = new Settings((int) parameters.integer("epochs", 1, 100_000), parameters.number("learning_rate", Double.MIN_VALUE, 0.999999),
			parameters.number("noise", Double.MIN_VALUE, 99.99), (int) parameters.integer("hidden", 1, 16384),
			// Models trained before the schedule was an option were trained at a constant rate; scoring does not depend on it.
			parameters.has("schedule") ? schedule(parameters) : Schedule.CONSTANT,
			// Models trained before weight averaging was an option kept the last step's weights; scoring does not depend on it.
			parameters.has("average_decay") ? parameters.number("average_decay", 0, 0.999999999) : 0);
		long seed = parameters.integer("seed", Long.MIN_VALUE, Long.MAX_VALUE);
		int images = (int) parameters.integer("images", 1, Integer.MAX_VALUE);
		long patches = parameters.integer("patches", 1, Long.MAX_VALUE);
		// Models trained before the semi-supervised level have no labelled defects recorded.
		int defectImages = parameters.has("defect_images") ? (int) parameters.integer("defect_images", 0, Integer.MAX_VALUE) : 0;
		int defectPatches = parameters.has("defect_patches") ? (int) parameters.integer("defect_patches", 0, Integer.MAX_VALUE) : 0;
		int d = grid.channels(), h = settings.hidden();
		float[] mean = StoredTensors.floats(tensors, MEAN, d), scale = StoredTensors.floats(tensors, SCALE, d);
		for (float s : scale) if (!(s > 0)) throw new IOException("tensor '" + SCALE + "' must be positive");
		float[] aw = StoredTensors.floats(tensors, ADAPTOR_WEIGHT, d, d), ab = StoredTensors.floats(tensors, ADAPTOR_BIAS, d);
		float[] hw = StoredTensors.floats(tensors, HIDDEN_WEIGHT, d, h), hb = StoredTensors.floats(tensors, HIDDEN_BIAS, h);
		float[] ow = StoredTensors.floats(tensors, OUTPUT_WEIGHT, h, 1), ob = StoredTensors.floats(tensors, OUTPUT_BIAS, 1);
		NDManager m = parent.newSubManager();
		Weights w = new Weights(m.create(mean, new Shape(1, d)), m.create(scale, new Shape(1, d)), m.create(aw, new Shape(d, d)), m.create(ab, new Shape(d)),
			m.create(hw, new Shape(d, h)), m.create(hb, new Shape(h)), m.create(ow, new Shape(h, 1)), m.create(ob, new Shape(1)));
		return new SimpleNet(m, settings, grid, seed, images, patches, defectImages, defectPatches, w);
	}

	private static Schedule schedule(JsonFields parameters) throws IOException {
		String id = parameters.string("schedule");
		try {
			return Schedule.of(id);
		} catch (IllegalArgumentException e) {
			throw parameters.problem("schedule", "must be constant or cosine, was '" + id + "'");
		}
	}

	private SimpleNet(NDManager manager, Settings settings, FeatureGrid grid, long seed, int images, long patches, int defectImages, int defectPatches,
		Weights weights) {
		this.manager = manager;
		this.settings = settings;
		this.grid = grid;
		this.seed = seed;
		this.images = images;
		this.patches = patches;
		this.defectImages = defectImages;
		this.defectPatches = defectPatches;
		this.weights = weights;
	}

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public String scoreMeaning() {
		return "softplus of minus the discriminator's output on the adapted patch feature (high: unlike the good patches it was trained on);"
			+ " SimpleNet keeps a trained network, no training patches, so there are no exemplars to show";
	}

	public Settings settings() {
		return settings;
	}

	@Override
	public NDArray patchScores(NDArray features) {
		Shape s = features.getShape();
		grid.check(s);
		NDArray scores;
		try (NDScope scope = new NDScope()) {
			scope.suppressNotUsedWarning();
			NDArray rows = weights.standardise(PatchFeatures.asRows(features));
			scores = Activation.softPlus(weights.discriminate(weights.adapt(rows)).neg()).reshape(s.get(0), s.get(2), s.get(3));
			NDScope.unregister(scores);
		}
		scores.attach(features.getManager());
		return scores;
	}

	@Override
	public String summary() {
		return settings.epochs() + " epochs" + (defectImages == 0 ? "" : ", " + defectPatches + " labelled defect patches from " + defectImages + " images");
	}

	@Override
	public long multiplyAddsPerPatch() {
		long d = grid.channels(), h = settings.hidden();
		return d * d + d * h + h;
	}

	@Override
	public JsonObject parameters() {
		JsonObject o = new JsonObject();
		o.addProperty("epochs", settings.epochs());
		o.addProperty("learning_rate", settings.learningRate());
		o.addProperty("noise", settings.noise());
		o.addProperty("hidden", settings.hidden());
		o.addProperty("schedule", settings.schedule().id());
		o.addProperty("average_decay", settings.averageDecay());
		o.addProperty("seed", seed);
		o.addProperty("images", images);
		o.addProperty("patches", patches);
		o.addProperty("defect_images", defectImages);
		o.addProperty("defect_patches", defectPatches);
		return o;
	}

	@Override
	public Map<String, Safetensors.Tensor> tensors() {
		Map<String, Safetensors.Tensor> t = new LinkedHashMap<>();
		put(t, MEAN, weights.mean().reshape(-1));
		put(t, SCALE, weights.scale().reshape(-1));
		put(t, ADAPTOR_WEIGHT, weights.adaptorWeight());
		put(t, ADAPTOR_BIAS, weights.adaptorBias());
		put(t, HIDDEN_WEIGHT, weights.hiddenWeight());
		put(t, HIDDEN_BIAS, weights.hiddenBias());
		put(t, OUTPUT_WEIGHT, weights.outputWeight());
		put(t, OUTPUT_BIAS, weights.outputBias());
		return t;
	}

	private static void put(Map<String, Safetensors.Tensor> t, String name, NDArray a) {
		t.put(name, Safetensors.Tensor.of(a.toFloatArray(), a.getShape().getShape()));
	}

	@Override
	public void close() {
		manager.close();
	}
}
