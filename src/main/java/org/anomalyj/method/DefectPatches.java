package org.anomalyj.method;

import org.anomalyj.features.FeatureGrid;
import org.anomalyj.features.FeatureRows;

import java.util.Arrays;

/**
 * The patches of labelled defect images that show the defect: what a method at the survey's
 * semi-supervised level learns from besides the good images ({@link TrainingSet#defects()}), e.g.
 * as extra anomalous examples. Empty ({@link #NONE}) when no labelled defects were given.
 * <p>
 * <b>Which patches count as defective.</b> A patch's feature describes the grid cell it sits on
 * (a {@code stride x stride} square of the network input, {@code stride = inputSize / gridSize})
 * together with its 3 x 3 neighbourhood, which feature aggregation averages in. A patch is a
 * labelled defect patch when the mask, resized to the network input as for evaluation (nearest
 * neighbour), covers at least {@link #MIN_COVERAGE} of its own cell. A cell the mask merely
 * touches is left out: its feature is mostly the normal surroundings, and teaching a method that
 * such a feature is anomalous would teach it to flag normal patches. A defect smaller than a
 * quarter of every cell it touches still contributes its most covered cell, so every labelled
 * image gives at least one patch. Patches away from the mask are not returned: whether they are
 * normal depends on labels being complete, which hand-drawn masks rarely are.
 */
public final class DefectPatches {

	/** Share of a patch's own cell the mask must cover for the patch to count as defective. */
	public static final double MIN_COVERAGE = 0.25;

	/** No labelled defects. */
	public static final DefectPatches NONE = new DefectPatches(new float[0], 0, 1, 0);

	private final float[] rows;
	private final int count, channels, images;

	private DefectPatches(float[] rows, int count, int channels, int images) {
		this.rows = rows;
		this.count = count;
		this.channels = channels;
		this.images = images;
	}

	/**
	 * The defect patches of some labelled images.
	 *
	 * @param features the images' patch features, image after image
	 * @param masks one mask per image at the network input's size, row-major, {@code inputSize x inputSize}
	 */
	public static DefectPatches of(FeatureRows features, boolean[][] masks, int inputSize) {
		FeatureGrid grid = features.grid();
		if (masks.length != features.images())
			throw new IllegalArgumentException(masks.length + " masks for " + features.images() + " images");
		int d = grid.channels(), per = grid.positions();
		float[] v = features.values();
		float[] out = new float[0];
		int n = 0;
		for (int i = 0; i < masks.length; i++) {
			boolean[] defective = labels(masks[i], inputSize, grid);
			int k = 0;
			for (boolean b : defective) if (b) k++;
			if (out.length < (n + k) * d) out = Arrays.copyOf(out, Math.max((n + k) * d, out.length * 2));
			for (int p = 0; p < per; p++)
				if (defective[p]) System.arraycopy(v, (i * per + p) * d, out, n++ * d, d);
		}
		return new DefectPatches(Arrays.copyOf(out, n * d), n, d, masks.length);
	}

	/**
	 * Which grid positions of one image are labelled defect patches (the rule above), row-major
	 * over the grid. All false for an empty mask.
	 *
	 * @param mask {@code inputSize x inputSize}, row-major
	 */
	public static boolean[] labels(boolean[] mask, int inputSize, FeatureGrid grid) {
		if (mask.length != inputSize * inputSize) throw new IllegalArgumentException("mask of " + mask.length + " pixels, expected " + inputSize + "x" + inputSize);
		int h = grid.height(), w = grid.width();
		double[] coverage = new double[h * w];
		for (int gy = 0; gy < h; gy++) {
			int y0 = gy * inputSize / h, y1 = (gy + 1) * inputSize / h;
			for (int gx = 0; gx < w; gx++) {
				int x0 = gx * inputSize / w, x1 = (gx + 1) * inputSize / w, covered = 0;
				for (int y = y0; y < y1; y++)
					for (int x = x0; x < x1; x++) if (mask[y * inputSize + x]) covered++;
				coverage[gy * w + gx] = covered / (double) ((y1 - y0) * (x1 - x0));
			}
		}
		boolean[] out = new boolean[h * w];
		int best = -1;
		boolean any = false;
		for (int p = 0; p < out.length; p++) {
			out[p] = coverage[p] >= MIN_COVERAGE;
			any |= out[p];
			if (coverage[p] > 0 && (best < 0 || coverage[p] > coverage[best])) best = p;
		}
		if (!any && best >= 0) out[best] = true;
		return out;
	}

	/** Labelled defect patches. */
	public int count() {
		return count;
	}

	public int channels() {
		return channels;
	}

	/** Labelled images the patches came from. */
	public int images() {
		return images;
	}

	public boolean isEmpty() {
		return count == 0;
	}

	/** The patches' features, one row of {@link #channels()} values each; shared, not copied. */
	public float[] values() {
		return rows;
	}
}
