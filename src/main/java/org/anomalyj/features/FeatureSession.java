package org.anomalyj.features;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.anomalyj.backbone.Backbone;
import org.anomalyj.backbone.BackboneCatalog;
import org.anomalyj.image.Preprocessor;
import org.anomalyj.method.AnomalyMethod;
import org.anomalyj.method.TrainingSet;
import org.anomalyj.model.AnomalyModel;
import org.anomalyj.model.DeviceChoice;
import org.anomalyj.model.ModelSpec;
import org.anomalyj.model.Thresholds;
import org.anomalyj.model.TrainedImages;
import org.anomalyj.model.TrainingReport;
import org.anomalyj.postprocess.AnomalyMapper;
import org.anomalyj.task.Progress;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * A loaded backbone with its feature aggregation and map post-processing for one
 * {@link ModelSpec}: turns image files into network inputs and patch features, batch by batch,
 * and offers them to methods as {@link TrainingSet}s. Training turns it into the model
 * ({@link #toModel}); studies that fit many methods on the same features (few-shot, false-alarm
 * checks, cross-fitting) use it directly. Unreadable files are skipped, each with its reason.
 */
public final class FeatureSession implements AutoCloseable {

	private final ModelSpec spec;
	private final Preprocessor pre;
	private final NDManager manager;
	private final Backbone backbone;
	private final PatchFeatures features;
	private final AnomalyMapper mapper;
	private long extractionNanos;
	private boolean handedOver;
	private Extraction extraction;

	/**
	 * Where patch features are computed when not in this process, e.g. on a cluster's executors,
	 * each with a session of its own for the same spec. It must hand the features to the sink as
	 * {@link #stream} does: in the images' order, in batches of at most {@code batchSize} images,
	 * each unreadable file recorded in {@code skipped} with its reason.
	 */
	public interface Extraction {
		int stream(ModelSpec spec, List<ImageRef> images, int batchSize, List<String> skipped, Progress progress, String stage,
			BiConsumer<FeatureRows, List<ImageRef>> sink);
	}

	public FeatureSession(ModelSpec spec, DeviceChoice device) throws IOException {
		this.spec = spec;
		this.pre = new Preprocessor(spec.inputSize(), spec.intensity(), spec.normalization());
		this.manager = NDManager.newBaseManager(device.resolve());
		Backbone b = null;
		try {
			b = BackboneCatalog.load(spec.backbone(), manager);
			this.features = new PatchFeatures(manager, b, spec.taps(), spec.poolSize(), spec.inputSize(), spec.inputSize());
		} catch (IOException | RuntimeException e) {
			if (b != null) b.close();
			manager.close();
			throw e;
		}
		this.backbone = b;
		this.mapper = new AnomalyMapper(manager, features.gridHeight(), features.gridWidth(), spec.inputSize(), spec.inputSize(), spec.sigma());
	}

	public ModelSpec spec() {
		return spec;
	}

	public NDManager manager() {
		return manager;
	}

	public FeatureGrid grid() {
		return FeatureGrid.of(features);
	}

	public PatchFeatures features() {
		return features;
	}

	public AnomalyMapper mapper() {
		return mapper;
	}

	/**
	 * Computes features elsewhere from now on ({@link #stream} and the training sets' feature
	 * passes); network inputs ({@link #streamInputs}) stay here.
	 */
	public void extractWith(Extraction elsewhere) {
		this.extraction = elsewhere;
	}

	/** Time spent decoding and in the backbone so far, not counting the consumers' time. */
	public double extractionSeconds() {
		return extractionNanos / 1e9;
	}

	/** Patch features of some images, with the plane each image is. */
	public record Extracted(FeatureRows rows, List<ImageRef> images) {

		/** The given images, in the given order. */
		public Extracted subset(int[] indices) {
			List<ImageRef> refs = new ArrayList<>(indices.length);
			for (int i : indices) refs.add(images.get(i));
			return new Extracted(rows.subset(indices), refs);
		}
	}

	/**
	 * Hands the network inputs of {@code images} to {@code sink} batch by batch, as {@code (n, 3, S, S)}
	 * arrays closed after each call; holds no more than about two batches.
	 *
	 * @param skipped receives one reason per unreadable file
	 * @param stage progress stage name
	 * @return the number of images (planes) passed
	 */
	public int streamInputs(List<ImageRef> images, int batchSize, List<String> skipped, Progress progress, String stage,
		BiConsumer<NDArray, List<ImageRef>> sink) {
		return streamInputs(images, batchSize, skipped, progress, stage, (x, refs, batches) -> sink.accept(x, refs));
	}

	/** A consumer of network inputs that may hand the cores back to the engine for its own work ({@link PlaneBatches#withAllCores}). */
	private interface InputSink {
		void accept(NDArray x, List<ImageRef> refs, PlaneBatches batches);
	}

	private int streamInputs(List<ImageRef> images, int batchSize, List<String> skipped, Progress progress, String stage, InputSink sink) {
		int count = 0;
		try (PlaneBatches batches = new PlaneBatches(images, pre, batchSize, skipped, progress, stage, manager.getDevice())) {
			long t = System.nanoTime();
			for (PlaneBatches.Batch b = batches.next(); b != null; b = batches.next()) {
				try (NDManager tmp = manager.newSubManager()) {
					NDArray x = tmp.create(b.data(), new Shape(b.count(), 3, pre.size(), pre.size()));
					extractionNanos += System.nanoTime() - t;
					sink.accept(x, b.images(), batches);
				}
				count += b.count();
				t = System.nanoTime();
			}
			extractionNanos += System.nanoTime() - t;
		}
		return count;
	}

	/**
	 * Hands the patch features of {@code images} to {@code sink} batch by batch, holding no more
	 * than one batch of them.
	 *
	 * @param skipped receives one reason per unreadable file
	 * @return the number of images (planes) extracted
	 */
	public int stream(List<ImageRef> images, int batchSize, List<String> skipped, Progress progress, String stage,
		BiConsumer<FeatureRows, List<ImageRef>> sink) {
		if (extraction != null) {
			long t = System.nanoTime();
			long[] consumers = {0};
			int n = extraction.stream(spec, images, batchSize, skipped, progress, stage, (rows, refs) -> {
				long c = System.nanoTime();
				sink.accept(rows, refs);
				consumers[0] += System.nanoTime() - c;
			});
			extractionNanos += System.nanoTime() - t - consumers[0];
			return n;
		}
		FeatureGrid grid = grid();
		return streamInputs(images, batchSize, skipped, progress, stage, (x, refs, batches) -> {
			long t = System.nanoTime();
			float[] rows = PatchFeatures.asRows(features.embed(x)).toFloatArray();
			extractionNanos += System.nanoTime() - t;
			// The consumer's work is its own (a fitter may select a chunk's bank here): all cores to the engine.
			batches.withAllCores(() -> sink.accept(new FeatureRows(rows, refs.size(), grid), refs));
		});
	}

	/** All features of {@code files} in memory. */
	public Extracted extract(List<Path> files, int batchSize, List<String> skipped, Progress progress, String stage) {
		FeatureRows.Builder rows = new FeatureRows.Builder(grid());
		List<ImageRef> refs = new ArrayList<>();
		stream(ImageRef.allPlanes(files), batchSize, skipped, progress, stage, (b, r) -> {
			rows.add(b.values(), b.images());
			refs.addAll(r);
		});
		return new Extracted(rows.build(), List.copyOf(refs));
	}

	/**
	 * Scores some images with a method, batch by batch in order: from their stored features, or, for
	 * a method that scores images ({@link AnomalyMethod#scoresImages()}), from the images decoded
	 * again.
	 *
	 * @param sink receives the index of each batch's first image and its scores
	 */
	public void score(AnomalyMethod method, Extracted held, int batchSize, Progress progress, BiConsumer<Integer, AnomalyModel.Scored> sink) {
		if (!method.scoresImages()) {
			FeatureRows rows = held.rows();
			for (int from = 0; from < rows.images(); from += batchSize) {
				progress.checkCancelled();
				int to = Math.min(rows.images(), from + batchSize);
				try (NDManager tmp = manager.newSubManager()) {
					sink.accept(from, AnomalyModel.score(method, mapper, rows.batch(tmp, from, to), null));
				}
			}
			return;
		}
		int[] at = {0};
		List<String> problems = new ArrayList<>();
		streamInputs(held.images(), batchSize, problems, Progress.NONE, "scoring", (x, refs) -> {
			progress.checkCancelled();
			sink.accept(at[0], AnomalyModel.score(method, mapper, features.embed(x), x));
			at[0] += refs.size();
		});
		// These images were read once already: one that cannot be read now changed under us.
		if (!problems.isEmpty()) throw new IllegalStateException("an image changed during the run: " + problems.get(0));
	}

	/**
	 * The files as a training set that streams: every pass decodes them and runs the backbone
	 * again, so memory holds one batch whatever the number of images. Files that cannot be read are
	 * recorded in {@code skipped} on the first pass only.
	 */
	public TrainingSet trainingSet(List<Path> files, int batchSize, List<String> skipped, Progress progress) {
		return new StreamedSet(ImageRef.allPlanes(files), batchSize, skipped, progress);
	}

	/** Features held in memory as a training set; network inputs are decoded again from the images' files. */
	public TrainingSet trainingSet(Extracted held, int batchSize, Progress progress) {
		return new HeldSet(held, batchSize, progress);
	}

	/**
	 * The model made of this session's parts and a fitted method; the session then no longer owns them.
	 *
	 * @param trainedOn the images the method was fitted on ({@link TrainingSet#images()})
	 */
	public AnomalyModel toModel(AnomalyMethod method, Thresholds thresholds, TrainingReport report, List<ImageRef> trainedOn) {
		handedOver = true;
		mapper.close();
		return AnomalyModel.assemble(manager, backbone, spec, features, method, thresholds, report, TrainedImages.of(trainedOn));
	}

	@Override
	public void close() {
		if (handedOver) return;
		mapper.close();
		features.close();
		backbone.close();
		manager.close();
	}

	/** What both kinds of set share: the session's backbone, device and input size. */
	private abstract class SessionSet implements TrainingSet {
		final int batchSize;
		final Progress progress;
		int passes;

		SessionSet(int batchSize, Progress progress) {
			this.batchSize = batchSize;
			this.progress = progress;
		}

		@Override
		public NDManager manager() {
			return manager;
		}

		@Override
		public FeatureGrid grid() {
			return FeatureSession.this.grid();
		}

		@Override
		public PatchFeatures features() {
			return features;
		}

		@Override
		public int inputSize() {
			return spec.inputSize();
		}

		@Override
		public int batchSize() {
			return batchSize;
		}

		String stage(String what) {
			return ++passes == 1 ? what : what + " (pass " + passes + ")";
		}
	}

	private final class StreamedSet extends SessionSet {
		private final List<ImageRef> images;
		private final List<String> skipped;
		/** The images the first pass read (unreadable files left out), in order. */
		private final List<ImageRef> visited = new ArrayList<>();

		StreamedSet(List<ImageRef> images, int batchSize, List<String> skipped, Progress progress) {
			super(batchSize, progress);
			this.images = images;
			this.skipped = skipped;
		}

		private List<String> skippedThisPass() {
			return passes == 1 ? skipped : new ArrayList<>();
		}

		@Override
		public int forEachFeatures(Consumer<FeatureRows> batch) {
			String stage = stage("features");
			boolean first = passes == 1;
			return stream(images, batchSize, skippedThisPass(), progress, stage, (rows, refs) -> {
				if (first) visited.addAll(refs);
				batch.accept(rows);
			});
		}

		@Override
		public int forEachInput(Consumer<NDArray> batch) {
			String stage = stage("images");
			boolean first = passes == 1;
			return streamInputs(images, batchSize, skippedThisPass(), progress, stage, (x, refs) -> {
				if (first) visited.addAll(refs);
				batch.accept(x);
			});
		}

		@Override
		public List<ImageRef> images() {
			return List.copyOf(visited);
		}
	}

	private final class HeldSet extends SessionSet {
		private final Extracted held;

		HeldSet(Extracted held, int batchSize, Progress progress) {
			super(batchSize, progress);
			this.held = held;
		}

		@Override
		public int forEachFeatures(Consumer<FeatureRows> batch) {
			batch.accept(held.rows());
			return held.rows().images();
		}

		@Override
		public int forEachInput(Consumer<NDArray> batch) {
			List<String> problems = new ArrayList<>();
			int n = streamInputs(held.images(), batchSize, problems, progress, stage("images"), (x, refs) -> batch.accept(x));
			// These images were read once already: one that cannot be read now changed under us.
			if (!problems.isEmpty()) throw new IllegalStateException("an image changed during the run: " + problems.get(0));
			return n;
		}

		@Override
		public List<ImageRef> images() {
			return held.images();
		}
	}
}
