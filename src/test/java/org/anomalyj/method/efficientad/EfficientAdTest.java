package org.anomalyj.method.efficientad;

import org.anomalyj.backbone.Backbone;
import org.anomalyj.backbone.BackboneCatalog;
import org.anomalyj.backbone.BackbonePlugin;
import org.anomalyj.features.FeatureGrid;
import org.anomalyj.features.FeatureRows;
import org.anomalyj.features.PatchFeatures;
import org.anomalyj.io.JsonFields;
import org.anomalyj.io.Safetensors;
import org.anomalyj.method.AnomalyMethod;
import org.anomalyj.method.AnomalyMethodPlugin;
import org.anomalyj.method.MethodCatalog;
import org.anomalyj.method.TrainingSet;
import org.anomalyj.task.Progress;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.*;

/**
 * EfficientAD on a tiny case: 64 px synthetic images (a diagonal stripe pattern with noise), the
 * embedded MobileNetV2 as teacher (an 8 × 8 grid of 128 channels).
 */
class EfficientAdTest {

	private static final int SIZE = 64, IMAGES = 8;
	private static final EfficientAd.Settings TINY = new EfficientAd.Settings(30, 3e-3, 2, 8);

	private static NDManager manager;
	private static Backbone backbone;
	private static PatchFeatures features;

	@BeforeAll
	static void loadTeacher() throws IOException {
		manager = NDManager.newBaseManager();
		BackbonePlugin plugin = BackboneCatalog.get(BackboneCatalog.DEFAULT);
		backbone = plugin.load(manager);
		features = new PatchFeatures(manager, backbone, plugin.defaultTaps(), 3, SIZE, SIZE);
	}

	@AfterAll
	static void close() {
		features.close();
		manager.close();
	}

	/** Stripes of period 8 px at a seeded phase, plus a little noise: every good image alike in texture. */
	private static float[] image(Random r) {
		float[] v = new float[3 * SIZE * SIZE];
		int phase = r.nextInt(8);
		for (int c = 0; c < 3; c++)
			for (int y = 0; y < SIZE; y++)
				for (int x = 0; x < SIZE; x++)
					v[(c * SIZE + y) * SIZE + x] = (float) (0.5 + 0.3 * Math.sin(2 * Math.PI * (x + y + phase) / 8.0) + 0.02 * r.nextGaussian()) * (0.8f + 0.1f * c);
		return v;
	}

	private static float[][] images(int n, long seed) {
		Random r = new Random(seed);
		float[][] v = new float[n][];
		for (int i = 0; i < n; i++) v[i] = image(r);
		return v;
	}

	private static NDArray batch(NDManager m, float[]... images) {
		float[] all = new float[images.length * 3 * SIZE * SIZE];
		for (int i = 0; i < images.length; i++) System.arraycopy(images[i], 0, all, i * images[i].length, images[i].length);
		return m.create(all, new Shape(images.length, 3, SIZE, SIZE));
	}

	/** A training set over images held here, in batches of two, the teacher the real backbone. */
	private static TrainingSet trainingSet(NDManager m, float[][] images) {
		return new TrainingSet() {
			@Override
			public NDManager manager() {
				return m;
			}

			@Override
			public FeatureGrid grid() {
				return FeatureGrid.of(features);
			}

			@Override
			public PatchFeatures features() {
				return features;
			}

			@Override
			public int inputSize() {
				return SIZE;
			}

			@Override
			public int batchSize() {
				return 2;
			}

			@Override
			public int forEachFeatures(Consumer<FeatureRows> batch) {
				throw new UnsupportedOperationException("efficientad trains on images");
			}

			@Override
			public int forEachInput(Consumer<NDArray> batch) {
				for (int i = 0; i < images.length; i += 2) {
					try (NDManager step = m.newSubManager()) {
						batch.accept(batch(step, Arrays.copyOfRange(images, i, Math.min(images.length, i + 2))));
					}
				}
				return images.length;
			}
		};
	}

	private static EfficientAdTrainer.Result train(NDManager m, float[][] images, EfficientAd.Settings s, long seed) {
		return EfficientAdTrainer.train(trainingSet(m, images), s, seed, Progress.NONE);
	}

	private static float[] scores(AnomalyMethod method, NDManager m, float[]... images) {
		try (NDManager sub = m.newSubManager()) {
			NDArray x = batch(sub, images);
			return method.patchScores(features.embed(x), x).toFloatArray();
		}
	}

