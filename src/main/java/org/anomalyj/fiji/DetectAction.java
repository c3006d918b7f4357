package org.anomalyj.fiji;

import org.anomalyj.image.ImagePlusConverter;
import org.anomalyj.image.PixelCalibration;
import org.anomalyj.image.Planes;
import org.anomalyj.inspect.Inspection;
import org.anomalyj.inspect.Inspector;
import org.anomalyj.model.AnomalyModel;
import org.anomalyj.model.DeviceChoice;
import org.anomalyj.model.Thresholds;

import ij.ImagePlus;
import ij.ImageStack;
import ij.gui.Roi;
import ij.measure.ResultsTable;
import ij.process.LUT;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Detect Anomalies: scores an image (each plane of a stack) with a model and shows the result as an
 * overlay, ROI Manager entries, Results rows and, on request, the anomaly map and defect mask as
 * images. Maps and defects come from the core at the image's own size, so everything registers on
 * the original pixels.
 */
public final class DetectAction {

	/** Planes scored per forward pass. */
	static final int BATCH = 8;

	/**
	 * @param model the model file
	 * @param overlay put heat map and defect outlines on the image's overlay
	 * @param opacity heat-map opacity, 0..1
	 * @param roiManager add the defect outlines to the ROI Manager
	 * @param results add a row per plane to the Results table
	 * @param map make the 32-bit anomaly map image
	 * @param mask make the binary defect mask image
	 * @param minArea smallest defect reported, in pixels
	 * @param device where the model computes
	 */
	public record Parameters(Path model, boolean overlay, double opacity, boolean roiManager, boolean results, boolean map, boolean mask,
		long minArea, DeviceChoice device) {

		public Parameters {
			if (model == null) throw new IllegalArgumentException("no model file given");
			if (!(opacity >= 0 && opacity <= 1)) throw new IllegalArgumentException("opacity must be between 0 and 1, was " + opacity);
			if (minArea < 0) throw new IllegalArgumentException("minimum defect area must be at least 0, was " + minArea);
		}
	}

	/**
	 * @param inspections one per stack image
	 * @param outlines the defect ROIs of each stack image
	 * @param map the anomaly map image, or null when not asked for
	 * @param mask the defect mask image, or null when not asked for
	 * @param pixelThreshold the threshold on map values of the first stack image (a model of several parts may judge
	 *        others by their own part's)
	 */
	public record Outcome(List<Inspection> inspections, List<List<Roi>> outlines, ImagePlus map, ImagePlus mask, float pixelThreshold) {}

	private DetectAction() {}

	public static Outcome run(ImagePlus imp, Parameters p, Feedback feedback, ModelCache cache) throws IOException {
		if (imp == null) throw new IllegalArgumentException("no image is open");
		try (ModelCache.Lease lease = cache.acquire(p.model(), p.device())) {
			AnomalyModel model = lease.model();
			List<Inspection> inspections;
			// One model serves every command of the session; its tensors are not for concurrent use.
			synchronized (model) {
				inspections = inspect(imp, new Inspector(model, p.minArea()), feedback);
			}
			// The first image's thresholds: those of its part in a model of several, which Adjust
			// Anomaly Threshold starts from.
			Thresholds decided = inspections.get(0).thresholds();
			Detections.remember(imp, new Detections.Detection(p.model(), p.device(), p.minArea(), decided, inspections,
				PixelCalibration.of(imp.getCalibration())));
			return present(imp, inspections, decided.pixel(), p, feedback);
		} finally {
			feedback.finished();
		}
	}

	/**
	 * Scores a stack in batches, reading each batch's slices only then (a virtual stack is never
	 * held whole), with progress per batch and Esc between batches.
	 */
	private static List<Inspection> inspect(ImagePlus imp, Inspector inspector, Feedback feedback) {
		ImageStack stack = imp.getStack();
		int n = stack.getSize();
		List<Inspection> out = new ArrayList<>(n);
		for (int from = 0; from < n; from += BATCH) {
			feedback.checkCancelled();
			List<RandomAccessibleInterval<? extends RealType<?>>> planes = new ArrayList<>();
			for (int i = from; i < Math.min(n, from + BATCH); i++) {
				var plane = ImagePlusConverter.toPlane(imp, stack, i + 1);
				String problem = inspector.problemWith(plane);
				if (problem != null) throw new IllegalArgumentException(imp.getTitle() + (n > 1 ? " slice " + (i + 1) : "") + ": " + problem);
				planes.add(plane);
			}
			out.addAll(inspector.inspect(planes));
			feedback.update("detect", out.size(), n);
		}
		return out;
	}

