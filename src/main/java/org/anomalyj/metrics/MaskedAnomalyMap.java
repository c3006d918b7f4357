package org.anomalyj.metrics;

/**
 * One image's pixel scores and ground-truth defect mask, both row-major {@code width x height}.
 * Arrays are held, not copied (anomaly maps are large); equality is by array identity.
 *
 * @param scores anomaly score per pixel, higher = more anomalous; no NaN
 * @param mask nonzero = defect pixel (MVTec masks store 255); {@code null} = no defect (a good
 *            image, which contributes only negatives)
 */
public record MaskedAnomalyMap(float[] scores, byte[] mask, int width, int height) {

	public MaskedAnomalyMap {
		if (width <= 0 || height <= 0)
			throw new IllegalArgumentException("anomaly map size must be positive, got " + width + "x" + height);
		if (scores == null)
			throw new IllegalArgumentException("anomaly map scores must not be null");
		long n = (long) width * height;
		if (scores.length != n)
			throw new IllegalArgumentException("anomaly map has " + scores.length + " scores, " + width + "x" + height + " needs " + n);
		if (mask != null && mask.length != n)
			throw new IllegalArgumentException("mask has " + mask.length + " values, " + width + "x" + height + " needs " + n);
	}

	/** Converts a boolean mask ({@code true} = defect). */
	public static MaskedAnomalyMap of(float[] scores, boolean[] mask, int width, int height) {
		byte[] bytes = null;
		if (mask != null) {
			bytes = new byte[mask.length];
			for (int i = 0; i < mask.length; i++)
				bytes[i] = (byte) (mask[i] ? 1 : 0);
		}
		return new MaskedAnomalyMap(scores, bytes, width, height);
	}
}