	/**
	 * Mean of the two raw maps over the images (how far the student misses teacher and
	 * autoencoder), and the hard-feature loss over them.
	 */
	private static double[] meanMaps(Networks n, NDArray[] statistics, NDManager m, float[][] images) {
		try (NDManager sub = m.newSubManager(); org.anomalyj.method.GradientFree g = org.anomalyj.method.GradientFree.open()) {
			NDArray x = batch(sub, images);
			NDArray teacher = EfficientAd.standardise(features.embed(x), statistics[0], statistics[1]);
			NDArray[] maps = EfficientAd.maps(n, teacher, x);
			NDArray hard = EfficientAdTrainer.hardLoss(teacher.sub(n.student(x).get(new ai.djl.ndarray.index.NDIndex(":, :{}", teacher.getShape().get(1)))).square());
			return new double[] {maps[0].mean().getFloat(), maps[1].mean().getFloat(), hard.getFloat()};
		}
	}

	@Test
	void trainingBringsStudentTeacherAndAutoencoderTogether() {
		float[][] data = images(IMAGES, 1);
		try (NDManager m = NDManager.newBaseManager()) {
			EfficientAdTrainer.Result trained = train(m, data, TINY, 7);
			assertEquals(TINY.steps(), trained.groupLosses().length, "one report per step for fewer than 100 steps");
			try (EfficientAd model = trained.model(); NDManager initial = m.newSubManager()) {
				// The trainer starts from these very weights: He-normal from new Random(seed).
				Networks untrained = Networks.initialise(initial, model.networks().architecture(), new Random(7));
				double[] before = meanMaps(untrained, model.teacherStatistics(), m, data), after = meanMaps(model.networks(), model.teacherStatistics(), m, data);
				String change = Arrays.toString(before) + " -> " + Arrays.toString(after);
				// What the student minimises first: the hardest thousandth of its errors.
				assertTrue(after[2] < 0.7 * before[2], "hard-feature loss " + change);
				// The bulk follows more slowly (standardised features: predicting the mean costs 1).
				assertTrue(after[0] < 0.8 * before[0], "student-teacher " + change);
				assertTrue(after[1] < 0.5 * before[1], "student-autoencoder " + change);
			}
		}
	}

	@Test
	void aPastedBlotchScoresAboveTheRestOfItsImage() {
		try (NDManager m = NDManager.newBaseManager(); EfficientAd model = train(m, images(IMAGES, 1), TINY, 7).model()) {
			float[] good = images(1, 99)[0], bad = good.clone();
			// A dark blotch over grid cells (2..3, 4..5): 16 x 16 px at (32, 16).
			for (int c = 0; c < 3; c++)
				for (int y = 16; y < 32; y++)
					for (int x = 32; x < 48; x++) bad[(c * SIZE + y) * SIZE + x] = 0.05f;
			float[] s = scores(model, m, bad);
			int g = SIZE / 8;
			double inside = 0, outside = 0;
			int nIn = 0, nOut = 0;
			for (int y = 0; y < g; y++)
				for (int x = 0; x < g; x++) {
					boolean near = y >= 1 && y <= 4 && x >= 3 && x <= 6;
					if (y >= 2 && y <= 3 && x >= 4 && x <= 5) {
						inside += s[y * g + x];
						nIn++;
					} else if (!near) {
						outside += s[y * g + x];
						nOut++;
					}
				}
			assertTrue(inside / nIn > outside / nOut, "blotch " + inside / nIn + " vs elsewhere " + outside / nOut);
			assertTrue(max(s) > max(scores(model, m, good)), "the image score rises with the blotch");
		}
	}

	private static float max(float[] v) {
		float m = Float.NEGATIVE_INFINITY;
		for (float x : v) m = Math.max(m, x);
		return m;
	}

