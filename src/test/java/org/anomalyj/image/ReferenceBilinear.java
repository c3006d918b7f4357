package org.anomalyj.image;

/**
 * The straightforward Pillow BILINEAR resize (horizontal pass, float32 intermediate, vertical pass
 * down columns, double sums in tap order) and preprocessing loop as they were before the faster
 * {@link BilinearResize}, kept to check that the faster code gives bit-identical results.
 */
final class ReferenceBilinear {

	private ReferenceBilinear() {}

	static float[] resize(float[] src, int srcW, int srcH, int dstW, int dstH) {
		float[] current = src;
		int w = srcW;
		if (dstW != srcW) {
			double[][] cx = taps(srcW, dstW);
			float[] out = new float[dstW * srcH];
			for (int y = 0; y < srcH; y++)
				for (int x = 0; x < dstW; x++) {
					int start = (int) cx[x][0];
					double ss = 0;
					for (int k = 1; k < cx[x].length; k++) ss += current[y * srcW + start + k - 1] * cx[x][k];
					out[y * dstW + x] = (float) ss;
				}
			current = out;
			w = dstW;
		}
		if (dstH != srcH) {
			double[][] cy = taps(srcH, dstH);
			float[] out = new float[w * dstH];
			for (int y = 0; y < dstH; y++) {
				int start = (int) cy[y][0];
				for (int x = 0; x < w; x++) {
					double ss = 0;
					for (int k = 1; k < cy[y].length; k++) ss += current[(start + k - 1) * w + x] * cy[y][k];
					out[y * w + x] = (float) ss;
				}
			}
			current = out;
		}
		return current == src ? src.clone() : current;
	}

	/** Preprocessor's result computed the slow way: per-channel values through ImgLib2 cursors, normalise, resize. */
	static float[] preprocess(net.imglib2.RandomAccessibleInterval<? extends net.imglib2.type.numeric.RealType<?>> plane,
		int size, IntensityRange range, InputNormalization normalization) {
		int channels = Planes.channels(plane), w = Planes.width(plane), h = Planes.height(plane), s2 = size * size;
		float[] out = new float[3 * s2];
		for (int c = 0; c < channels; c++) {
			net.imglib2.RandomAccessibleInterval<? extends net.imglib2.type.numeric.RealType<?>> slice =
				plane.numDimensions() == 2 ? plane : net.imglib2.view.Views.hyperSlice(plane, 2, c);
			float[] values = new float[w * h];
			var cursor = net.imglib2.view.Views.flatIterable(slice).cursor();
			for (int i = 0; i < values.length; i++) values[i] = range.normalize(cursor.next().getRealFloat());
			float[] resized = resize(values, w, h, size, size);
			System.arraycopy(resized, 0, out, c * s2, s2);
		}
		for (int c = channels; c < 3; c++) System.arraycopy(out, 0, out, c * s2, s2);
		// Grey is replicated first: each channel has its own mean and deviation.
		for (int c = 0; c < 3; c++)
			for (int i = 0; i < s2; i++) out[c * s2 + i] = normalization.apply(out[c * s2 + i], c);
		return out;
	}

	/** Per output sample: {start, weight0, weight1, ...}; Pillow's precompute_coeffs for the triangle filter. */
	private static double[][] taps(int inSize, int outSize) {
		double scale = (double) inSize / outSize, filterScale = Math.max(scale, 1.0), support = filterScale, ss = 1.0 / filterScale;
		double[][] taps = new double[outSize][];
		for (int xx = 0; xx < outSize; xx++) {
			double center = (xx + 0.5) * scale;
			int xmin = Math.max(0, (int) (center - support + 0.5));
			int xmax = Math.min(inSize, (int) (center + support + 0.5)) - xmin;
			double[] t = new double[1 + Math.max(0, xmax)];
			t[0] = xmin;
			double ww = 0;
			for (int x = 0; x < xmax; x++) {
				double d = Math.abs((x + xmin - center + 0.5) * ss);
				t[1 + x] = d < 1 ? 1 - d : 0;
				ww += t[1 + x];
			}
			if (ww != 0) for (int x = 0; x < xmax; x++) t[1 + x] /= ww;
			taps[xx] = t;
		}
		return taps;
	}
}
