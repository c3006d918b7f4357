package org.anomalyj.method.simplenet;

import org.anomalyj.features.FeatureGrid;
import org.anomalyj.method.DefectPatches;
import org.anomalyj.method.PatchSample;
import org.anomalyj.method.TrainingSet;
import org.anomalyj.method.nn.Adam;
import org.anomalyj.method.nn.Initialisation;
import org.anomalyj.method.nn.Shuffle;
import org.anomalyj.method.nn.WeightAverage;
import org.anomalyj.task.Progress;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * Trains {@link SimpleNet}'s adaptor and discriminator on the good patches: each step takes a
 * mini-batch of patches, adds Gaussian noise to their adapted features to make anomalous ones, and
 * minimises the paper's truncated L1 loss {@code max(0, 0.5 - D(q)) + max(0, 0.5 + D(q + noise))}
 * with Adam, the learning rates following {@link SimpleNet.Settings#schedule()} step by step; labelled defect patches ({@link TrainingSet#defects()}), when given, join the anomalous
 * side of the loss. With {@link SimpleNet.Settings#averageDecay()} above 0 the net kept has the exponential moving
 * average of the weights over the steps ({@link WeightAverage}) instead of the last step's weights. The patches are held in memory (up to {@link #MAX_VALUES} feature values, a seeded
 * sample beyond), shuffled by a seeded generator every epoch; the noise and initial weights come
 * from the same seed, so training repeats exactly.
 */
final class SimpleNetTrainer {

	/** Patches per optimisation step. */
	static final int STEP_PATCHES = 8192;
	/** Most feature values held for training (512 MiB of floats: a million 128-dimensional patches). */
	static final long MAX_VALUES = 1L << 27;
	/** The truncation margin of the loss (the paper's 0.5 for both normal and anomalous features). */
	private static final float MARGIN = 0.5f;
	/**
	 * Decoupled weight decay of the adaptor. The paper's code decays its discriminator by 1e-5 and its adaptor by AdamW's
	 * default 1e-2; the latter measured no better here (bottle pixel AUROC 0.9729 against 0.9737).
	 */
	private static final double ADAPTOR_DECAY = 1e-5;

	/** A trained net and its mean loss per epoch. */
	record Result(SimpleNet net, double[] epochLosses) {}

	private SimpleNetTrainer() {}

	static Result train(TrainingSet data, SimpleNet.Settings settings, long seed, Progress progress) {
		FeatureGrid grid = data.grid();
		int d = grid.channels(), h = settings.hidden();
		PatchSample sample = PatchSample.collect(data, (int) (MAX_VALUES / d), seed);
		if (sample.count() == 0) throw new IllegalArgumentException("simplenet needs at least one training image");
		float[][] stats = sample.meanAndDeviation();
		Random init = new Random(seed);
		SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL);
		NDManager manager = data.manager().newSubManager();
		// One scale for every channel: the noise is isotropic in the backbone's own feature geometry, as the paper's (which adds
		// it to raw features through a near-isotropic adaptor); per-channel standardisation would blow the noise up along
		// the channels that hardly vary and shrink it along the informative ones.
		float[] scale = new float[d];
		Arrays.fill(scale, rootMeanSquare(stats[1]));
		DefectPatches defects = data.defects();
		try {
			float[] identity = new float[d * d];
			for (int i = 0; i < d; i++) identity[i * d + i] = 1f;
			SimpleNet.Weights w = new SimpleNet.Weights(manager.create(stats[0], new Shape(1, d)), manager.create(scale, new Shape(1, d)),
				manager.create(identity, new Shape(d, d)), manager.zeros(new Shape(d)),
				manager.create(Initialisation.xavierNormal(init, d * h, d, h), new Shape(d, h)), manager.zeros(new Shape(h)),
				manager.create(Initialisation.xavierNormal(init, h, h, 1), new Shape(h, 1)), manager.zeros(new Shape(1)));
			for (NDArray p : w.adaptor()) p.setRequiresGradient(true);
			for (NDArray p : w.discriminator()) p.setRequiresGradient(true);
			double[] losses = new double[settings.epochs()];
			List<NDArray> trainable = new ArrayList<>(w.adaptor());
			trainable.addAll(w.discriminator());
			int n = sample.count();
			long allSteps = (long) settings.epochs() * ((n + STEP_PATCHES - 1) / STEP_PATCHES), step = 0;
			try (Adam adam = new Adam(List.of(new Adam.Group(w.adaptor(), settings.learningRate() / 2, ADAPTOR_DECAY),
				new Adam.Group(w.discriminator(), settings.learningRate(), 0)));
				WeightAverage average = settings.averageDecay() > 0 ? new WeightAverage(trainable, settings.averageDecay()) : null) {
				int[] order = new int[n];
				for (int i = 0; i < n; i++) order[i] = i;
				float noise = (float) settings.noise();
				int[] defectOrder = new int[defects.count()];
				for (int i = 0; i < defectOrder.length; i++) defectOrder[i] = i;
				int defectAt = defectOrder.length;
				for (int e = 0; e < settings.epochs(); e++) {
					Shuffle.shuffle(order, random);
					double sum = 0;
					int steps = 0;
					for (int from = 0; from < n; from += STEP_PATCHES) {
						progress.checkCancelled();
						int to = Math.min(n, from + STEP_PATCHES), m = to - from;
						float[] gaussian = new float[m * d];
						for (int i = 0; i < gaussian.length; i++) gaussian[i] = (float) random.nextGaussian() * noise;
						int[] pick = null;
						if (defectOrder.length > 0) {
							// A cycle through the labelled defect patches, reshuffled each time round, at most a step's worth per step.
							pick = new int[Math.min(defectOrder.length, STEP_PATCHES)];
							for (int i = 0; i < pick.length; i++) {
								if (defectAt == defectOrder.length) {
									Shuffle.shuffle(defectOrder, random);
									defectAt = 0;
								}
								pick[i] = defectOrder[defectAt++];
							}
						}
						try (NDScope scope = new NDScope()) {
							scope.suppressNotUsedWarning();
							NDArray x = w.standardise(manager.create(sample.gather(order, from, to), new Shape(m, d)));
							NDArray perturbation = manager.create(gaussian, new Shape(m, d));
							NDArray labelled = pick == null ? null
								: w.standardise(manager.create(gather(defects.values(), d, pick), new Shape(pick.length, d)));
							try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
								NDArray adapted = w.adapt(x);
								NDArray normal = w.discriminate(adapted), anomalous = w.discriminate(adapted.add(perturbation));
								NDArray loss = normal.neg().add(MARGIN).maximum(0f).mean().add(anomalous.add(MARGIN).maximum(0f).mean());
								// Labelled defect patches are anomalous examples too, with the same margin.
								if (labelled != null) loss = loss.add(w.discriminate(w.adapt(labelled)).add(MARGIN).maximum(0f).mean());
								gc.backward(loss);
								sum += loss.getFloat();
							}
							adam.step(settings.schedule().factor(step, allSteps));
						}
						if (average != null) average.update();
						step++;
						steps++;
					}
					losses[e] = sum / steps;
					progress.update("epochs", e + 1, settings.epochs());
				}
				for (NDArray p : trainable) p.setRequiresGradient(false);
				if (average != null) {
					// The kept net has the averaged weights in place of the last step's.
					List<NDArray> m = new ArrayList<>();
					for (NDArray a : average.averages()) m.add(a.duplicate());
					trainable.forEach(NDArray::close);
					w = new SimpleNet.Weights(w.mean(), w.scale(), m.get(0), m.get(1), m.get(2), m.get(3), m.get(4), m.get(5));
				}
			}
			return new Result(new SimpleNet(manager, settings, grid, seed, sample.images(), sample.seen(), defects, w), losses);
		} catch (RuntimeException e) {
			manager.close();
			throw e;
		}
	}

	/** Root mean square of the channels' standard deviations: the features' typical scale; 1 when they are all constant. */
	static float rootMeanSquare(float[] deviations) {
		double ss = 0;
		for (float v : deviations) ss += v * (double) v;
		float r = (float) Math.sqrt(ss / deviations.length);
		return r > 0 ? r : 1f;
	}

	private static float[] gather(float[] rows, int channels, int[] pick) {
		float[] out = new float[pick.length * channels];
		for (int i = 0; i < pick.length; i++) System.arraycopy(rows, pick[i] * channels, out, i * channels, channels);
		return out;
	}
}
