package org.anomalyj.image;

import ij.measure.Calibration;

/**
 * Physical size of a pixel. {@link #NONE} (1 x 1 "pixel") when the file carries no calibration.
 *
 * @param pixelWidth  width of one pixel in {@code unit}, &gt; 0
 * @param pixelHeight height of one pixel in {@code unit}, &gt; 0
 * @param unit        length unit as stored in the file, e.g. "micron", "mm", "inch"
 */
public record PixelCalibration(double pixelWidth, double pixelHeight, String unit) {

	public static final PixelCalibration NONE = new PixelCalibration(1, 1, "pixel");

	public PixelCalibration {
		if (!(pixelWidth > 0) || !(pixelHeight > 0) || Double.isInfinite(pixelWidth) || Double.isInfinite(pixelHeight))
			throw new IllegalArgumentException("pixel size must be finite and > 0, got " + pixelWidth + " x " + pixelHeight);
		if (unit == null || unit.isBlank())
			throw new IllegalArgumentException("calibration unit must not be empty");
	}

	public boolean isCalibrated() {
		return !equals(NONE);
	}

	/** The spatial calibration of an ImageJ image; NONE when it is uncalibrated. */
	public static PixelCalibration of(Calibration cal) {
		if (cal == null || !cal.scaled()) return NONE;
		double w = cal.pixelWidth, h = cal.pixelHeight;
		String unit = cal.getUnit();
		if (!(w > 0) || !(h > 0) || Double.isInfinite(w) || Double.isInfinite(h) || unit == null || unit.isBlank())
			return NONE;
		return new PixelCalibration(w, h, unit);
	}

	/** Sets pixel width, height and unit of an ImageJ calibration (other fields untouched). */
	public void applyTo(Calibration cal) {
		cal.pixelWidth = pixelWidth;
		cal.pixelHeight = pixelHeight;
		cal.setUnit(unit);
	}
}
