package org.anomalyj.spark;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.ZipFile;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The jar as the README runs it, {@code java -jar anomalyj-spark.jar ... --master local[2]}, against
 * the command line's {@code score} and {@code train} on the same images.
 */
class LocalSparkIT {

	@TempDir
	Path dir;

	@Test
	void scoresAsTheCommandLineDoesAndResumes() throws Exception {
		Path in = Runs.inputs(dir);
		Path cliOut = dir.resolve("cli"), sparkOut = dir.resolve("spark");
		Runs.run(dir, Map.of(), 10, Runs.java("-Dai.djl.pytorch.num_threads=1", "-jar", Runs.CLI_JAR.toString(), "score", "--model",
			Runs.MODEL.toString(), "--input", in.toString(), "--out", cliOut.toString())).ok();
		Runs.Result r = Runs.run(dir, Map.of(), 10, Runs.java("-jar", Runs.SPARK_JAR.toString(), "score", "--master", "local[2]", "--model",
			Runs.MODEL.toString(), "--input", in.toString(), "--out", sparkOut.toString(), "--csv", "--maps", "--masks", "--overlays")).ok();
		assertTrue(r.out().startsWith("14 scored"), r.out());
		assertTrue(r.err().contains("skipped ") && r.err().contains("notes.png"), "skipped files are reported: " + r.err());

		Map<String, String[]> cli = Runs.csv(cliOut.resolve("scores.csv")), spark = Runs.csv(sparkOut.resolve("scores.csv"));
		Runs.assertSameScores(cli, spark);
		// The same result files, under the same names.
		assertEquals(resultFiles(cliOut), resultFiles(sparkOut));
		// The Parquet table holds what the CSV shows.
		SparkSession s = SparkSession.builder().master("local[1]").config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
			.config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
		try {
			List<Row> table = s.read().parquet(sparkOut.resolve("scores.parquet").toString()).collectAsList();
			assertEquals(spark.size(), table.size());
			for (Row row : table) {
				String[] csv = spark.get(row.getString(0) + "/" + row.getInt(1));
				assertEquals(csv[2], row.getString(2));
				if (csv[2].equals("ok")) {
					assertEquals(csv[3], String.format(Locale.ROOT, "%.6g", row.getFloat(3)));
					assertEquals(csv[5], String.format(Locale.ROOT, "%.6g", row.getDouble(5)));
					assertEquals(csv[6], row.getString(6));
				} else {
					assertTrue(row.isNullAt(3) && !row.getString(9).isEmpty(), "a skipped row has no score and a reason");
				}
			}
		} finally {
			s.stop();
		}

		// A re-run scores only what is not done: the unreadable files, again.
		Path map = sparkOut.resolve(cli.keySet().iterator().next().replaceAll("\\.[a-z]+/0$", "") + ".map.tif");
		FileTime before = Files.getLastModifiedTime(map);
		Runs.Result again = Runs.run(dir, Map.of(), 10, Runs.java("-jar", Runs.SPARK_JAR.toString(), "score", "--master", "local[2]", "--model",
			Runs.MODEL.toString(), "--input", in.toString(), "--out", sparkOut.toString(), "--csv", "--maps", "--masks", "--overlays")).ok();
		// (the anomalous count covers every row, as the CLI's)
		assertTrue(again.out().matches("(?s)0 scored \\(\\d+ anomalous\\), 3 skipped, 14 already done.*"), again.out());
		assertEquals(before, Files.getLastModifiedTime(map));
		Runs.assertSameScores(cli, Runs.csv(sparkOut.resolve("scores.csv")));
		// Asked for no files, a re-run resumes on the earlier rows alone.
		Runs.Result rowsOnly = Runs.run(dir, Map.of(), 10, Runs.java("-jar", Runs.SPARK_JAR.toString(), "score", "--master", "local[2]", "--model",
			Runs.MODEL.toString(), "--input", in.toString(), "--out", sparkOut.toString(), "--csv")).ok();
		assertTrue(rowsOnly.out().matches("(?s)0 scored \\(\\d+ anomalous\\), 3 skipped, 14 already done.*"), rowsOnly.out());
		Runs.assertSameScores(cli, Runs.csv(sparkOut.resolve("scores.csv")));
	}

	@Test
	void trainsTheCommandLinesModel() throws Exception {
		Path cliModel = dir.resolve("cli.zip"), sparkModel = dir.resolve("spark.zip");
		Runs.run(dir, Map.of(), 15, Runs.java("-jar", Runs.CLI_JAR.toString(), "train", "--data", Runs.SAMPLE.toString(), "--out", cliModel.toString()))
			.ok();
		Runs.Result r = Runs.run(dir, Map.of(), 15, Runs.java("-jar", Runs.SPARK_JAR.toString(), "train", "--master", "local[2]", "--data",
			Runs.SAMPLE.toString(), "--out", sparkModel.toString())).ok();
		assertTrue(r.out().startsWith("model " + sparkModel + ": patchcore, 36 images"), r.out());
		JsonObject a = manifest(cliModel), b = manifest(sparkModel);
		a.remove("training");
		b.remove("training"); // timings
		assertEquals(a, b);
		Map<String, float[]> x = tensors(cliModel), y = tensors(sparkModel);
		assertEquals(x.keySet(), y.keySet());
		for (String k : x.keySet()) {
			assertEquals(x.get(k).length, y.get(k).length, k);
			for (int i = 0; i < x.get(k).length; i++)
				assertEquals(x.get(k)[i], y.get(k)[i], 1e-5 * Math.max(1, Math.abs(x.get(k)[i])), k + "[" + i + "]");
		}
	}

	private static List<String> resultFiles(Path out) throws IOException {
		try (var files = Files.list(out)) {
			return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".tif") || n.endsWith(".png")).sorted().toList();
		}
	}

	private static JsonObject manifest(Path model) throws IOException {
		try (ZipFile z = new ZipFile(model.toFile())) {
			return JsonParser.parseString(new String(z.getInputStream(z.getEntry("manifest.json")).readAllBytes())).getAsJsonObject();
		}
	}

	/** The float32 tensors of a model's safetensors entry, read after its spec (8-byte header length, JSON header, data). */
	private static Map<String, float[]> tensors(Path model) throws IOException {
		byte[] all;
		try (ZipFile z = new ZipFile(model.toFile())) {
			all = z.getInputStream(z.getEntry("tensors.safetensors")).readAllBytes();
		}
		ByteBuffer buf = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
		int n = (int) buf.getLong(0);
		JsonObject header = JsonParser.parseString(new String(all, 8, n)).getAsJsonObject();
		Map<String, float[]> out = new java.util.TreeMap<>();
		for (String k : header.keySet()) {
			if (k.equals("__metadata__")) continue;
			JsonObject t = header.getAsJsonObject(k);
			var off = t.getAsJsonArray("data_offsets");
			int from = 8 + n + off.get(0).getAsInt(), to = 8 + n + off.get(1).getAsInt();
			if (!t.get("dtype").getAsString().equals("F32")) {
				out.put(k, bytesAsFloats(all, from, to));
				continue;
			}
			float[] v = new float[(to - from) / 4];
			for (int i = 0; i < v.length; i++) v[i] = buf.getFloat(from + 4 * i);
			out.put(k, v);
		}
		return out;
	}

	private static float[] bytesAsFloats(byte[] all, int from, int to) {
		List<Float> v = new ArrayList<>();
		for (int i = from; i < to; i++) v.add((float) all[i]);
		float[] out = new float[v.size()];
		for (int i = 0; i < out.length; i++) out[i] = v.get(i);
		return out;
	}
}
