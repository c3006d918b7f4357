package org.anomalyj.method.patchcore;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

import java.util.SplittableRandom;

/**
 * Exact nearest-neighbour distances to a memory bank of wide features (ResNet-50's 1536-d patches),
 * at a fraction of the dense search's cost, by a lower bound computed in few dimensions.
 * <p>
 * With {@code P} a {@code dim x m} matrix of orthonormal columns spanning the bank's main directions
 * (its leading principal subspace) and {@code x' = x - mean}, every distance splits into the part
 * inside the subspace and the part outside it, and the outside part is bounded below by the
 * difference of the residual norms (triangle inequality):
 * <pre>
 *   |q - b|^2 = |P'(q' - b')|^2 + |R(q' - b')|^2 >= |P'q' - P'b'|^2 + (r(q) - r(b))^2 =: lb(q, b)
 * </pre>
 * {@code lb} against the whole bank is one matrix product of width {@code m + 2} (the augmented form
 * of {@link NearestNeighbourSearch}), about {@code dim / m} times cheaper than the dense search. For
 * each query the {@link #CANDIDATES} entries of lowest bound are compared exactly; their nearest
 * distance {@code u} is the answer whenever the next-lowest bound is above {@code u}: no other entry
 * can then be nearer. Queries without that certificate (rare on good images; anomalous patches,
 * being far from everything, have looser bounds) are searched densely. So the distances are the
 * dense search's up to float rounding, whatever the data; the data only decides the speed.
 * <p>
 * Feature spectra of natural images fall off fast: on bottle's ResNet50-v2 bank (15 389 entries,
 * 1536-d) the 256 leading directions hold 97 % of the variance, and 95 % of the test images' patches
 * are answered from their 32 candidates (87 % from 16; 85 % from 48 with 128 directions). The basis is
 * computed when the model loads (subspace iteration on a sample of the bank), so model files are
 * unchanged. Its quality affects the speed only, never the result.
 */
final class ProjectedNearestNeighbourSearch implements BankSearch {

	/** Dimension of the bounding subspace. */
	static final int PROJECTED_DIM = 256;
	/** Narrower features gain too little from the bound to pay for it. */
	static final int MIN_DIM = 4 * PROJECTED_DIM;
	/** Below this bank size the dense search is as fast. */
	static final int MIN_SIZE = 4096;
	/** Entries compared exactly per query before the certificate is checked. */
	static final int CANDIDATES = 32;
	/** When more than this share of a tile's queries lack the certificate, the whole tile goes dense. */
	private static final double DENSE_FALLBACK = 0.5;
	/** Bank rows the basis is estimated from; enough for the leading directions of a bank. */
	private static final int BASIS_SAMPLE = 8192;
	private static final int SUBSPACE_ITERATIONS = 4;
	/** Relative slack on the bound: float rounding of the products and residuals is far below it. */
	private static final float SLACK = 1e-4f;

	private final NDManager manager;
	private final NearestNeighbourSearch dense;
	private final int size, dim, candidates;
	private final NDArray mean, basis;
	/** {@code [-2 P'b', -2 r(b), |b'|^2]} rows transposed: {@code (m + 2, size)}. */
	private final NDArray boundBankT;
	/** {@code |b|^2} per bank row, for the exact distances of candidates. */
	private final NDArray bankNorms;
	private final float maxCentredNormSquared;
	private long certified, searched;

	/**
	 * @param bank {@code size x dim} row-major; not modified
	 * @param seed seeds the subspace iteration's start (the distances do not depend on it)
	 */
	ProjectedNearestNeighbourSearch(NDManager parent, float[] bank, int size, int dim, long seed) {
		this(parent, bank, size, dim, seed, CANDIDATES);
	}

