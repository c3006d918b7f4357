package org.anomalyj.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
import org.anomalyj.backbone.Backbone;
import org.anomalyj.backbone.BackboneCatalog;
import org.anomalyj.image.ImageFileReader;
import org.anomalyj.image.InputNormalization;
import org.anomalyj.image.IntensityRange;
import org.anomalyj.image.LoadedImage;
import org.anomalyj.image.Preprocessor;
import org.anomalyj.method.AnomalyMethod;
import org.anomalyj.method.PatchCore;
import org.anomalyj.method.PatchFeatures;
import org.anomalyj.task.Progress;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Trains a model from good images: splits off calibration images (seeded), measures the intensity
 * range when images are not 8-bit, extracts patch features in batches, fits the method, and
 * calibrates the thresholds on the held-out images.
 */
public final class Trainer {

	/**
	 * @param inputSize side of the network input
	 * @param normalization network input range
	 * @param patchcore PatchCore settings (its seed also seeds the calibration split)
	 * @param calibrationFraction share of images held out to calibrate thresholds (0 to use all for training)
	 * @param alpha false-alarm rate the thresholds are calibrated for
	 * @param device where tensors live
	 * @param batchSize images per forward pass
	 */
	public record Settings(int inputSize, InputNormalization normalization, PatchCore.Settings patchcore, double calibrationFraction,
		double alpha, DeviceChoice device, int batchSize) {

		public static final Settings DEFAULT = new Settings(ModelSpec.DEFAULT_SIZE, InputNormalization.UNIT, PatchCore.Settings.DEFAULT, 0.1,
			Thresholds.DEFAULT_ALPHA, DeviceChoice.AUTO, 8);

		public Settings {
			if (!(calibrationFraction >= 0 && calibrationFraction < 1))
				throw new IllegalArgumentException("calibration fraction must be in [0, 1), was " + calibrationFraction);
			if (batchSize < 1) throw new IllegalArgumentException("batch size must be at least 1");
		}

		public Settings withInputSize(int size) {
			return new Settings(size, normalization, patchcore, calibrationFraction, alpha, device, batchSize);
		}

		public Settings withPatchCore(PatchCore.Settings p) {
			return new Settings(inputSize, normalization, p, calibrationFraction, alpha, device, batchSize);
		}

		public Settings withDevice(DeviceChoice d) {
			return new Settings(inputSize, normalization, patchcore, calibrationFraction, alpha, d, batchSize);
		}

		public Settings withCalibration(double fraction, double a) {
			return new Settings(inputSize, normalization, patchcore, fraction, a, device, batchSize);
		}

		public Settings withBatchSize(int b) {
			return new Settings(inputSize, normalization, patchcore, calibrationFraction, alpha, device, b);
		}

		public Settings withNormalization(InputNormalization n) {
			return new Settings(inputSize, n, patchcore, calibrationFraction, alpha, device, batchSize);
		}
	}

	private Trainer() {}

	/**
	 * @param images good images (files; every plane of a stack counts as one image)
	 * @throws IOException when no image can be read, naming the problem; unreadable files are skipped with a warning
	 */
	public static AnomalyModel train(List<Path> images, Settings settings, Progress progress) throws IOException {
		if (images.isEmpty()) throw new IOException("no training images");
		long start = System.nanoTime();
		List<Path> shuffled = new ArrayList<>(images);
		Collections.shuffle(shuffled, new Random(settings.patchcore().seed()));
		int nCal = shuffled.size() < 2 || settings.calibrationFraction() == 0 ? 0
			: (int) Math.max(1, Math.round(shuffled.size() * settings.calibrationFraction()));
		List<Path> fitFiles = new ArrayList<>(shuffled.subList(nCal, shuffled.size()));
		List<Path> calFiles = new ArrayList<>(shuffled.subList(0, nCal));
		// Keep the training order independent of the split's shuffle, for reproducible features.
		Collections.sort(fitFiles);
		Collections.sort(calFiles);

		List<String> skipped = new ArrayList<>();
		IntensityRange range = measureRange(fitFiles, skipped, progress);
		ModelSpec spec = new ModelSpec(BackboneCatalog.DEFAULT, settings.inputSize(), settings.normalization(), range,
			ModelSpec.DEFAULT_TAPS, 3, org.anomalyj.postprocess.AnomalyMapper.defaultSigma(settings.inputSize()));
		Preprocessor pre = new Preprocessor(spec.inputSize(), spec.intensity(), spec.normalization());

		NDManager manager = NDManager.newBaseManager(settings.device().resolve());
		Backbone backbone = null;
		AnomalyMethod method = null;
		PatchFeatures features = null;
		try {
			backbone = BackboneCatalog.load(spec.backbone(), manager);
			features = new PatchFeatures(manager, backbone, spec.taps(), spec.poolSize(), spec.inputSize(), spec.inputSize());
			int cells = features.gridHeight() * features.gridWidth(), dim = features.dim();
			FeatureBuffer buffer = new FeatureBuffer(dim);
			long tFeatures = System.nanoTime();
			int fitImages = 0;
			try (PlaneBatches fit = new PlaneBatches(fitFiles, pre, settings.batchSize(), skipped, progress, "features")) {
				for (PlaneBatches.Batch b = fit.next(); b != null; b = fit.next()) {
					try (NDManager tmp = manager.newSubManager()) {
						NDArray x = tmp.create(b.data(), new Shape(b.count(), 3, spec.inputSize(), spec.inputSize()));
						buffer.add(PatchFeatures.asRows(features.embed(x)).toFloatArray());
					}
					fitImages += b.count();
				}
			}
			if (fitImages == 0) throw new IOException("none of the " + fitFiles.size() + " training images could be read" + firstReason(skipped));
			double featureSeconds = (System.nanoTime() - tFeatures) / 1e9;

			long tCoreset = System.nanoTime();
			int n = fitImages * cells;
			method = PatchCore.fit(manager, buffer.array(), n, dim, settings.patchcore(), progress);
			double coresetSeconds = (System.nanoTime() - tCoreset) / 1e9;

			JsonObject training = new JsonObject();
			training.addProperty("images", fitImages);
			training.addProperty("patches", n);
			training.addProperty("skipped_files", skipped.size());
			training.addProperty("feature_seconds", featureSeconds);
			training.addProperty("coreset_seconds", coresetSeconds);
			training.addProperty("seed", settings.patchcore().seed());
			AnomalyModel model = AnomalyModel.assemble(manager, backbone, spec, features, method, null, training);
			Thresholds thresholds = calibrate(model, calFiles, fitFiles, pre, settings, skipped, progress);
			model = model.withThresholds(thresholds);
			training.addProperty("seconds", (System.nanoTime() - start) / 1e9);
			return model;
		} catch (IOException | RuntimeException e) {
			if (method != null) method.close();
			if (features != null) features.close();
			if (backbone != null) backbone.close();
			manager.close();
			throw e;
		}
	}

