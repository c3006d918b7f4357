package org.anomalyj.inspect;

import org.anomalyj.image.ImageFileReader;
import org.anomalyj.image.LoadedImage;
import org.anomalyj.image.Planes;
import org.anomalyj.sink.PlaneResult;
import org.anomalyj.sink.ResultRow;
import org.anomalyj.sink.ResultSink;
import org.anomalyj.sink.ResultSinks;
import org.anomalyj.sink.SinkCatalog;
import org.anomalyj.sink.SinkContext;
import org.anomalyj.sink.SinkInput;
import org.anomalyj.task.BatchMemory;
import org.anomalyj.task.Progress;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Inspects many image files and hands the results to {@link ResultSink}s: by default
 * {@code scores.csv} and per plane a map TIFF, a mask PNG and an overlay PNG in an output folder.
 * Planes are inspected in batches (bounded in pixels as well as in number); unreadable files and
 * planes the model cannot take are handed on as skipped with their reason, never dropped silently;
 * a batch that runs out of memory is skipped with advice and the run goes on. A run that is killed
 * or cancelled can be resumed: inputs that every sink already holds are not redone.
 */
public final class BatchInspection {

	/**
	 * @param sinks names of the sinks to write to ({@link SinkCatalog})
	 * @param opacity overlay opacity
	 * @param batchSize planes per forward pass (below 1: one)
	 */
	public record Settings(List<String> sinks, double opacity, int batchSize) {
		public static final Settings DEFAULT = new Settings(SinkCatalog.DEFAULTS, 0.5, 8);

		public Settings {
			sinks = List.copyOf(sinks);
		}
	}

	/**
	 * What a run did.
	 *
	 * @param scored planes inspected in this run
	 * @param skipped planes or files skipped in this run
	 * @param resumed inputs left alone because an earlier run had done them
	 * @param rows this run's rows (inspected and skipped), in input order
	 */
	public record Summary(int scored, int skipped, int resumed, List<ResultRow> rows) {

		public long anomalous() {
			return rows.stream().filter(r -> r.ok() && r.anomalous()).count();
		}
	}

	private BatchInspection() {}

	/** Inspects the inputs into the named sinks, opened on {@code outDir}, and closes them. */
	public static Summary run(Inspector inspector, List<Path> inputs, Path outDir, Settings settings, Progress progress) throws IOException {
		Files.createDirectories(outDir);
		SinkContext context = new SinkContext(outDir, inspector.model(), settings.opacity(), inputs);
		try (ResultSinks sinks = ResultSinks.open(settings.sinks(), context)) {
			return run(inspector, inputs, sinks, settings.batchSize(), progress);
		}
	}

	/** Inspects the inputs into a sink that the caller opened and closes (e.g. {@link ResultSinks} of its own sinks). */
	public static Summary run(Inspector inspector, List<Path> inputs, ResultSink sink, int batchSize, Progress progress) throws IOException {
		return runInputs(inspector, SinkInput.of(inputs), sink, batchSize, progress);
	}

	/**
	 * Inspects inputs whose output stems the caller chose (e.g. a share of a larger run, named as
	 * in the whole run: {@link SinkInput#of}) into a sink that the caller opened and closes.
	 */
	public static Summary runInputs(Inspector inspector, List<SinkInput> inputs, ResultSink sink, int batchSize, Progress progress) throws IOException {
		Run run = new Run(inspector, sink, progress, inputs.size());
		List<SinkInput> toRead = new ArrayList<>();
		int resumed = 0;
		for (SinkInput input : inputs) {
			progress.checkCancelled();
			if (isDone(sink, input)) {
				run.read(toRead, batchSize); // the inputs before it first: rows stay in input order
				sink.resumed(input);
				resumed++;
				progress.update("inspect", ++run.done, inputs.size());
				continue;
			}
			toRead.add(input);
			if (toRead.size() >= run.filesAtOnce(batchSize)) run.read(toRead, batchSize);
		}
		run.read(toRead, batchSize);
		run.flush(run.queue);
		return new Summary(run.scored, run.rows.size() - run.scored, resumed, List.copyOf(run.rows));
	}

	/** Whether every sink holds the input; when that cannot be found out (e.g. its header is now unreadable), it is redone. */
	private static boolean isDone(ResultSink sink, SinkInput input) {
		try {
			return sink.isDone(input);
		} catch (IOException e) {
			return false;
		}
	}

	private record Pending(SinkInput input, int plane, int planes, RandomAccessibleInterval<? extends RealType<?>> data) {}

	/**
	 * Most pixels held for one batch ({@link BatchMemory}). Large images go a few at a time (one at
	 * a time above the bound), small ones fill whole batches. (A fixed 16 M made batches of 4–5 of
	 * 1800 × 1800 images, against {@code evaluate}'s 8, and {@code score} of them up to 10 % slower.)
	 */
	static final long MAX_BATCH_PIXELS = BatchMemory.PIXELS;

	/**
	 * Files to decode at once: a batch's worth ({@code batchSize} files, as long as they hold no
	 * more than {@code maxPixels} together, so large images are still read one at a time), decoded
	 * side by side and then inspected together, as {@code evaluate} does; the first file alone
	 * ({@code largestFile} 0, the most pixels one file held so far), to learn their size. (Groups of
	 * one file per core filling batches of 8 were no faster than batches of 5.)
	 */
	static int filesAtOnce(long largestFile, int batchSize, long maxPixels) {
		if (largestFile <= 0) return 1;
		return (int) Math.max(1, Math.min(batchSize, maxPixels / largestFile));
	}

