package org.anomalyj.method.patchcore;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.ArrayList;
import java.util.List;

/**
 * Exact nearest-neighbour distances from query patches to a memory bank, as blocked matrix
 * products on the DJL engine. {@code |q - b|^2 = |q|^2 - 2 q.b + |b|^2}; the bank is stored
 * augmented as {@code [-2b, |b|^2]} and queries as {@code [q, 1]}, so each block is one matrix
 * product followed by one min-reduction, with no per-patch Java loop.
 */
public final class NearestNeighbourSearch implements AutoCloseable {

	/**
	 * Bank rows per block and query rows per tile. Each product is then a (1024 x 2048) block of
	 * 8 MB: small enough that the allocator recycles it instead of mapping fresh pages for every
	 * product (a (8192 x 4096) block cost more in page faults than in arithmetic: 53 against 38 ms
	 * per image on bottle), large enough that the engine's per-call overhead stays negligible.
	 */
	static final int BLOCK = 2048, QUERY_TILE = 1024;

	private final NDManager manager;
	private final List<NDArray> blocksT = new ArrayList<>();
	private final NDArray bank;
	private final int size, dim;

	/**
	 * @param bank {@code size x dim} row-major memory bank
	 */
	public NearestNeighbourSearch(NDManager parent, float[] bank, int size, int dim) {
		if (size <= 0) throw new IllegalArgumentException("empty memory bank");
		this.manager = parent.newSubManager();
		this.size = size;
		this.dim = dim;
		this.bank = manager.create(bank, new Shape(size, dim));
		try (NDManager tmp = manager.newSubManager()) {
			NDArray b = bank();
			NDArray norms = b.square().sum(new int[] {1}, true);
			NDArray augmented = b.mul(-2f).concat(norms, 1);
			for (int from = 0; from < size; from += BLOCK) {
				int to = Math.min(size, from + BLOCK);
				NDArray blockT = augmented.get(from + ":" + to).transpose().duplicate();
				blockT.attach(manager);
				blocksT.add(blockT);
			}
		}
	}

	public NDArray bank() {
		return bank;
	}

	public int size() {
		return size;
	}

	public int dim() {
		return dim;
	}

	/**
	 * @param queries (n, dim) on this search's device
	 * @return (n) Euclidean distance of each query to its nearest bank row, attached to the queries' manager
	 */
	public NDArray distances(NDArray queries) {
		NDManager out = queries.getManager();
		try (NDManager tmp = manager.newSubManager()) {
			NDArray q = queries.duplicate();
			q.attach(tmp);
			NDArray qNorm = q.square().sum(new int[] {1});
			NDList mins = new NDList();
			for (NDArray tile : augmentedTiles(tmp, q)) {
				NDArray best = null;
				for (NDArray blockT : blocksT) {
					NDArray product = tile.matMul(blockT);
					NDArray m = product.min(new int[] {1});
					product.close(); // free at once, so the next product reuses its memory
					best = best == null ? m : NDArrays.minimum(best, m);
				}
				mins.add(best);
			}
			NDArray d = concat(mins).add(qNorm).maximum(0f).sqrt();
			d.attach(out);
			return d;
		}
	}

	/**
	 * @param queries (n, dim) on this search's device
	 * @return index of each query's nearest bank row (lowest index on ties within a block)
	 */
	public int[] nearest(NDArray queries) {
		try (NDManager tmp = manager.newSubManager()) {
			NDArray q = queries.duplicate();
			q.attach(tmp);
			NDList indices = new NDList();
			for (NDArray tile : augmentedTiles(tmp, q)) {
				NDArray best = null, bestIndex = null;
				long offset = 0;
				for (NDArray blockT : blocksT) {
					NDArray product = tile.matMul(blockT);
					// The minimum read at the argmin: one reduction over the product instead of two.
					NDArray arg = product.argMin(1);
					NDArray m = product.gather(arg.expandDims(1), 1).squeeze(1);
					product.close();
					arg = arg.add(offset);
					if (best == null) {
						best = m;
						bestIndex = arg;
					} else {
						NDArray better = m.lt(best);
						bestIndex = NDArrays.where(better, arg, bestIndex);
						best = NDArrays.minimum(best, m);
					}
					offset += blockT.getShape().get(1);
				}
				indices.add(bestIndex);
			}
			long[] idx = concat(indices).toLongArray();
			int[] out = new int[idx.length];
			for (int i = 0; i < out.length; i++) out[i] = (int) idx[i];
			return out;
		}
	}

	/** The queries as {@code [q, 1]} rows, in tiles of {@link #QUERY_TILE}. */
	private static NDList augmentedTiles(NDManager tmp, NDArray q) {
		long n = q.getShape().get(0);
		NDArray qa = q.concat(tmp.ones(new Shape(n, 1)), 1);
		NDList tiles = new NDList();
		for (long from = 0; from < n; from += QUERY_TILE) tiles.add(qa.get(from + ":" + Math.min(n, from + QUERY_TILE)));
		return tiles;
	}

	private static NDArray concat(NDList parts) {
		return parts.size() == 1 ? parts.head() : NDArrays.concat(parts);
	}

	/**
	 * Indices of the {@code k} nearest bank rows of each query, nearest first. For the few
	 * queries that need it (score reweighting), so it favours simplicity over blocking.
	 *
	 * @param queries (n, dim)
	 * @return (n, k) int64, attached to the queries' manager
	 */
	public NDArray nearestIndices(NDArray queries, int k) {
		NDManager out = queries.getManager();
		try (NDManager tmp = manager.newSubManager()) {
			NDArray q = queries.duplicate();
			q.attach(tmp);
			// Arrays computed from the bank belong to the bank's manager unless moved: to tmp with them.
			NDArray bankT = bank.transpose();
			NDArray bankSquared = bank.square();
			bankT.attach(tmp);
			bankSquared.attach(tmp);
			NDArray d2 = q.square().sum(new int[] {1}, true)
				.sub(q.matMul(bankT).mul(2f))
				.add(bankSquared.sum(new int[] {1}).reshape(1, size));
			NDArray idx = d2.neg().topK(Math.min(k, size), 1).get(1);
			idx.attach(out);
			return idx;
		}
	}

	@Override
	public void close() {
		manager.close();
	}
}
