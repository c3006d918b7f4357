package org.anomalyj.inspect;

import org.anomalyj.image.ImageFileReader;
import org.anomalyj.image.LoadedImage;
import org.anomalyj.image.Planes;
import org.anomalyj.io.AtomicFiles;
import org.anomalyj.task.Progress;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Inspects many image files into an output folder: per plane a map TIFF, a mask PNG and an
 * overlay PNG (each optional), and one {@code scores.csv}. Unreadable files are listed in the CSV
 * with their reason, never skipped silently. The CSV is rewritten atomically after batches (see
 * {@link Checkpoints}), so a run that is killed can be resumed: images already listed as done,
 * whose files exist, are not redone. Inputs are never written to.
 */
public final class BatchInspection {

	public static final String CSV = "scores.csv";
	/** The header of {@code scores.csv}: its columns, in order. */
	public static final String HEADER = "file,plane,status,score,normalised_score,p_value,verdict,defects,defect_area_px,reason";
	private static final int COLUMNS = 10;

	/**
	 * @param maps write 32-bit anomaly maps
	 * @param masks write defect masks
	 * @param overlays write heat-map overlays
	 * @param opacity overlay opacity
	 * @param batchSize planes per forward pass
	 */
	public record Settings(boolean maps, boolean masks, boolean overlays, double opacity, int batchSize) {
		public static final Settings DEFAULT = new Settings(true, true, true, 0.5, 8);
	}

	/**
	 * One CSV row. {@code status} is {@code ok} or {@code skipped} (then {@code reason} says why);
	 * {@code verdict} is as {@link Inspection#verdict()} gives it.
	 */
	public record Row(String file, int plane, String status, float score, float normalisedScore, double pValue, String verdict, int defects,
		long defectArea, String reason) {

		public boolean anomalous() {
			return "anomalous".equals(verdict);
		}

		/** The row as a line of {@code scores.csv} (without the line end): numbers as {@code %.6g}, text quoted where needed. */
		public String csv() {
			if (!"ok".equals(status)) return String.join(",", quote(file), Integer.toString(plane), status, "", "", "", "", "", "", quote(reason));
			return String.join(",", quote(file), Integer.toString(plane), status, fmt(score), fmt(normalisedScore), fmt(pValue), verdict,
				Integer.toString(defects), Long.toString(defectArea), "");
		}
	}

	/** What a run did. */
	public record Summary(int scored, int skipped, int resumed, Path csv, List<Row> rows) {}

	private BatchInspection() {}

	public static Summary run(Inspector inspector, List<Path> inputs, Path outDir, Settings settings, Progress progress) throws IOException {
		Files.createDirectories(outDir);
		Path csv = outDir.resolve(CSV);
		Map<String, String> stems = stems(inputs);
		Map<String, Row> rows = new LinkedHashMap<>();
		Map<String, List<Row>> previous = byFile(readPrevious(csv));
		Checkpoints checkpoints = new Checkpoints(csv);
		int resumed = 0;

		List<Pending> queue = new ArrayList<>();
		int done = 0;
		for (Path in : inputs) {
			progress.checkCancelled();
			String name = in.getFileName().toString();
			String stem = stems.get(in.toString());
			if (isFinished(previous.get(name), stem, outDir, settings)) {
				for (Row r : previous.get(name)) rows.put(key(name, r.plane()), r);
				resumed++;
				progress.update("inspect", ++done, inputs.size());
				continue;
			}
			LoadedImage img;
			try {
				img = ImageFileReader.read(in);
			} catch (IOException e) {
				rows.put(key(name, 0), skipped(name, 0, e.getMessage()));
				progress.warn("skipped " + e.getMessage());
				progress.update("inspect", ++done, inputs.size());
				continue;
			}
			for (int p = 0; p < img.planes().size(); p++) {
				for (Path out : outputs(outDir, stem, p, img.planes().size(), settings)) AtomicFiles.requireNotSame(out, in);
				queue.add(new Pending(in, name, stem, p, img.planes().size(), img.planes().get(p)));
				if (queue.size() >= settings.batchSize() || pixels(queue) >= MAX_BATCH_PIXELS) {
					flush(inspector, queue, outDir, settings, rows, progress);
					checkpoints.afterBatch(rows);
				}
			}
			progress.update("inspect", ++done, inputs.size());
		}
		flush(inspector, queue, outDir, settings, rows, progress);
		checkpoints.write(rows);
		int skipped = (int) rows.values().stream().filter(r -> !"ok".equals(r.status())).count();
		return new Summary(rows.size() - skipped, skipped, resumed, csv, List.copyOf(rows.values()));
	}

