package org.anomalyj.inspect;

import org.anomalyj.model.Thresholds;
import org.anomalyj.postprocess.DefectRegions;

import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.type.numeric.real.FloatType;

/**
 * The verdict on one image plane.
 *
 * @param score raw image score (the method's unit, e.g. a feature distance)
 * @param normalisedScore score in [0, 1] with the threshold at 0.5; NaN when the model has no threshold
 * @param pValue conformal p-value of the score against the model's good calibration images,
 *        {@code (1 + #{calibration scores >= score}) / (n + 1)}: small means unlike the good images;
 *        NaN when the model has no calibration scores
 * @param anomalous whether the score exceeds the model's threshold (false when it has none)
 * @param map anomaly map at the image's own size, row-major {@code width x height}
 * @param width image width
 * @param height image height
 * @param defects defect mask and regions at the image's size (map above the pixel threshold)
 * @param modelMap anomaly map at the model's input size ({@code modelSize x modelSize}), for evaluation
 * @param modelSize side of {@code modelMap}
 * @param thresholds the thresholds that decided (in a model of several parts, those of {@code category})
 * @param category the part whose thresholds decided, in a model of several parts (given, or the nearest); "" otherwise
 * @param nearestCategory the part the model recognises in the image; "" in a model of one part
 */
public record Inspection(float score, float normalisedScore, double pValue, boolean anomalous, float[] map, int width, int height,
	DefectRegions defects, float[] modelMap, int modelSize, Thresholds thresholds, String category, String nearestCategory) {

	/** Which part an image is judged as, in a model of several: the one given, and the one the model recognises ("" for a model of one). */
	public record Part(String category, String nearest) {
		public static final Part NONE = new Part("", "");
	}

	/**
	 * Decides on a scored plane with the given thresholds: verdict, normalised score, p-value, and
	 * the defect regions where the map is above the pixel threshold.
	 *
	 * @param part the part whose thresholds {@code t} are
	 * @param minDefectArea regions with fewer pixels are not reported
	 */
	public static Inspection decide(float score, float[] map, int width, int height, float[] modelMap, int modelSize, Thresholds t, Part part,
		long minDefectArea) {
		DefectRegions defects = DefectRegions.find(map, width, height, t.pixel(), minDefectArea);
		return new Inspection(score, t.normalise(score), t.pValue(score), t.anomalous(score), map, width, height, defects, modelMap, modelSize, t,
			part.category(), part.nearest());
	}

	/** The same scores and map decided with other thresholds (no rescoring), as the same part. */
	public Inspection decidedWith(Thresholds t, long minDefectArea) {
		return decide(score, map, width, height, modelMap, modelSize, t, new Part(category, nearestCategory), minDefectArea);
	}

	/** "anomalous", "good", or "uncalibrated" when the model has no threshold, as tables and CSV files write it. */
	public String verdict() {
		if (Float.isNaN(normalisedScore)) return "uncalibrated";
		return anomalous ? "anomalous" : "good";
	}

	/** The anomaly map as an ImgLib2 image (no copy). */
	public ArrayImg<FloatType, FloatArray> mapImage() {
		return ArrayImgs.floats(map, width, height);
	}
}