	private static String firstReason(List<String> skipped) {
		return skipped.isEmpty() ? "" : " (first problem: " + skipped.get(0) + ")";
	}

	/** The range of 16/32-bit training images; null when every image is 8-bit. */
	private static IntensityRange measureRange(List<Path> files, List<String> skipped, Progress progress) throws IOException {
		if (files.isEmpty()) return null;
		IntensityRange.Accumulator acc = null;
		for (int i = 0; i < files.size(); i++) {
			progress.checkCancelled();
			LoadedImage img;
			try {
				img = ImageFileReader.read(files.get(i));
			} catch (IOException e) {
				continue; // reported when features are extracted
			}
			boolean needs = img.planes().stream().anyMatch(Preprocessor::needsIntensityRange);
			if (acc == null && !needs) return null; // the first readable image is 8-bit: an 8-bit set
			if (acc == null) acc = IntensityRange.accumulator();
			for (var p : img.planes()) if (Preprocessor.needsIntensityRange(p)) acc.add(p);
			progress.update("intensity", i + 1, files.size());
		}
		return acc == null || acc.count() == 0 ? null : acc.range();
	}

	private static Thresholds calibrate(AnomalyModel model, List<Path> calFiles, List<Path> fitFiles, Preprocessor pre, Settings settings,
		List<String> skipped, Progress progress) throws IOException {
		boolean heldOut = !calFiles.isEmpty();
		// Without held-out images the training images' own scores are the only evidence; they are
		// optimistic (their patches shaped the bank), so the guarantee is marked as not holding.
		List<Float> scores = new ArrayList<>(), maxima = new ArrayList<>();
		try (PlaneBatches cal = new PlaneBatches(heldOut ? calFiles : fitFiles, pre, settings.batchSize(), skipped, progress, "calibration")) {
			for (PlaneBatches.Batch b = cal.next(); b != null; b = cal.next()) {
				AnomalyModel.Scored s = model.score(b.data(), b.count());
				for (int i = 0; i < b.count(); i++) {
					scores.add(s.imageScores()[i]);
					float max = Float.NEGATIVE_INFINITY;
					for (float v : s.maps()[i]) max = Math.max(max, v);
					maxima.add(max);
				}
			}
		}
		if (scores.isEmpty()) throw new IOException("no image could be scored for calibration" + firstReason(skipped));
		Thresholds t = Thresholds.calibrate(toArray(scores), toArray(maxima), settings.alpha());
		return heldOut ? t : new Thresholds(t.image(), t.pixel(), t.alpha(), Double.NaN, 0);
	}

	private static float[] toArray(List<Float> l) {
		float[] a = new float[l.size()];
		for (int i = 0; i < a.length; i++) a[i] = l.get(i);
		return a;
	}

	/** Growable float storage for patch rows; avoids boxing 10^7 values. */
	private static final class FeatureBuffer {
		private final int dim;
		private float[] data = new float[1 << 20];
		private int size;

		FeatureBuffer(int dim) {
			this.dim = dim;
		}

		void add(float[] rows) {
			if (rows.length % dim != 0) throw new IllegalStateException("feature rows of wrong width");
			if (size + rows.length > data.length) {
				long grow = Math.max((long) size + rows.length, (long) data.length * 3 / 2);
				if (grow > Integer.MAX_VALUE - 16)
					throw new IllegalStateException("too many training patches for one memory bank (" + (size + (long) rows.length) / dim
						+ "); use fewer images or a smaller input size");
				data = java.util.Arrays.copyOf(data, (int) grow);
			}
			System.arraycopy(rows, 0, data, size, rows.length);
			size += rows.length;
		}

		float[] array() {
			return size == data.length ? data : java.util.Arrays.copyOf(data, size);
		}
	}
}
