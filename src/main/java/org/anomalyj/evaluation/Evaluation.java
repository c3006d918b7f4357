package org.anomalyj.evaluation;

import org.anomalyj.data.CategoryFolder;
import org.anomalyj.data.TestSample;
import org.anomalyj.image.BinaryMask;
import org.anomalyj.image.ImageFileReader;
import org.anomalyj.inspect.Inspection;
import org.anomalyj.inspect.Inspector;
import org.anomalyj.metrics.MetricsAccumulator;
import org.anomalyj.metrics.MetricsReport;
import org.anomalyj.task.Progress;


import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Evaluates a model on an MVTec-layout test set as the field does: image AUROC and F1-max on image
 * scores; pixel AUROC, AUPRO (FPR 0.3) and AP on maps at the model's input resolution against masks
 * resized there with nearest neighbour (as anomalib does), so figures compare with published ones.
 * Also times the path a user pays for — file to score and map — per image, after a warm-up batch
 * (the first batch of the test images, whose results count like the others').
 */
public final class Evaluation {

	/**
	 * @param metrics the metrics
	 * @param images test images scored
	 * @param msPerImage mean wall time per image from file to score and map (read, preprocess, score,
	 *        map at the image's size, defect regions), metrics and ground truth excluded, over the
	 *        images after the first batch (the warm-up), or over all when they fill one batch
	 * @param perImage score and verdict of each test image, in test-set order
	 */
	public record Result(MetricsReport metrics, int images, double msPerImage, List<ImageScore> perImage) {

		/** Test images of one kind (good or defective) the active threshold flags, and how many there are. */
		public record Flagged(int flagged, int of) {

			/** The images of one kind among {@code scores}, and how many of them {@code flags} says are flagged. */
			public static Flagged count(List<ImageScore> scores, boolean defective, Predicate<ImageScore> flags) {
				int n = 0, flagged = 0;
				for (ImageScore s : scores)
					if (s.sample().isAnomalous() == defective) {
						n++;
						if (flags.test(s)) flagged++;
					}
				return new Flagged(flagged, n);
			}
		}

		/** Good test images flagged: the false alarms at the model's threshold. */
		public Flagged goodsFlagged() {
			return flagged(false);
		}

		/** Defective test images flagged: the recall at the model's threshold. */
		public Flagged defectsFlagged() {
			return flagged(true);
		}

		private Flagged flagged(boolean defective) {
			return Flagged.count(perImage, defective, ImageScore::anomalous);
		}
	}

	/**
	 * One test image's outcome.
	 *
	 * @param category the part whose thresholds judged it, in a model of several parts ("" otherwise)
	 * @param nearestCategory the part the model recognises in it ("" in a model of one part)
	 */
	public record ImageScore(TestSample sample, float score, boolean anomalous, String category, String nearestCategory) {}

	private Evaluation() {}

	public static Result run(Inspector inspector, CategoryFolder category, int batchSize, Progress progress) throws IOException {
		List<TestSample> samples = category.testSamples();
		if (samples.isEmpty()) throw new IOException(category.root() + ": no test images under test/");
		return run(inspector, samples, batchSize, progress);
	}

	/** Evaluates on some of a category's test samples (the protocols that use part of the test set for something else). */
	public static Result run(Inspector inspector, List<TestSample> samples, int batchSize, Progress progress) throws IOException {
		if (samples.isEmpty()) throw new IllegalArgumentException("no test images to evaluate on");
		MetricsAccumulator acc = new MetricsAccumulator();
		List<ImageScore> perImage = new ArrayList<>();
		int s = inspector.model().spec().inputSize();

		// The first batch is the warm-up (the engine's first pass at the batch's size, the JIT's
		// compiling): scored and measured like the rest, but its time is left out of the figure
		// unless it is the only batch. Warming up on images of its own would cost a user's run a
		// pass more.
		long timed = 0;
		int timedImages = 0;
		for (int from = 0; from < samples.size(); from += batchSize) {
			progress.checkCancelled();
			List<TestSample> batch = samples.subList(from, Math.min(samples.size(), from + batchSize));
			long t0 = System.nanoTime();
			List<RandomAccessibleInterval<? extends RealType<?>>> planes = read(inspector, batch);
			List<Inspection> results = inspector.inspect(planes);
			if (from > 0 || batch.size() == samples.size()) {
				timed += System.nanoTime() - t0;
				timedImages += batch.size();
			}
			for (int i = 0; i < batch.size(); i++) {
				TestSample t = batch.get(i);
				Inspection r = results.get(i);
				BinaryMask truth = t.loadMask(r.width(), r.height());
				byte[] mask = null;
				if (t.isAnomalous()) {
					boolean[] m = truth.resizeNearest(s, s).toArray();
					mask = new byte[m.length];
					for (int k = 0; k < m.length; k++) mask[k] = (byte) (m[k] ? 1 : 0);
				}
				acc.add(r.score(), t.isAnomalous(), r.modelMap(), mask, s, s);
				perImage.add(new ImageScore(t, r.score(), r.anomalous(), r.category(), r.nearestCategory()));
			}
			progress.update("evaluate", Math.min(samples.size(), from + batchSize), samples.size());
		}
		progress.update("metrics", 0, 1);
		MetricsReport report = acc.compute();
		progress.update("metrics", 1, 1);
		return new Result(report, samples.size(), timed / 1e6 / timedImages, perImage);
	}

	/** The batch's test images, which the model must all take: leaving one out would change the metrics. */
	private static List<RandomAccessibleInterval<? extends RealType<?>>> read(Inspector inspector, List<TestSample> batch) throws IOException {
		List<RandomAccessibleInterval<? extends RealType<?>>> planes = new ArrayList<>();
		for (ImageFileReader.Outcome o : ImageFileReader.readEach(batch.stream().map(TestSample::image).toList())) {
			RandomAccessibleInterval<? extends RealType<?>> plane = o.get().singlePlane();
			String problem = inspector.problemWith(plane);
			if (problem != null) throw new IOException(o.file() + ": " + problem);
			planes.add(plane);
		}
		return planes;
	}
}
