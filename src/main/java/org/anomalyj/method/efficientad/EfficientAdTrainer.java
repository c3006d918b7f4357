package org.anomalyj.method.efficientad;

import org.anomalyj.features.FeatureGrid;
import org.anomalyj.method.GradientFree;
import org.anomalyj.method.TrainingSet;
import org.anomalyj.method.nn.Adam;
import org.anomalyj.method.nn.Shuffle;
import org.anomalyj.task.Progress;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * Trains {@link EfficientAd} on good images, as the paper's algorithm (its appendix) without the
 * ImageNet penalty: the images and their teacher features are read once ({@link ImageSample}); a
 * seeded tenth of them (at least one, none when there is a single image) is held out; the teacher
 * is standardised with the per-channel mean and standard deviation of the other images' features;
 * each step takes {@code batch} training images (a seeded shuffle per pass) and minimises, with
 * Adam (weight decay 1e-5, learning rate divided by 10 for the last 5 % of steps),
 * <pre>
 * L = L_hard(T, S_st) + mean (T - A)² + mean (A - S_ae)²
 * </pre>
 * where {@code L_hard} is the mean of the squared student–teacher differences at or above their
 * 0.999 quantile over the batch (the hard-feature loss). Then the held-out images' two maps give
 * the quantiles that normalise them. Weights start He-normal from {@code new Random(seed)}, and no
 * engine randomness is used, so training repeats exactly.
 */
final class EfficientAdTrainer {

	/** Quantile of the hard-feature loss (the paper's 0.999). */
	static final double HARD_QUANTILE = 0.999;
	/** The maps' normalising quantiles (the paper's q_a and q_b). */
	static final double LOW_QUANTILE = 0.9, HIGH_QUANTILE = 0.995;
	/** Share of the images held out to normalise the maps (the paper's validation split). */
	static final double VALIDATION_SHARE = 0.1;
	/** Share of the steps at the full learning rate; the rest run at a tenth of it (the paper's 66 500 of 70 000). */
	static final double FULL_RATE_SHARE = 0.95;
	/** Adam's weight decay (the paper's 1e-5; decoupled here). */
	static final double WEIGHT_DECAY = 1e-5;
	/** Most input and feature values held: 512 MiB of floats, about 400 images at 256 px. */
	static final long MAX_VALUES = 1L << 27;
	/** Progress reports per training. */
	private static final int REPORTS = 100;

	/** A trained model and its mean loss per group of steps (one group per progress report). */
	record Result(EfficientAd model, double[] groupLosses) {}

	private EfficientAdTrainer() {}

	static Result train(TrainingSet data, EfficientAd.Settings settings, long seed, Progress progress) {
		FeatureGrid grid = data.grid();
		if (grid.height() != grid.width()) throw new IllegalArgumentException("efficientad needs a square feature grid, the backbone gives "
			+ grid.width() + "x" + grid.height());
		int size = data.inputSize(), d = grid.channels();
		Architecture architecture = new Architecture(size, grid.height(), d, settings.width(), EfficientAd.LATENT);
		long perImage = 3L * size * size + (long) grid.valuesPerImage();
		ImageSample sample = ImageSample.collect(data, (int) Math.max(1, Math.min(Integer.MAX_VALUE, MAX_VALUES / perImage)), seed);
		int[][] split = split(sample.count(), new SplittableRandom(seed ^ 0x9E3779B97F4A7C15L));
		int[] train = split[0], validation = split[1];
		float[][] stats = meanAndDeviation(sample, train, d, grid.positions());
		NDManager manager = data.manager().newSubManager();
		try {
			NDArray mean = manager.create(stats[0], new Shape(1, d, 1, 1)), std = manager.create(stats[1], new Shape(1, d, 1, 1));
			Networks networks = Networks.initialise(manager, architecture, new Random(seed));
			List<NDArray> parameters = networks.parameters();
			for (NDArray p : parameters) p.setRequiresGradient(true);
			double[] losses = fit(sample, train, networks, mean, std, parameters, settings, new SplittableRandom(seed), progress);
			for (NDArray p : parameters) p.setRequiresGradient(false);
			EfficientAd.MapQuantiles q = quantiles(sample, validation, networks, mean, std, settings.batch(), progress);
			return new Result(new EfficientAd(manager, settings, grid, seed, train.length, validation.length, networks, mean, std, q), losses);
		} catch (RuntimeException e) {
			manager.close();
			throw e;
		}
	}

