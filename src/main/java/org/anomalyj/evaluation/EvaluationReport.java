package org.anomalyj.evaluation;

import org.anomalyj.io.AtomicFiles;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/** An evaluation as a printed table and as JSON (anomalib's metric names). */
public final class EvaluationReport {

	private EvaluationReport() {}

	public static String table(String category, Evaluation.Result r) {
		StringBuilder b = new StringBuilder();
		b.append(String.format(Locale.ROOT, "%-14s %s%n", "category", category));
		for (Map.Entry<String, Double> e : r.metrics().values().entrySet())
			b.append(String.format(Locale.ROOT, "%-14s %.4f%n", e.getKey(), e.getValue()));
		b.append(String.format(Locale.ROOT, "%-14s %d%n", "images", r.images()));
		// At the model's active threshold: what a user sees, beside the threshold-free metrics.
		b.append(String.format(Locale.ROOT, "%-14s %d of %d%n", "goods_flagged", r.goodsFlagged().flagged(), r.goodsFlagged().of()));
		b.append(String.format(Locale.ROOT, "%-14s %d of %d%n", "defects_flagged", r.defectsFlagged().flagged(), r.defectsFlagged().of()));
		b.append(String.format(Locale.ROOT, "%-14s %.1f%n", "ms_per_image", r.msPerImage()));
		return b.toString();
	}

	public static JsonObject json(String category, Evaluation.Result r) {
		JsonObject o = new JsonObject();
		o.addProperty("category", category);
		for (Map.Entry<String, Double> e : r.metrics().values().entrySet()) {
			double v = e.getValue();
			if (Double.isNaN(v)) o.add(e.getKey(), com.google.gson.JsonNull.INSTANCE);
			else o.addProperty(e.getKey(), v);
		}
		o.addProperty("images", r.images());
		addFlagged(o, r.goodsFlagged(), r.defectsFlagged());
		o.addProperty("ms_per_image", r.msPerImage());
		return o;
	}

	/** The good and defective images flagged, under the keys every evaluation's JSON uses. */
	static void addFlagged(JsonObject o, Evaluation.Result.Flagged goods, Evaluation.Result.Flagged defects) {
		o.addProperty("goods", goods.of());
		o.addProperty("goods_flagged", goods.flagged());
		o.addProperty("defects", defects.of());
		o.addProperty("defects_flagged", defects.flagged());
	}

	public static void writeJson(Path file, String category, Evaluation.Result r) throws IOException {
		String text = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create().toJson(json(category, r));
		AtomicFiles.write(file, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
	}
}
