package org.anomalyj.method.padim;

import org.anomalyj.features.FeatureGrid;
import org.anomalyj.features.FeatureRows;
import org.anomalyj.features.PatchFeatures;
import org.anomalyj.io.JsonFields;
import org.anomalyj.io.Safetensors;
import org.anomalyj.method.AnomalyMethod;
import org.anomalyj.method.Fitter;
import org.anomalyj.method.StoredTensors;
import org.anomalyj.task.Progress;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import java.io.IOException;
import java.util.Arrays;
import java.util.Map;

/**
 * PaDiM (Defard et al., "PaDiM: a Patch Distribution Modeling Framework for Anomaly Detection and
 * Localization", ICPR 2021): at every grid position, a multivariate Gaussian over a seeded random
 * subset of the feature channels, fitted on the good images; a patch's anomaly score is its
 * Mahalanobis distance to its position's Gaussian, an image's the largest patch score.
 * <p>
 * Training is one pass of sums and outer products per position (in float64, shifted by the first
 * image to avoid cancellation), streamed batch by batch ({@link PadimFitter}), then one batched inversion; scoring is one batched matrix product
 * per position. The covariance is regularised by {@code regularisation * I} (the paper's 0.01),
 * which also makes it invertible with fewer images than channels, down to a single image (whose
 * covariance is then just the regularisation).
 */
public final class Padim implements AnomalyMethod {

	public static final String NAME = "padim";
	static final String MEAN = "mean", INVERSE_COVARIANCE = "inverse_covariance";

	/**
	 * @param dims channels kept (the paper keeps 100 of ResNet-18's 448); at most the features'
	 *        channels, fewer are used when the features have fewer
	 * @param regularisation added to the covariance diagonal (the paper's 0.01)
	 */
	public record Settings(int dims, double regularisation) {

		public static final Settings DEFAULT = new Settings(100, 0.01);

		public Settings {
			if (dims < 1) throw new IllegalArgumentException("padim dims must be at least 1, was " + dims);
			if (!(regularisation > 0 && Double.isFinite(regularisation)))
				throw new IllegalArgumentException("padim regularisation must be positive, was " + regularisation);
		}
	}

	private final Settings settings;
	private final FeatureGrid grid;
	private final int[] channels;
	private final long seed;
	private final int images;
	private final NDManager manager;
	/** (D, d) one-hot: picks the kept channels by a matrix product, exact and batched. */
	private final NDArray select;
	/** (P, 1, d) and (P, d, d). */
	private final NDArray mean, inverseCovariance;

	Padim(NDManager parent, Settings settings, FeatureGrid grid, int[] channels, long seed, int images, float[] mean, float[] inverse) {
		this.settings = settings;
		this.grid = grid;
		this.channels = channels;
		this.seed = seed;
		this.images = images;
		this.manager = parent.newSubManager();
		int p = grid.positions(), d = channels.length;
		this.select = selection(manager, channels, grid.channels());
		this.mean = manager.create(mean, new Shape(p, 1, d));
		this.inverseCovariance = manager.create(inverse, new Shape(p, d, d));
	}

	/** Fits the per-position Gaussians: the {@linkplain #fitter fitter} fed all features. */
	public static Padim fit(NDManager manager, FeatureRows features, Settings settings, long seed, Progress progress) {
		if (features.images() < 1) throw new IllegalArgumentException("padim needs at least one training image");
		PadimFitter f = new PadimFitter(manager, features.grid(), settings, seed, progress);
		f.add(features);
		return f.finish();
	}

	/** Fits the per-position Gaussians on features given batch by batch, holding running sums only. */
	public static Fitter fitter(NDManager manager, FeatureGrid grid, Settings settings, long seed, Progress progress) {
		return new PadimFitter(manager, grid, settings, seed, progress);
	}