	private static double[] fit(ImageSample sample, int[] train, Networks networks, NDArray mean, NDArray std, List<NDArray> parameters,
		EfficientAd.Settings settings, SplittableRandom random, Progress progress) {
		NDManager manager = mean.getManager();
		int steps = settings.steps(), batch = Math.min(settings.batch(), train.length), d = networks.architecture().channels();
		int group = Math.max(1, (steps + REPORTS - 1) / REPORTS), fullRate = (int) Math.ceil(steps * FULL_RATE_SHARE);
		double[] losses = new double[(steps + group - 1) / group];
		int[] order = train.clone(), chosen = new int[batch];
		int next = order.length;
		double sum = 0;
		progress.update("steps", 0, steps);
		try (Adam adam = new Adam(List.of(new Adam.Group(parameters, settings.learningRate(), WEIGHT_DECAY)))) {
			for (int step = 0; step < steps; step++) {
				progress.checkCancelled();
				for (int i = 0; i < batch; i++) {
					if (next == order.length) {
						Shuffle.shuffle(order, random);
						next = 0;
					}
					chosen[i] = order[next++];
				}
				try (NDScope scope = new NDScope()) {
					scope.suppressNotUsedWarning();
					NDArray x = sample.inputs(manager, chosen);
					NDArray teacher = EfficientAd.standardise(sample.features(manager, chosen), mean, std);
					try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
						NDArray student = networks.student(x), autoencoder = networks.autoencoder(x);
						NDArray loss = hardLoss(teacher.sub(student.get(new NDIndex(":, :{}", d))).square())
							.add(teacher.sub(autoencoder).square().mean())
							.add(autoencoder.sub(student.get(new NDIndex(":, {}:", d))).square().mean());
						gc.backward(loss);
						sum += loss.getFloat();
					}
					adam.step(step < fullRate ? 1 : 0.1);
				}
				if ((step + 1) % group == 0 || step + 1 == steps) {
					int g = step / group;
					losses[g] = sum / (step - g * group + 1);
					sum = 0;
					progress.update("steps", step + 1, steps);
				}
			}
		}
		return losses;
	}

	/** Mean of the values at or above their {@link #HARD_QUANTILE} quantile: the largest {@code ceil(0.001 n)}. */
	static NDArray hardLoss(NDArray squared) {
		long n = squared.size();
		// Less a hair: 1 - 0.999 is a little above 0.001 in binary, which would take one value too many.
		int k = (int) Math.max(1, Math.ceil(n * (1 - HARD_QUANTILE) - 1e-9));
		return squared.reshape(-1).topK(k, 0).get(0).mean();
	}

	private static EfficientAd.MapQuantiles quantiles(ImageSample sample, int[] validation, Networks networks, NDArray mean, NDArray std, int batch,
		Progress progress) {
		NDManager manager = mean.getManager();
		int positions = networks.architecture().grid() * networks.architecture().grid();
		float[] st = new float[validation.length * positions], ae = new float[validation.length * positions];
		try (GradientFree noGrad = GradientFree.open()) {
			for (int from = 0; from < validation.length; from += batch) {
				progress.checkCancelled();
				int[] chosen = Arrays.copyOfRange(validation, from, Math.min(validation.length, from + batch));
				try (NDScope scope = new NDScope()) {
					scope.suppressNotUsedWarning();
					NDArray teacher = EfficientAd.standardise(sample.features(manager, chosen), mean, std);
					NDArray[] maps = EfficientAd.maps(networks, teacher, sample.inputs(manager, chosen));
					System.arraycopy(maps[0].toFloatArray(), 0, st, from * positions, chosen.length * positions);
					System.arraycopy(maps[1].toFloatArray(), 0, ae, from * positions, chosen.length * positions);
				}
			}
		}
		Arrays.sort(st);
		Arrays.sort(ae);
		float stLow = quantile(st, LOW_QUANTILE), stHigh = quantile(st, HIGH_QUANTILE), aeLow = quantile(ae, LOW_QUANTILE), aeHigh = quantile(ae, HIGH_QUANTILE);
		// A degenerate map (all patches alike) would divide by zero: keep the pair increasing.
		return new EfficientAd.MapQuantiles(stLow, Math.max(stHigh, Math.nextUp(stLow)), aeLow, Math.max(aeHigh, Math.nextUp(aeLow)));
	}

	/** The {@code q} quantile of sorted values, interpolated linearly between order statistics (as {@code torch.quantile}). */
	static float quantile(float[] sorted, double q) {
		double position = q * (sorted.length - 1);
		int below = (int) Math.floor(position);
		int above = Math.min(below + 1, sorted.length - 1);
		return (float) (sorted[below] + (position - below) * ((double) sorted[above] - sorted[below]));
	}

	/**
	 * Training and held-out image indices: a seeded tenth (rounded, at least one) held out; a single
	 * image both trains and normalises.
	 */
	static int[][] split(int n, SplittableRandom random) {
		if (n == 1) return new int[][] {{0}, {0}};
		int[] all = new int[n];
		for (int i = 0; i < n; i++) all[i] = i;
		Shuffle.shuffle(all, random);
		int held = (int) Math.max(1, Math.round(n * VALIDATION_SHARE));
		int[] validation = Arrays.copyOfRange(all, 0, held), train = Arrays.copyOfRange(all, held, n);
		Arrays.sort(validation);
		Arrays.sort(train);
		return new int[][] {train, validation};
	}

	/** Per-channel mean and standard deviation of the training images' teacher features, in double. */
	private static float[][] meanAndDeviation(ImageSample sample, int[] train, int d, int positions) {
		double[] sum = new double[d], squares = new double[d];
		for (int i : train) {
			float[] f = sample.features(i);
			for (int c = 0; c < d; c++) {
				double s = 0, q = 0;
				for (int p = c * positions, end = p + positions; p < end; p++) {
					s += f[p];
					q += (double) f[p] * f[p];
				}
				sum[c] += s;
				squares[c] += q;
			}
		}
		long count = (long) train.length * positions;
		float[] mean = new float[d], std = new float[d];
		for (int c = 0; c < d; c++) {
			double m = sum[c] / count, v = Math.max(0, squares[c] / count - m * m);
			mean[c] = (float) m;
			// A channel constant on every good patch still gets a usable scale.
			std[c] = (float) Math.max(Math.sqrt(v), 1e-6);
		}
		return new float[][] {mean, std};
	}
}
