package org.anomalyj.method.simplenet;

import org.anomalyj.features.FeatureGrid;
import org.anomalyj.method.DefectPatches;
import org.anomalyj.method.PatchSample;
import org.anomalyj.method.TrainingSet;
import org.anomalyj.method.nn.Adam;
import org.anomalyj.method.nn.Initialisation;
import org.anomalyj.task.Progress;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;

import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * Trains {@link SimpleNet}'s adaptor and discriminator on the good patches: each step takes a
 * mini-batch of patches, adds Gaussian noise to their adapted features to make anomalous ones, and
 * minimises the paper's truncated L1 loss {@code max(0, 0.5 - D(q)) + max(0, 0.5 + D(q + noise))}
 * with Adam. The patches are held in memory (up to {@link #MAX_VALUES} feature values, a seeded
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
	/** Decoupled weight decay of the adaptor (the paper's 1e-5). */
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
		boolean bn = Boolean.parseBoolean(System.getProperty("sn.bn", "false"));
		boolean xavier = System.getProperty("sn.init", "identity").equals("xavier");
		boolean paperOpt = System.getProperty("sn.opt", "ours").equals("paper");
		boolean global = System.getProperty("sn.scale", "channel").equals("global");
		if (global) {
			double ss = 0;
			for (float v : stats[1]) ss += v * (double) v;
			float g = (float) Math.sqrt(ss / d);
			java.util.Arrays.fill(stats[1], g);
		}
		DefectPatches defects = data.defects();
		try {
			float[] identity = new float[d * d];
			if (xavier) identity = Initialisation.xavierNormal(init, d * d, d, d);
			else for (int i = 0; i < d; i++) identity[i * d + i] = 1f;
			SimpleNet.Weights w = new SimpleNet.Weights(manager.create(stats[0], new Shape(1, d)), manager.create(stats[1], new Shape(1, d)),
				manager.create(identity, new Shape(d, d)), manager.zeros(new Shape(d)),
				manager.create(Initialisation.xavierNormal(init, d * h, d, h), new Shape(d, h)), manager.zeros(new Shape(h)),
				manager.create(Initialisation.xavierNormal(init, h, h, 1), new Shape(h, 1)), manager.zeros(new Shape(1)));
			NDArray gamma = manager.ones(new Shape(h)), beta = manager.zeros(new Shape(h));
			NDArray runMean = manager.zeros(new Shape(h)), runVar = manager.ones(new Shape(h));
			List<NDArray> dsc = bn ? List.of(w.hiddenWeight(), w.hiddenBias(), gamma, beta, w.outputWeight(), w.outputBias()) : w.discriminator();
			for (NDArray p : w.adaptor()) p.setRequiresGradient(true);
			for (NDArray p : dsc) p.setRequiresGradient(true);
			double[] losses = new double[settings.epochs()];
			Adam.Group ag = paperOpt ? new Adam.Group(w.adaptor(), settings.learningRate() / 2, 1e-2) : new Adam.Group(w.adaptor(), settings.learningRate() / 2, ADAPTOR_DECAY);
			try (Adam adam = new Adam(List.of(ag, new Adam.Group(dsc, settings.learningRate(), 0)))) {
				int n = sample.count();
				int[] order = new int[n];
				for (int i = 0; i < n; i++) order[i] = i;
				float noise = (float) settings.noise();
				int[] defectOrder = new int[defects.count()];
				for (int i = 0; i < defectOrder.length; i++) defectOrder[i] = i;
				int defectAt = defectOrder.length;
				for (int e = 0; e < settings.epochs(); e++) {
					shuffle(order, random);
					double sum = 0;
					int steps = 0;
					for (int from = 0; from < n; from += STEP_PATCHES) {
						progress.checkCancelled();
						int to = Math.min(n, from + STEP_PATCHES), m = to - from;
						float[] gaussian = new float[m * d];
						for (int i = 0; i < gaussian.length; i++) gaussian[i] = (float) random.nextGaussian() * noise;
						try (NDScope scope = new NDScope()) {
							scope.suppressNotUsedWarning();
							NDArray x = w.standardise(manager.create(sample.gather(order, from, to), new Shape(m, d)));
							NDArray perturbation = manager.create(gaussian, new Shape(m, d));
							NDArray labelled = null;
							if (defectOrder.length > 0) {
								// A cycle through the labelled defect patches, reshuffled each time round, at most one step's worth per step.
								int k = Math.min(defectOrder.length, STEP_PATCHES);
								int[] pick = new int[k];
								for (int i = 0; i < k; i++) {
									if (defectAt == defectOrder.length) {
										shuffle(defectOrder, random);
										defectAt = 0;
									}
									pick[i] = defectOrder[defectAt++];
								}
								labelled = w.standardise(manager.create(gather(defects.values(), defects.channels(), pick), new Shape(k, d)));
							}
							try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
								NDArray adapted = w.adapt(x);
								NDArray normal, anomalous;
								if (bn) {
									NDArray both = adapted.concat(adapted.add(perturbation), 0);
									NDArray hid = both.matMul(w.hiddenWeight()).add(w.hiddenBias());
									NDArray mu = hid.mean(new int[] {0});
									NDArray centred = hid.sub(mu);
									NDArray var = centred.square().mean(new int[] {0});
									NDArray out = ai.djl.nn.Activation.leakyRelu(centred.div(var.add(1e-5f).sqrt()).mul(gamma).add(beta), SimpleNet.LEAK)
										.matMul(w.outputWeight()).add(w.outputBias()).reshape(-1);
									normal = out.get("0:" + m);
									anomalous = out.get(m + ":");
									try (org.anomalyj.method.GradientFree nf = org.anomalyj.method.GradientFree.open()) {
										NDArray mud = mu.stopGradient(), vard = var.stopGradient().mul((float) (2.0 * m / (2.0 * m - 1)));
										runMean.muli(0.9f).addi(mud.mul(0.1f));
										runVar.muli(0.9f).addi(vard.mul(0.1f));
									}
								} else {
									normal = w.discriminate(adapted);
									anomalous = w.discriminate(adapted.add(perturbation));
								}
								NDArray loss = normal.neg().add(MARGIN).maximum(0f).mean().add(anomalous.add(MARGIN).maximum(0f).mean());
								if (labelled != null) loss = loss.add(w.discriminate(w.adapt(labelled)).add(MARGIN).maximum(0f).mean());
								gc.backward(loss);
								sum += loss.getFloat();
							}
							adam.step();
						}
						steps++;
					}
					losses[e] = sum / steps;
					progress.update("epochs", e + 1, settings.epochs());
					if (System.getProperty("sn.verbose") != null) System.err.printf("epoch %d loss %.4f%n", e + 1, losses[e]);
				}
			}
			for (NDArray p : w.adaptor()) p.setRequiresGradient(false);
			for (NDArray p : dsc) p.setRequiresGradient(false);
			if (bn) {
				// Eval-mode batch normalisation is an affine map per hidden unit: fold it into the hidden layer.
				try (org.anomalyj.method.GradientFree nf = org.anomalyj.method.GradientFree.open()) {
					NDArray k = gamma.div(runVar.add(1e-5f).sqrt());
					NDArray hw = w.hiddenWeight().mul(k.reshape(1, h));
					NDArray hb = w.hiddenBias().sub(runMean).mul(k).add(beta);
					w = new SimpleNet.Weights(w.mean(), w.scale(), w.adaptorWeight(), w.adaptorBias(), hw, hb, w.outputWeight(), w.outputBias());
				}
			}
			return new Result(new SimpleNet(manager, settings, grid, seed, sample.images(), sample.seen(), defects, w), losses);
		} catch (RuntimeException e) {
			manager.close();
			throw e;
		}
	}

	private static float[] gather(float[] rows, int channels, int[] pick) {
		float[] out = new float[pick.length * channels];
		for (int i = 0; i < pick.length; i++) System.arraycopy(rows, pick[i] * channels, out, i * channels, channels);
		return out;
	}

	/** Fisher–Yates with the training's generator, the same on every platform. */
	private static void shuffle(int[] a, SplittableRandom random) {
		for (int i = a.length - 1; i > 0; i--) {
			int j = random.nextInt(i + 1);
			int t = a[i];
			a[i] = a[j];
			a[j] = t;
		}
	}
}