	private static long pixels(LoadedImage img) {
		long n = 0;
		for (RandomAccessibleInterval<? extends RealType<?>> p : img.planes()) n += (long) Planes.width(p) * Planes.height(p);
		return n;
	}

	private static long pixels(List<Pending> queue) {
		long n = 0;
		for (Pending p : queue) n += (long) Planes.width(p.data()) * Planes.height(p.data());
		return n;
	}

	/** One run's state: the sink, and the rows it produced for the summary. */
	private static final class Run {
		final Inspector inspector;
		final ResultSink sink;
		final Progress progress;
		final List<ResultRow> rows = new ArrayList<>();
		final List<Pending> queue = new ArrayList<>();
		final int inputs;
		int scored, done;
		/** Most pixels (all planes) one file read so far held. */
		long largestFile;

		Run(Inspector inspector, ResultSink sink, Progress progress, int inputs) {
			this.inspector = inspector;
			this.sink = sink;
			this.progress = progress;
			this.inputs = inputs;
		}

		int filesAtOnce(int batchSize) {
			return BatchInspection.filesAtOnce(largestFile, batchSize, MAX_BATCH_PIXELS);
		}

		/**
		 * Reads the files side by side (decoding one is one thread's work) and queues their planes,
		 * inspecting each batch that fills; unreadable files are listed as skipped. Empties
		 * {@code files}.
		 */
		void read(List<SinkInput> files, int batchSize) throws IOException {
			if (files.isEmpty()) return;
			List<ImageFileReader.Outcome> read = ImageFileReader.readEach(files.stream().map(SinkInput::file).toList());
			for (int i = 0; i < files.size(); i++) {
				SinkInput input = files.get(i);
				LoadedImage img = read.get(i).image();
				if (img == null) skipped(input, 0, read.get(i).problem().getMessage());
				else {
					largestFile = Math.max(largestFile, pixels(img));
					for (int p = 0; p < img.planes().size(); p++) {
						queue.add(new Pending(input, p, img.planes().size(), img.planes().get(p)));
						// Full when another file as large as the largest so far would not fit: batches
						// then match the groups read.
						if (queue.size() >= batchSize || pixels(queue) + largestFile > MAX_BATCH_PIXELS) flush(queue);
					}
				}
				read.set(i, null); // its planes are queued or inspected: not held twice
				progress.update("inspect", ++done, inputs);
			}
			files.clear();
		}

		void skipped(SinkInput input, int plane, String reason) throws IOException {
			sink.skipped(input, plane, reason);
			rows.add(ResultRow.skipped(input.name(), plane, reason));
			progress.warn("skipped " + reason);
		}

		void flush(List<Pending> queue) throws IOException {
			if (queue.isEmpty()) return;
			List<RandomAccessibleInterval<? extends RealType<?>>> planes = new ArrayList<>();
			List<Pending> accepted = new ArrayList<>();
			for (Pending p : queue) {
				// A plane the model cannot take (e.g. 16-bit for an 8-bit model) is listed, not fatal.
				String problem = inspector.problemWith(p.data());
				if (problem == null) {
					planes.add(p.data());
					accepted.add(p);
				} else skipped(p.input(), p.plane(), p.input().file() + ": " + problem);
			}
			queue.clear();
			if (planes.isEmpty()) return;
			int finished = 0;
			try {
				List<Inspection> results = inspector.inspect(planes);
				planes.clear();
				// Sinks may write the batch before's files behind the run (ResultSinks) while this
				// batch's images are read and inspected; they finish here, before this batch's results
				// queue up behind them. The engine's threads sleep when idle (model.EngineThreadWait),
				// so the writers beside its pass take only cores it leaves: 8.0-9.1 against 9.0-10.2 s
				// for bottle's 83 images when they waited for the pass (docs/BENCHMARKS.md).
				if (scored > 0) sink.checkpoint();
				for (int i = 0; i < results.size(); i++) {
					Pending p = accepted.get(i);
					PlaneResult r = new PlaneResult(p.input(), p.plane(), p.planes(), results.get(i), p.data());
					results.set(i, null); // handed on below: the sinks hold it only until its files are written
					sink.accept(r);
					rows.add(r.row());
					scored++;
					finished++;
				}
			} catch (OutOfMemoryError e) {
				// Only this batch's arrays were growing: once they are dropped the run can go on, and the
				// image is listed with what to do instead of the whole run ending.
				planes.clear();
				for (Pending p : accepted.subList(finished, accepted.size()))
					skipped(p.input(), p.plane(), p.input().file() + ": " + tooLarge(p.data()));
			}
		}
	}

	private static String tooLarge(RandomAccessibleInterval<? extends RealType<?>> plane) {
		return String.format(Locale.ROOT, "not enough memory to inspect this %dx%d image (Java may use at most %d MB); "
			+ "give Java more memory (java -Xmx8g ..., in Fiji Edit > Options > Memory) or downscale the image",
			Planes.width(plane), Planes.height(plane), Runtime.getRuntime().maxMemory() >> 20);
	}
}