	/** @param candidates entries compared exactly per query; fewer only make more queries go dense */
	ProjectedNearestNeighbourSearch(NDManager parent, float[] bank, int size, int dim, long seed, int candidates) {
		this.candidates = candidates;
		this.manager = parent.newSubManager();
		this.size = size;
		this.dim = dim;
		this.dense = new NearestNeighbourSearch(manager, bank, size, dim);
		float[] meanRow = mean(bank, size, dim);
		float[] p = leadingSubspace(bank, meanRow, seed);
		mean = manager.create(meanRow, new Shape(1, dim));
		basis = manager.create(p, new Shape(PROJECTED_DIM, dim)).transpose().duplicate();
		try (NDManager tmp = manager.newSubManager()) {
			// Arrays computed from the bank belong to the bank's manager unless moved: a copy in tmp.
			NDArray b = dense.bank().duplicate();
			b.attach(tmp);
			NDArray norms = b.square().sum(new int[] {1});
			NDArray centred = b.sub(mean);
			NDArray projected = centred.matMul(basis);
			NDArray centredNorms = centred.square().sum(new int[] {1}, true);
			NDArray residual = centredNorms.sub(projected.square().sum(new int[] {1}, true)).maximum(0f).sqrt();
			maxCentredNormSquared = centredNorms.max().getFloat();
			NDArray boundT = projected.mul(-2f).concat(residual.mul(-2f), 1).concat(centredNorms, 1).transpose().duplicate();
			boundT.attach(manager);
			norms.attach(manager);
			boundBankT = boundT;
			bankNorms = norms;
		}
	}

	/** Whether this search pays for a bank of this shape. */
	static boolean suits(int size, int dim) {
		return dim >= MIN_DIM && size >= MIN_SIZE;
	}

	@Override
	public NearestNeighbourSearch dense() {
		return dense;
	}

	/** Share of queries answered from their candidates since the search was made. */
	double certifiedFraction() {
		return searched == 0 ? 1 : certified / (double) searched;
	}

	@Override
	public NDArray distances(NDArray queries) {
		NDManager out = queries.getManager();
		int n = Math.toIntExact(queries.getShape().get(0));
		float[] d2 = new float[n];
		try (NDManager tmp = manager.newSubManager()) {
			NDArray q = queries.duplicate();
			q.attach(tmp);
			for (int from = 0; from < n; from += NearestNeighbourSearch.QUERY_TILE) {
				int to = Math.min(n, from + NearestNeighbourSearch.QUERY_TILE);
				try (NDManager local = tmp.newSubManager()) {
					NDArray tile = q.get(from + ":" + to);
					tile.attach(local);
					searchTile(local, tile, d2, from);
				}
			}
		}
		float[] d = new float[n];
		for (int i = 0; i < n; i++) d[i] = (float) Math.sqrt(Math.max(0, d2[i]));
		return out.create(d);
	}

	/** Squared distances of a tile's queries into {@code d2[offset ...]}. */
	private void searchTile(NDManager local, NDArray q, float[] d2, int offset) {
		int t = Math.toIntExact(q.getShape().get(0));
		int k = Math.min(candidates, size - 1);
		NDArray centred = q.sub(mean);
		NDArray projected = centred.matMul(basis);
		NDArray centredNorms = centred.square().sum(new int[] {1}, true);
		NDArray residual = centredNorms.sub(projected.square().sum(new int[] {1}, true)).maximum(0f).sqrt();
		NDArray augmented = projected.concat(residual, 1).concat(local.ones(new Shape(t, 1)), 1);
		// lb - |q'|^2 for every (query, entry): the k + 1 lowest per query, lowest first.
		NDList lowest = augmented.matMul(boundBankT).neg().topK(k + 1, 1, true, true);
		NDArray candidates = lowest.get(1).get(":, :" + k);
		float[] nextBound = lowest.get(0).get(":, " + k).neg().add(centredNorms.reshape(t)).toFloatArray();
		// Exact squared distances to the candidates: |q|^2 - 2 q.b + |b|^2.
		NDArray flat = candidates.reshape(-1);
		NDArray rows = dense.bank().get(new NDIndex("{}", flat));
		NDArray norms = bankNorms.get(new NDIndex("{}", flat));
		rows.attach(local); // gathered from the bank, so in its manager until moved
		norms.attach(local);
		NDArray dots = rows.reshape(t, k, dim).batchMatMul(q.reshape(t, dim, 1)).reshape(t, k);
		NDArray exact = norms.reshape(t, k).sub(dots.mul(2f)).add(q.square().sum(new int[] {1}, true));
		float[] nearest = exact.min(new int[] {1}).toFloatArray();
		float[] qNorms = centredNorms.reshape(t).toFloatArray();
		int[] open = new int[t];
		int uncertain = 0;
		for (int i = 0; i < t; i++) {
			float slack = SLACK * (qNorms[i] + maxCentredNormSquared);
			if (nextBound[i] > nearest[i] + slack) d2[offset + i] = nearest[i];
			else open[uncertain++] = i;
		}
		searched += t;
		certified += t - uncertain;
		if (uncertain == 0) return;
		NDArray rest;
		if (uncertain > DENSE_FALLBACK * t) {
			rest = dense.distances(q);
			uncertain = t;
			for (int i = 0; i < t; i++) open[i] = i;
		} else {
			long[] idx = new long[uncertain];
			for (int i = 0; i < uncertain; i++) idx[i] = open[i];
			NDArray subset = q.get(new NDIndex("{}", local.create(idx)));
			rest = dense.distances(subset);
		}
		float[] r = rest.toFloatArray();
		for (int i = 0; i < uncertain; i++) d2[offset + open[i]] = r[i] * r[i];
	}

