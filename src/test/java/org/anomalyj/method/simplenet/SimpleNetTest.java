package org.anomalyj.method.simplenet;

import org.anomalyj.features.FeatureGrid;
import org.anomalyj.features.FeatureRows;
import org.anomalyj.io.JsonFields;
import org.anomalyj.io.Safetensors;
import org.anomalyj.method.AnomalyMethod;
import org.anomalyj.method.AnomalyMethodPlugin;
import org.anomalyj.method.DefectPatches;
import org.anomalyj.method.MethodCatalog;
import org.anomalyj.method.TrainingSet;
import org.anomalyj.task.Progress;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

class SimpleNetTest {

	private static final FeatureGrid GRID = new FeatureGrid(8, 4, 4);
	private static final SimpleNet.Settings TINY = new SimpleNet.Settings(60, 1e-2, 0.25, 32, SimpleNet.Schedule.CONSTANT);

	/**
	 * Good features near a line, as deep features lie near a low-dimensional manifold: channel
	 * {@code c = z (1 + c / 8) + 0.01 z_c}, so patches off the line are anomalous.
	 */
	private static FeatureRows goods(int images, long seed) {
		Random r = new Random(seed);
		float[] v = new float[images * GRID.valuesPerImage()];
		for (int p = 0; p < images * GRID.positions(); p++) {
			double z = r.nextGaussian();
			for (int c = 0; c < GRID.channels(); c++) v[p * GRID.channels() + c] = (float) (z * (1 + c / 8.0) + 0.01 * r.nextGaussian());
		}
		return new FeatureRows(v, images, GRID);
	}

	private static SimpleNetTrainer.Result train(NDManager m, FeatureRows rows, long seed) {
		return train(m, rows, TINY, seed);
	}

	private static SimpleNetTrainer.Result train(NDManager m, FeatureRows rows, SimpleNet.Settings settings, long seed) {
		return SimpleNetTrainer.train(trainingSet(m, rows), settings, seed, Progress.NONE);
	}

	private static TrainingSet trainingSet(NDManager m, FeatureRows rows) {
		return new TrainingSet() {
			@Override
			public NDManager manager() {
				return m;
			}

			@Override
			public FeatureGrid grid() {
				return rows.grid();
			}

			@Override
			public org.anomalyj.features.PatchFeatures features() {
				throw new UnsupportedOperationException();
			}

			@Override
			public int inputSize() {
				throw new UnsupportedOperationException();
			}

			@Override
			public int batchSize() {
				return 2;
			}

			@Override
			public int forEachFeatures(java.util.function.Consumer<FeatureRows> batch) {
				for (int i = 0; i < rows.images(); i += 2) batch.accept(rows.range(i, Math.min(rows.images(), i + 2)));
				return rows.images();
			}

			@Override
			public int forEachInput(java.util.function.Consumer<NDArray> batch) {
				throw new UnsupportedOperationException();
			}
		};
	}

	@Test
	void lossFallsAndPatchesOffTheGoodManifoldScoreHigher() {
		try (NDManager m = NDManager.newBaseManager()) {
			SimpleNetTrainer.Result r = train(m, goods(12, 1), 7);
			double[] loss = r.epochLosses();
			assertEquals(TINY.epochs(), loss.length);
			// The truncated L1 loss starts near its value for an untrained net and must fall well below it.
			assertTrue(loss[loss.length - 1] < 0.6 * loss[0], java.util.Arrays.toString(loss));
			try (SimpleNet net = r.net()) {
				FeatureRows good = goods(4, 99);
				float[] anomalous = good.values().clone();
				// Break the channel correlation in image 0..1 only: the marginals barely change.
				for (int p = 0; p < 2 * GRID.positions(); p++)
					for (int c = 0; c < GRID.channels(); c += 2) anomalous[p * GRID.channels() + c] *= -1;
				float[] goodScores = net.patchScores(good.batch(m, 0, 4)).toFloatArray();
				float[] badScores = net.patchScores(new FeatureRows(anomalous, 4, GRID).batch(m, 0, 4)).toFloatArray();
				int per = GRID.positions();
				double goodMean = 0, badMean = 0;
				for (int i = 0; i < 2 * per; i++) {
					goodMean += goodScores[i];
					badMean += badScores[i];
				}
				assertTrue(badMean > goodMean + per, "anomalous " + badMean / (2 * per) + " vs good " + goodMean / (2 * per));
				// Untouched images 2..3 score exactly as before.
				for (int i = 2 * per; i < 4 * per; i++) assertEquals(goodScores[i], badScores[i], 0f);
			}
		}
	}

