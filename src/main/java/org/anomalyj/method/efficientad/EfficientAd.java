package org.anomalyj.method.efficientad;

import org.anomalyj.features.FeatureGrid;
import org.anomalyj.io.JsonFields;
import org.anomalyj.io.Safetensors;
import org.anomalyj.method.AnomalyMethod;
import org.anomalyj.method.StoredTensors;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * EfficientAD (Batzner et al., "EfficientAD: Accurate Visual Anomaly Detection at
 * Millisecond-Level Latencies", WACV 2024): a small student network regresses the teacher's patch
 * features, an autoencoder reconstructs them through a 1 × 1 code, and the student's second half
 * regresses the autoencoder. On good images all three agree; a local defect makes the student miss
 * the teacher (the student only learned good texture), a logical or global one makes the student
 * miss the autoencoder (the autoencoder only learned good layouts). The teacher here is the frozen
 * backbone's patch features, standardised per channel with the training images' mean and standard
 * deviation (the paper's teacher is a PDN distilled from WideResNet-50, which needs ImageNet).
 * <p>
 * A patch's score is {@code 0.5 m_st' + 0.5 m_ae'}, where {@code m_st} is the mean squared
 * student–teacher difference over channels, {@code m_ae} the student–autoencoder one, and each is
 * mapped by {@code 0.1 (m - q_a) / (q_b - q_a)} with its quantiles {@code q_a = 0.9} and
 * {@code q_b = 0.995} over all patches of held-out good images: the paper's normalisation, so both
 * maps weigh alike and 0 / 0.1 mean "typical" / "rare" for a good patch.
 */
public final class EfficientAd implements AnomalyMethod {

	public static final String NAME = "efficientad";
	static final String MEAN = "teacher_mean", STD = "teacher_std", QUANTILES = "map_quantiles";
	/** Channels of the autoencoder's code (the paper's 64). */
	static final int LATENT = 64;

	/**
	 * @param steps optimisation steps
	 * @param learningRate Adam's learning rate (divided by 10 for the last 5 % of steps, as the paper)
	 * @param batch images per step
	 * @param width channels of the student's first layer
	 */
	public record Settings(int steps, double learningRate, int batch, int width) {

		public static final Settings DEFAULT = new Settings(2000, 1e-3, 4, 32);

		public Settings {
			if (steps < 1 || steps > 10_000_000) throw new IllegalArgumentException("efficientad steps must be from 1 to 10000000, was " + steps);
			if (!(learningRate > 0 && learningRate < 1)) throw new IllegalArgumentException("efficientad learning rate must be in (0, 1), was " + learningRate);
			if (batch < 1 || batch > 1024) throw new IllegalArgumentException("efficientad batch must be from 1 to 1024, was " + batch);
			if (width < 1 || width > 1024) throw new IllegalArgumentException("efficientad width must be from 1 to 1024, was " + width);
		}
	}

	/**
	 * The quantiles that normalise the two maps, from held-out good images.
	 *
	 * @param studentLow q_a of the student–teacher map, @param studentHigh its q_b; likewise for the
	 *        student–autoencoder map
	 */
	record MapQuantiles(float studentLow, float studentHigh, float autoencoderLow, float autoencoderHigh) {

		float[] values() {
			return new float[] {studentLow, studentHigh, autoencoderLow, autoencoderHigh};
		}
	}

	private final NDManager manager;
	private final Settings settings;
	private final FeatureGrid grid;
	private final long seed;
	private final int images, validationImages;
	private final Networks networks;
	private final NDArray mean, std;
	private final MapQuantiles quantiles;

	/** Takes over {@code manager}, which holds the networks and the teacher statistics. */
	EfficientAd(NDManager manager, Settings settings, FeatureGrid grid, long seed, int images, int validationImages, Networks networks, NDArray mean,
		NDArray std, MapQuantiles quantiles) {
		this.manager = manager;
		this.settings = settings;
		this.grid = grid;
		this.seed = seed;
		this.images = images;
		this.validationImages = validationImages;
		this.networks = networks;
		this.mean = mean;
		this.std = std;
		this.quantiles = quantiles;
	}

	/**
	 * Restores a trained model, checking the parameters and every tensor against the feature grid
	 * and input size.
	 *
	 * @param parameters the manifest's {@code efficientad} object
	 */
	public static EfficientAd restore(NDManager parent, FeatureGrid grid, JsonFields parameters, Map<String, Safetensors.Tensor> tensors) throws IOException {
		Settings settings = new Settings((int) parameters.integer("steps", 1, 10_000_000), parameters.number("learning_rate", Double.MIN_VALUE, 0.999999),
			(int) parameters.integer("batch", 1, 1024), (int) parameters.integer("width", 1, 1024));
		int inputSize = (int) parameters.integer("input_size", 1, 1 << 16);
		long seed = parameters.integer("seed", Long.MIN_VALUE, Long.MAX_VALUE);
		int images = (int) parameters.integer("images", 1, Integer.MAX_VALUE);
		int validation = (int) parameters.integer("validation_images", 1, Integer.MAX_VALUE);
		if (grid.height() != grid.width()) throw new IOException("efficientad needs a square feature grid, the backbone gives " + grid.width() + "x" + grid.height());
		Architecture a;
		try {
			a = new Architecture(inputSize, grid.height(), grid.channels(), settings.width(), LATENT);
		} catch (IllegalArgumentException e) {
			throw new IOException(e.getMessage());
		}
		int d = grid.channels();
		float[] m = StoredTensors.floats(tensors, MEAN, d), s = StoredTensors.floats(tensors, STD, d);
		for (float v : s) if (!(v > 0)) throw new IOException("tensor '" + STD + "' must be positive");
		float[] q = StoredTensors.floats(tensors, QUANTILES, 4);
		if (!(q[1] > q[0] && q[3] > q[2])) throw new IOException("tensor '" + QUANTILES + "' must hold two increasing pairs");
		NDManager sub = parent.newSubManager();
		try {
			Networks n = Networks.restore(sub, a, tensors);
			return new EfficientAd(sub, settings, grid, seed, images, validation, n, sub.create(m, new Shape(1, d, 1, 1)), sub.create(s, new Shape(1, d, 1, 1)),
				new MapQuantiles(q[0], q[1], q[2], q[3]));
		} catch (IOException | RuntimeException e) {
			sub.close();
			throw e;
		}
	}

	@Override
	public String name() {
		return NAME;
	}

	public Settings settings() {
		return settings;
	}

	Networks networks() {
		return networks;
	}

	/** The teacher's per-channel mean and standard deviation, (1, D, 1, 1) each. */
	NDArray[] teacherStatistics() {
		return new NDArray[] {mean, std};
	}

	@Override
	public boolean scoresImages() {
		return true;
	}

	@Override
	public NDArray patchScores(NDArray features, NDArray inputs) {
		grid.check(features.getShape());
		int s = networks.architecture().inputSize();
		if (inputs == null || !inputs.getShape().equals(new Shape(features.getShape().get(0), 3, s, s)))
			throw new IllegalArgumentException("efficientad scores " + s + " px inputs next to their features, got " + (inputs == null ? "none" : inputs.getShape()));
		NDArray scores;
		try (NDScope scope = new NDScope()) {
			scope.suppressNotUsedWarning();
			NDArray[] maps = maps(networks, standardise(features, mean, std), inputs);
			MapQuantiles q = quantiles;
			NDArray st = maps[0].sub(q.studentLow()).mul(0.1f / (q.studentHigh() - q.studentLow()));
			NDArray ae = maps[1].sub(q.autoencoderLow()).mul(0.1f / (q.autoencoderHigh() - q.autoencoderLow()));
			scores = st.add(ae).mul(0.5f);
			NDScope.unregister(scores);
		}
		scores.attach(features.getManager());
		return scores;
	}

	/** (N, D, h, w) teacher features, standardised per channel. */
	static NDArray standardise(NDArray features, NDArray mean, NDArray std) {
		return features.sub(mean).div(std);
	}

	/**
	 * The two raw maps, {@code (N, h, w)} each: mean squared student–teacher and
	 * student–autoencoder differences over channels.
	 */
	static NDArray[] maps(Networks networks, NDArray teacher, NDArray inputs) {
		int d = networks.architecture().channels();
		NDArray student = networks.student(inputs);
		NDArray autoencoder = networks.autoencoder(inputs);
		NDArray st = teacher.sub(student.get(new NDIndex(":, :{}", d))).square().mean(new int[] {1});
		NDArray ae = autoencoder.sub(student.get(new NDIndex(":, {}:", d))).square().mean(new int[] {1});
		return new NDArray[] {st, ae};
	}

	@Override
	public String summary() {
		return settings.steps() + " steps";
	}

	@Override
	public long multiplyAddsPerPatch() {
		return networks.multiplyAddsPerPatch();
	}

	@Override
	public JsonObject parameters() {
		JsonObject o = new JsonObject();
		o.addProperty("steps", settings.steps());
		o.addProperty("learning_rate", settings.learningRate());
		o.addProperty("batch", settings.batch());
		o.addProperty("width", settings.width());
		o.addProperty("input_size", networks.architecture().inputSize());
		o.addProperty("seed", seed);
		o.addProperty("images", images);
		o.addProperty("validation_images", validationImages);
		return o;
	}

	@Override
	public Map<String, Safetensors.Tensor> tensors() {
		Map<String, Safetensors.Tensor> t = new LinkedHashMap<>();
		t.put(MEAN, Safetensors.Tensor.of(mean.toFloatArray(), grid.channels()));
		t.put(STD, Safetensors.Tensor.of(std.toFloatArray(), grid.channels()));
		t.put(QUANTILES, Safetensors.Tensor.of(quantiles.values(), 4));
		networks.putTensors(t);
		return t;
	}

	@Override
	public void close() {
		manager.close();
	}
}