	private static float[] mean(float[] bank, int size, int dim) {
		double[] sum = new double[dim];
		for (int i = 0; i < size; i++)
			for (int j = 0; j < dim; j++) sum[j] += bank[i * dim + j];
		float[] m = new float[dim];
		for (int j = 0; j < dim; j++) m[j] = (float) (sum[j] / size);
		return m;
	}

	/**
	 * Orthonormal basis of the bank's leading principal subspace, as {@code m} rows of length
	 * {@code dim}, by subspace iteration on the covariance of an evenly spaced sample of rows.
	 * Orthonormality is what the bound needs, so the last step is Gram-Schmidt in double precision.
	 */
	private float[] leadingSubspace(float[] bank, float[] meanRow, long seed) {
		int m = PROJECTED_DIM, step = Math.max(1, size / BASIS_SAMPLE), rows = (size + step - 1) / step;
		float[] sample = new float[rows * dim];
		for (int r = 0; r < rows; r++)
			for (int j = 0; j < dim; j++) sample[r * dim + j] = bank[r * step * dim + j] - meanRow[j];
		SplittableRandom random = new SplittableRandom(seed);
		double[] v = new double[m * dim];
		for (int i = 0; i < v.length; i++) v[i] = random.nextDouble() - 0.5;
		orthonormalize(v, m, dim, random);
		try (NDManager tmp = manager.newSubManager()) {
			NDArray x = tmp.create(sample, new Shape(rows, dim));
			NDArray covariance = x.transpose().matMul(x);
			for (int it = 0; it < SUBSPACE_ITERATIONS; it++) {
				// The covariance is symmetric: V C holds (C V')' row by row.
				float[] y = tmp.create(toFloats(v), new Shape(m, dim)).matMul(covariance).toFloatArray();
				for (int i = 0; i < v.length; i++) v[i] = y[i];
				orthonormalize(v, m, dim, random);
			}
		}
		return toFloats(v);
	}

	/**
	 * Modified Gram-Schmidt on the {@code m} rows of a row-major {@code m x dim} matrix. A row that
	 * the others already span (a bank of lower rank) is replaced by a random one: any orthonormal
	 * rows give a valid bound.
	 */
	static void orthonormalize(double[] a, int m, int dim, SplittableRandom random) {
		for (int c = 0; c < m; c++) {
			int row = c * dim;
			for (int attempt = 0; ; attempt++) {
				double before = 0;
				for (int j = 0; j < dim; j++) before += a[row + j] * a[row + j];
				for (int p = 0; p < c; p++) {
					double dot = 0;
					for (int j = 0; j < dim; j++) dot += a[row + j] * a[p * dim + j];
					for (int j = 0; j < dim; j++) a[row + j] -= dot * a[p * dim + j];
				}
				double norm = 0;
				for (int j = 0; j < dim; j++) norm += a[row + j] * a[row + j];
				if (norm > 1e-20 && norm > 1e-10 * before) {
					double scale = 1 / Math.sqrt(norm);
					for (int j = 0; j < dim; j++) a[row + j] *= scale;
					break;
				}
				if (attempt > 10) throw new IllegalStateException("cannot find " + m + " orthonormal directions in " + dim + " dimensions");
				for (int j = 0; j < dim; j++) a[row + j] = random.nextDouble() - 0.5;
			}
		}
	}

	private static float[] toFloats(double[] v) {
		float[] f = new float[v.length];
		for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
		return f;
	}

	@Override
	public void close() {
		manager.close();
	}
}
