package org.anomalyj.image;

/**
 * Pillow BILINEAR resize between two fixed sizes, with the filter taps computed once so that a
 * stream of same-sized images reuses them. Immutable, so one instance may be shared by threads.
 * <p>
 * The arithmetic is exactly that of {@link FloatResizer#bilinear}: a horizontal pass into a float32
 * intermediate, then a vertical pass, each output sample a double sum over its taps in tap order.
 * Only the memory access order differs: the vertical pass accumulates whole rows (one double per
 * output column), so it reads the intermediate row by row instead of down columns; the horizontal
 * pass takes its source rows as doubles (exact copies of the float values, converted once instead of
 * once per tap) and works on four rows at a time.
 */
final class BilinearResize {

	/** Source rows handed to {@link #resizeRows} at a time by callers: few enough to stay in cache. */
	static final int ROW_BLOCK = 16;

	final int srcW, srcH, dstW, dstH;
	/** Null when that axis keeps its size. */
	private final Taps horizontal, vertical;

	BilinearResize(int srcW, int srcH, int dstW, int dstH) {
		if (srcW < 1 || srcH < 1 || dstW < 1 || dstH < 1)
			throw new IllegalArgumentException("sizes must be >= 1, got " + srcW + "x" + srcH + " -> " + dstW + "x" + dstH);
		this.srcW = srcW;
		this.srcH = srcH;
		this.dstW = dstW;
		this.dstH = dstH;
		this.horizontal = dstW == srcW ? null : Taps.bilinear(srcW, dstW);
		this.vertical = dstH == srcH ? null : Taps.bilinear(srcH, dstH);
	}

	/** Whether this plan is for these sizes. */
	boolean fits(int srcW, int srcH, int dstW, int dstH) {
		return this.srcW == srcW && this.srcH == srcH && this.dstW == dstW && this.dstH == dstH;
	}

	/** Resizes a whole {@code srcW x srcH} array into a new {@code dstW x dstH} array. */
	float[] apply(float[] src) {
		float[] intermediate;
		if (horizontal == null) intermediate = src;
		else {
			intermediate = new float[dstW * srcH];
			int block = Math.min(ROW_BLOCK, srcH);
			double[] rows = new double[block * srcW];
			for (int y0 = 0; y0 < srcH; y0 += block) {
				int n = Math.min(block, srcH - y0);
				for (int i = 0; i < n * srcW; i++) rows[i] = src[y0 * srcW + i];
				resizeRows(rows, 0, n, intermediate, y0 * dstW);
			}
		}
		float[] out = new float[dstW * dstH];
		resizeColumns(intermediate, out, 0);
		return out;
	}

	/**
	 * Horizontal pass of {@code rows} consecutive source rows starting at {@code src[srcOffset]} into
	 * {@code rows} rows of {@code dstW} values starting at {@code out[outOffset]} (a copy when the width
	 * does not change).
	 */
	void resizeRows(double[] src, int srcOffset, int rows, float[] out, int outOffset) {
		if (horizontal == null) {
			for (int i = 0; i < rows * srcW; i++) out[outOffset + i] = (float) src[srcOffset + i];
			return;
		}
		int y = 0;
		// Four rows at once: their sums are independent, so the CPU overlaps four addition chains
		// that would otherwise each wait for the previous addition. Each sum is still formed alone.
		for (; y + 4 <= rows; y += 4) resizeFourRows(src, srcOffset + y * srcW, out, outOffset + y * dstW);
		for (; y < rows; y++) resizeRow(src, srcOffset + y * srcW, out, outOffset + y * dstW);
	}

	private void resizeRow(double[] src, int at, float[] out, int to) {
		int[] start = horizontal.start, count = horizontal.count;
		double[] weights = horizontal.weights;
		int kSize = horizontal.kSize;
		for (int x = 0; x < dstW; x++) {
			int from = at + start[x], base = x * kSize, n = count[x];
			double ss = 0;
			for (int k = 0; k < n; k++) ss += src[from + k] * weights[base + k];
			out[to + x] = (float) ss;
		}
	}

