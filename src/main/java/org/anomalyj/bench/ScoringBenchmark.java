package org.anomalyj.bench;

import org.anomalyj.features.PatchFeatures;
import org.anomalyj.image.ImageFileReader;
import org.anomalyj.image.Preprocessor;
import org.anomalyj.inspect.BatchInspection;
import org.anomalyj.inspect.Inspector;
import org.anomalyj.method.AnomalyMethod;
import org.anomalyj.model.AnomalyModel;
import org.anomalyj.sink.SinkCatalog;
import org.anomalyj.task.Progress;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where scoring time goes, against what the machine can do: the GEMM rate the engine reaches, the
 * FLOPs of the backbone and of the nearest-neighbour search per image, the floor they imply, and
 * measured embedding, search and end-to-end times per image, and the user's path: from files to
 * the output files {@code score} writes.
 */
public final class ScoringBenchmark {

	/**
	 * @param gemmGflops best float32 GEMM rate of the engine on this machine (2048^3)
	 * @param backboneGflop backbone FLOPs per image
	 * @param searchGflop the method's FLOPs per image (PatchCore: the nearest-neighbour search against its bank)
	 * @param floorMs (backbone + search FLOPs) / GEMM rate
	 * @param embedMs measured backbone + aggregation per image (batches of {@code batch})
	 * @param searchMs measured nearest-neighbour search per image
	 * @param scoreMs measured embed + search + map per image, preprocessed input
	 * @param endToEndMs measured file to score and map per image (read, preprocess, score, map at image size)
	 * @param outputsMs measured file to the default output files per image, as {@code score} writes them
	 *        (the above, plus defect regions, map TIFF, mask and overlay PNGs, scores.csv; {@link BatchInspection})
	 * @param batch images per batch
	 * @param method what the method learned, as its training summary says (e.g. "bank 19251")
	 */
	public record Result(double gemmGflops, double backboneGflop, double searchGflop, double floorMs, double embedMs, double searchMs,
		double scoreMs, double endToEndMs, double outputsMs, int batch, String method) {}

	private ScoringBenchmark() {}

	/** Best of several 2048x2048x2048 float32 products on the manager's device, in GFLOP/s. */
	public static double gemmRate(NDManager manager) {
		int n = 2048;
		try (NDManager m = manager.newSubManager()) {
			NDArray a = m.randomUniform(0, 1, new Shape(n, n));
			NDArray b = m.randomUniform(0, 1, new Shape(n, n));
			double best = 0;
			for (int rep = 0; rep < 6; rep++) {
				long t0 = System.nanoTime();
				try (NDArray c = a.matMul(b)) {
					c.getFloat(0, 0); // waits for the result on asynchronous devices
				}
				double s = (System.nanoTime() - t0) / 1e9;
				if (rep > 0) best = Math.max(best, 2.0 * n * n * n / s / 1e9);
			}
			return best;
		}
	}

	public static Result run(AnomalyModel model, List<Path> images, int batch, int rounds) throws IOException {
		int s = model.spec().inputSize();
		PatchFeatures features = model.features();
		int cells = features.gridHeight() * features.gridWidth();
		double backbone = 2.0 * features.backbone().multiplyAdds(s, s, features.taps()) / 1e9;
		AnomalyMethod method = model.method();
		double search = 2.0 * cells * (double) method.multiplyAddsPerPatch() / 1e9;
		double gemm = gemmRate(model.manager());

		Preprocessor pre = new Preprocessor(s, model.spec().intensity(), model.spec().normalization());
		List<Path> files = spread(images, MAX_IMAGES);
		int n = files.size();
		float[][] inputs = new float[(n + batch - 1) / batch][];
		for (int b = 0; b < inputs.length; b++) {
			int from = b * batch, count = Math.min(n, from + batch) - from;
			inputs[b] = new float[count * 3 * s * s];
			for (int i = 0; i < count; i++) pre.toInput(ImageFileReader.read(files.get(from + i)).singlePlane(), inputs[b], i * 3 * s * s);
		}

		// Per round, one pass over all batches: the search prunes differently on good and defective images.
		double[] embed = new double[rounds], knn = new double[rounds], full = new double[rounds];
		for (int r = -1; r < rounds; r++) { // round -1 warms up
			long tEmbed = 0, tSearch = 0, tScore = 0;
			for (float[] input : inputs) {
				int count = input.length / (3 * s * s);
				try (NDManager tmp = model.manager().newSubManager()) {
					NDArray x = tmp.create(input, new Shape(count, 3, s, s));
					long t0 = System.nanoTime();
					NDArray f = features.embed(x);
					f.getFloat(0, 0, 0, 0);
					long t1 = System.nanoTime();
					NDArray d = method.patchScores(f);
					d.getFloat(0, 0, 0);
					long t2 = System.nanoTime();
					model.score(input, count);
					long t3 = System.nanoTime();
					tEmbed += t1 - t0;
					tSearch += t2 - t1;
					tScore += t3 - t2;
				}
			}
			if (r >= 0) {
				embed[r] = tEmbed / 1e6 / n;
				knn[r] = tSearch / 1e6 / n;
				full[r] = tScore / 1e6 / n;
			}
		}

		Inspector inspector = new Inspector(model);
		double[] e2e = new double[rounds];
		for (int r = -1; r < rounds; r++) {
			long t0 = System.nanoTime();
			for (int from = 0; from < n; from += batch) {
				List<net.imglib2.RandomAccessibleInterval<? extends net.imglib2.type.numeric.RealType<?>>> planes = new ArrayList<>();
				for (Path f : files.subList(from, Math.min(n, from + batch))) planes.add(ImageFileReader.read(f).singlePlane());
				inspector.inspect(planes);
			}
			if (r >= 0) e2e[r] = (System.nanoTime() - t0) / 1e6 / n;
		}
		double[] outputs = new double[rounds];
		Path dir = Files.createTempDirectory("anomalyj-bench");
		try {
			for (int r = -1; r < rounds; r++) {
				// A folder per round: a run into a folder that holds the outputs already would resume, not redo.
				long t0 = System.nanoTime();
				BatchInspection.run(inspector, files, dir.resolve("round" + (r + 1)), new BatchInspection.Settings(SinkCatalog.DEFAULTS, 0.5, batch), Progress.NONE);
				if (r >= 0) outputs[r] = (System.nanoTime() - t0) / 1e6 / n;
			}
		} finally {
			deleteTree(dir);
		}
		return new Result(gemm, backbone, search, (backbone + search) / gemm * 1e3, median(embed), median(knn), median(full), median(e2e),
			median(outputs), batch, method.summary());
	}

	private static void deleteTree(Path dir) throws IOException {
		try (Stream<Path> walk = Files.walk(dir)) {
			for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
		}
	}

	/** Images timed per round: enough to mix good and defective ones, few enough to keep the run short. */
	static final int MAX_IMAGES = 48;

	/** Up to {@code max} images evenly spread over the list (which MVTec layouts sort by defect type). */
	static List<Path> spread(List<Path> images, int max) {
		if (images.size() <= max) return images;
		List<Path> out = new ArrayList<>(max);
		for (int i = 0; i < max; i++) out.add(images.get((int) ((long) i * images.size() / max)));
		return out;
	}

	static double median(double[] v) {
		double[] s = v.clone();
		Arrays.sort(s);
		return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
	}
}
