package org.anomalyj.fiji;

import org.anomalyj.image.PixelCalibration;
import org.anomalyj.inspect.Inspection;

import ij.measure.ResultsTable;

/**
 * One row per inspected plane in a results table. {@code defect_area} is in calibrated units
 * ({@code area_unit}) when the image is calibrated, in pixels otherwise; {@code defect_area_px} is
 * always in pixels, as in the batch CSV. A model of several parts adds {@code category}, the part
 * whose thresholds gave the verdict, as the batch CSV does.
 */
final class DetectionResults {

	static final String IMAGE = "image", SLICE = "slice", SCORE = "score", NORMALISED = "normalised_score", P_VALUE = "p_value", VERDICT = "verdict",
		CATEGORY = "category", DEFECTS = "defects", AREA = "defect_area", AREA_UNIT = "area_unit", AREA_PX = "defect_area_px";

	private DetectionResults() {}

	static void add(ResultsTable table, String image, int slice, Inspection r, PixelCalibration calibration) {
		table.incrementCounter();
		set(table, table.size() - 1, image, slice, r, calibration);
	}

	/**
	 * Rewrites the last row of this image and slice with a new decision on it (Adjust Anomaly
	 * Threshold); false when the table has no such row (the user cleared it).
	 */
	static boolean replace(ResultsTable table, String image, int slice, Inspection r, PixelCalibration calibration) {
		if (table.getColumnIndex(IMAGE) == ResultsTable.COLUMN_NOT_FOUND || table.getColumnIndex(SLICE) == ResultsTable.COLUMN_NOT_FOUND) return false;
		for (int row = table.size() - 1; row >= 0; row--)
			if (image.equals(table.getStringValue(IMAGE, row)) && table.getValue(SLICE, row) == slice) {
				set(table, row, image, slice, r, calibration);
				return true;
			}
		return false;
	}

	private static void set(ResultsTable table, int row, String image, int slice, Inspection r, PixelCalibration calibration) {
		long px = r.defects().totalArea();
		table.setValue(IMAGE, row, image);
		table.setValue(SLICE, row, slice);
		table.setValue(SCORE, row, r.score());
		table.setValue(NORMALISED, row, r.normalisedScore());
		table.setValue(P_VALUE, row, r.pValue());
		table.setValue(VERDICT, row, r.verdict());
		if (!r.category().isEmpty()) table.setValue(CATEGORY, row, r.category());
		table.setValue(DEFECTS, row, r.defects().regions().size());
		table.setValue(AREA, row, px * calibration.pixelWidth() * calibration.pixelHeight());
		table.setValue(AREA_UNIT, row, calibration.unit() + "^2");
		table.setValue(AREA_PX, row, px);
	}
}
