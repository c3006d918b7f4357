package org.anomalyj.features;

import org.anomalyj.backbone.Backbone;
import org.anomalyj.postprocess.ResamplingMatrix;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Locally aware patch features (PatchCore section 3.1): each tap's map is averaged over a
 * {@code p x p} neighbourhood, the coarser maps are bilinearly upsampled to the finest tap's grid,
 * and all are concatenated along channels. Shared by the memory-bank methods.
 */
public final class PatchFeatures implements AutoCloseable {

	private final Backbone backbone;
	private final List<String> taps;
	private final int poolSize;
	private final int gridH, gridW, dim;
	private final NDManager manager;
	/** Per tap: (rows, colsT) upsampling operators, or null when the tap is already on the grid. */
	private final List<NDArray[]> upsample = new ArrayList<>();

	public PatchFeatures(NDManager parent, Backbone backbone, List<String> taps, int poolSize, int inputHeight, int inputWidth) {
		if (taps.isEmpty()) throw new IllegalArgumentException("no feature taps given");
		for (String t : taps)
			if (!backbone.taps().contains(t))
				throw new IllegalArgumentException("backbone " + backbone.id() + " has no tap '" + t + "'; it has " + backbone.taps());
		if (poolSize < 1 || poolSize % 2 == 0) throw new IllegalArgumentException("neighbourhood size must be odd and positive, was " + poolSize);
		this.backbone = backbone;
		this.taps = List.copyOf(taps);
		this.poolSize = poolSize;
		this.manager = parent.newSubManager();
		int finest = taps.stream().mapToInt(backbone::stride).min().getAsInt();
		if (inputHeight % finest != 0 || inputWidth % finest != 0)
			throw new IllegalArgumentException("input size " + inputWidth + "x" + inputHeight + " is not a multiple of " + finest);
		this.gridH = inputHeight / finest;
		this.gridW = inputWidth / finest;
		int d = 0;
		for (String t : taps) {
			d += backbone.channels(t);
			int h = ceilDiv(inputHeight, backbone.stride(t)), w = ceilDiv(inputWidth, backbone.stride(t));
			if (h == gridH && w == gridW) {
				upsample.add(null);
			} else {
				NDArray rows = manager.create(ResamplingMatrix.bilinear(h, gridH), new Shape(gridH, h));
				NDArray colsT = manager.create(ResamplingMatrix.bilinear(w, gridW), new Shape(gridW, w)).transpose();
				upsample.add(new NDArray[] {rows, colsT});
			}
		}
		this.dim = d;
	}

	private static int ceilDiv(int a, int b) {
		return (a + b - 1) / b;
	}

	/** Feature dimension of one patch. */
	public int dim() {
		return dim;
	}

	public int gridHeight() {
		return gridH;
	}

	public int gridWidth() {
		return gridW;
	}

	public List<String> taps() {
		return taps;
	}

	public Backbone backbone() {
		return backbone;
	}

	/**
	 * @param input (N, 3, H, W), normalised
	 * @return (N, dim, gridH, gridW), attached to the input's manager
	 */
	public NDArray embed(NDArray input) {
		NDManager out = input.getManager();
		try (NDManager tmp = out.newSubManager()) {
			NDArray in = input.duplicate();
			in.attach(tmp);
			Map<String, NDArray> maps = backbone.forward(in, taps);
			NDList parts = new NDList();
			int p = poolSize / 2;
			for (int i = 0; i < taps.size(); i++) {
				NDArray f = maps.get(taps.get(i));
				if (poolSize > 1)
					f = Pool.avgPool2d(f, new Shape(poolSize, poolSize), new Shape(1, 1), new Shape(p, p), false, true);
				NDArray[] up = upsample.get(i);
				if (up != null) {
					f = up[0].matMul(f.matMul(up[1]));
					// A product belongs to its left operand's manager, here the long-lived one of the
					// operators: without this, every call would leave one array behind.
					f.attach(tmp);
				}
				parts.add(f);
			}
			NDArray result = parts.size() == 1 ? parts.get(0) : NDArrays.concat(parts, 1);
			result.attach(out);
			return result;
		}
	}

	/**
	 * Each image's features averaged over the grid (global average pooling): {@code (N, D, h, w)}
	 * to {@code N} vectors of {@code D}, what tells parts apart in a model of several.
	 */
	public static float[][] globalAverage(NDArray features) {
		Shape s = features.getShape();
		int n = (int) s.get(0), d = (int) s.get(1);
		float[] flat;
		// PyTorch's engine reduces over one axis at a time: the grid is flattened into one first.
		try (NDArray grid = features.reshape(n, d, -1); NDArray mean = grid.mean(new int[] {2})) {
			flat = mean.toFloatArray();
		}
		float[][] out = new float[n][];
		for (int i = 0; i < n; i++) out[i] = java.util.Arrays.copyOfRange(flat, i * d, (i + 1) * d);
		return out;
	}

	/** (N, D, h, w) to (N*h*w, D): one row per patch, patches of an image contiguous in row-major grid order. */
	public static NDArray asRows(NDArray features) {
		Shape s = features.getShape();
		return features.transpose(0, 2, 3, 1).reshape(s.get(0) * s.get(2) * s.get(3), s.get(1));
	}

	@Override
	public void close() {
		manager.close();
	}
}
