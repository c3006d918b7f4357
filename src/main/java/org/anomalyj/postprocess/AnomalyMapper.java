package org.anomalyj.postprocess;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Turns a grid of patch scores into a pixel anomaly map at the model's input size: bilinear
 * upsampling followed by a Gaussian blur (sigma 4 at 256 px, scaled with the input size), as
 * PatchCore and anomalib do. Both steps are folded into one matrix per axis.
 */
public final class AnomalyMapper implements AutoCloseable {

	private final NDManager manager;
	private final NDArray rows;
	private final NDArray colsT;
	private final int gridH, gridW, outH, outW;

	/**
	 * @param manager where the operator matrices live (their device is the device of the maps)
	 * @param sigma blur in output pixels; 0 for none
	 */
	public AnomalyMapper(NDManager manager, int gridH, int gridW, int outH, int outW, double sigma) {
		this.manager = manager.newSubManager();
		this.gridH = gridH;
		this.gridW = gridW;
		this.outH = outH;
		this.outW = outW;
		float[] r = operator(gridH, outH, sigma);
		float[] c = operator(gridW, outW, sigma);
		this.rows = this.manager.create(r, new Shape(outH, gridH));
		this.colsT = this.manager.create(c, new Shape(outW, gridW)).transpose();
	}

	/** Default PatchCore smoothing: sigma 4 px at 256 px input, proportional otherwise. */
	public static double defaultSigma(int inputSize) {
		return 4.0 * inputSize / 256.0;
	}

	private static float[] operator(int in, int out, double sigma) {
		float[] up = ResamplingMatrix.bilinear(in, out);
		if (sigma <= 0) return up;
		return ResamplingMatrix.multiply(ResamplingMatrix.gaussianReflect(out, sigma), up, out, out, in);
	}

	/**
	 * @param patchScores (N, gridH, gridW)
	 * @return (N, outH, outW), attached to the scores' manager
	 */
	public NDArray map(NDArray patchScores) {
		Shape s = patchScores.getShape();
		if (s.dimension() != 3 || s.get(1) != gridH || s.get(2) != gridW)
			throw new IllegalArgumentException("patch scores of shape " + s + ", expected (N, " + gridH + ", " + gridW + ")");
		NDArray out = rows.matMul(patchScores.matMul(colsT));
		out.attach(patchScores.getManager());
		return out;
	}

	public int outHeight() {
		return outH;
	}

	public int outWidth() {
		return outW;
	}

	@Override
	public void close() {
		manager.close();
	}
}