	private record Pending(Path file, String name, String stem, int plane, int planes, RandomAccessibleInterval<? extends RealType<?>> data) {}

	/**
	 * Most pixels held for one batch. Every pixel of an image costs some 30 bytes until its files
	 * are written (image, map and mask at its own size, overlay), so large images go one at a time
	 * whatever the batch size; small ones still fill whole batches.
	 */
	public static final long MAX_BATCH_PIXELS = 16_000_000L;

	private static long pixels(List<Pending> queue) {
		long n = 0;
		for (Pending p : queue) n += (long) Planes.width(p.data()) * Planes.height(p.data());
		return n;
	}

	private static void flush(Inspector inspector, List<Pending> queue, Path outDir, Settings settings, Map<String, Row> rows, Progress progress)
		throws IOException {
		if (queue.isEmpty()) return;
		List<RandomAccessibleInterval<? extends RealType<?>>> planes = new ArrayList<>();
		List<Pending> accepted = new ArrayList<>();
		for (Pending p : queue) {
			// A plane the model cannot take (e.g. 16-bit for an 8-bit model) is listed, not fatal.
			String problem = inspector.problemWith(p.data());
			if (problem == null) {
				planes.add(p.data());
				accepted.add(p);
			} else {
				rows.put(key(p.name(), p.plane()), skipped(p.name(), p.plane(), p.file() + ": " + problem));
				progress.warn("skipped " + p.file() + ": " + problem);
			}
		}
		queue.clear();
		if (planes.isEmpty()) return;
		int finished = 0;
		try {
			List<Inspection> results = inspector.inspect(planes);
			planes.clear();
			for (int i = 0; i < results.size(); i++) {
				Pending p = accepted.get(i);
				Inspection r = results.get(i);
				results.set(i, null); // written below; let its map and mask go before the next one's overlay
				List<Path> outs = outputs(outDir, p.stem(), p.plane(), p.planes(), settings);
				int k = 0;
				if (settings.maps()) InspectionFiles.writeMap(r, outs.get(k++));
				if (settings.masks()) InspectionFiles.writeMask(r, outs.get(k++));
				if (settings.overlays())
					InspectionFiles.writeOverlay(r, p.data(), inspector.model().spec().intensity(), inspector.model().thresholds().pixel(),
						settings.opacity(), outs.get(k));
				rows.put(key(p.name(), p.plane()), new Row(p.name(), p.plane(), "ok", r.score(), r.normalisedScore(), r.pValue(), r.verdict(),
					r.defects().regions().size(), r.defects().totalArea(), ""));
				finished++;
			}
		} catch (OutOfMemoryError e) {
			// Only this batch's arrays were growing: once they are dropped the run can go on, and the
			// image is listed with what to do instead of the whole run ending.
			planes.clear();
			for (Pending p : accepted.subList(finished, accepted.size())) {
				String reason = p.file() + ": " + tooLarge(p.data());
				rows.put(key(p.name(), p.plane()), skipped(p.name(), p.plane(), reason));
				progress.warn("skipped " + reason);
			}
		}
	}

	private static String tooLarge(RandomAccessibleInterval<? extends RealType<?>> plane) {
		return String.format(Locale.ROOT, "not enough memory to inspect this %dx%d image (Java may use at most %d MB); "
			+ "give Java more memory (java -Xmx8g ..., in Fiji Edit > Options > Memory) or downscale the image",
			Planes.width(plane), Planes.height(plane), Runtime.getRuntime().maxMemory() >> 20);
	}

	private static Row skipped(String name, int plane, String reason) {
		return new Row(name, plane, "skipped", Float.NaN, Float.NaN, Double.NaN, "", 0, 0, reason);
	}

	/** The files one plane's results go to, in the order maps, masks, overlays (those asked for). */
	public static List<Path> outputs(Path outDir, String stem, int plane, int planes, Settings s) {
		String base = planes > 1 ? stem + String.format(Locale.ROOT, "_p%03d", plane + 1) : stem;
		List<Path> out = new ArrayList<>();
		if (s.maps()) out.add(outDir.resolve(base + InspectionFiles.MAP_SUFFIX));
		if (s.masks()) out.add(outDir.resolve(base + InspectionFiles.MASK_SUFFIX));
		if (s.overlays()) out.add(outDir.resolve(base + InspectionFiles.OVERLAY_SUFFIX));
		return out;
	}

