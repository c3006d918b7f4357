package org.anomalyj.fiji;

import org.anomalyj.data.ImageFolder;
import org.anomalyj.inspect.BatchInspection;
import org.anomalyj.inspect.Inspector;
import org.anomalyj.model.AnomalyModel;
import org.anomalyj.model.DeviceChoice;
import org.anomalyj.sink.CsvSinkPlugin;
import org.anomalyj.sink.MapSinkPlugin;
import org.anomalyj.sink.MaskSinkPlugin;
import org.anomalyj.sink.OverlaySinkPlugin;
import org.anomalyj.sink.ScoresCsv;


import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Batch Detect Anomalies: every image of a folder to maps, masks and overlay PNGs and one
 * {@code scores.csv} in an output folder (the CLI's {@code score}); a rerun resumes.
 */
public final class BatchDetectAction {

	/**
	 * @param input folder of images (not its sub-folders)
	 * @param model the model file
	 * @param output folder for the results; must not be the input folder
	 * @param maps write 32-bit anomaly maps (TIFF)
	 * @param masks write defect masks (PNG)
	 * @param overlays write heat-map overlays (PNG)
	 * @param opacity overlay opacity, 0..1
	 * @param minArea smallest defect reported, in pixels
	 * @param device where the model computes
	 */
	public record Parameters(Path input, Path model, Path output, boolean maps, boolean masks, boolean overlays, double opacity, long minArea,
		DeviceChoice device) {

		public Parameters {
			if (input == null || output == null) throw new IllegalArgumentException("input and output folders are needed");
			if (model == null) throw new IllegalArgumentException("no model file given");
			if (!(opacity >= 0 && opacity <= 1)) throw new IllegalArgumentException("opacity must be between 0 and 1, was " + opacity);
			if (minArea < 0) throw new IllegalArgumentException("minimum defect area must be at least 0, was " + minArea);
		}

		/** The sinks written: always {@code scores.csv}, and the files asked for. */
		public List<String> sinks() {
			List<String> names = new ArrayList<>(List.of(CsvSinkPlugin.NAME));
			if (maps) names.add(MapSinkPlugin.NAME);
			if (masks) names.add(MaskSinkPlugin.NAME);
			if (overlays) names.add(OverlaySinkPlugin.NAME);
			return names;
		}
	}

	/** @param summary the lines written to the Log */
	public record Outcome(BatchInspection.Summary result, List<String> summary) {}

	private BatchDetectAction() {}

	public static Outcome run(Parameters p, Feedback feedback, ModelCache cache) throws IOException {
		try {
			if (Files.isDirectory(p.output()) && Files.isSameFile(p.input(), p.output()))
				throw new IllegalArgumentException(p.output() + ": the output folder must not be the input folder");
			List<Path> images = ImageFolder.open(p.input()).images();
			BatchInspection.Settings settings = new BatchInspection.Settings(p.sinks(), p.opacity(), DetectAction.BATCH);
			BatchInspection.Summary result;
			try (ModelCache.Lease lease = cache.acquire(p.model(), p.device())) {
				AnomalyModel model = lease.model();
				synchronized (model) {
					result = BatchInspection.run(new Inspector(model, p.minArea()), images, p.output(), settings, feedback);
				}
			}
			List<String> summary = new ArrayList<>();
			summary.add(String.format(Locale.ROOT, "Batch detection of %s: %d images scored (%d anomalous), %d skipped, %d done before",
				p.input(), result.scored(), result.anomalous(), result.skipped(), result.resumed()));
			result.rows().stream().filter(r -> !r.ok()).forEach(r -> summary.add("  skipped " + r.reason()));
			summary.add("  results: " + p.output().resolve(ScoresCsv.FILE_NAME).toAbsolutePath());
			summary.forEach(feedback::log);
			return new Outcome(result, List.copyOf(summary));
		} finally {
			feedback.finished();
		}
	}
}
