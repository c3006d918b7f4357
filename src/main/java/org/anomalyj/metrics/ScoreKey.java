package org.anomalyj.metrics;

/**
 * Packs a score and a region id into one {@code long} whose signed order is the score order, so
 * that millions of pixels sort as a primitive array (no boxing, no index indirection) and a single
 * scan of the sorted keys yields every threshold with its positives.
 * <p>
 * High 32 bits: the float's bits remapped so that signed-int order equals numeric order. Low 32
 * bits: the region id (0 = negative sample); it only orders pixels within a tie, which the metrics
 * collapse anyway.
 */
final class ScoreKey {

	private ScoreKey() {}

	/** The score must not be NaN (callers check, to name the offending sample in the message). */
	static long of(float score, int region) {
		// +0.0f folds -0.0 into 0.0: numpy/sklearn treat them as one tied score.
		int bits = Float.floatToRawIntBits(score + 0.0f);
		int sortable = bits ^ ((bits >> 31) & 0x7fffffff);
		return ((long) sortable << 32) | (region & 0xffffffffL);
	}

	static float score(long key) {
		int sortable = (int) (key >> 32);
		return Float.intBitsToFloat(sortable ^ ((sortable >> 31) & 0x7fffffff));
	}

	static int region(long key) {
		return (int) key;
	}

	static boolean sameScore(long a, long b) {
		return (a >> 32) == (b >> 32);
	}
}
