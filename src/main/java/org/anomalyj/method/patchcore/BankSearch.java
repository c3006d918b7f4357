package org.anomalyj.method.patchcore;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Exact distances from query patches to their nearest memory-bank entry. Implementations differ in
 * how much of the bank they must look at, never in the answer (up to float rounding): the dense
 * search looks at all of it, the others rule parts out with bounds that suit the bank's width.
 */
interface BankSearch extends AutoCloseable {

	/**
	 * @param queries (n, dim) on this search's device
	 * @return (n) Euclidean distance of each query to its nearest bank row, attached to the queries' manager
	 */
	NDArray distances(NDArray queries);

	/** The dense search over the same bank, for what needs all of it (indices of k nearest). */
	NearestNeighbourSearch dense();

	@Override
	void close();

	/**
	 * The search that suits the bank: a low-dimensional bound for wide features (ResNet-50's 1536-d),
	 * clusters and the triangle inequality for narrow ones (MobileNetV2's 128-d).
	 */
	static BankSearch of(NDManager manager, float[] bank, int size, int dim, long seed) {
		return ProjectedNearestNeighbourSearch.suits(size, dim) ? new ProjectedNearestNeighbourSearch(manager, bank, size, dim, seed)
			: new ClusteredNearestNeighbourSearch(manager, bank, size, dim, seed);
	}
}