	private void resizeFourRows(double[] src, int at, float[] out, int to) {
		int[] start = horizontal.start, count = horizontal.count;
		double[] weights = horizontal.weights;
		int kSize = horizontal.kSize, sw = srcW, dw = dstW;
		for (int x = 0; x < dw; x++) {
			int from = at + start[x], base = x * kSize, n = count[x];
			double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
			for (int k = 0; k < n; k++) {
				double wk = weights[base + k];
				int i = from + k;
				s0 += src[i] * wk;
				s1 += src[i + sw] * wk;
				s2 += src[i + 2 * sw] * wk;
				s3 += src[i + 3 * sw] * wk;
			}
			out[to + x] = (float) s0;
			out[to + dw + x] = (float) s1;
			out[to + 2 * dw + x] = (float) s2;
			out[to + 3 * dw + x] = (float) s3;
		}
	}

	/** Vertical pass: the {@code dstW x srcH} intermediate to {@code dstW x dstH} values at {@code out[offset]}. */
	void resizeColumns(float[] intermediate, float[] out, int offset) {
		int w = dstW;
		if (vertical == null) {
			System.arraycopy(intermediate, 0, out, offset, w * dstH);
			return;
		}
		double[] acc = new double[w];
		int[] start = vertical.start, count = vertical.count;
		double[] weights = vertical.weights;
		int kSize = vertical.kSize;
		for (int y = 0; y < dstH; y++) {
			// Starts at +0.0 like the scalar sum, so a sum of -0.0 terms still ends as +0.0.
			java.util.Arrays.fill(acc, 0.0);
			int base = y * kSize;
			for (int k = 0; k < count[y]; k++) {
				double wk = weights[base + k];
				int row = (start[y] + k) * w;
				for (int x = 0; x < w; x++) acc[x] += intermediate[row + x] * wk;
			}
			int o = offset + y * w;
			for (int x = 0; x < w; x++) out[o + x] = (float) acc[x];
		}
	}

	/** Filter taps per output sample: Pillow's {@code precompute_coeffs} with the bilinear (triangle) filter. */
	private static final class Taps {
		final int kSize;
		final int[] start, count;
		final double[] weights;

		private Taps(int kSize, int[] start, int[] count, double[] weights) {
			this.kSize = kSize;
			this.start = start;
			this.count = count;
			this.weights = weights;
		}

		static Taps bilinear(int inSize, int outSize) {
			double scale = (double) inSize / outSize;
			double filterScale = Math.max(scale, 1.0);
			double support = 1.0 * filterScale; // triangle filter support 1, widened when downscaling
			int kSize = (int) Math.ceil(support) * 2 + 1;
			int[] start = new int[outSize], count = new int[outSize];
			double[] weights = new double[outSize * kSize];
			for (int xx = 0; xx < outSize; xx++) {
				double center = (xx + 0.5) * scale;
				double ss = 1.0 / filterScale;
				// (int) truncates toward zero, like the C cast Pillow uses.
				int xmin = (int) (center - support + 0.5);
				if (xmin < 0) xmin = 0;
				int xmax = (int) (center + support + 0.5);
				if (xmax > inSize) xmax = inSize;
				xmax -= xmin;
				double ww = 0;
				int base = xx * kSize;
				for (int x = 0; x < xmax; x++) {
					double w = triangle((x + xmin - center + 0.5) * ss);
					weights[base + x] = w;
					ww += w;
				}
				if (ww != 0)
					for (int x = 0; x < xmax; x++) weights[base + x] /= ww;
				start[xx] = xmin;
				count[xx] = xmax;
			}
			return new Taps(kSize, start, count, weights);
		}

		private static double triangle(double x) {
			if (x < 0) x = -x;
			return x < 1 ? 1 - x : 0;
		}
	}
}
