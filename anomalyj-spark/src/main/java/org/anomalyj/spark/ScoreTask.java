package org.anomalyj.spark;

import org.anomalyj.image.LoadedImage;
import org.anomalyj.image.Planes;
import org.anomalyj.inspect.BatchInspection;
import org.anomalyj.inspect.Inspection;
import org.anomalyj.inspect.InspectionFiles;
import org.anomalyj.inspect.Inspector;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.util.LongAccumulator;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Scores the images of one task on an executor, as the command line's {@code score} does: planes
 * in batches through the executor's model, each plane's map, mask and overlay written (atomically)
 * under the output folder with the command line's names, one row per plane. An image that cannot be
 * read, or that the model cannot take, becomes a skipped row with the reason; nothing here fails
 * the job for one image.
 */
final class ScoreTask implements FlatMapFunction<Iterator<ScoreTask.Part>, Row> {

	/** Contiguous inputs, with their output stems; {@code first} is the index of the first in the run. */
	record Part(int first, List<ImageSource.Input> inputs, List<String> stems) implements Serializable {}

	private final ExecutorModel.Shipment model;
	private final String outDir;
	private final boolean maps, masks, overlays;
	private final double opacity;
	private final int batchSize;
	private transient BatchInspection.Settings settings;
	private final Map<String, String> hadoopConf;
	private final LongAccumulator done;

	ScoreTask(ExecutorModel.Shipment model, String outDir, BatchInspection.Settings settings, Map<String, String> hadoopConf,
		LongAccumulator done) {
		this.model = model;
		this.outDir = outDir;
		this.maps = settings.maps();
		this.masks = settings.masks();
		this.overlays = settings.overlays();
		this.opacity = settings.opacity();
		this.batchSize = settings.batchSize();
		this.hadoopConf = hadoopConf;
		this.done = done;
	}

	private record Pending(int index, ImageSource.Input input, String stem, int plane, int planes, RandomAccessibleInterval<? extends RealType<?>> data) {}

	@Override
	public Iterator<Row> call(Iterator<Part> parts) throws IOException {
		TaskContext task = TaskContext.get();
		ExecutorEngine.configure(task == null ? 1 : task.cpus());
		Inspector inspector = ExecutorModel.inspector(model);
		settings = new BatchInspection.Settings(maps, masks, overlays, opacity, batchSize); // records do not serialise
		Path out = Path.of(outDir);
		List<Row> rows = new ArrayList<>();
		List<Pending> queue = new ArrayList<>();
		while (parts.hasNext()) {
			Part part = parts.next();
			for (int k = 0; k < part.inputs().size(); k++) {
				ImageSource.Input in = part.inputs().get(k);
				int index = part.first() + k;
				LoadedImage img;
				try {
					img = ImageSource.read(in, hadoopConf);
				} catch (IOException | RuntimeException e) {
					rows.add(ResultTable.indexed(index, skipped(in.name(), 0, String.valueOf(e.getMessage()))));
					done.add(1);
					continue;
				}
				int planes = img.planes().size();
				for (int p = 0; p < planes; p++) {
					RandomAccessibleInterval<? extends RealType<?>> data = img.planes().get(p);
					String problem = inspector.problemWith(data);
					if (problem != null) rows.add(ResultTable.indexed(index, skipped(in.name(), p, in.location() + ": " + problem)));
					else queue.add(new Pending(index, in, part.stems().get(k), p, planes, data));
					if (queue.size() >= settings.batchSize() || pixels(queue) >= BatchInspection.MAX_BATCH_PIXELS) flush(inspector, queue, out, rows);
				}
				done.add(1);
			}
		}
		flush(inspector, queue, out, rows);
		return rows.iterator();
	}

	private static long pixels(List<Pending> queue) {
		long n = 0;
		for (Pending p : queue) n += (long) Planes.width(p.data()) * Planes.height(p.data());
		return n;
	}

	private void flush(Inspector inspector, List<Pending> queue, Path out, List<Row> rows) throws IOException {
		if (queue.isEmpty()) return;
		List<RandomAccessibleInterval<? extends RealType<?>>> planes = new ArrayList<>();
		for (Pending p : queue) planes.add(p.data());
		int finished = 0;
		try {
			List<Inspection> results = inspector.inspect(planes);
			planes.clear();
			for (int i = 0; i < results.size(); i++) {
				Pending p = queue.get(i);
				Inspection r = results.get(i);
				results.set(i, null);
				List<Path> files = BatchInspection.outputs(out, p.stem(), p.plane(), p.planes(), settings);
				int f = 0;
				if (settings.maps()) InspectionFiles.writeMap(r, files.get(f++));
				if (settings.masks()) InspectionFiles.writeMask(r, files.get(f++));
				if (settings.overlays())
					InspectionFiles.writeOverlay(r, p.data(), inspector.model().spec().intensity(), inspector.model().thresholds().pixel(),
						settings.opacity(), files.get(f));
				rows.add(ResultTable.indexed(p.index(), new BatchInspection.Row(p.input().name(), p.plane(), "ok", r.score(), r.normalisedScore(), r.pValue(),
					r.verdict(), r.defects().regions().size(), r.defects().totalArea(), "")));
				finished++;
			}
		} catch (OutOfMemoryError e) {
			planes.clear();
			for (Pending p : queue.subList(finished, queue.size()))
				rows.add(ResultTable.indexed(p.index(), skipped(p.input().name(), p.plane(), String.format(Locale.ROOT,
					"%s: not enough memory on the executor to inspect this %dx%d image (at most %d MB); raise spark.executor.memory",
					p.input().location(), Planes.width(p.data()), Planes.height(p.data()), Runtime.getRuntime().maxMemory() >> 20))));
		}
		queue.clear();
	}

	static BatchInspection.Row skipped(String name, int plane, String reason) {
		return new BatchInspection.Row(name, plane, "skipped", Float.NaN, Float.NaN, Double.NaN, "", 0, 0, reason);
	}
}