	/** Output stems: the file name without extension, or the whole name where two inputs would share a stem. */
	public static Map<String, String> stems(List<Path> inputs) {
		Map<String, Integer> count = new HashMap<>();
		for (Path p : inputs) count.merge(stemOf(p), 1, Integer::sum);
		Map<String, String> out = new HashMap<>();
		for (Path p : inputs) out.put(p.toString(), count.get(stemOf(p)) > 1 ? p.getFileName().toString() : stemOf(p));
		return out;
	}

	private static String stemOf(Path p) {
		String n = p.getFileName().toString();
		int dot = n.lastIndexOf('.');
		return dot > 0 ? n.substring(0, dot) : n;
	}

	/** Rows by file name, so that checking tens of thousands of inputs against them stays linear. */
	private static Map<String, List<Row>> byFile(Map<String, Row> rows) {
		Map<String, List<Row>> out = new HashMap<>();
		for (Row r : rows.values()) out.computeIfAbsent(r.file(), k -> new ArrayList<>()).add(r);
		return out;
	}

	private static boolean isFinished(List<Row> mine, String stem, Path outDir, Settings s) {
		if (mine == null || mine.stream().anyMatch(r -> !"ok".equals(r.status()))) return false;
		for (Row r : mine)
			for (Path out : outputs(outDir, stem, r.plane(), mine.size(), s))
				if (!Files.isRegularFile(out)) return false;
		return true;
	}

	private static String key(String file, int plane) {
		return file + "\u0000" + plane;
	}

	private static Map<String, Row> readPrevious(Path csv) {
		Map<String, Row> rows = new LinkedHashMap<>();
		if (!Files.isRegularFile(csv)) return rows;
		try (BufferedReader r = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
			if (!HEADER.equals(r.readLine())) return rows; // not ours: start afresh (it is replaced atomically at the end)
			for (String line; (line = r.readLine()) != null;) {
				List<String> f = CsvLine.split(line);
				if (f.size() != COLUMNS || !"ok".equals(f.get(2))) continue;
				rows.put(key(f.get(0), Integer.parseInt(f.get(1))), new Row(f.get(0), Integer.parseInt(f.get(1)), "ok", Float.parseFloat(f.get(3)),
					Float.parseFloat(f.get(4)), Double.parseDouble(f.get(5)), f.get(6), Integer.parseInt(f.get(7)), Long.parseLong(f.get(8)), ""));
			}
		} catch (IOException | RuntimeException e) {
			return new LinkedHashMap<>(); // unreadable previous results are redone, not trusted
		}
		return rows;
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
		private long lastEnd, lastCost;

		Checkpoints(Path csv) {
			this.csv = csv;
		}

		void afterBatch(Map<String, Row> rows) throws IOException {
			if (System.nanoTime() - lastEnd >= 20 * lastCost) write(rows);
		}

		void write(Map<String, Row> rows) throws IOException {
			long start = System.nanoTime();
			writeCsv(csv, rows.values());
			lastEnd = System.nanoTime();
			lastCost = lastEnd - start;
		}
	}

	/** Writes {@code scores.csv} atomically: the header, then the rows in their order. */
	public static void writeCsv(Path csv, Collection<Row> rows) throws IOException {
		AtomicFiles.write(csv, out -> {
			PrintWriter w = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
			w.print(HEADER + "\n");
			for (Row r : rows) w.print(r.csv() + "\n");
			w.flush();
		});
	}

	static String fmt(double v) {
		return String.format(Locale.ROOT, "%.6g", v);
	}

	static String quote(String s) {
		if (s == null) return "";
		if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0) return s;
		return '"' + s.replace("\"", "\"\"").replace("\n", " ") + '"';
	}

	/** Splits one CSV line written by {@link #writeCsv} (RFC 4180 quoting). */
	static final class CsvLine {
		private CsvLine() {}

		static List<String> split(String line) {
			List<String> out = new ArrayList<>();
			StringBuilder cur = new StringBuilder();
			boolean quoted = false;
			for (int i = 0; i < line.length(); i++) {
				char c = line.charAt(i);
				if (quoted) {
					if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
						cur.append('"');
						i++;
					} else if (c == '"') quoted = false;
					else cur.append(c);
				} else if (c == '"') quoted = true;
				else if (c == ',') {
					out.add(cur.toString());
					cur.setLength(0);
				} else cur.append(c);
			}
			out.add(cur.toString());
			return out;
		}
	}
}