	/** Good patches of {@link #goods} moved off the line by a small fixed step: a subtle defect inside the noise's reach. */
	private static FeatureRows shifted(int images, long seed) {
		FeatureRows g = goods(images, seed);
		float[] v = g.values().clone();
		for (int p = 0; p < images * GRID.positions(); p++) {
			v[p * GRID.channels()] += 0.35f;
			v[p * GRID.channels() + 1] -= 0.35f;
		}
		return new FeatureRows(v, images, GRID);
	}

	private static double meanScore(SimpleNet net, NDManager m, FeatureRows rows) {
		float[] s = net.patchScores(rows.batch(m, 0, rows.images())).toFloatArray();
		double sum = 0;
		for (float x : s) sum += x;
		return sum / s.length;
	}

	/**
	 * The semi-supervised level: labelled defect patches join the anomalous side of the loss, so
	 * unseen patches of the same kind of defect score higher than when the net learned from good
	 * patches and noise only, and above unseen good patches.
	 */
	@Test
	void labelledDefectPatchesRaiseTheScoresOfThatDefect() {
		try (NDManager m = NDManager.newBaseManager()) {
			FeatureRows good = goods(12, 1), labelled = shifted(2, 21);
			// Whole-image masks at a 4 x 4 input: every patch of the two labelled images is a defect patch.
			boolean[] full = new boolean[GRID.positions()];
			java.util.Arrays.fill(full, true);
			DefectPatches defects = DefectPatches.of(labelled, new boolean[][] {full, full}, GRID.height());
			assertEquals(2 * GRID.positions(), defects.count());
			FeatureRows unseenDefects = shifted(4, 77), unseenGoods = goods(4, 78);
			double without, with, goodWithout, goodWith;
			try (SimpleNet plain = train(m, good, 7).net()) {
				without = meanScore(plain, m, unseenDefects);
				goodWithout = meanScore(plain, m, unseenGoods);
			}
			try (SimpleNet semi = SimpleNetTrainer.train(TrainingSet.withDefects(trainingSet(m, good), defects), TINY, 7, Progress.NONE).net()) {
				with = meanScore(semi, m, unseenDefects);
				goodWith = meanScore(semi, m, unseenGoods);
				assertEquals(2, semi.parameters().get("defect_images").getAsInt());
				assertEquals(defects.count(), semi.parameters().get("defect_patches").getAsInt());
			}
			assertTrue(with > without + 0.15, "defect patches score " + with + " with labels, " + without + " without");
			// The labels move the boundary towards the goods (a defect this subtle is close to them), but the ranking holds.
			assertTrue(with > goodWith + 0.1, "labelled kind " + with + " vs goods " + goodWith + " (without labels: " + goodWithout + ")");
		}
	}

