package org.anomalyj.spark;

import org.anomalyj.cli.Arguments;
import org.anomalyj.cli.Main;
import org.anomalyj.io.ModelArchive;
import org.anomalyj.model.DeviceChoice;
import org.anomalyj.model.Thresholds;
import org.anomalyj.sink.MapSinkPlugin;
import org.anomalyj.sink.MaskSinkPlugin;
import org.anomalyj.sink.OverlaySinkPlugin;
import org.anomalyj.sink.ResultRow;
import org.anomalyj.sink.ScoresCsv;
import org.anomalyj.sink.SinkInput;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code score --model M.zip --input DIR|LIST_FILE --out OUT [--csv] [--maps] [--masks] [--overlays]}
 * on the executors: {@code OUT/scores.parquet} with the columns of the command line's
 * {@code scores.csv}, that CSV itself with {@code --csv}, and the maps, masks and overlays asked
 * for, under the command line's names. A re-run keeps the rows of images already scored whose
 * files are there and scores the rest.
 */
final class SparkScoreVerb implements Main.Verb {

	static final String PARQUET = "scores.parquet";

	private final SparkJobs jobs;

	SparkScoreVerb(SparkJobs jobs) {
		this.jobs = jobs;
	}

	@Override
	public String summary() {
		return "score images on Spark: --model MODEL.zip --input DIR|LIST_FILE --out OUTDIR [--csv] [--maps] [--masks] [--overlays]";
	}

	@Override
	public void run(String[] args, PrintStream out, PrintStream err) throws IOException {
		if (args.length > 1 && args[1].equals("--help")) {
			out.println("score --model MODEL.zip --input DIR|LIST_FILE|URI --out OUTDIR [--csv] [--maps] [--masks] [--overlays]\n"
				+ "      [--opacity 0.5] [--min-area 0] [--batch 8] [--threshold conformal|f1] [--device auto|cpu|gpu]\n"
				+ "      [--master URL] [--conf key=value ...]\n"
				+ "  Writes OUTDIR/scores.parquet (the columns of the command line's scores.csv), with --csv OUTDIR/scores.csv,\n"
				+ "  and NAME.map.tif, NAME.mask.png, NAME.overlay.png when asked. OUTDIR must be visible to every executor\n"
				+ "  (a shared mount on a cluster). Inputs: a folder, a text file with one path or URI per line, or a Hadoop\n"
				+ "  URI (hdfs://, s3a://, ...). Unreadable images are rows with status skipped; a rerun resumes.");
			return;
		}
		Arguments a = new Arguments("score", args, 1, Set.of("model", "input", "out", "opacity", "min-area", "batch", "device", "threshold"),
			Set.of("csv", "maps", "masks", "overlays"));
		Path modelFile = a.path("model");
		String input = a.required("input");
		Path outDir = a.path("out").toAbsolutePath().normalize();
		List<String> sinks = new ArrayList<>();
		if (a.flag("maps")) sinks.add(MapSinkPlugin.NAME);
		if (a.flag("masks")) sinks.add(MaskSinkPlugin.NAME);
		if (a.flag("overlays")) sinks.add(OverlaySinkPlugin.NAME);
		double opacity = a.real("opacity", 0.5);
		int batchSize = a.integer("batch", 8);
		if (batchSize < 1) throw new Arguments.UsageException("score: --batch must be at least 1");
		String device = a.string("device", "auto");
		DeviceChoice.parse(device);
		String threshold = a.string("threshold", null);
		if (threshold != null) Thresholds.Choice.parse(threshold);
		long minArea = a.longValue("min-area", 0);
		ModelArchive.read(modelFile); // a bad model file is refused here, in one line, not on every executor
		byte[] modelBytes = Files.readAllBytes(modelFile);

		SparkSession spark = jobs.session();
		JavaSparkContext jsc = jobs.context();
		Map<String, String> hadoop = hadoopConf(spark);
		List<ImageSource.Input> inputs = ImageSource.list(input, spark.sparkContext().hadoopConfiguration());
		Files.createDirectories(outDir);
		List<String> stems = SinkInput.of(inputs.stream().map(ImageSource.Input::namePath).toList()).stream().map(SinkInput::stem).toList();

		// Whether an input is done is found out on the executors, by the sinks (its requested files), from the earlier rows.
		Map<String, List<ResultRow>> previous = previous(spark, outDir);
		List<Boolean> scoredBefore = inputs.stream().map(in -> {
			List<ResultRow> mine = previous.get(in.name());
			return mine != null && mine.stream().allMatch(ResultRow::ok);
		}).toList();
		List<ScoreTask.Part> parts = new ArrayList<>();
		long[] sizes = inputs.stream().mapToLong(ImageSource.Input::size).toArray();
		for (int[] r : Partitions.split(sizes, jobs.slots(), batchSize))
			parts.add(new ScoreTask.Part(r[0], new ArrayList<>(inputs.subList(r[0], r[1])), new ArrayList<>(stems.subList(r[0], r[1])),
				new ArrayList<>(scoredBefore.subList(r[0], r[1]))));

		List<String> inputsInOut = inputsIn(outDir, inputs);
		Broadcast<byte[]> bytes = jsc.broadcast(modelBytes);
		ExecutorModel.Shipment shipment = new ExecutorModel.Shipment(sha256(modelBytes) + "|" + device + "|" + threshold + "|" + minArea, bytes, device,
			threshold, minArea);
		LongAccumulator done = jsc.sc().longAccumulator("images");
		List<ScoreTask.Outcome> outcomes;
		try {
			outcomes = jobs.withProgress(Main.progress(err), "score", done, inputs.size(), () -> jsc.parallelize(parts, parts.size())
				.mapPartitions(new ScoreTask(shipment, outDir.toString(), inputsInOut, sinks, opacity, batchSize, hadoop, done)).collect());
		} catch (IOException | RuntimeException e) {
			throw e;
		} catch (Exception e) {
			throw new IllegalStateException(e);
		} finally {
			bytes.destroy();
		}
		List<ScoreTask.Outcome> sorted = new ArrayList<>(outcomes);
		sorted.sort(Comparator.comparingInt(ScoreTask.Outcome::index));
		List<ResultRow> rows = new ArrayList<>();
		long newOk = 0, resumed = 0;
		for (ScoreTask.Outcome o : sorted) {
			if (o.resumed()) {
				rows.addAll(previous.get(inputs.get(o.index()).name()));
				resumed++;
				continue;
			}
			for (Row r : o.rows()) {
				ResultRow row = ResultTable.csvRow(r, 0);
				rows.add(row);
				if (row.ok()) newOk++;
				else err.println("skipped " + row.reason());
			}
		}

		writeParquet(spark, jsc, outDir, rows);
		Path csv = outDir.resolve(ScoresCsv.FILE_NAME);
		if (a.flag("csv")) ScoresCsv.write(csv, rows);
		long ok = rows.stream().filter(ResultRow::ok).count();
		long anomalous = rows.stream().filter(r -> r.ok() && r.anomalous()).count();
		long skipped = rows.size() - ok;
		out.printf("%d scored (%d anomalous), %d skipped, %d already done; results in %s%s%n", newOk, anomalous, skipped,
			resumed, outDir.resolve(PARQUET), a.flag("csv") ? " and " + csv : "");
		if (ok == 0) throw new IOException(input + ": none of the " + skipped + " images could be scored (reasons above and in " + outDir.resolve(PARQUET) + ")");
	}

