package org.anomalyj.fiji;

import ij.ImagePlus;
import ij.gui.Plot;
import ij.measure.ResultsTable;
import ij.plugin.frame.RoiManager;
import ij.gui.Roi;

import java.awt.GraphicsEnvironment;
import java.util.List;

/** Showing results in ImageJ windows, which do not exist without a display (tests, headless Fiji). */
public final class Windows {

	private Windows() {}

	public static boolean available() {
		return !GraphicsEnvironment.isHeadless();
	}

	public static void show(ImagePlus imp) {
		if (imp != null && available()) imp.show();
	}

	public static void show(Plot plot) {
		if (available()) plot.show();
	}

	/** Shows a table (a no-op for the system Results table without a display). */
	static void show(ResultsTable table, String title) {
		if (available()) table.show(title);
	}

	/**
	 * Adds ROIs to the ROI Manager (in batch-mode macros its hidden instance).
	 *
	 * @param positions the stack position of each ROI, or 0
	 * @return false when there is no ROI Manager (no display)
	 */
	static boolean addToRoiManager(ImagePlus imp, List<Roi> rois, List<Integer> positions) {
		if (!available()) return false;
		// In a batch-mode macro, the hidden manager that roiManager(...) calls see; else the open one, or a new one.
		RoiManager rm = RoiManager.getInstance2();
		if (rm == null) rm = RoiManager.getRoiManager();
		for (int i = 0; i < rois.size(); i++) {
			Roi roi = (Roi) rois.get(i).clone();
			if (positions.get(i) > 0) roi.setPosition(positions.get(i));
			rm.add(imp, roi, -1);
		}
		return true;
	}
}
