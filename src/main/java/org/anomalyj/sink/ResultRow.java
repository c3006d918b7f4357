package org.anomalyj.sink;

import org.anomalyj.inspect.Inspection;

/**
 * One row of the results table ({@code scores.csv}, see {@link ScoresCsv}): a plane's outcome
 * without its arrays.
 *
 * @param file the input's file name
 * @param plane index of the plane in the file, from 0
 * @param status {@code ok}, or {@code skipped} (then {@code reason} says why and the numbers are NaN, 0 or empty)
 * @param verdict as {@link Inspection#verdict()} gives it
 * @param category the part whose thresholds gave the verdict, for a model of several parts; "" otherwise
 * @param defects number of defect regions
 * @param defectArea their total area, in pixels
 */
public record ResultRow(String file, int plane, String status, float score, float normalisedScore, double pValue, String verdict, String category,
	int defects, long defectArea, String reason) {

	public static final String OK = "ok", SKIPPED = "skipped";

	public ResultRow {
		if (!OK.equals(status) && !SKIPPED.equals(status)) throw new IllegalArgumentException("status must be ok or skipped, was " + status);
		category = category == null ? "" : category;
	}

	/** A row without a part (a model of one part), as the table had before models of several parts had thresholds of their own. */
	public ResultRow(String file, int plane, String status, float score, float normalisedScore, double pValue, String verdict, int defects,
		long defectArea, String reason) {
		this(file, plane, status, score, normalisedScore, pValue, verdict, "", defects, defectArea, reason);
	}

	public static ResultRow of(String file, int plane, Inspection r) {
		return new ResultRow(file, plane, OK, r.score(), r.normalisedScore(), r.pValue(), r.verdict(), r.category(), r.defects().regions().size(),
			r.defects().totalArea(), "");
	}

	public static ResultRow skipped(String file, int plane, String reason) {
		return new ResultRow(file, plane, SKIPPED, Float.NaN, Float.NaN, Double.NaN, "", 0, 0, reason);
	}

	public boolean ok() {
		return OK.equals(status);
	}

	public boolean anomalous() {
		return "anomalous".equals(verdict);
	}
}
