package org.anomalyj.method;

import org.anomalyj.features.FeatureGrid;
import org.anomalyj.features.FeatureRows;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The training patches a method that learns over many epochs holds in memory: every patch of the
 * training set, or, beyond {@code maxPatches}, a uniform random sample of them (reservoir sampling,
 * seeded), so memory stays bounded whatever the number of images while every epoch sees the same
 * patches. Collected in one pass over {@link TrainingSet#forEachFeatures}.
 */
public final class PatchSample {

	private final float[] rows;
	private final int count, channels, images;
	private final long seen;

	private PatchSample(float[] rows, int count, int channels, int images, long seen) {
		this.rows = rows;
		this.count = count;
		this.channels = channels;
		this.images = images;
		this.seen = seen;
	}

	/**
	 * @param maxPatches most patches held
	 * @param seed seeds the sample, drawn only when there are more patches than {@code maxPatches}
	 */
	public static PatchSample collect(TrainingSet data, int maxPatches, long seed) {
		if (maxPatches < 1) throw new IllegalArgumentException("at least one patch must be held");
		FeatureGrid grid = data.grid();
		int d = grid.channels();
		SplittableRandom random = new SplittableRandom(seed);
		float[][] held = {new float[Math.multiplyExact(Math.min(maxPatches, 1 << 16), d)]};
		long[] seenPatches = {0};
		int images = data.forEachFeatures((FeatureRows batch) -> {
			float[] v = batch.values();
			for (int r = 0; r < batch.rowCount(); r++) {
				long k = seenPatches[0]++;
				int slot;
				if (k < maxPatches) slot = (int) k;
				else {
					long j = random.nextLong(k + 1);
					if (j >= maxPatches) continue;
					slot = (int) j;
				}
				if ((long) (slot + 1) * d > held[0].length)
					held[0] = Arrays.copyOf(held[0], (int) Math.min((long) maxPatches * d, Math.max((long) (slot + 1) * d, (long) held[0].length * 2)));
				System.arraycopy(v, r * d, held[0], slot * d, d);
			}
		});
		int count = (int) Math.min(seenPatches[0], maxPatches);
		return new PatchSample(count * d == held[0].length ? held[0] : Arrays.copyOf(held[0], count * d), count, d, images, seenPatches[0]);
	}

	/** Patches held. */
	public int count() {
		return count;
	}

	public int channels() {
		return channels;
	}

	/** Images the patches came from. */
	public int images() {
		return images;
	}

	/** Patches in the training set, held or not. */
	public long seen() {
		return seen;
	}

	/** The held patches, one row of {@link #channels()} values each; shared, not copied. */
	public float[] values() {
		return rows;
	}

	/** Per-channel mean and standard deviation of the held patches (computed in float64); a constant channel gets 1. */
	public float[][] meanAndDeviation() {
		double[] sum = new double[channels], squares = new double[channels];
		for (int r = 0; r < count; r++)
			for (int c = 0; c < channels; c++) sum[c] += rows[r * channels + c];
		float[] mean = new float[channels], std = new float[channels];
		for (int c = 0; c < channels; c++) mean[c] = (float) (sum[c] / count);
		for (int r = 0; r < count; r++)
			for (int c = 0; c < channels; c++) {
				double x = rows[r * channels + c] - (double) mean[c];
				squares[c] += x * x;
			}
		for (int c = 0; c < channels; c++) {
			double s = Math.sqrt(squares[c] / count);
			std[c] = s > 1e-6 ? (float) s : 1f;
		}
		return new float[][] {mean, std};
	}

	/** Rows {@code order[from..to)} of the held patches, gathered into one array. */
	public float[] gather(int[] order, int from, int to) {
		float[] out = new float[(to - from) * channels];
		for (int i = from; i < to; i++) System.arraycopy(rows, order[i] * channels, out, (i - from) * channels, channels);
		return out;
	}
}
