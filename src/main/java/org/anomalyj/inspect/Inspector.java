package org.anomalyj.inspect;

import org.anomalyj.image.FloatResizer;
import org.anomalyj.image.PixelType;
import org.anomalyj.image.Planes;
import org.anomalyj.image.Preprocessor;
import org.anomalyj.model.AnomalyModel;
import org.anomalyj.model.Categories;
import org.anomalyj.model.Thresholds;
import org.anomalyj.task.HelperThreads;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;

import java.util.List;

/**
 * Scores image planes with a loaded model and turns the result into what users see: score,
 * verdict, the map at the image's own size (so it registers on the original pixels whatever the
 * model's input size) and the defect regions. The CLI, the Fiji commands and the evaluation all
 * go through here. A model of several parts judges each image by the thresholds of its part: the
 * part given, or else the one the model recognises in it ({@link Categories#nearest}).
 */
public final class Inspector {

	private final AnomalyModel model;
	private final Preprocessor pre;
	private final long minDefectArea;
	private final int category;

	/**
	 * @param minDefectArea regions with fewer pixels (at the image's size) are not reported
	 * @param category the part every image shows (a model of several parts), or null to recognise each image's
	 * @throws IllegalArgumentException for a part the model does not have, naming those it has
	 */
	public Inspector(AnomalyModel model, long minDefectArea, String category) {
		this.model = model;
		this.pre = new Preprocessor(model.spec().inputSize(), model.spec().intensity(), model.spec().normalization());
		this.minDefectArea = minDefectArea;
		this.category = category == null ? -1 : model.categories().require(category);
	}

	/**
	 * @param minDefectArea regions with fewer pixels (at the image's size) are not reported
	 */
	public Inspector(AnomalyModel model, long minDefectArea) {
		this(model, minDefectArea, null);
	}

	public Inspector(AnomalyModel model) {
		this(model, 0);
	}

	public AnomalyModel model() {
		return model;
	}

	/** Why the model cannot take this plane, or null when it can. */
	public String problemWith(RandomAccessibleInterval<? extends RealType<?>> plane) {
		if (Preprocessor.needsIntensityRange(plane) && model.spec().intensity() == null)
			return "a " + PixelType.of(plane.getType()).bits + "-bit image, but the model was trained on 8-bit images only; train with images of the same bit depth";
		return null;
	}

	public Inspection inspect(RandomAccessibleInterval<? extends RealType<?>> plane) {
		return inspect(List.of(plane)).get(0);
	}

	/**
	 * Scores planes as one batch.
	 *
	 * @throws IllegalArgumentException for a plane the model cannot take (e.g. a 16-bit image for an 8-bit model), with the reason
	 */
	public List<Inspection> inspect(List<? extends RandomAccessibleInterval<? extends RealType<?>>> planes) {
		int s = pre.size(), per = 3 * s * s, n = planes.size();
		float[] batch = new float[n * per];
		// Before and after the engine's pass the work is per image, in Java, on one thread unless
		// spread: side by side it costs a batch half the time on 2 cores, where the engine is idle.
		HelperThreads.each(HelperThreads.IMAGES, n, i -> {
			pre.toInput(planes.get(i), batch, i * per);
			return null;
		});
		AnomalyModel.Scored scored = model.score(batch, n);
		Categories parts = model.categories();
		return HelperThreads.each(HelperThreads.IMAGES, n, i -> {
			int w = Planes.width(planes.get(i)), h = Planes.height(planes.get(i));
			float[] modelMap = scored.maps()[i];
			float[] map = w == s && h == s ? modelMap.clone() : FloatResizer.bilinear(modelMap, s, s, w, h);
			float score = scored.imageScores()[i];
			int nearest = parts.nearest(scored.pooled()[i]), judged = category >= 0 ? category : nearest;
			Thresholds t = model.thresholdsFor(judged);
			return Inspection.decide(score, map, w, h, modelMap, s, t, new Inspection.Part(parts.name(judged), parts.name(nearest)), minDefectArea);
		});
	}
}
