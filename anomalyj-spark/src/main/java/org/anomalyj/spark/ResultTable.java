package org.anomalyj.spark;

import org.anomalyj.sink.ResultRow;
import org.anomalyj.sink.ScoresCsv;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.Arrays;
import java.util.List;

/**
 * The results as a table: the columns of the command line's {@code scores.csv}
 * ({@link ScoresCsv#HEADER}), typed for Parquet. Where the CSV leaves a field empty (the
 * numbers of a skipped image, the reason of a scored one) the Parquet value is null.
 */
final class ResultTable {

	static final StructType SCHEMA = new StructType(new StructField[] {
		DataTypes.createStructField("file", DataTypes.StringType, false),
		DataTypes.createStructField("plane", DataTypes.IntegerType, false),
		DataTypes.createStructField("status", DataTypes.StringType, false),
		DataTypes.createStructField("score", DataTypes.FloatType, true),
		DataTypes.createStructField("normalised_score", DataTypes.FloatType, true),
		DataTypes.createStructField("p_value", DataTypes.DoubleType, true),
		DataTypes.createStructField("verdict", DataTypes.StringType, true),
		DataTypes.createStructField("defects", DataTypes.IntegerType, true),
		DataTypes.createStructField("defect_area_px", DataTypes.LongType, true),
		DataTypes.createStructField("reason", DataTypes.StringType, true)});

	static {
		if (!String.join(",", SCHEMA.fieldNames()).equals(ScoresCsv.HEADER))
			throw new IllegalStateException("the Parquet columns differ from scores.csv's: " + ScoresCsv.HEADER);
	}

	private ResultTable() {}

	static Row row(ResultRow r) {
		return RowFactory.create(values(r));
	}

	private static Object[] values(ResultRow r) {
		boolean ok = r.ok();
		return new Object[] {r.file(), r.plane(), r.status(), ok ? r.score() : null, ok ? r.normalisedScore() : null, ok ? r.pValue() : null,
			ok ? r.verdict() : null, ok ? r.defects() : null, ok ? r.defectArea() : null, ok ? null : r.reason()};
	}

	/** The CSV row of a table row whose columns start at {@code from}. */
	static ResultRow csvRow(Row s, int from) {
		boolean ok = ResultRow.OK.equals(s.getString(from + 2));
		return new ResultRow(s.getString(from), s.getInt(from + 1), s.getString(from + 2), ok ? s.getFloat(from + 3) : Float.NaN,
			ok ? s.getFloat(from + 4) : Float.NaN, ok ? s.getDouble(from + 5) : Double.NaN, ok ? s.getString(from + 6) : "", ok ? s.getInt(from + 7) : 0,
			ok ? s.getLong(from + 8) : 0, ok || s.isNullAt(from + 9) ? "" : s.getString(from + 9));
	}

	static List<String> columns() {
		return Arrays.asList(SCHEMA.fieldNames());
	}
}
