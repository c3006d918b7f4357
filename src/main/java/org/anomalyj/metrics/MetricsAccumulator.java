package org.anomalyj.metrics;

import java.util.Arrays;

/**
 * Collects one image at a time (image score and label, anomaly map and mask) and computes every
 * {@link MetricsReport} value in one call. Pixels are kept as 8-byte packed score/region keys
 * (defect regions are labelled on {@link #add}, so masks are not retained); the pixel metrics then
 * share a single sort. Not thread-safe.
 */
public final class MetricsAccumulator {

	private float[] imageScores = new float[64];
	private boolean[] imageLabels = new boolean[64];
	private int images;
	private final PixelKeyBuffer pixels = new PixelKeyBuffer();

	/**
	 * @param imageScore the image's anomaly score, higher = more anomalous
	 * @param anomalous the image's ground-truth label
	 * @param map per-pixel anomaly scores, row-major {@code width x height}
	 * @param mask ground-truth mask, nonzero = defect; {@code null} for an image without defect
	 * @throws IllegalArgumentException on NaN scores or sizes that do not match
	 */
	public void add(float imageScore, boolean anomalous, float[] map, byte[] mask, int width, int height) {
		if (Float.isNaN(imageScore))
			throw new IllegalArgumentException("image " + images + " has a NaN image score");
		pixels.add(new MaskedAnomalyMap(map, mask, width, height));
		if (images == imageScores.length) {
			imageScores = Arrays.copyOf(imageScores, 2 * images);
			imageLabels = Arrays.copyOf(imageLabels, 2 * images);
		}
		imageScores[images] = imageScore;
		imageLabels[images] = anomalous;
		images++;
	}

	public int imageCount() {
		return images;
	}

	public long pixelCount() {
		return pixels.size();
	}

	/**
	 * Computes all metrics over the images added so far; more images may be added afterwards.
	 *
	 * @throws IllegalArgumentException when no image was added
	 */
	public MetricsReport compute() {
		if (images == 0)
			throw new IllegalArgumentException("no images added: metrics need at least one image");
		float[] scores = Arrays.copyOf(imageScores, images);
		boolean[] labels = Arrays.copyOf(imageLabels, images);
		RocCurve.Builder imageRoc = new RocCurve.Builder();
		F1Max.Sweep imageF1 = new F1Max.Sweep();
		ScoreRanking.of(scores, labels).sweep(imageRoc, imageF1);

		RocCurve.Builder pixelRoc = new RocCurve.Builder();
		AveragePrecision.Sweep pixelAp = new AveragePrecision.Sweep();
		ProCurve.Builder pro = new ProCurve.Builder();
		pixels.ranking().sweep(pixelRoc, pixelAp, pro);

		RocCurve iRoc = imageRoc.build();
		RocCurve pRoc = pixelRoc.build();
		ProCurve proCurve = pro.build();
		F1Max f1 = imageF1.result();
		return new MetricsReport(iRoc.auc(), pRoc.auc(), proCurve.aupro(), f1.value(), f1.threshold(),
			pixelAp.value(), iRoc, pRoc, proCurve, images, pixels.size());
	}
}