	@Test
	void trainingRepeatsExactlyGivenTheSeedAlsoOnAnotherThread() throws Exception {
		EfficientAd.Settings few = new EfficientAd.Settings(6, 1e-3, 3, 4);
		float[][] data = images(7, 3);
		try (NDManager m = NDManager.newBaseManager()) {
			Map<String, Safetensors.Tensor> a, c;
			try (EfficientAd one = train(m, data, few, 11).model(); EfficientAd other = train(m, data, few, 12).model()) {
				a = one.tensors();
				c = other.tensors();
			}
			Object[] there = new Object[1];
			Thread t = new Thread(() -> {
				try (EfficientAd b = train(m, data, few, 11).model()) {
					there[0] = b.tensors();
				} catch (Throwable e) {
					there[0] = e;
				}
			});
			t.start();
			t.join();
			assertFalse(there[0] instanceof Throwable, () -> "training on another thread failed: " + there[0]);
			@SuppressWarnings("unchecked")
			Map<String, Safetensors.Tensor> b = (Map<String, Safetensors.Tensor>) there[0];
			assertEquals(a.keySet(), b.keySet());
			for (String k : a.keySet()) assertArrayEquals(a.get(k).toFloats(), b.get(k).toFloats(), 0f, k);
			String w = Networks.weightName(Networks.STUDENT, 0);
			assertFalse(Arrays.equals(a.get(w).toFloats(), c.get(w).toFloats()), "another seed trains another student");
		}
	}

	@Test
	void restoredModelScoresIdenticallyAndDamagedTensorsAreNamed() throws IOException {
		AnomalyMethodPlugin plugin = MethodCatalog.get(EfficientAd.NAME);
		assertInstanceOf(EfficientAdPlugin.class, plugin);
		FeatureGrid grid = FeatureGrid.of(features);
		try (NDManager m = NDManager.newBaseManager()) {
			JsonObject settings = plugin.settings(Map.of("steps", "4", "width", "4", "batch-images", "2"));
			try (AnomalyMethod trained = plugin.train(trainingSet(m, images(5, 5)), settings, 2, Progress.NONE)) {
				JsonFields params = JsonFields.of(JsonParser.parseString(trained.parameters().toString()).getAsJsonObject(), "model.json");
				Map<String, Safetensors.Tensor> stored = new HashMap<>(
					Safetensors.read(new ByteArrayInputStream(Safetensors.toBytes(trained.tensors(), Map.of())), 1 << 24).tensors());
				float[][] test = images(2, 8);
				try (AnomalyMethod restored = plugin.restore(m, grid, params, stored)) {
					assertTrue(restored.scoresImages());
					assertArrayEquals(scores(trained, m, test), scores(restored, m, test), 0f);
					assertEquals(trained.parameters(), restored.parameters());
				}
				String decoder = Networks.weightName(Networks.DECODER, 1);
				Map<String, Safetensors.Tensor> bad = new HashMap<>(stored);
				float[] w = stored.get(decoder).toFloats();
				w[3] = Float.POSITIVE_INFINITY;
				bad.put(decoder, Safetensors.Tensor.of(w, stored.get(decoder).shape()));
				assertRefused(plugin, grid, params, bad, decoder, "non-finite");
				bad.put(decoder, Safetensors.Tensor.of(new float[w.length], w.length));
				assertRefused(plugin, grid, params, bad, decoder, "shape");
				bad.remove(decoder);
				assertRefused(plugin, grid, params, bad, decoder, "no tensor");
				bad = new HashMap<>(stored);
				bad.put(EfficientAd.QUANTILES, Safetensors.Tensor.of(new float[] {1, 0.5f, 1, 2}, 4));
				assertRefused(plugin, grid, params, bad, EfficientAd.QUANTILES, "increasing");
				// The features of another backbone do not fit the stored networks.
				IOException e = assertThrows(IOException.class, () -> plugin.restore(m, new FeatureGrid(16, 8, 8), params, stored));
				assertTrue(e.getMessage().contains("shape"), e.getMessage());
			}
		}
	}

	private static void assertRefused(AnomalyMethodPlugin plugin, FeatureGrid grid, JsonFields params, Map<String, Safetensors.Tensor> tensors, String tensor,
		String problem) {
		try (NDManager m = NDManager.newBaseManager()) {
			IOException e = assertThrows(IOException.class, () -> plugin.restore(m, grid, params, tensors));
			assertTrue(e.getMessage().contains(tensor) && e.getMessage().contains(problem), e.getMessage());
		}
	}