	/** The local inputs in the output folder (by real path), which no task may write over: usually none. */
	private static List<String> inputsIn(Path outDir, List<ImageSource.Input> inputs) throws IOException {
		Path out = outDir.toRealPath();
		List<String> in = new ArrayList<>();
		for (ImageSource.Input i : inputs) {
			if (!ImageSource.isLocal(i.location())) continue;
			Path p = ImageSource.local(i, Map.of(), out);
			if (Files.exists(p) && out.equals(p.toRealPath().getParent())) in.add(p.toString());
		}
		return in;
	}

	/** The rows of an earlier run, by file name; none when there is none or it cannot be read (then everything is redone). */
	private static Map<String, List<ResultRow>> previous(SparkSession spark, Path outDir) {
		Map<String, List<ResultRow>> out = new HashMap<>();
		Path table = outDir.resolve(PARQUET);
		if (!Files.isDirectory(table)) return out;
		try {
			Dataset<Row> df = spark.read().parquet(table.toUri().toString());
			if (!ResultTable.columns().equals(List.of(df.columns()))) return out;
			for (Row r : df.collectAsList()) {
				ResultRow row = ResultTable.csvRow(r, 0);
				out.computeIfAbsent(row.file(), k -> new ArrayList<>()).add(row);
			}
		} catch (RuntimeException e) {
			return new HashMap<>();
		}
		return out;
	}

	/**
	 * Writes the table beside the old one, then swaps them: a run that dies leaves the previous
	 * table (or none), never half a table.
	 */
	private static void writeParquet(SparkSession spark, JavaSparkContext jsc, Path outDir, List<ResultRow> rows) throws IOException {
		Path target = outDir.resolve(PARQUET);
		Path fresh = outDir.resolve("." + PARQUET + ".new"), old = outDir.resolve("." + PARQUET + ".old");
		deleteTree(fresh);
		deleteTree(old);
		List<Row> table = rows.stream().map(ResultTable::row).toList();
		int slices = Math.max(1, table.size() / 200_000 + 1);
		spark.createDataFrame(jsc.parallelize(table, slices), ResultTable.SCHEMA).write().mode(SaveMode.ErrorIfExists).parquet(fresh.toUri().toString());
		if (Files.exists(target)) Files.move(target, old);
		Files.move(fresh, target);
		deleteTree(old);
	}

	static void deleteTree(Path p) throws IOException {
		if (!Files.exists(p)) return;
		try (Stream<Path> all = Files.walk(p)) {
			for (Path q : all.sorted(Comparator.reverseOrder()).toList()) Files.delete(q);
		}
	}

	/** The Hadoop settings the session was given (spark.hadoop.*), for executors reading from URIs. */
	private static Map<String, String> hadoopConf(SparkSession spark) {
		Map<String, String> out = new HashMap<>();
		for (scala.Tuple2<String, String> kv : spark.sparkContext().getConf().getAll())
			if (kv._1().startsWith("spark.hadoop.")) out.put(kv._1().substring("spark.hadoop.".length()), kv._2());
		return out;
	}

	static String sha256(byte[] bytes) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
		} catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException(e);
		}
	}
}
