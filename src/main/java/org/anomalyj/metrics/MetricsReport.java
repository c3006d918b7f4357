package org.anomalyj.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The standard anomaly-detection scores of one evaluation, computed by
 * {@link MetricsAccumulator#compute()}. A value is NaN where it is undefined: AUROC and the curves
 * when only one class is present, F1/AP without positives, AUPRO without defect regions or without
 * good pixels.
 *
 * @param imageAuroc ROC AUC of image scores vs image labels
 * @param pixelAuroc ROC AUC of all pixel scores vs mask pixels
 * @param aupro area under the PRO curve up to FPR 0.3, divided by 0.3
 * @param imageF1Max best F1 of image-level classification over all thresholds
 * @param imageF1Threshold the image score threshold ({@code score >= threshold} = anomalous)
 *            reaching {@code imageF1Max}
 * @param pixelAp average precision of pixel scores vs mask pixels
 * @param imageRoc image-level ROC curve
 * @param pixelRoc pixel-level ROC curve
 * @param proCurve the PRO curve
 * @param images number of images
 * @param pixels number of pixels over all images
 */
public record MetricsReport(double imageAuroc, double pixelAuroc, double aupro, double imageF1Max,
	float imageF1Threshold, double pixelAp, RocCurve imageRoc, RocCurve pixelRoc, ProCurve proCurve,
	int images, long pixels)
{

	/** The scalar values under the names anomalib and the MVTec evaluation report them by. */
	public Map<String, Double> values() {
		Map<String, Double> m = new LinkedHashMap<>();
		m.put("image_auroc", imageAuroc);
		m.put("pixel_auroc", pixelAuroc);
		m.put("aupro", aupro);
		m.put("image_f1_max", imageF1Max);
		m.put("image_f1_threshold", (double) imageF1Threshold);
		m.put("pixel_ap", pixelAp);
		return m;
	}

	@Override
	public String toString() {
		return "MetricsReport" + values() + " over " + images + " images, " + pixels + " pixels";
	}
}
