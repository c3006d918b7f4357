package org.anomalyj.postprocess;

/**
 * One connected defect region of a mask, in the pixel coordinates of the image it was found in.
 *
 * @param label its label in the region image (1-based)
 * @param area number of pixels
 * @param peak highest anomaly-map value inside it
 * @param peakX x of that value
 * @param peakY y of that value
 * @param minX bounding box, inclusive
 * @param minY bounding box, inclusive
 * @param maxX bounding box, inclusive
 * @param maxY bounding box, inclusive
 */
public record DefectRegion(int label, long area, float peak, int peakX, int peakY, int minX, int minY, int maxX, int maxY) {}
