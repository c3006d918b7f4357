package org.anomalyj.sink;

import org.anomalyj.io.AtomicFiles;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * The results table's CSV form, {@code scores.csv}: the header {@link #HEADER}, one row per plane,
 * numbers with six significant digits, RFC 4180 quoting. A model of several parts adds a
 * {@code category} column after the verdict ({@link #CATEGORY_HEADER}), naming the part whose
 * thresholds gave it; the table of a model of one part is as it always was, so scripts reading it
 * keep working. Written and read here only, so that every writer and reader (the {@code csv} sink,
 * resuming, other front ends) agrees on it.
 */
public final class ScoresCsv {

	public static final String FILE_NAME = "scores.csv";
	public static final String HEADER = "file,plane,status,score,normalised_score,p_value,verdict,defects,defect_area_px,reason";
	public static final String CATEGORY_HEADER = "file,plane,status,score,normalised_score,p_value,verdict,category,defects,defect_area_px,reason";
	private static final int COLUMNS = 10;

	private ScoresCsv() {}

	/** One row as a CSV line of {@link #HEADER}'s columns, without its line end. */
	public static String format(ResultRow r) {
		return format(r, false);
	}

	/**
	 * One row as a CSV line, without its line end.
	 *
	 * @param categories with the {@code category} column ({@link #CATEGORY_HEADER})
	 */
	public static String format(ResultRow r, boolean categories) {
		List<String> f = new ArrayList<>(COLUMNS + 1);
		if (!r.ok()) f.addAll(List.of(quote(r.file()), Integer.toString(r.plane()), r.status(), "", "", "", "", "", "", quote(r.reason())));
		else f.addAll(List.of(quote(r.file()), Integer.toString(r.plane()), r.status(), number(r.score()), number(r.normalisedScore()),
			number(r.pValue()), r.verdict(), Integer.toString(r.defects()), Long.toString(r.defectArea()), ""));
		if (categories) f.add(7, quote(r.category()));
		return String.join(",", f);
	}

	/**
	 * Reads one line written by {@link #format}: of {@link #HEADER}'s columns, or with
	 * {@code categories} of {@link #CATEGORY_HEADER}'s.
	 *
	 * @throws IllegalArgumentException when it is not such a line
	 */
	public static ResultRow parse(String line, boolean categories) {
		List<String> f = new ArrayList<>(split(line));
		int columns = COLUMNS + (categories ? 1 : 0);
		if (f.size() != columns) throw new IllegalArgumentException(columns + " columns expected, found " + f.size());
		String category = categories ? f.remove(7) : "";
		int plane = Integer.parseInt(f.get(1));
		if (ResultRow.SKIPPED.equals(f.get(2))) return ResultRow.skipped(f.get(0), plane, f.get(9));
		return new ResultRow(f.get(0), plane, f.get(2), Float.parseFloat(f.get(3)), Float.parseFloat(f.get(4)), Double.parseDouble(f.get(5)), f.get(6),
			category, Integer.parseInt(f.get(7)), Long.parseLong(f.get(8)), f.get(9));
	}

	/** Reads one line of {@link #HEADER}'s columns. */
	public static ResultRow parse(String line) {
		return parse(line, false);
	}

	/**
	 * The rows of a results file, with or without the {@code category} column.
	 *
	 * @throws IOException when it cannot be read, or is not a results file (naming it and the line)
	 */
	public static List<ResultRow> read(Path csv) throws IOException {
		List<ResultRow> rows = new ArrayList<>();
		try (BufferedReader r = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
			String header = r.readLine();
			if (!HEADER.equals(header) && !CATEGORY_HEADER.equals(header))
				throw new IOException(csv + ": not a results file (its first line is not " + HEADER + ")");
			boolean categories = CATEGORY_HEADER.equals(header);
			int n = 1;
			for (String line; (line = r.readLine()) != null;) {
				n++;
				try {
					rows.add(parse(line, categories));
				} catch (IllegalArgumentException e) {
					throw new IOException(csv + ": line " + n + " is not a result row (" + e.getMessage() + ")");
				}
			}
		}
		return rows;
	}

	/** Writes the rows with {@link #HEADER}'s columns, atomically: the file is whole, old or new, whenever it is looked at. */
	public static void write(Path csv, Collection<ResultRow> rows) throws IOException {
		write(csv, rows, false);
	}

	/**
	 * Writes the rows atomically.
	 *
	 * @param categories with the {@code category} column (a model of several parts)
	 */
	public static void write(Path csv, Collection<ResultRow> rows, boolean categories) throws IOException {
		AtomicFiles.write(csv, out -> {
			PrintWriter w = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
			w.print((categories ? CATEGORY_HEADER : HEADER) + "\n");
			for (ResultRow r : rows) w.print(format(r, categories) + "\n");
			w.flush();
		});
	}

	/** A number as the CSV files write it (six significant digits). */
	public static String number(double v) {
		return String.format(Locale.ROOT, "%.6g", v);
	}

	/** A text field, quoted when it must be. */
	public static String quote(String s) {
		if (s == null) return "";
		if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0) return s;
		return '"' + s.replace("\"", "\"\"").replace("\n", " ") + '"';
	}

	/** Splits one line written by {@link #format} into its fields. */
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
