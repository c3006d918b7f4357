package org.anomalyj.model;

import org.anomalyj.io.JsonFields;

import com.google.gson.JsonObject;

import java.io.IOException;

/**
 * Thresholds that maximise F1 on labelled examples: good calibration images and images with
 * defects. They optimise a trade-off on the examples given, with no guarantee on new images.
 *
 * @param image image-score threshold; scores above it are anomalous
 * @param pixel map threshold maximising pixel F1 over the defect images' masks; NaN without masks
 * @param imageF1 the F1 reached by {@code image} on the examples
 * @param pixelF1 the F1 reached by {@code pixel}; NaN without masks
 * @param goodImages good images among the examples
 * @param defectImages defect images among the examples
 */
public record F1Thresholds(float image, float pixel, double imageF1, double pixelF1, int goodImages, int defectImages) {

	JsonObject toJson() {
		JsonObject o = new JsonObject();
		o.addProperty("image", image);
		if (!Float.isNaN(pixel)) o.addProperty("pixel", pixel);
		o.addProperty("image_f1", imageF1);
		if (!Double.isNaN(pixelF1)) o.addProperty("pixel_f1", pixelF1);
		o.addProperty("good_images", goodImages);
		o.addProperty("defect_images", defectImages);
		return o;
	}

	static F1Thresholds fromJson(JsonFields o) throws IOException {
		return new F1Thresholds(o.floatNumber("image"), o.has("pixel") ? o.floatNumber("pixel") : Float.NaN, o.number("image_f1", 0, 1),
			o.has("pixel_f1") ? o.number("pixel_f1", 0, 1) : Double.NaN, (int) o.integer("good_images", 0, Integer.MAX_VALUE),
			(int) o.integer("defect_images", 0, Integer.MAX_VALUE));
	}
}