	/**
	 * One scale for every channel (the noise is isotropic in the features' own geometry): the root
	 * mean square of the channels' standard deviations, here computed independently in float64.
	 */
	@Test
	void featuresAreScaledByOneScaleForAllChannels() {
		FeatureRows rows = goods(3, 4);
		double[] sum = new double[8], sq = new double[8];
		int n = rows.rowCount();
		for (int r = 0; r < n; r++)
			for (int c = 0; c < 8; c++) sum[c] += rows.values()[r * 8 + c];
		for (int r = 0; r < n; r++)
			for (int c = 0; c < 8; c++) {
				double x = rows.values()[r * 8 + c] - sum[c] / n;
				sq[c] += x * x;
			}
		double meanVariance = 0;
		for (int c = 0; c < 8; c++) meanVariance += sq[c] / n / 8;
		try (NDManager m = NDManager.newBaseManager(); SimpleNet net = train(m, rows, new SimpleNet.Settings(1, 1e-3, 0.25, 4, SimpleNet.Schedule.COSINE), 1).net()) {
			float[] scale = net.tensors().get(SimpleNet.SCALE).toFloats();
			for (float s : scale) assertEquals(Math.sqrt(meanVariance), s, 1e-4 * Math.sqrt(meanVariance));
		}
	}

	/**
	 * PyTorch records gradients by default on every thread but the one that started the engine: a
	 * Fiji command's thread trains the same as the main thread, with the same weights.
	 */
	@Test
	void trainsTheSameOnAFreshThread() throws Exception {
		try (NDManager m = NDManager.newBaseManager()) {
			FeatureRows rows = goods(6, 3);
			SimpleNet.Settings few = new SimpleNet.Settings(3, 1e-2, 0.25, 16, SimpleNet.Schedule.COSINE);
			float[] here;
			try (SimpleNet a = train(m, rows, few, 5).net()) {
				here = a.tensors().get(SimpleNet.HIDDEN_WEIGHT).toFloats();
			}
			float[][] there = new float[1][];
			Throwable[] failure = new Throwable[1];
			Thread t = new Thread(() -> {
				try (SimpleNet b = train(m, rows, few, 5).net()) {
					there[0] = b.tensors().get(SimpleNet.HIDDEN_WEIGHT).toFloats();
				} catch (Throwable e) {
					failure[0] = e;
				}
			});
			t.start();
			t.join();
			assertNull(failure[0], () -> "training on another thread failed: " + failure[0]);
			assertArrayEquals(here, there[0], 0f);
		}
	}

	@Test
	void trainingRepeatsExactlyGivenTheSeed() {
		try (NDManager m = NDManager.newBaseManager()) {
			// More patches than one step takes: the shuffle and the steps' order matter too.
			FeatureRows rows = goods(SimpleNetTrainer.STEP_PATCHES / GRID.positions() + 5, 3);
			SimpleNet.Settings few = new SimpleNet.Settings(3, 1e-2, 0.25, 16, SimpleNet.Schedule.COSINE);
			try (SimpleNet a = train(m, rows, few, 11).net(); SimpleNet b = train(m, rows, few, 11).net(); SimpleNet c = train(m, rows, few, 12).net()) {
				Map<String, Safetensors.Tensor> ta = a.tensors(), tb = b.tensors(), tc = c.tensors();
				assertEquals(ta.keySet(), tb.keySet());
				for (String k : ta.keySet()) assertArrayEquals(ta.get(k).toFloats(), tb.get(k).toFloats(), 0f, k);
				assertFalse(java.util.Arrays.equals(ta.get(SimpleNet.HIDDEN_WEIGHT).toFloats(), tc.get(SimpleNet.HIDDEN_WEIGHT).toFloats()),
					"another seed trains another net");
			}
		}
	}

