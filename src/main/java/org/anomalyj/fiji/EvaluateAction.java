package org.anomalyj.fiji;

import org.anomalyj.data.CategoryFolder;
import org.anomalyj.evaluation.Evaluation;
import org.anomalyj.evaluation.EvaluationReport;
import org.anomalyj.inspect.Inspector;
import org.anomalyj.model.AnomalyModel;
import org.anomalyj.model.DeviceChoice;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import ij.gui.Plot;
import ij.measure.ResultsTable;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Evaluate Anomaly Model: the CLI's {@code evaluate} on an MVTec-layout folder, as a table of the
 * same values (one row per metric) and ROC / PRO plots.
 */
public final class EvaluateAction {

	/** Title of the metrics table. */
	public static final String TABLE = "Anomaly Evaluation";

	/**
	 * @param data an MVTec AD category folder with test/ and ground_truth/
	 * @param model the model file
	 * @param device where the model computes
	 */
	public record Parameters(Path data, Path model, DeviceChoice device) {
		public Parameters {
			if (data == null) throw new IllegalArgumentException("no data folder given");
			if (model == null) throw new IllegalArgumentException("no model file given");
		}
	}

	/** @param table one row per metric: columns {@code metric} and {@code value} */
	public record Outcome(Evaluation.Result result, ResultsTable table, List<Plot> plots) {}

	private EvaluateAction() {}

	public static Outcome run(Parameters p, Feedback feedback, ModelCache cache) throws IOException {
		try {
			CategoryFolder category = CategoryFolder.open(p.data());
			Evaluation.Result result;
			try (ModelCache.Lease lease = cache.acquire(p.model(), p.device())) {
				AnomalyModel model = lease.model();
				synchronized (model) {
					result = Evaluation.run(new Inspector(model), category, DetectAction.BATCH, feedback);
				}
			}
			ResultsTable table = table(EvaluationReport.json(category.name(), result));
			Windows.show(table, TABLE);
			feedback.log("Evaluation of " + p.model().getFileName() + " on " + category.root() + ":");
			for (String line : EvaluationReport.table(category.name(), result).split("\n")) feedback.log("  " + line);
			return new Outcome(result, table, CurvePlots.of(category.name(), result.metrics()));
		} finally {
			feedback.finished();
		}
	}

	/** The report's values (those the CLI prints and writes as JSON) as rows. */
	private static ResultsTable table(JsonObject report) {
		ResultsTable t = new ResultsTable();
		for (Map.Entry<String, JsonElement> e : report.entrySet()) {
			t.incrementCounter();
			t.addValue("metric", e.getKey());
			JsonElement v = e.getValue();
			if (v.isJsonPrimitive() && v.getAsJsonPrimitive().isNumber()) t.addValue("value", v.getAsDouble());
			else if (v.isJsonNull()) t.addValue("value", Double.NaN);
			else t.addValue("value", v.getAsString());
		}
		t.setDecimalPlaces(t.getColumnIndex("value"), 4);
		return t;
	}
}
