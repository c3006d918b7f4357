package org.anomalyj.fiji;

import org.anomalyj.image.PixelCalibration;
import org.anomalyj.inspect.Inspection;

import ij.measure.ResultsTable;

/**
 * One row per inspected plane in a results table. {@code defect_area} is in calibrated units
 * ({@code area_unit}) when the image is calibrated, in pixels otherwise; {@code defect_area_px} is
 * always in pixels, as in the batch CSV.
 */
final class DetectionResults {

	static final String IMAGE = "image", SLICE = "slice", SCORE = "score", NORMALISED = "normalised_score", P_VALUE = "p_value", VERDICT = "verdict",
		DEFECTS = "defects", AREA = "defect_area", AREA_UNIT = "area_unit", AREA_PX = "defect_area_px";

	private DetectionResults() {}

	static void add(ResultsTable table, String image, int slice, Inspection r, PixelCalibration calibration) {
		long px = r.defects().totalArea();
		table.incrementCounter();
		table.addValue(IMAGE, image);
		table.addValue(SLICE, slice);
		table.addValue(SCORE, r.score());
		table.addValue(NORMALISED, r.normalisedScore());
		table.addValue(P_VALUE, r.pValue());
		table.addValue(VERDICT, r.verdict());
		table.addValue(DEFECTS, r.defects().regions().size());
		table.addValue(AREA, px * calibration.pixelWidth() * calibration.pixelHeight());
		table.addValue(AREA_UNIT, calibration.unit() + "^2");
		table.addValue(AREA_PX, px);
	}
}