	@Test
	void restoredNetScoresIdenticallyAndDamagedTensorsAreNamed() throws IOException {
		AnomalyMethodPlugin plugin = MethodCatalog.get(SimpleNet.NAME);
		assertInstanceOf(SimpleNetPlugin.class, plugin);
		try (NDManager m = NDManager.newBaseManager()) {
			JsonObject settings = plugin.settings(Map.of("epochs", "3", "hidden", "16"));
			try (AnomalyMethod trained = plugin.fit(m, goods(4, 5), settings, 2, Progress.NONE)) {
				JsonFields params = JsonFields.of(com.google.gson.JsonParser.parseString(trained.parameters().toString()).getAsJsonObject(), "model.json");
				Map<String, Safetensors.Tensor> stored = new HashMap<>();
				// Through the safetensors bytes, as a model file stores them.
				stored.putAll(Safetensors.read(new java.io.ByteArrayInputStream(Safetensors.toBytes(trained.tensors(), Map.of())), 1 << 20).tensors());
				NDArray test = goods(2, 8).batch(m, 0, 2);
				try (AnomalyMethod restored = plugin.restore(m, GRID, params, stored)) {
					assertArrayEquals(trained.patchScores(test).toFloatArray(), restored.patchScores(test).toFloatArray(), 0f);
					assertEquals(trained.parameters(), restored.parameters());
				}
				Map<String, Safetensors.Tensor> bad = new HashMap<>(stored);
				float[] w = stored.get(SimpleNet.ADAPTOR_WEIGHT).toFloats();
				w[3] = Float.NaN;
				bad.put(SimpleNet.ADAPTOR_WEIGHT, Safetensors.Tensor.of(w, 8, 8));
				IOException e = assertThrows(IOException.class, () -> plugin.restore(m, GRID, params, bad));
				assertTrue(e.getMessage().contains(SimpleNet.ADAPTOR_WEIGHT) && e.getMessage().contains("non-finite"), e.getMessage());
				bad.put(SimpleNet.ADAPTOR_WEIGHT, Safetensors.Tensor.of(new float[64], 4, 16));
				e = assertThrows(IOException.class, () -> plugin.restore(m, GRID, params, bad));
				assertTrue(e.getMessage().contains(SimpleNet.ADAPTOR_WEIGHT) && e.getMessage().contains("shape"), e.getMessage());
				bad.remove(SimpleNet.ADAPTOR_WEIGHT);
				e = assertThrows(IOException.class, () -> plugin.restore(m, GRID, params, bad));
				assertTrue(e.getMessage().contains(SimpleNet.ADAPTOR_WEIGHT), e.getMessage());
				// The features of another backbone do not fit the stored weights.
				e = assertThrows(IOException.class, () -> plugin.restore(m, new FeatureGrid(16, 4, 4), params, stored));
				assertTrue(e.getMessage().contains("shape"), e.getMessage());
			}
		}
	}

