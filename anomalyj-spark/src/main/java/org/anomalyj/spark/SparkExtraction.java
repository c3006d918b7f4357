package org.anomalyj.spark;

import org.anomalyj.features.FeatureGrid;
import org.anomalyj.features.FeatureRows;
import org.anomalyj.features.FeatureSession;
import org.anomalyj.features.ImageRef;
import org.anomalyj.io.JsonFields;
import org.anomalyj.model.DeviceChoice;
import org.anomalyj.model.ModelSpec;
import org.anomalyj.task.Progress;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Training's feature extraction on the executors: each task decodes its run of images and runs
 * the backbone with a session of its own (one per executor JVM and spec, reused by later tasks),
 * and the driver receives the features in the images' order, in the batches one process would
 * have made (tasks start on multiples of the batch size), for the method's fit and the
 * calibration there. The training images must be visible to every executor at the same path.
 */
final class SparkExtraction implements FeatureSession.Extraction {

	private final SparkJobs jobs;

	SparkExtraction(SparkJobs jobs) {
		this.jobs = jobs;
	}

	/** A task's images. */
	record Part(int index, List<String> files, List<Integer> planes) implements Serializable {}

	/** One batch of features as the executor made it, with its images and the files it skipped. */
	record Batch(int part, int order, int channels, int height, int width, float[] values, int images, List<String> files, List<Integer> planes, List<String> skipped)
		implements Serializable {}

	@Override
	public int stream(ModelSpec spec, List<ImageRef> images, int batchSize, List<String> skipped, Progress progress, String stage,
		BiConsumer<FeatureRows, List<ImageRef>> sink) {
		if (images.isEmpty()) return 0;
		JavaSparkContext jsc = jobs.context();
		long[] sizes = new long[images.size()];
		for (int i = 0; i < sizes.length; i++) sizes[i] = images.get(i).file().toFile().length();
		List<Part> parts = new ArrayList<>();
		for (int[] r : Partitions.split(sizes, jobs.slots(), batchSize)) {
			List<String> files = new ArrayList<>();
			List<Integer> planes = new ArrayList<>();
			for (ImageRef ref : images.subList(r[0], r[1])) {
				files.add(ref.file().toAbsolutePath().toString());
				planes.add(ref.plane());
			}
			parts.add(new Part(parts.size(), files, planes));
		}
		JsonObject specJson = new JsonObject();
		specJson.add("features", spec.toJson());
		LongAccumulator done = jsc.sc().longAccumulator("images");
		Task task = new Task(specJson.toString(), spec.backbone(), spec.inputSize(), batchSize, done);
		JavaRDD<Batch> batches = jsc.parallelize(parts, parts.size()).mapPartitions(task).persist(StorageLevel.MEMORY_AND_DISK_SER());
		try {
			// Computed in parallel first; then handed over partition by partition, in order.
			jobs.withProgress(progress, stage, done, images.size(), batches::count);
			int count = 0;
			for (Iterator<Batch> it = batches.toLocalIterator(); it.hasNext();) {
				Batch b = it.next();
				for (String s : b.skipped()) {
					skipped.add(s);
					progress.warn("skipped " + s);
				}
				if (b.images() == 0) continue;
				List<ImageRef> refs = new ArrayList<>(b.images());
				for (int i = 0; i < b.images(); i++) refs.add(new ImageRef(Path.of(b.files().get(i)), b.planes().get(i)));
				sink.accept(new FeatureRows(b.values(), b.images(), new FeatureGrid(b.channels(), b.height(), b.width())), refs);
				count += b.images();
			}
			return count;
		} catch (RuntimeException e) {
			throw e;
		} catch (Exception e) {
			throw new IllegalStateException(e);
		} finally {
			batches.unpersist(false);
		}
	}

	/** The executors' side. */
	private record Task(String specJson, String backbone, int inputSize, int batchSize, LongAccumulator done)
		implements org.apache.spark.api.java.function.FlatMapFunction<Iterator<Part>, Batch> {

		@Override
		public Iterator<Batch> call(Iterator<Part> parts) throws IOException {
			TaskContext task = TaskContext.get();
			ExecutorEngine.configure(task == null ? 1 : task.cpus());
			FeatureSession session = FeatureSessions.get(specJson, backbone, inputSize);
			List<Batch> out = new ArrayList<>();
			while (parts.hasNext()) {
				Part p = parts.next();
				List<ImageRef> refs = new ArrayList<>();
				for (int i = 0; i < p.files().size(); i++) refs.add(new ImageRef(Path.of(p.files().get(i)), p.planes().get(i)));
				List<String> skipped = new ArrayList<>();
				int[] seen = {0};
				session.stream(refs, batchSize, skipped, (stage, d, total) -> {
					done.add(d - seen[0]);
					seen[0] = (int) d;
				}, "features", (rows, r) -> {
					List<String> files = new ArrayList<>();
					List<Integer> planes = new ArrayList<>();
					for (ImageRef ref : r) {
						files.add(ref.file().toString());
						planes.add(ref.plane());
					}
					out.add(new Batch(p.index(), out.size(), rows.grid().channels(), rows.grid().height(), rows.grid().width(), rows.values(), rows.images(), files, planes, new ArrayList<>(skipped)));
					skipped.clear();
				});
				// files skipped after the last batch
				if (!skipped.isEmpty()) out.add(new Batch(p.index(), out.size(), 0, 0, 0, new float[0], 0, List.of(), List.of(), skipped));
			}
			return out.iterator();
		}
	}

	/** The sessions of this JVM, by spec: a backbone loaded once per executor. */
	static final class FeatureSessions {
		private static final Map<String, FeatureSession> OPEN = new HashMap<>();

		private FeatureSessions() {}

		static synchronized FeatureSession get(String specJson, String backbone, int inputSize) throws IOException {
			FeatureSession s = OPEN.get(specJson);
			if (s != null) return s;
			JsonObject o = JsonParser.parseString(specJson).getAsJsonObject();
			ModelSpec spec = ModelSpec.fromJson(backbone, inputSize, JsonFields.of(o, "training spec").object("features"));
			s = new FeatureSession(spec, DeviceChoice.AUTO);
			OPEN.put(specJson, s);
			return s;
		}
	}
}