	/**
	 * Restores a trained model, checking the parameters and tensors against the feature grid.
	 *
	 * @param parameters the manifest's {@code padim} object
	 */
	public static Padim restore(NDManager manager, FeatureGrid grid, JsonFields parameters, Map<String, Safetensors.Tensor> tensors) throws IOException {
		int dims = (int) parameters.integer("dims", 1, grid.channels());
		Settings settings = new Settings(dims, parameters.number("regularisation", Double.MIN_VALUE, Double.MAX_VALUE));
		long seed = parameters.integer("seed", Long.MIN_VALUE, Long.MAX_VALUE);
		int images = (int) parameters.integer("images", 1, Integer.MAX_VALUE);
		double[] c = parameters.numbers("channels", dims);
		int[] channels = new int[dims];
		for (int i = 0; i < dims; i++) {
			if (c[i] != Math.rint(c[i]) || c[i] < 0 || c[i] >= grid.channels())
				throw parameters.problem("channels", "must hold whole numbers from 0 to " + (grid.channels() - 1) + " (found " + c[i] + ")");
			channels[i] = (int) c[i];
		}
		if (Arrays.stream(channels).distinct().count() != dims) throw parameters.problem("channels", "must not repeat a channel");
		float[] mean = StoredTensors.floats(tensors, MEAN, grid.positions(), dims);
		float[] inverse = StoredTensors.floats(tensors, INVERSE_COVARIANCE, grid.positions(), dims, dims);
		return new Padim(manager, settings, grid, channels, seed, images, mean, inverse);
	}

	private static NDArray selection(NDManager manager, int[] channels, int total) {
		float[] s = new float[total * channels.length];
		for (int j = 0; j < channels.length; j++) s[channels[j] * channels.length + j] = 1f;
		return manager.create(s, new Shape(total, channels.length));
	}

	/**
	 * The kept channels of all images as (P, N, d), grouped by grid position: gathered
	 * in one pass over the rows, cheaper than transposing all channels on the engine.
	 */
	static float[] positionsFirst(FeatureRows features, int[] channels) {
		FeatureGrid g = features.grid();
		int p = g.positions(), total = g.channels(), d = channels.length, c = features.images();
		float[] v = features.values(), out = new float[p * c * d];
		for (int i = 0; i < c; i++)
			for (int q = 0; q < p; q++) {
				int src = (i * p + q) * total, dst = (q * c + i) * d;
				for (int j = 0; j < d; j++) out[dst + j] = v[src + channels[j]];
			}
		return out;
	}

	/** (N, D, h, w) features to (P, N, d): the kept channels, grouped by grid position. */
	private static NDArray positionsFirst(NDArray features, NDArray select) {
		Shape s = features.getShape();
		long n = s.get(0), p = s.get(2) * s.get(3);
		return PatchFeatures.asRows(features).matMul(select).reshape(n, p, select.getShape().get(1)).transpose(1, 0, 2);
	}

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public String scoreMeaning() {
		return "Mahalanobis distance from the patch's feature (" + channels.length + " channels) to the Gaussian of the good patches at the same"
			+ " grid position (their mean and covariance, over " + images + " images); PaDiM keeps no training patches, so there are no exemplars to show";
	}

	public Settings settings() {
		return settings;
	}

	FeatureGrid grid() {
		return grid;
	}

	long seed() {
		return seed;
	}

	/** Images the Gaussians were estimated from. */
	int images() {
		return images;
	}

	/** (P, 1, d), owned by this model. */
	NDArray meanArray() {
		return mean;
	}

	/** (P, d, d), owned by this model. */
	NDArray inverseCovariance() {
		return inverseCovariance;
	}

	/** The channels kept, ascending. */
	public int[] channels() {
		return channels.clone();
	}

	@Override
	public NDArray patchScores(NDArray features) {
		Shape s = features.getShape();
		grid.check(s);
		long n = s.get(0);
		NDManager out = features.getManager();
		try (NDManager tmp = manager.newSubManager()) {
			NDArray f = features.duplicate();
			f.attach(tmp);
			NDArray diff = positionsFirst(f, select).sub(mean); // (P, N, d)
			NDArray squared = diff.matMul(inverseCovariance).mul(diff).sum(new int[] {2}); // (P, N)
			NDArray d = squared.maximum(0f).sqrt().transpose(1, 0).reshape(n, grid.height(), grid.width());
			d.attach(out);
			return d;
		}
	}

	@Override
	public JsonObject parameters() {
		JsonObject o = new JsonObject();
		o.addProperty("dims", settings.dims());
		o.addProperty("regularisation", settings.regularisation());
		o.addProperty("seed", seed);
		o.addProperty("images", images);
		JsonArray c = new JsonArray();
		for (int ch : channels) c.add(ch);
		o.add("channels", c);
		return o;
	}

	@Override
	public Map<String, Safetensors.Tensor> tensors() {
		int p = grid.positions(), d = channels.length;
		return Map.of(MEAN, Safetensors.Tensor.of(mean.toFloatArray(), p, d), INVERSE_COVARIANCE,
			Safetensors.Tensor.of(inverseCovariance.toFloatArray(), p, d, d));
	}

	@Override
	public void close() {
		manager.close();
	}
}