	/** Cosine annealing, hand-computed for 4 steps: (1 + cos(pi t / 4)) / 2. */
	@Test
	void cosineScheduleAnnealsTowardsZeroStepByStep() {
		double[] expected = {1, 0.8535533905932737, 0.5, 0.14644660940672627};
		for (int t = 0; t < 4; t++) {
			assertEquals(expected[t], SimpleNet.Schedule.COSINE.factor(t, 4), 1e-15, "step " + t);
			assertEquals(1, SimpleNet.Schedule.CONSTANT.factor(t, 4), 0);
		}
		assertEquals(1, SimpleNet.Schedule.COSINE.factor(0, 1), 0);
		assertTrue(SimpleNet.Schedule.COSINE.factor(9999, 10000) > 0);
		assertThrows(IllegalArgumentException.class, () -> SimpleNet.Schedule.COSINE.factor(4, 4));
		assertEquals(SimpleNet.Schedule.COSINE, SimpleNet.Settings.DEFAULT.schedule());
		assertEquals(SimpleNet.Schedule.COSINE, SimpleNet.Schedule.of("cosine"));
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MethodCatalog.get(SimpleNet.NAME).settings(Map.of("schedule", "step")));
		assertTrue(e.getMessage().contains("schedule"), e.getMessage());
	}

	/**
	 * The trainer applies the schedule per step: one step (one epoch of fewer patches than a step) is
	 * at the full rate either way, a second one at half the rate under cosine, so the nets differ.
	 */
	@Test
	void trainingFollowsTheSchedule() {
		try (NDManager m = NDManager.newBaseManager()) {
			FeatureRows rows = goods(4, 3);
			java.util.function.BiFunction<Integer, SimpleNet.Schedule, float[]> weights = (epochs, schedule) -> {
				try (SimpleNet n = train(m, rows, new SimpleNet.Settings(epochs, 1e-2, 0.25, 16, schedule), 5).net()) {
					return n.tensors().get(SimpleNet.HIDDEN_WEIGHT).toFloats();
				}
			};
			assertArrayEquals(weights.apply(1, SimpleNet.Schedule.CONSTANT), weights.apply(1, SimpleNet.Schedule.COSINE), 0f);
			assertFalse(java.util.Arrays.equals(weights.apply(2, SimpleNet.Schedule.CONSTANT), weights.apply(2, SimpleNet.Schedule.COSINE)));
		}
	}

	/** Models trained before the schedule was an option record none: they restore as trained at a constant rate and score the same. */
	@Test
	void aModelWithoutAScheduleRestoresAsConstant() throws IOException {
		AnomalyMethodPlugin plugin = MethodCatalog.get(SimpleNet.NAME);
		try (NDManager m = NDManager.newBaseManager()) {
			assertEquals("cosine", plugin.settings(Map.of()).get("schedule").getAsString());
			JsonObject settings = plugin.settings(Map.of("epochs", "2", "hidden", "8", "schedule", "cosine"));
			try (AnomalyMethod trained = plugin.fit(m, goods(2, 5), settings, 2, Progress.NONE)) {
				JsonObject old = trained.parameters().deepCopy();
				assertEquals("cosine", old.remove("schedule").getAsString());
				NDArray test = goods(1, 8).batch(m, 0, 1);
				try (AnomalyMethod restored = plugin.restore(m, GRID, JsonFields.of(old, "model.json"), trained.tensors())) {
					assertEquals(SimpleNet.Schedule.CONSTANT, ((SimpleNet) restored).settings().schedule());
					assertArrayEquals(trained.patchScores(test).toFloatArray(), restored.patchScores(test).toFloatArray(), 0f);
				}
				old.addProperty("schedule", "linear");
				IOException e = assertThrows(IOException.class, () -> plugin.restore(m, GRID, JsonFields.of(old, "model.json"), trained.tensors()));
				assertTrue(e.getMessage().contains("schedule"), e.getMessage());
			}
		}
	}

	/**
	 * With averaging the kept weights are the normalised exponential average of the steps' weights: on
	 * one step per epoch, a constant rate and the same seed, the weights after the first step are those of
	 * a one-epoch training, so two steps at decay 0.5 give (0.5 w1 + w2) / 1.5 of the one- and two-epoch
	 * nets, by hand; without averaging the two-epoch net is its last step's weights.
	 */
	@Test
	void averagedWeightsAreTheExponentialAverageOfTheSteps() {
		try (NDManager m = NDManager.newBaseManager()) {
			FeatureRows rows = goods(4, 3);
			java.util.function.BiFunction<Integer, Double, Map<String, Safetensors.Tensor>> tensors = (epochs, decay) -> {
				try (SimpleNet n = train(m, rows, new SimpleNet.Settings(epochs, 1e-2, 0.25, 16, SimpleNet.Schedule.CONSTANT, decay), 5).net()) {
					return n.tensors();
				}
			};
			Map<String, Safetensors.Tensor> one = tensors.apply(1, 0.0), two = tensors.apply(2, 0.0), averaged = tensors.apply(2, 0.5),
				oneAveraged = tensors.apply(1, 0.5);
			for (String name : one.keySet()) {
				float[] a = one.get(name).toFloats(), b = two.get(name).toFloats(), mean = new float[a.length];
				for (int i = 0; i < a.length; i++) mean[i] = (0.5f * a[i] + b[i]) / 1.5f;
				assertArrayEquals(mean, averaged.get(name).toFloats(), 1e-6f, name);
				assertArrayEquals(a, oneAveraged.get(name).toFloats(), 0f, name);
			}
			assertFalse(java.util.Arrays.equals(one.get(SimpleNet.HIDDEN_WEIGHT).toFloats(), two.get(SimpleNet.HIDDEN_WEIGHT).toFloats()));
		}
	}

	/** Models trained before weight averaging was an option record none: they restore as unaveraged and score the same. */
	@Test
	void aModelWithoutAnAverageRestoresAsTheLastStepsWeights() throws IOException {
		AnomalyMethodPlugin plugin = MethodCatalog.get(SimpleNet.NAME);
		try (NDManager m = NDManager.newBaseManager()) {
			assertEquals(SimpleNet.Settings.DEFAULT.averageDecay(), plugin.settings(Map.of()).get("average_decay").getAsDouble(), 0);
			JsonObject settings = plugin.settings(Map.of("epochs", "2", "hidden", "8", "average-decay", "0.5"));
			JsonObject oldSettings = settings.deepCopy();
			oldSettings.remove("average_decay");
			assertEquals(0, SimpleNetPlugin.of(oldSettings).averageDecay(), 0);
			assertEquals(0.5, SimpleNetPlugin.of(settings).averageDecay(), 0);
			try (AnomalyMethod trained = plugin.fit(m, goods(2, 5), settings, 2, Progress.NONE)) {
				JsonObject old = trained.parameters().deepCopy();
				assertEquals(0.5, old.remove("average_decay").getAsDouble(), 0);
				NDArray test = goods(1, 8).batch(m, 0, 1);
				try (AnomalyMethod restored = plugin.restore(m, GRID, JsonFields.of(old, "model.json"), trained.tensors())) {
					assertEquals(0, ((SimpleNet) restored).settings().averageDecay(), 0);
					assertArrayEquals(trained.patchScores(test).toFloatArray(), restored.patchScores(test).toFloatArray(), 0f);
				}
				old.addProperty("average_decay", 1.5);
				IOException e = assertThrows(IOException.class, () -> plugin.restore(m, GRID, JsonFields.of(old, "model.json"), trained.tensors()));
				assertTrue(e.getMessage().contains("average_decay"), e.getMessage());
			}
			for (String bad : new String[] {"-0.1", "1"}) {
				IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> plugin.settings(Map.of("average-decay", bad)));
				assertTrue(e.getMessage().contains("average"), e.getMessage());
			}
		}
	}

	@Test
	void reportsEpochsAndStopsWhenCancelled() {
		AtomicInteger epochs = new AtomicInteger();
		Progress cancelAfterTwo = new Progress() {
			@Override
			public void update(String stage, long done, long total) {
				if (stage.equals("epochs")) {
					assertEquals(TINY.epochs(), total);
					epochs.set((int) done);
				}
			}

			@Override
			public boolean isCancelled() {
				return epochs.get() >= 2;
			}
		};
		try (NDManager m = NDManager.newBaseManager()) {
			assertThrows(Progress.Cancelled.class, () -> SimpleNetTrainer.train(trainingSet(m, goods(4, 1)), TINY, 0, cancelAfterTwo));
			assertEquals(2, epochs.get());
		}
	}

	@Test
	void optionsAreCheckedWithTheirNames() {
		AnomalyMethodPlugin plugin = MethodCatalog.get(SimpleNet.NAME);
		assertEquals(SimpleNet.Settings.DEFAULT.epochs(), plugin.settings(Map.of()).get("epochs").getAsInt());
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> plugin.settings(Map.of("noise", "0")));
		assertTrue(e.getMessage().contains("noise"), e.getMessage());
		e = assertThrows(IllegalArgumentException.class, () -> plugin.settings(Map.of("epochs", "many")));
		assertTrue(e.getMessage().contains("epochs"), e.getMessage());
	}
}
