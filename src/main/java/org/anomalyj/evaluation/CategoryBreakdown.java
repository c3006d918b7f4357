package org.anomalyj.evaluation;

import org.anomalyj.evaluation.Evaluation.Result.Flagged;
import org.anomalyj.model.AnomalyModel;
import org.anomalyj.model.Categories;
import org.anomalyj.model.Thresholds;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How a model of several parts judged a test set, part by part: the good and defective images each
 * part's own thresholds flagged, how often the part the model recognises agreed with the part
 * given (the test set's, when its folder is named like one of the model's parts), and, for
 * comparison, what the one pooled threshold would have flagged.
 *
 * @param rows one per part that judged some of the images, in the model's order
 * @param given the part every image was judged as, or null when each image's part was recognised
 * @param recognisedAs how many images the model recognises as each part
 * @param pooledThreshold the model's pooled image threshold (NaN when uncalibrated)
 * @param pooledGoods good images above it
 * @param pooledDefects defective images above it
 */
public record CategoryBreakdown(List<Row> rows, String given, Map<String, Integer> recognisedAs, float pooledThreshold,
	Flagged pooledGoods, Flagged pooledDefects) {

	/**
	 * One part's verdicts.
	 *
	 * @param imageThreshold the image threshold that judged them
	 * @param calibrationImages the good images it was calibrated on
	 */
	public record Row(String category, float imageThreshold, int calibrationImages, Flagged goods,
		Flagged defects) {}

	/**
	 * The breakdown of an evaluation of {@code model}; null for a model without parts.
	 *
	 * @param given the part the images were judged as, or null
	 */
	public static CategoryBreakdown of(AnomalyModel model, Evaluation.Result r, String given) {
		Categories parts = model.categories();
		if (parts.isEmpty()) return null;
		List<Row> rows = new ArrayList<>();
		for (int c = 0; c < parts.size(); c++) {
			String name = parts.get(c).name();
			List<Evaluation.ImageScore> judged = r.perImage().stream().filter(s -> s.category().equals(name)).toList();
			if (judged.isEmpty()) continue;
			Thresholds t = model.thresholdsFor(c);
			rows.add(new Row(name, t.image(), t.calibrationImages(), Flagged.count(judged, false, Evaluation.ImageScore::anomalous),
				Flagged.count(judged, true, Evaluation.ImageScore::anomalous)));
		}
		Map<String, Integer> recognised = new LinkedHashMap<>();
		for (String name : parts.names()) {
			int n = (int) r.perImage().stream().filter(s -> s.nearestCategory().equals(name)).count();
			if (n > 0) recognised.put(name, n);
		}
		Thresholds pooled = model.thresholds();
		return new CategoryBreakdown(List.copyOf(rows), given, recognised, pooled.image(),
			Flagged.count(r.perImage(), false, s -> pooled.anomalous(s.score())), Flagged.count(r.perImage(), true, s -> pooled.anomalous(s.score())));
	}

	/** Images recognised as the part given; -1 when none was given. */
	public int agreed() {
		return given == null ? -1 : recognisedAs.getOrDefault(given, 0);
	}

	/** Images evaluated. */
	public int images() {
		return recognisedAs.values().stream().mapToInt(Integer::intValue).sum();
	}

	/** Lines for the evaluation's printed table. */
	public String table() {
		StringBuilder b = new StringBuilder();
		StringBuilder as = new StringBuilder();
		for (Map.Entry<String, Integer> e : recognisedAs.entrySet()) as.append(as.length() == 0 ? "" : ", ").append(e.getKey()).append(' ').append(e.getValue());
		if (given != null)
			b.append(String.format(Locale.ROOT, "%-14s %d of %d test images recognised as %s, the folder's category, which judges them (recognised: %s)%n",
				"recognised", agreed(), images(), given, as));
		else b.append(String.format(Locale.ROOT, "%-14s each test image judged as the category recognised in it: %s%n", "recognised", as));
		for (Row row : rows)
			b.append(String.format(Locale.ROOT, "%-14s %s: image threshold %.4g (%d calibration images), goods_flagged %d of %d, defects_flagged %d of %d%n",
				"by_category", row.category(), row.imageThreshold(), row.calibrationImages(), row.goods().flagged(), row.goods().of(), row.defects().flagged(),
				row.defects().of()));
		b.append(String.format(Locale.ROOT, "%-14s one threshold for all categories, %.4g: goods_flagged %d of %d, defects_flagged %d of %d%n", "pooled",
			pooledThreshold, pooledGoods.flagged(), pooledGoods.of(), pooledDefects.flagged(), pooledDefects.of()));
		return b.toString();
	}

	/** The same as JSON, for {@code evaluate --json}. */
	public JsonObject json() {
		JsonObject o = new JsonObject();
		if (given != null) {
			o.addProperty("given", given);
			o.addProperty("recognised", agreed());
		}
		o.addProperty("images", images());
		JsonObject as = new JsonObject();
		recognisedAs.forEach(as::addProperty);
		o.add("recognised_as", as);
		JsonArray list = new JsonArray();
		for (Row row : rows) {
			JsonObject x = new JsonObject();
			x.addProperty("category", row.category());
			x.addProperty("image_threshold", row.imageThreshold());
			x.addProperty("calibration_images", row.calibrationImages());
			EvaluationReport.addFlagged(x, row.goods(), row.defects());
			list.add(x);
		}
		o.add("per_category", list);
		JsonObject pooled = new JsonObject();
		pooled.addProperty("image_threshold", pooledThreshold);
		EvaluationReport.addFlagged(pooled, pooledGoods, pooledDefects);
		o.add("pooled", pooled);
		return o;
	}
}
