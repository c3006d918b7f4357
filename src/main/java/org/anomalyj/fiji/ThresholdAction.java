package org.anomalyj.fiji;

import org.anomalyj.inspect.Inspection;
import org.anomalyj.io.AtomicFiles;
import org.anomalyj.model.AnomalyModel;
import org.anomalyj.model.DeviceChoice;
import org.anomalyj.model.Thresholds;

import ij.ImagePlus;
import ij.gui.Roi;
import ij.measure.ResultsTable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Adjust Anomaly Threshold: decides again on the maps of an image's last detection
 * ({@link Detections}) with thresholds the user chooses, updating the overlay's defect outlines,
 * the image's Results rows and the verdicts without rescoring, and writes the chosen thresholds
 * into a new model file.
 */
public final class ThresholdAction {

	/**
	 * The image's detection decided with chosen thresholds.
	 *
	 * @param inspections one per stack image
	 * @param outlines the defect ROIs of each stack image
	 * @param thresholds the model's thresholds with the chosen ones active
	 */
	public record Outcome(List<Inspection> inspections, List<List<Roi>> outlines, Thresholds thresholds) {

		/** How many stack images are anomalous. */
		public int anomalous() {
			return (int) inspections.stream().filter(Inspection::anomalous).count();
		}
	}

	private ThresholdAction() {}

	/** The thresholds that decided the detection, as a starting point. */
	public static Thresholds.Custom initial(Detections.Detection d) {
		Thresholds t = d.thresholds();
		if (!t.isCalibrated()) throw new IllegalArgumentException("the model " + d.model().getFileName() + " has no thresholds to adjust (it was trained without calibration)");
		return new Thresholds.Custom(t.image(), t.pixel());
	}

	/** Decides the detection with {@code chosen}, without touching the image. */
	public static Outcome decide(Detections.Detection d, Thresholds.Custom chosen) {
		Thresholds t = d.thresholds().withCustom(chosen);
		List<Inspection> decided = new ArrayList<>();
		List<List<Roi>> outlines = new ArrayList<>();
		for (Inspection r : d.inspections()) {
			Inspection again = r.decidedWith(t, d.minArea());
			decided.add(again);
			outlines.add(DefectOutlines.of(again));
		}
		return new Outcome(List.copyOf(decided), List.copyOf(outlines), t);
	}

	/**
	 * Decides the image's detection with {@code chosen} and shows it: the defect outlines on the
	 * overlay, and the image's rows in the Results table when it has them.
	 */
	public static Outcome show(ImagePlus imp, Thresholds.Custom chosen) {
		Detections.Detection d = Detections.of(imp);
		Outcome o = decide(d, chosen);
		DetectionOverlay.replaceOutlines(imp, o.outlines());
		ResultsTable table = ResultsTable.getResultsTable();
		boolean changed = false;
		for (int i = 0; i < o.inspections().size(); i++)
			changed |= DetectionResults.replace(table, imp.getTitle(), i + 1, o.inspections().get(i), d.calibration());
		if (changed) Windows.show(table, "Results");
		return o;
	}

	/** Slider ranges: from 0 to past the largest value seen in the maps and scores, and at least twice the detection's thresholds. */
	public static Thresholds.Custom ranges(Detections.Detection d) {
		Thresholds.Custom start = initial(d);
		float map = 0, score = 0;
		for (Inspection r : d.inspections()) {
			for (float v : r.map()) map = Math.max(map, v);
			score = Math.max(score, r.score());
		}
		return new Thresholds.Custom(Math.max(2 * start.image(), 1.2f * score), Math.max(2 * start.pixel(), 1.2f * map));
	}

	/** A slider step for values up to {@code max}: a power of ten, about a thousandth of it, so typed and recorded values stay round. */
	public static double step(float max) {
		return Math.pow(10, Math.floor(Math.log10(max / 1000.0)));
	}

	/** The image back as Detect Anomalies left it (the dialog closed without applying). */
	public static Outcome restore(ImagePlus imp) {
		return show(imp, initial(Detections.of(imp)));
	}

	/**
	 * What the chosen thresholds mean, one line each: the value, as a normalised score (the
	 * detection's threshold is 0.5 on that scale), and the share of the good calibration images it
	 * flags; then the verdict.
	 */
	public static List<String> describe(Detections.Detection d, Outcome o, int slice) {
		Thresholds t = d.thresholds();
		Thresholds.Custom c = o.thresholds().custom();
		int n = t.calibrationImages();
		List<String> lines = new ArrayList<>();
		lines.add(String.format(Locale.ROOT, "Pixel %.4g (normalised %.3f): %s", c.pixel(), c.pixel() * 0.5 / t.pixel(),
			rate(t.pixelFalseAlarms(c.pixel()), n, "of the good calibration images get a defect")));
		lines.add(String.format(Locale.ROOT, "Image %.4g (normalised %.3f): %s", c.image(), c.image() * 0.5 / t.image(),
			rate(t.imageFalseAlarms(c.image()), n, "of the good calibration images are flagged")));
		Inspection r = o.inspections().get(Math.max(0, Math.min(o.inspections().size() - 1, slice - 1)));
		String stack = o.inspections().size() > 1 ? String.format(Locale.ROOT, " (slice %d; %d of %d slices anomalous)", slice, o.anomalous(),
			o.inspections().size()) : "";
		lines.add(String.format(Locale.ROOT, "Verdict: %s, score %.4g, %d defect%s%s", r.verdict(), r.score(), r.defects().regions().size(),
			r.defects().regions().size() == 1 ? "" : "s", stack));
		return lines;
	}

	private static String rate(double share, int n, String what) {
		if (Double.isNaN(share)) return "no calibration images to rate it on";
		return String.format(Locale.ROOT, "%.1f%% (%d of %d) %s", 100 * share, Math.round(share * n), n, what);
	}

	/**
	 * Writes a model (usually the one the image was detected with, {@link Detections.Detection#model}),
	 * with {@code chosen} as its deciding thresholds, to a new file (atomically). The model in use is
	 * not changed.
	 *
	 * @param overwrite whether an existing {@code save} may be replaced (the user said so)
	 * @throws IOException when {@code save} is the model file itself, exists and {@code overwrite} is false, or cannot be written
	 */
	public static Path apply(Path modelFile, DeviceChoice device, Thresholds.Custom chosen, Path save, boolean overwrite, ModelCache cache)
		throws IOException {
		if (modelFile == null) throw new IllegalArgumentException("no model file given");
		if (save == null) throw new IllegalArgumentException("no file given to save the model with the new thresholds to");
		Path target = save.toAbsolutePath().normalize();
		if (target.equals(modelFile.toAbsolutePath().normalize())) throw new IOException(save + ": is the model file itself; choose a new file");
		AtomicFiles.requireNotSame(target, modelFile);
		if (Files.exists(target) && !overwrite) throw new IOException(save + ": exists; choose a new file (a model file is never overwritten silently)");
		try (ModelCache.Lease lease = cache.acquire(modelFile, device)) {
			AnomalyModel model = lease.model();
			synchronized (model) {
				Thresholds before = model.thresholds();
				try {
					model.withThresholds(before.withCustom(chosen)).save(target);
				} finally {
					model.withThresholds(before);
				}
			}
		}
		return target;
	}
}