	@Test
	void reportsStepsAndStopsWhenCancelled() {
		AtomicInteger done = new AtomicInteger();
		Progress cancelAfterThree = new Progress() {
			@Override
			public void update(String stage, long steps, long total) {
				if (stage.equals("steps")) {
					assertEquals(TINY.steps(), total);
					done.set((int) steps);
				}
			}

			@Override
			public boolean isCancelled() {
				return done.get() >= 3;
			}
		};
		try (NDManager m = NDManager.newBaseManager()) {
			assertThrows(Progress.Cancelled.class, () -> EfficientAdTrainer.train(trainingSet(m, images(4, 1)), TINY, 0, cancelAfterThree));
			assertEquals(3, done.get());
		}
	}

	@Test
	void optionsAreCheckedWithTheirNames() {
		AnomalyMethodPlugin plugin = MethodCatalog.get(EfficientAd.NAME);
		JsonObject defaults = plugin.settings(Map.of());
		assertEquals(EfficientAd.Settings.DEFAULT, EfficientAdPlugin.of(defaults));
		assertEquals(250, plugin.settings(Map.of("steps", "250")).get("steps").getAsInt());
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> plugin.settings(Map.of("steps", "0")));
		assertTrue(e.getMessage().contains("steps"), e.getMessage());
		e = assertThrows(IllegalArgumentException.class, () -> plugin.settings(Map.of("learning-rate", "fast")));
		assertTrue(e.getMessage().contains("learning-rate"), e.getMessage());
		e = assertThrows(IllegalArgumentException.class, () -> plugin.settings(Map.of("batch", "4")));
		assertTrue(e.getMessage().contains("no option 'batch'"), e.getMessage());
	}

	@Test
	void hardLossIsTheMeanOfTheLargestThousandth() {
		try (NDManager m = NDManager.newBaseManager()) {
			float[] v = new float[5000];
			for (int i = 0; i < v.length; i++) v[i] = i;
			// ceil(0.001 * 5000) = 5 largest: 4995..4999, mean 4997.
			assertEquals(4997f, EfficientAdTrainer.hardLoss(m.create(v, new Shape(2, 2500))).getFloat(), 0f);
			assertEquals(7f, EfficientAdTrainer.hardLoss(m.create(new float[] {1, 7, 3})).getFloat(), 0f);
		}
	}

	@Test
	void quantilesInterpolateAsTorchAndTheSplitHoldsOutATenth() {
		float[] sorted = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
		assertEquals(9f, EfficientAdTrainer.quantile(sorted, 0.9), 1e-6f);
		assertEquals(9.95f, EfficientAdTrainer.quantile(sorted, 0.995), 1e-5f);
		int[][] split = EfficientAdTrainer.split(21, new java.util.SplittableRandom(0));
		assertEquals(19, split[0].length);
		assertEquals(2, split[1].length);
		int[] all = java.util.stream.IntStream.concat(Arrays.stream(split[0]), Arrays.stream(split[1])).sorted().toArray();
		assertArrayEquals(java.util.stream.IntStream.range(0, 21).toArray(), all);
		assertArrayEquals(new int[][] {{0}, {0}}, EfficientAdTrainer.split(1, new java.util.SplittableRandom(0)));
		assertEquals(1, EfficientAdTrainer.split(2, new java.util.SplittableRandom(0))[1].length);
	}

	@Test
	void studentAndAutoencoderOutputsFallOnTheTeachersGrid() {
		for (int size : new int[] {64, 256, 320}) {
			Architecture a = new Architecture(size, size / 8, 128, 8, 16);
			try (NDManager m = NDManager.newBaseManager()) {
				Networks n = Networks.initialise(m, a, new Random(1));
				NDArray x = m.zeros(new Shape(1, 3, size, size));
				assertEquals(new Shape(1, 256, size / 8, size / 8), n.student(x).getShape());
				assertEquals(new Shape(1, 128, size / 8, size / 8), n.autoencoder(x).getShape());
			}
		}
		assertThrows(IllegalArgumentException.class, () -> new Architecture(96, 8, 128, 8, 16), "stride 12 is not a power of two");
		try (NDManager m = NDManager.newBaseManager()) {
			// The defaults at 256 px, layer by layer (output cells x out x in x k x k), summed by hand:
			// student 478.2 M, autoencoder 186.6 M, 664 862 720 over 32 x 32 cells.
			Networks n = Networks.initialise(m, new Architecture(256, 32, 128, 32, EfficientAd.LATENT), new Random(1));
			assertEquals(649_280, n.multiplyAddsPerPatch());
		}
	}
}
