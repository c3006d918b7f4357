package org.anomalyj.fiji;

import org.anomalyj.inspect.Inspection;
import org.anomalyj.postprocess.DefectRegion;
import org.anomalyj.postprocess.DefectRegions;
import org.anomalyj.postprocess.HeatmapOverlay;

import ij.ImagePlus;
import ij.gui.Roi;
import ij.plugin.filter.ThresholdToSelection;
import ij.process.ByteProcessor;
import ij.process.ImageProcessor;

import java.awt.Color;
import java.awt.Rectangle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The defect regions of one inspection as ImageJ ROIs, traced along pixel edges from the region
 * labels (so a ROI holds exactly the region's pixels), worst first, each named with its peak score.
 */
final class DefectOutlines {

	static final Color COLOUR = new Color(HeatmapOverlay.OUTLINE);

	private DefectOutlines() {}

	static List<Roi> of(Inspection r) {
		DefectRegions d = r.defects();
		int w = d.width();
		int[] labels = d.labels();
		List<Roi> rois = new ArrayList<>(d.regions().size());
		for (DefectRegion g : d.regions()) {
			int bw = g.maxX() - g.minX() + 1, bh = g.maxY() - g.minY() + 1;
			ByteProcessor crop = new ByteProcessor(bw, bh);
			for (int y = 0; y < bh; y++)
				for (int x = 0; x < bw; x++)
					if (labels[(y + g.minY()) * w + x + g.minX()] == g.label()) crop.set(x, y, 255);
			crop.setThreshold(255, 255, ImageProcessor.NO_LUT_UPDATE);
			Roi roi = ThresholdToSelection.run(new ImagePlus("", crop));
			Rectangle b = roi.getBounds();
			roi.setLocation(b.x + g.minX(), b.y + g.minY());
			roi.setName(name(g));
			roi.setStrokeColor(COLOUR);
			rois.add(roi);
		}
		return rois;
	}

	static String name(DefectRegion g) {
		return String.format(Locale.ROOT, "defect %d peak %.4g", g.label(), g.peak());
	}
}
