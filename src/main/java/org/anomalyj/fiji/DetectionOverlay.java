package org.anomalyj.fiji;

import org.anomalyj.inspect.Inspection;

import ij.ImagePlus;
import ij.gui.Overlay;
import ij.gui.Roi;

import java.util.List;

/**
 * Puts the heat map and the defect outlines of each inspected plane on the image's overlay, each
 * on its own stack position, replacing those of an earlier detection but keeping the user's own
 * overlay elements.
 */
final class DetectionOverlay {

	/** Marks the overlay elements this command made. */
	static final String PROPERTY = "anomalyj";

	private DetectionOverlay() {}

	/**
	 * @param inspections one per stack image, in stack order; each one's heat map is scaled around its own pixel threshold
	 *        (planes of a model of several parts may have different ones)
	 * @param outlines the defect ROIs of each plane
	 * @param heatMap whether to add the heat map
	 */
	static void apply(ImagePlus imp, List<Inspection> inspections, List<List<Roi>> outlines, boolean heatMap, double opacity) {
		Overlay overlay = imp.getOverlay() == null ? new Overlay() : imp.getOverlay();
		for (Roi roi : overlay.toArray())
			if (roi.getProperty(PROPERTY) != null) overlay.remove(roi);
		boolean stack = imp.getStackSize() > 1;
		for (int i = 0; i < inspections.size(); i++) {
			if (heatMap) add(overlay, HeatmapRoi.of(inspections.get(i), inspections.get(i).thresholds().pixel(), opacity), stack, i, "heat map");
			for (Roi roi : outlines.get(i)) add(overlay, (Roi) roi.clone(), stack, i, "defect");
		}
		imp.setOverlay(overlay);
	}

	/** Replaces the defect outlines on the overlay, keeping the heat map and the user's own elements. */
	static void replaceOutlines(ImagePlus imp, List<List<Roi>> outlines) {
		Overlay overlay = imp.getOverlay() == null ? new Overlay() : imp.getOverlay();
		for (Roi roi : overlay.toArray())
			if ("defect".equals(roi.getProperty(PROPERTY))) overlay.remove(roi);
		boolean stack = imp.getStackSize() > 1;
		for (int i = 0; i < outlines.size(); i++)
			for (Roi roi : outlines.get(i)) add(overlay, (Roi) roi.clone(), stack, i, "defect");
		imp.setOverlay(overlay);
	}

	private static void add(Overlay overlay, Roi roi, boolean stack, int index, String kind) {
		if (stack) roi.setPosition(index + 1);
		roi.setProperty(PROPERTY, kind);
		overlay.add(roi);
	}
}
