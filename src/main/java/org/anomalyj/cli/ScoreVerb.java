package org.anomalyj.cli;

import org.anomalyj.data.ImageFolder;
import org.anomalyj.inspect.BatchInspection;
import org.anomalyj.inspect.Inspector;
import org.anomalyj.model.AnomalyModel;
import org.anomalyj.model.DeviceChoice;
import org.anomalyj.model.DriftCheck;
import org.anomalyj.model.Thresholds;


import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
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
				+ "      [--threshold conformal|f1] [--no-maps] [--no-masks] [--no-overlays] [--device auto|cpu|gpu]\n"
				+ "  Writes NAME.map.tif (32-bit map), NAME.mask.png, NAME.overlay.png and scores.csv (score, normalised score\n"
				+ "  with 0.5 at the threshold, conformal p-value, verdict, defects); a rerun resumes.\n"
				+ "  --threshold: which stored thresholds decide (default: the one chosen at training).\n"
				+ "  --goods: the inputs are known to be good (e.g. a sample of today's production): after scoring, a line says\n"
				+ "    whether they score above the model's calibration images beyond chance (drift; one-sided rank-sum test at\n"
				+ "    0.01, with their p-values' median). Without it nothing is tested, as the inputs may hold defects.");
			return;
		}
		Arguments a = new Arguments("score", args, 1, Set.of("model", "input", "out", "opacity", "min-area", "batch", "device", "threshold"),
			Set.of("no-maps", "no-masks", "no-overlays", "goods"));
		Path modelFile = a.path("model");
		Path input = a.path("input");
		Path outDir = a.path("out");
		List<Path> inputs;
		if (Files.isDirectory(input)) inputs = ImageFolder.open(input).images();
		else if (Files.isRegularFile(input)) inputs = List.of(input);
		else throw new IOException(input + (Files.exists(input) ? ": not a regular file or folder" : ": no such file or folder"));
		if (inputs.isEmpty()) throw new IOException(input + ": no images in this folder");
		BatchInspection.Settings s = new BatchInspection.Settings(!a.flag("no-maps"), !a.flag("no-masks"), !a.flag("no-overlays"),
			a.real("opacity", 0.5), a.integer("batch", 8));
		try (AnomalyModel model = AnomalyModel.load(modelFile, DeviceChoice.parse(a.string("device", "auto")))) {
			String choice = a.string("threshold", null);
			if (choice != null) model.useThresholds(Thresholds.Choice.parse(choice));
			if (!model.thresholds().isCalibrated()) err.println("note: the model has no thresholds; verdicts are 'uncalibrated' and masks empty");
			Inspector inspector = new Inspector(model, a.longValue("min-area", 0));
			BatchInspection.Summary sum = BatchInspection.run(inspector, inputs, outDir, s, Main.progress(err));
			long anomalous = sum.rows().stream().filter(r -> "ok".equals(r.status()) && r.anomalous()).count();
			out.printf("%d scored (%d anomalous), %d skipped, %d already done; results in %s%n", sum.scored() - sum.resumed(),
				anomalous, sum.skipped(), sum.resumed(), sum.csv());
			// Each skipped file was reported as it happened (and is in the CSV); a run that produced
			// nothing at all is a failure for scripts to notice.
			if (sum.scored() == 0) throw new IOException(input + ": none of the " + sum.skipped() + " images could be scored (reasons above and in " + sum.csv() + ")");
			if (a.flag("goods")) {
				if (model.thresholds().imageScores() == null) err.println("note: the model has no calibration images; --goods cannot check for drift");
				else out.println(DriftCheck.of(model.thresholds(), okScores(sum.rows())).describe());
			}
		}
	}

	private static float[] okScores(List<BatchInspection.Row> rows) {
		List<BatchInspection.Row> ok = rows.stream().filter(r -> "ok".equals(r.status())).toList();
		float[] scores = new float[ok.size()];
		for (int i = 0; i < scores.length; i++) scores[i] = ok.get(i).score();
		return scores;
	}
}
