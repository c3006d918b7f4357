package org.anomalyj.sink;

import org.scijava.plugin.Plugin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code csv}: one {@code scores.csv} for the run ({@link ScoresCsv}), a row per plane or skipped
 * file, in input order. It is the run's record for resuming: rewritten atomically after batches
 * (see {@link Checkpoints}) and at the end, and read by the next run into the same folder, which
 * counts an input as done when every one of its planes has an {@code ok} row. Rows of a previous
 * file that cannot be read are redone, not trusted; the file is replaced at the end.
 */
@Plugin(type = ResultSinkPlugin.class, name = CsvSinkPlugin.NAME)
public final class CsvSinkPlugin implements ResultSinkPlugin {

	public static final String NAME = "csv";

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public String description() {
		return ScoresCsv.FILE_NAME + ": a row per image plane (score, normalised score, p-value, verdict, its category for a model of several, defects)"
			+ " or skipped file (reason)";
	}

	@Override
	public ResultSink open(SinkContext context) {
		return new CsvSink(context.folder().resolve(ScoresCsv.FILE_NAME), context.categories());
	}

	private static final class CsvSink implements ResultSink {
		private final Map<String, List<ResultRow>> previous;
		private final Map<String, ResultRow> rows = new LinkedHashMap<>();
		private final Checkpoints checkpoints;

		CsvSink(Path csv, boolean categories) {
			this.previous = okRowsByFile(csv);
			this.checkpoints = new Checkpoints(csv, categories);
		}

		@Override
		public boolean isDone(SinkInput input) throws IOException {
			List<ResultRow> mine = previous.get(input.name());
			if (mine == null) return false;
			int planes = input.planes();
			if (mine.size() != planes) return false;
			for (ResultRow r : mine) if (r.plane() < 0 || r.plane() >= planes) return false;
			return true;
		}

		@Override
		public void resumed(SinkInput input) {
			for (ResultRow r : previous.get(input.name())) put(r);
		}

		@Override
		public void accept(PlaneResult result) {
			put(result.row());
		}

		@Override
		public void skipped(SinkInput input, int plane, String reason) {
			put(ResultRow.skipped(input.name(), plane, reason));
		}

		private void put(ResultRow r) {
			rows.put(r.file() + "\u0000" + r.plane(), r);
		}

		@Override
		public void checkpoint() throws IOException {
			checkpoints.afterBatch(rows.values());
		}

		@Override
		public void close() throws IOException {
			checkpoints.write(rows.values());
		}

		/** A previous run's ok rows by file name (one row per plane), so that checking tens of thousands of inputs stays linear. */
		private static Map<String, List<ResultRow>> okRowsByFile(Path csv) {
			Map<String, List<ResultRow>> out = new HashMap<>();
			if (!Files.isRegularFile(csv)) return out;
			Map<String, ResultRow> unique = new LinkedHashMap<>();
			try {
				for (ResultRow r : ScoresCsv.read(csv)) if (r.ok()) unique.put(r.file() + "\u0000" + r.plane(), r);
			} catch (IOException | RuntimeException e) {
				return out; // not ours, or damaged: everything is redone and the file replaced
			}
			for (ResultRow r : unique.values()) out.computeIfAbsent(r.file(), k -> new ArrayList<>()).add(r);
			return out;
		}
	}

	/**
	 * When to rewrite the CSV during a run: after a batch, unless the last rewrite was so recent
	 * that rewriting would take more than a twentieth of the time. Rewriting after every batch
	 * would make a run over tens of thousands of images quadratic (every rewrite holds all rows);
	 * this way a killed run loses at most a few seconds of work, and small runs still record
	 * every batch.
	 */
	private static final class Checkpoints {
		private final Path csv;
		private final boolean categories;
		private long lastEnd, lastCost;

		Checkpoints(Path csv, boolean categories) {
			this.csv = csv;
			this.categories = categories;
		}

		void afterBatch(Collection<ResultRow> rows) throws IOException {
			if (System.nanoTime() - lastEnd >= 20 * lastCost) write(rows);
		}

		void write(Collection<ResultRow> rows) throws IOException {
			long start = System.nanoTime();
			ScoresCsv.write(csv, rows, categories);
			lastEnd = System.nanoTime();
			lastCost = lastEnd - start;
		}
	}
}
