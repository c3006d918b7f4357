package org.anomalyj.spark;

import org.anomalyj.inspect.BatchInspection;
import org.anomalyj.inspect.Inspector;
import org.anomalyj.sink.PlaneResult;
import org.anomalyj.sink.ResultRow;
import org.anomalyj.sink.ResultSink;
import org.anomalyj.sink.ResultSinks;
import org.anomalyj.sink.SinkContext;
import org.anomalyj.sink.SinkInput;
import org.anomalyj.task.Progress;

import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.util.LongAccumulator;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Scores the images of one task on an executor with the command line's batch run
 * ({@link BatchInspection}): planes in batches through the executor's model, into the file sinks
 * asked for (maps, masks, overlays under the output folder, with the whole run's names) and into a
 * sink that hands each input's rows back to the driver. An input that an earlier run scored, and
 * whose requested files are all there, is left alone (the driver keeps its earlier rows). An image
 * that cannot be read, or that the model cannot take, becomes a skipped row with the reason;
 * nothing here fails the job for one image.
 */
final class ScoreTask implements FlatMapFunction<Iterator<ScoreTask.Part>, ScoreTask.Outcome> {

	/**
	 * Contiguous inputs; {@code first} is the index of the first in the run. Per input: its output
	 * stem as in the whole run ({@link SinkInput#of}), and whether the earlier run's rows for it
	 * were all scored.
	 */
	record Part(int first, List<ImageSource.Input> inputs, List<String> stems, List<Boolean> scoredBefore) implements Serializable {}

	/** One input's outcome: left alone ({@code resumed}: its earlier rows stand), or this run's rows (table rows, {@link ResultTable}). */
	record Outcome(int index, boolean resumed, List<Row> rows) implements Serializable {}

	private final ExecutorModel.Shipment model;
	private final String outDir;
	private final List<String> sinks;
	private final double opacity;
	private final int batchSize;
	private final List<String> inputsInOut;
	private final Map<String, String> hadoopConf;
	private final LongAccumulator done;

	/**
	 * @param sinks names of the file sinks to write ({@code org.anomalyj.sink.SinkCatalog})
	 * @param inputsInOut the run's local inputs inside the output folder: never written over, whichever task has them
	 */
	ScoreTask(ExecutorModel.Shipment model, String outDir, List<String> inputsInOut, List<String> sinks, double opacity, int batchSize,
		Map<String, String> hadoopConf, LongAccumulator done) {
		this.model = model;
		this.outDir = outDir;
		this.inputsInOut = new ArrayList<>(inputsInOut);
		this.sinks = new ArrayList<>(sinks);
		this.opacity = opacity;
		this.batchSize = batchSize;
		this.hadoopConf = hadoopConf;
		this.done = done;
	}

	@Override
	public Iterator<Outcome> call(Iterator<Part> parts) throws IOException {
		TaskContext task = TaskContext.get();
		ExecutorEngine.configure(task == null ? 1 : task.cpus());
		Inspector inspector = ExecutorModel.inspector(model);
		List<Outcome> out = new ArrayList<>();
		while (parts.hasNext()) {
			Path copies = Files.createTempDirectory("anomalyj-inputs-");
			try {
				out.addAll(score(inspector, parts.next(), copies, task));
			} finally {
				SparkScoreVerb.deleteTree(copies);
			}
		}
		return out.iterator();
	}

	private List<Outcome> score(Inspector inspector, Part part, Path copies, TaskContext task) throws IOException {
		Rows rows = new Rows();
		List<SinkInput> inputs = new ArrayList<>();
		for (int k = 0; k < part.inputs().size(); k++) {
			ImageSource.Input in = part.inputs().get(k);
			boolean before = part.scoredBefore().get(k);
			Path file;
			String fetchProblem = null;
			if (ImageSource.isLocal(in.location())) file = ImageSource.local(in, hadoopConf, copies);
			else if (before && sinks.isEmpty()) file = copies.resolve(Integer.toString(k)).resolve(in.name()); // resumed on its rows alone: not fetched
			else {
				Path folder = Files.createDirectories(copies.resolve(Integer.toString(k))); // names may repeat in a list file
				file = folder.resolve(in.name());
				try {
					file = ImageSource.local(in, hadoopConf, folder);
				} catch (IOException e) {
					fetchProblem = e.getMessage();
				}
			}
			SinkInput input = new SinkInput(file, part.stems().get(k));
			inputs.add(input);
			rows.add(input, part.first() + k, in.location(), before, fetchProblem);
		}
		List<Path> protect = new ArrayList<>(inputs.stream().map(SinkInput::file).toList());
		for (String f : inputsInOut) protect.add(Path.of(f));
		SinkContext context = new SinkContext(Path.of(outDir), inspector.model(), opacity, protect);
		Progress progress = new Progress() {
			long reported;

			@Override
			public void update(String stage, long now, long total) {
				done.add(now - reported);
				reported = now;
			}

			@Override
			public boolean isCancelled() {
				return task != null && task.isInterrupted();
			}
		};
		// The row sink first: an input without earlier rows is redone without looking at its files. (No
		// empty composite of file sinks: it would call every input not done.)
		List<ResultSink> each = new ArrayList<>(List.of(rows));
		if (!sinks.isEmpty()) each.add(ResultSinks.open(sinks, context));
		try (ResultSinks all = new ResultSinks(each)) {
			BatchInspection.runInputs(inspector, inputs, all, batchSize, progress);
		}
		return rows.outcomes();
	}

	/**
	 * The rows of a task's inputs, for the driver. It says an input is done when the earlier run
	 * scored all its planes (the file sinks then check their files), and names remote images by
	 * their URI rather than by their local copy.
	 */
	private static final class Rows implements ResultSink {
		private record Of(int index, String location, boolean scoredBefore, String fetchProblem, List<Row> rows) {}

		private final Map<SinkInput, Of> inputs = new IdentityHashMap<>();
		private final List<SinkInput> order = new ArrayList<>();
		private final Set<SinkInput> resumed = Collections.newSetFromMap(new IdentityHashMap<>());

		void add(SinkInput input, int index, String location, boolean scoredBefore, String fetchProblem) {
			inputs.put(input, new Of(index, location, scoredBefore, fetchProblem, new ArrayList<>()));
			order.add(input);
		}

		@Override
		public boolean isDone(SinkInput input) {
			return inputs.get(input).scoredBefore();
		}

		@Override
		public void resumed(SinkInput input) {
			resumed.add(input);
		}

		@Override
		public void accept(PlaneResult result) {
			inputs.get(result.input()).rows().add(ResultTable.row(result.row()));
		}

		@Override
		public void skipped(SinkInput input, int plane, String reason) {
			Of of = inputs.get(input);
			String why = of.fetchProblem() != null ? of.fetchProblem() : String.valueOf(reason).replace(input.file().toString(), of.location());
			of.rows().add(ResultTable.row(ResultRow.skipped(input.name(), plane, why)));
		}

		List<Outcome> outcomes() {
			List<Outcome> out = new ArrayList<>();
			for (SinkInput in : order) {
				Of of = inputs.get(in);
				boolean left = resumed.contains(in);
				out.add(new Outcome(of.index(), left, left ? List.of() : List.copyOf(of.rows())));
			}
			return out;
		}

		@Override
		public void close() {}
	}
}