	private static Outcome present(ImagePlus imp, List<Inspection> inspections, float pixelThreshold, Parameters p, Feedback feedback) {
		PixelCalibration calibration = PixelCalibration.of(imp.getCalibration());
		boolean stack = inspections.size() > 1;
		List<List<Roi>> outlines = new ArrayList<>();
		for (Inspection r : inspections) outlines.add(DefectOutlines.of(r));

		if (p.overlay()) DetectionOverlay.apply(imp, inspections, outlines, true, p.opacity());
		if (p.roiManager()) {
			List<Roi> all = new ArrayList<>();
			List<Integer> positions = new ArrayList<>();
			for (int i = 0; i < outlines.size(); i++)
				for (Roi roi : outlines.get(i)) {
					all.add(roi);
					positions.add(stack ? i + 1 : 0);
				}
			if (!Windows.addToRoiManager(imp, all, positions)) feedback.warn("no ROI Manager without a display; the defect outlines are in the overlay");
		}
		if (p.results()) {
			ResultsTable table = ResultsTable.getResultsTable();
			for (int i = 0; i < inspections.size(); i++) DetectionResults.add(table, imp.getTitle(), i + 1, inspections.get(i), calibration);
			Windows.show(table, "Results");
		}
		ImagePlus map = p.map() ? mapImage(imp, inspections, pixelThreshold, calibration) : null;
		ImagePlus mask = p.mask() ? maskImage(imp, inspections, calibration) : null;

		for (int i = 0; i < inspections.size(); i++) {
			Inspection r = inspections.get(i);
			feedback.log(String.format(Locale.ROOT, "%s%s: score %.4g (normalised %.3f, p %.3g), %s%s, %d defect%s", imp.getTitle(),
				stack ? " slice " + (i + 1) : "", r.score(), r.normalisedScore(), r.pValue(), r.verdict(),
				r.category().isEmpty() ? "" : " as " + r.category(), r.defects().regions().size(), r.defects().regions().size() == 1 ? "" : "s"));
		}
		return new Outcome(List.copyOf(inspections), List.copyOf(outlines), map, mask, pixelThreshold);
	}

	private static ImagePlus mapImage(ImagePlus source, List<Inspection> inspections, float pixelThreshold, PixelCalibration calibration) {
		ImagePlus map = ImagePlusConverter.toImagePlus(FilePaths.stem(source.getTitle()) + "-anomaly-map", inspections.stream().map(Inspection::mapImage).toList(),
			calibration);
		sameDimensions(source, map);
		double top = 2.0 * (pixelThreshold > 0 ? pixelThreshold : 1); // the overlay's scale
		map.setLut(new LUT(HeatmapRoi.lut(), 0, top));
		map.setDisplayRange(0, top);
		return map;
	}

	private static ImagePlus maskImage(ImagePlus source, List<Inspection> inspections, PixelCalibration calibration) {
		List<RandomAccessibleInterval<? extends RealType<?>>> masks = new ArrayList<>();
		for (Inspection r : inspections) masks.add(Planes.grey8(r.defects().mask(), r.width(), r.height()));
		ImagePlus mask = ImagePlusConverter.toImagePlus(FilePaths.stem(source.getTitle()) + "-defect-mask", masks, calibration);
		sameDimensions(source, mask);
		return mask;
	}

	private static void sameDimensions(ImagePlus source, ImagePlus derived) {
		if (source.isHyperStack()) {
			derived.setDimensions(source.getNChannels(), source.getNSlices(), source.getNFrames());
			derived.setOpenAsHyperStack(true);
		}
	}

}
