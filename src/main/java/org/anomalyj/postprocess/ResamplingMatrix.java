package org.anomalyj.postprocess;

/**
 * Linear resampling operators as dense matrices. Bilinear resizing and a separable Gaussian blur
 * are both linear in each axis, so a map {@code S} (h x w) becomes {@code R_h S R_w^T}: one matrix
 * product per axis on the DJL engine, exact, and the same on CPU and GPU. Matrices are row-major
 * float arrays of {@code rows x cols}.
 */
public final class ResamplingMatrix {

	private ResamplingMatrix() {}

	/**
	 * Bilinear interpolation from {@code in} to {@code out} samples with half-pixel centres
	 * (PyTorch {@code interpolate(mode="bilinear", align_corners=False)}, no antialiasing).
	 *
	 * @return {@code out x in}
	 */
	public static float[] bilinear(int in, int out) {
		float[] m = new float[out * in];
		double scale = (double) in / out;
		for (int o = 0; o < out; o++) {
			double src = Math.max(0, (o + 0.5) * scale - 0.5);
			int i0 = Math.min((int) Math.floor(src), in - 1);
			int i1 = Math.min(i0 + 1, in - 1);
			double lambda = src - i0;
			m[o * in + i0] += (float) (1 - lambda);
			m[o * in + i1] += (float) lambda;
		}
		return m;
	}

	/**
	 * Gaussian blur of a line of {@code size} samples with reflect padding (… 2 1 | 0 1 2 …), kernel
	 * width {@code 2 * (int) (4 sigma + 0.5) + 1}, normalised to sum 1, as anomalib's
	 * {@code GaussianBlur2d} (kornia, border "reflect") does for PatchCore maps.
	 *
	 * @return {@code size x size}
	 */
	public static float[] gaussianReflect(int size, double sigma) {
		int radius = (int) (4 * sigma + 0.5);
		double[] kernel = new double[2 * radius + 1];
		double sum = 0;
		// With radius 0 the kernel is the identity; computing it would be 0/0 when sigma squared underflows.
		if (radius == 0) kernel[0] = sum = 1;
		else for (int k = -radius; k <= radius; k++) sum += kernel[k + radius] = Math.exp(-(k * k) / (2 * sigma * sigma));
		float[] m = new float[size * size];
		for (int i = 0; i < size; i++) {
			for (int k = -radius; k <= radius; k++) {
				int j = reflect(i + k, size);
				m[i * size + j] += (float) (kernel[k + radius] / sum);
			}
		}
		return m;
	}

	private static int reflect(int i, int size) {
		if (size == 1) return 0;
		int period = 2 * (size - 1);
		i = Math.floorMod(i, period);
		return i < size ? i : period - i;
	}

	/** {@code a (r x k) times b (k x c)}. */
	public static float[] multiply(float[] a, float[] b, int r, int k, int c) {
		float[] out = new float[r * c];
		for (int i = 0; i < r; i++)
			for (int t = 0; t < k; t++) {
				float v = a[i * k + t];
				if (v == 0) continue;
				for (int j = 0; j < c; j++) out[i * c + j] += v * b[t * c + j];
			}
		return out;
	}
}
