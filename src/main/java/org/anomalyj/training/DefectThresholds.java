package org.anomalyj.training;

import org.anomalyj.data.CategoryFolder;
import org.anomalyj.data.ImageFolder;
import org.anomalyj.data.TestSample;
import org.anomalyj.image.ImageFileReader;
import org.anomalyj.image.LoadedImage;
import org.anomalyj.image.Planes;
import org.anomalyj.image.Preprocessor;
import org.anomalyj.metrics.F1Max;
import org.anomalyj.model.AnomalyModel;
import org.anomalyj.model.ConformalScores;
import org.anomalyj.model.F1Thresholds;
import org.anomalyj.model.Thresholds;
import org.anomalyj.task.Progress;


import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * F1-optimal thresholds from labelled defects. The image threshold maximises F1 between the
 * defect images' scores and the good calibration images' scores (out-of-sample, the ones behind
 * the conformal threshold); the pixel threshold maximises F1 over the pixels of the defect images
 * that come with masks. The defect images are scored by the trained model; they never enter
 * training.
 */
public final class DefectThresholds {

	/**
	 * One labelled defect image.
	 *
	 * @param mask its mask (value &gt; 0 = defect, same size as the image), or null when only the image is labelled
	 */
	public record Example(Path image, Path mask) {}

	private DefectThresholds() {}

	/**
	 * The defect images in {@code dir}: the defect test images of an MVTec AD category with their
	 * masks (or of a folder with only its test/ and ground_truth/, as Fiji's Label Defects writes),
	 * or every image of a plain folder (image labels only).
	 */
	public static List<Example> find(Path dir) throws IOException {
		List<Example> out = new ArrayList<>();
		boolean category = CategoryFolder.isMvtecCategory(dir);
		if (category || CategoryFolder.isDefectFolder(dir)) {
			for (TestSample t : (category ? CategoryFolder.open(dir) : CategoryFolder.openTestSet(dir)).testSamples())
				if (t.isAnomalous()) out.add(new Example(t.image(), t.mask()));
			if (out.isEmpty()) throw new IOException(dir + ": the category has no defect test images (test/<type>/ with ground_truth/<type>/)");
		} else {
			for (Path p : ImageFolder.open(dir).images()) out.add(new Example(p, null));
		}
		return out;
	}

	/**
	 * Learns the F1 thresholds and stores them in the model.
	 *
	 * @param activate whether they decide verdicts and masks from now on (else the conformal ones stay)
	 * @throws IllegalArgumentException when the model has no calibration scores (good examples) or no defect is given
	 * @throws IOException when a defect image or mask cannot be read
	 */
	public static F1Thresholds addTo(AnomalyModel model, List<Example> defects, boolean activate, int batchSize, Progress progress) throws IOException {
		F1Thresholds f1 = learn(model, defects, batchSize, progress);
		Thresholds t = model.thresholds().withF1(f1);
		model.withThresholds(activate ? t.withActive(Thresholds.Choice.F1) : t);
		return f1;
	}

	static F1Thresholds learn(AnomalyModel model, List<Example> defects, int batchSize, Progress progress) throws IOException {
		ConformalScores goods = model.thresholds().imageScores();
		if (goods == null)
			throw new IllegalArgumentException("F1 thresholds need scores of good images the model did not train on; this model has none (train on at least 2 images with calibration)");
		if (defects.isEmpty()) throw new IllegalArgumentException("no defect images given");
		int s = model.spec().inputSize(), per = 3 * s * s;
		Preprocessor pre = new Preprocessor(s, model.spec().intensity(), model.spec().normalization());
		float[] defectScores = new float[defects.size()];
		List<float[]> maps = new ArrayList<>();
		List<boolean[]> masks = new ArrayList<>();
		for (int from = 0; from < defects.size(); from += batchSize) {
			progress.checkCancelled();
			int to = Math.min(defects.size(), from + batchSize);
			float[] batch = new float[(to - from) * per];
			List<boolean[]> batchMasks = new ArrayList<>();
			for (int i = from; i < to; i++) {
				Example e = defects.get(i);
				LoadedImage img = ImageFileReader.read(e.image());
				var plane = img.singlePlane();
				pre.toInput(plane, batch, (i - from) * per);
				batchMasks.add(e.mask() == null ? null
					: new TestSample(e.image(), "defect", e.mask()).loadMask(Planes.width(plane), Planes.height(plane)).resizeNearest(s, s).toArray());
			}
			AnomalyModel.Scored scored = model.score(batch, to - from);
			for (int i = from; i < to; i++) {
				defectScores[i] = scored.imageScores()[i - from];
				if (batchMasks.get(i - from) != null) {
					maps.add(scored.maps()[i - from]);
					masks.add(batchMasks.get(i - from));
				}
			}
			progress.update("defects", to, defects.size());
		}
		float[] goodScores = goods.values();
		float[] scores = new float[goodScores.length + defectScores.length];
		boolean[] labels = new boolean[scores.length];
		System.arraycopy(goodScores, 0, scores, 0, goodScores.length);
		System.arraycopy(defectScores, 0, scores, goodScores.length, defectScores.length);
		for (int i = goodScores.length; i < scores.length; i++) labels[i] = true;
		F1Max image = F1Max.of(scores, labels);

		F1Max pixel = new F1Max(Double.NaN, Float.NaN);
		float[] pixelScores = new float[0];
		if (!maps.isEmpty()) {
			int n = maps.size() * s * s;
			float[] px = new float[n];
			boolean[] pl = new boolean[n];
			for (int i = 0; i < maps.size(); i++) {
				System.arraycopy(maps.get(i), 0, px, i * s * s, s * s);
				System.arraycopy(masks.get(i), 0, pl, i * s * s, s * s);
			}
			pixel = F1Max.of(px, pl);
			pixelScores = px;
		}
		return new F1Thresholds(between(image.threshold(), scores), between(pixel.threshold(), pixelScores), image.value(), pixel.value(),
			goodScores.length, defects.size());
	}

	/**
	 * F1Max counts scores {@code >= t} as anomalous, {@code t} being one of the scores; verdicts use
	 * {@code score > threshold}. Halfway between {@code t} and the next lower score gives the same
	 * F1 on the examples with a margin on both sides, rather than on the edge of a score.
	 */
	static float between(float t, float[] scores) {
		if (Float.isNaN(t)) return Float.NaN;
		float below = Float.NEGATIVE_INFINITY;
		for (float v : scores) if (v < t && v > below) below = v;
		if (below == Float.NEGATIVE_INFINITY) return Math.nextDown(t);
		float mid = (float) ((below + (double) t) / 2);
		return mid < t ? mid : below;
	}
}
