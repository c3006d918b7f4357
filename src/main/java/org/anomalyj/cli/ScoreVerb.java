package org.anomalyj.cli;

import org.anomalyj.data.ImageFolder;
import org.anomalyj.inspect.BatchInspection;
import org.anomalyj.inspect.Inspector;
import org.anomalyj.model.AnomalyModel;
import org.anomalyj.model.DeviceChoice;
import org.anomalyj.model.DriftCheck;
import org.anomalyj.model.Thresholds;
import org.anomalyj.sink.CsvSinkPlugin;
import org.anomalyj.sink.MapSinkPlugin;
import org.anomalyj.sink.MaskSinkPlugin;
import org.anomalyj.sink.OverlaySinkPlugin;
import org.anomalyj.sink.ResultRow;
import org.anomalyj.sink.ResultSinkPlugin;
import org.anomalyj.sink.ScoresCsv;
import org.anomalyj.sink.SinkCatalog;


import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** {@code score --model MODEL.zip --input IMAGE|DIR --out OUTDIR}. */
final class ScoreVerb implements Main.Verb {

	@Override
	public String summary() {
		return "score images: --model MODEL.zip --input IMAGE|DIR --out OUTDIR (maps, masks, overlays, scores.csv)";
	}

	@Override
	public void run(String[] args, PrintStream out, PrintStream err) throws IOException {
		if (args.length > 1 && args[1].equals("--help")) {
			out.println("score --model MODEL.zip --input IMAGE|DIR --out OUTDIR [--opacity 0.5] [--min-area 0] [--batch 8]\n"
				+ "      [--threshold conformal|f1] [--sinks " + String.join(",", SinkCatalog.DEFAULTS) + "] [--no-maps] [--no-masks] [--no-overlays]\n"
				+ "      [--category NAME] [--device auto|cpu|gpu]\n"
				+ "  Writes NAME.map.tif (32-bit map), NAME.mask.png, NAME.overlay.png and scores.csv (score, normalised score\n"
				+ "  with 0.5 at the threshold, conformal p-value, verdict, defects); a rerun resumes.\n"
				+ "  --threshold: which stored thresholds decide (default: the one chosen at training).\n"
				+ "  --category: for a model of several categories, every input shows this one and its thresholds decide; without\n"
				+ "    it, each image is judged by the category the model recognises in it (scores.csv's category column).\n"
				+ "  --goods: the inputs are known to be good (e.g. a sample of today's production): after scoring, a line says\n"
				+ "    whether they score above the model's calibration images beyond chance (drift; one-sided rank-sum test at\n"
				+ "    0.01, with their p-values' median). Without it nothing is tested, as the inputs may hold defects.\n"
				+ "  --sinks: where results go, comma-separated (--no-maps etc. take one away). Available:");
			for (ResultSinkPlugin p : SinkCatalog.sinks().values()) out.printf("    %-9s %s%n", p.name(), p.description());
			return;
		}
		Arguments a = new Arguments("score", args, 1, Set.of("model", "input", "out", "opacity", "min-area", "batch", "device", "threshold", "sinks", "category"),
			Set.of("no-maps", "no-masks", "no-overlays", "goods"));
		BatchInspection.Settings s = new BatchInspection.Settings(sinks(a), a.real("opacity", 0.5), a.integer("batch", 8));
		Path modelFile = a.path("model");
		Path input = a.path("input");
		Path outDir = a.path("out");
		List<Path> inputs;
		if (Files.isDirectory(input)) inputs = ImageFolder.open(input).images();
		else if (Files.isRegularFile(input)) inputs = List.of(input);
		else throw new IOException(input + (Files.exists(input) ? ": not a regular file or folder" : ": no such file or folder"));
		if (inputs.isEmpty()) throw new IOException(input + ": no images in this folder");
		try (AnomalyModel model = AnomalyModel.load(modelFile, DeviceChoice.parse(a.string("device", "auto")))) {
			String choice = a.string("threshold", null);
			if (choice != null) model.useThresholds(Thresholds.Choice.parse(choice));
			if (!model.thresholds().isCalibrated()) err.println("note: the model has no thresholds; verdicts are 'uncalibrated' and masks empty");
			Inspector inspector;
			try {
				inspector = new Inspector(model, a.longValue("min-area", 0), a.string("category", null));
			} catch (IllegalArgumentException e) {
				throw new Arguments.UsageException("score: " + modelFile + ": " + e.getMessage());
			}
			BatchInspection.Summary sum = BatchInspection.run(inspector, inputs, outDir, s, Main.progress(err));
			Path results = s.sinks().contains(CsvSinkPlugin.NAME) ? outDir.resolve(ScoresCsv.FILE_NAME) : outDir;
			out.printf("%d scored (%d anomalous), %d skipped, %d already done; results in %s%n", sum.scored(), sum.anomalous(), sum.skipped(),
				sum.resumed(), results);
			// Each skipped file was reported as it happened (and is in the CSV); a run that produced
			// nothing at all is a failure for scripts to notice.
			if (sum.scored() + sum.resumed() == 0)
				throw new IOException(input + ": none of the " + sum.skipped() + " images could be scored (reasons above and in " + results + ")");
			if (a.flag("goods")) {
				// The images scored in this run; those a resumed run skipped are not in it.
				if (model.thresholds().imageScores() == null) err.println("note: the model has no calibration images; --goods cannot check for drift");
				else out.println(DriftCheck.of(model.thresholds(), okScores(sum.rows())).describe());
			}
		}
	}

	private static float[] okScores(List<ResultRow> rows) {
		List<ResultRow> ok = rows.stream().filter(r -> ResultRow.OK.equals(r.status())).toList();
		float[] scores = new float[ok.size()];
		for (int i = 0; i < scores.length; i++) scores[i] = ok.get(i).score();
		return scores;
	}

	/** {@code --sinks} (default: all built-in ones), less those a {@code --no-...} flag takes away; names checked. */
	private static List<String> sinks(Arguments a) {
		Set<String> names = new LinkedHashSet<>();
		for (String n : a.string("sinks", String.join(",", SinkCatalog.DEFAULTS)).split(",")) if (!n.isBlank()) names.add(n.trim());
		if (a.flag("no-maps")) names.remove(MapSinkPlugin.NAME);
		if (a.flag("no-masks")) names.remove(MaskSinkPlugin.NAME);
		if (a.flag("no-overlays")) names.remove(OverlaySinkPlugin.NAME);
		for (String n : names) {
			try {
				SinkCatalog.get(n);
			} catch (IllegalArgumentException e) {
				throw new Arguments.UsageException("score: " + e.getMessage());
			}
		}
		if (names.isEmpty()) throw new Arguments.UsageException("score: no sink left to write to (--sinks " + String.join(",", SinkCatalog.DEFAULTS) + ")");
		return new ArrayList<>(names);
	}
}
