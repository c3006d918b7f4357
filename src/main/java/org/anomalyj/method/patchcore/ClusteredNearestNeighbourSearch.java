package org.anomalyj.method.patchcore;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Nearest-neighbour distances to a memory bank that search only the parts of the bank that can
 * hold the answer: exact, or with a bounded number of clusters per query. The bank is split into
 * clusters (k-means); for a query {@code q}, a cluster
 * with centre {@code c} and radius {@code r} (its farthest member) can only hold a point nearer
 * than a distance {@code u} already found if {@code |q - c| - r < u}, by the triangle inequality.
 * So each query is first compared with the members of its own cluster, which gives {@code u}, and
 * then only with the clusters that inequality cannot rule out. On bottle's bank that is about 6 %
 * of the bank per query instead of all of it.
 * <p>
 * The work stays in matrix products on the engine: queries are grouped by the cluster they must
 * visit and each group is multiplied with that cluster's block, as in {@link NearestNeighbourSearch}
 * (same augmented {@code [-2b, |b|^2]} form, so the same float values). Java only does the
 * bookkeeping of which query visits which cluster. When the bounds rule out too little (spread-out
 * banks, texture-like data, anomalous batches), a batch falls back to the dense search, so this is
 * never much slower than it. The bounds carry a slack far above float rounding, so a cluster is
 * never skipped because of rounding: the distances equal the dense search's up to rounding.
 * <p>
 * On texture (a surface whose patches all look alike) the bounds rule out little: on BSData ball
 * screws 64 % of the bank per query, so nearly every batch fell back to the dense search. With
 * {@code probes > 0} a query visits, besides its own cluster, at most that many of the clusters
 * the bounds leave, those with the nearest centres first (an inverted-file search, as faiss's
 * {@code nprobe}): the cost per query is bounded by {@code probes + 1} clusters whatever the data,
 * and a distance can only come out too large, never too small, when the true nearest entry lies in
 * a cluster not visited. Measured on real banks (docs/BENCHMARKS.md): 8 probes found the exact
 * nearest distance for 99.1 % of ball-screw patches and 99.95 % of bottle's, mean relative excess
 * 0.03 % and 0.001 %, with every metric within 0.001 of the exact search.
 */
public final class ClusteredNearestNeighbourSearch implements AutoCloseable {

	/** Below this bank size the dense search is as fast: no clusters. */
	static final int MIN_CLUSTERED_SIZE = 4096;
	/**
	 * Clusters per square root of the bank size. More clusters rule out more of the bank but cost
	 * more engine calls per batch; on bottle (19 251 entries) 0.5 searched in 10.5 ms per image,
	 * 0.25 in 13.3, 1 in 13-17, 2 in 20, against 33 for the dense search (same run, 2 cores).
	 */
	private static final double CLUSTERS_PER_ROOT = 0.5;
	/** Lloyd iterations: enough for tight clusters; exactness does not depend on them. */
	private static final int KMEANS_ITERATIONS = 8;
	/** Fall back to the dense search when the bounds leave more than this fraction of the work. */
	static final double DENSE_FALLBACK = 0.5;
	/** Relative slack on the squared bounds; float rounding of the products is far below it. */
	private static final float SLACK = 1e-3f;

	private final NDManager manager;
	/** The bank, kept (not copied) to build the dense search when something first needs it. */
	private final float[] bank;
	/** Built on first use: clustered banks need it only for fallbacks, reweighting and exemplars (0.1-0.16 s at load). */
	private NearestNeighbourSearch dense;
	private final int size, dim, clusters;
	/** Per cluster: its members' rows as {@code (dim + 1, members)} augmented blocks. */
	private final NDArray[] blocksT;
	private final int[] members;
	/** Cluster centres, augmented and transposed: {@code (dim + 1, clusters)}. */
	private final NDArray centresT;
	private final float[] radius;
	/** {@code clusters x dim}, row-major; null without clusters. */
	private final float[] centres;
	/** Each entry's cluster, {@code size} values; null without clusters. */
	private final int[] assignment;
	private final float maxNormSquared;
	/** Clusters a query visits beyond its own at most; 0 for all the bounds leave (exact). */
	private final int probes;
	private double lastSearchedFraction = 1;

	/**
	 * The exact search.
	 *
	 * @param bank {@code size x dim} row-major; not modified, and kept: the caller must not change it either
	 * @param seed seeds the k-means start (the distances do not depend on it)
	 */
	public ClusteredNearestNeighbourSearch(NDManager parent, float[] bank, int size, int dim, long seed) {
		this(parent, bank, size, dim, seed, null, 0);
	}

	/**
	 * @param knownCentres centres an earlier search over the same bank found ({@link #centres()}, e.g.
	 *        kept in the model file), {@code clusters(size) x dim}; null to find them. k-means is most
	 *        of the construction (8.7 s of about 9 for a 15 389 x 1536 bank); the distances do not
	 *        depend on the centres, only the time does (unless {@code probes > 0}: then which
	 *        clusters a query visits depends on them, so keep them with the model)
	 * @param probes clusters a query visits beyond its own at most, nearest centres first; 0 for
	 *        every cluster that can hold a nearer entry (exact distances)
	 */
	public ClusteredNearestNeighbourSearch(NDManager parent, float[] bank, int size, int dim, long seed, float[] knownCentres, int probes) {
		this(parent, bank, size, dim, seed, knownCentres, null, probes);
	}

	/**
	 * @param knownAssignment each entry's cluster as an earlier search over the same bank and
	 *        {@code knownCentres} found ({@link #assignment()}, e.g. kept in the model file),
	 *        {@code size} values in {@code [0, clusters(size))}; null to assign each entry to its
	 *        nearest centre (an assignment pass over the bank: about 0.1 s of bottle's load). Only
	 *        with {@code knownCentres}. Members, radii and blocks are always derived from the bank
	 *        and the centres, whatever the assignment says (see the constructor's comment on why
	 *        the distances stay right for any assignment)
	 */
	public ClusteredNearestNeighbourSearch(NDManager parent, float[] bank, int size, int dim, long seed, float[] knownCentres, int[] knownAssignment,
		int probes) {
		if (probes < 0) throw new IllegalArgumentException("probes must be 0 (exact) or positive, was " + probes);
		this.probes = probes;
		this.manager = parent.newSubManager();
		this.size = size;
		this.dim = dim;
		this.bank = bank;
		if (size < MIN_CLUSTERED_SIZE) {
			clusters = 0;
			centres = null;
			assignment = null;
			blocksT = null;
			members = null;
			centresT = null;
			radius = null;
			maxNormSquared = 0;
			return;
		}
		clusters = clusters(size);
		if (knownCentres != null && knownCentres.length != clusters * dim)
			throw new IllegalArgumentException(knownCentres.length + " centre values, expected " + clusters + " x " + dim);
		if (knownAssignment != null && knownCentres == null)
			throw new IllegalArgumentException("an assignment to clusters is only meaningful with the centres it was made for");
		if (knownAssignment != null && knownAssignment.length != size)
			throw new IllegalArgumentException(knownAssignment.length + " cluster indices for " + size + " entries");
		float[] centres = knownCentres != null ? knownCentres.clone() : kMeans(bank, clusters, seed);
		this.centres = centres;
		// A given assignment is used without checking that each entry went to its nearest centre
		// (checking costs as much as assigning). Nothing needs it: the radius of a cluster is
		// measured below as the distance from its centre to its farthest member, whichever entries
		// the assignment made its members, so |q - c| - r <= |q - b| holds for every member b by the
		// triangle inequality, and every entry is a member of exactly one cluster. The exact search
		// (probes 0) therefore skips only clusters that cannot hold a nearer entry, for any
		// assignment; a query's own cluster is its nearest centre, not taken from the assignment.
		// With probes > 0 the assignment decides, like the centres, which clusters a query visits,
		// and a distance is still one to a real entry, never below the exact one: the same kind of
		// error a computed assignment has. The file's assignment is the one computed when it was
		// written (KMeans.assign over the same bank and centres), so it scores bit for bit as the
		// same file without it; only a file written on another device could differ, in entries
		// nearly equidistant from two centres, and then the stored one makes loading reproducible.
		int[] assignment = knownAssignment != null ? knownAssignment.clone() : assign(bank, centres);
		for (int a : assignment)
			if (a < 0 || a >= clusters) throw new IllegalArgumentException("cluster index " + a + ", the bank has " + clusters + " clusters");
		this.assignment = assignment;
		members = new int[clusters];
		for (int a : assignment) members[a]++;
		radius = new float[clusters];
		float maxNorm = 0;
		for (int i = 0; i < size; i++) {
			int c = assignment[i];
			radius[c] = Math.max(radius[c], (float) Math.sqrt(SquaredDistance.between(bank, i * dim, centres, c * dim, dim)));
			maxNorm = Math.max(maxNorm, norm(bank, i));
		}
		for (int c = 0; c < clusters; c++) maxNorm = Math.max(maxNorm, norm(centres, c));
		maxNormSquared = maxNorm;
		// Members of each cluster contiguous, then one augmented block per cluster.
		int[] start = new int[clusters + 1];
		for (int c = 0; c < clusters; c++) start[c + 1] = start[c] + members[c];
		int[] fill = Arrays.copyOf(start, clusters);
		float[] sorted = new float[size * dim];
		for (int i = 0; i < size; i++) System.arraycopy(bank, i * dim, sorted, fill[assignment[i]]++ * dim, dim);
		blocksT = new NDArray[clusters];
		try (NDManager tmp = manager.newSubManager()) {
			NDArray all = augmented(tmp, sorted, size);
			for (int c = 0; c < clusters; c++) {
				if (members[c] == 0) continue;
				blocksT[c] = all.get(start[c] + ":" + start[c + 1]).transpose().duplicate();
				blocksT[c].attach(manager);
			}
			centresT = augmented(tmp, centres, clusters).transpose().duplicate();
			centresT.attach(manager);
		}
	}

	private float norm(float[] rows, int i) {
		double s = 0;
		for (int j = 0; j < dim; j++) s += (double) rows[i * dim + j] * rows[i * dim + j];
		return (float) s;
	}

	/** {@code [-2x, |x|^2]} rows, so that a product with {@code [q, 1]} gives {@code |x - q|^2 - |q|^2}. */
	private NDArray augmented(NDManager m, float[] rows, int n) {
		NDArray x = m.create(rows, new Shape(n, dim));
		return x.mul(-2f).concat(x.square().sum(new int[] {1}, true), 1);
	}

	/** Lloyd's k-means from {@code k} distinct bank rows drawn with the seed; empty clusters keep their centre. */
	private float[] kMeans(float[] bank, int k, long seed) {
		int[] pick = new SplittableRandom(seed).ints(0, size).distinct().limit(k).toArray();
		float[] centres = new float[k * dim];
		for (int c = 0; c < k; c++) System.arraycopy(bank, pick[c] * dim, centres, c * dim, dim);
		for (int it = 0; it < KMEANS_ITERATIONS; it++) centres = KMeans.means(bank, size, dim, assign(bank, centres), centres, k);
		return centres;
	}

	private int[] assign(float[] bank, float[] centres) {
		return KMeans.assign(manager, bank, size, centres, centres.length / dim, dim);
	}

	/** The dense search over the same bank, for what needs all of it (indices of k nearest). */
	public synchronized NearestNeighbourSearch dense() {
		if (dense == null) dense = new NearestNeighbourSearch(manager, bank, size, dim);
		return dense;
	}

	public int size() {
		return size;
	}

	/** Clusters the bank is split into; 0 when it is too small to be worth it (dense search). */
	int clusters() {
		return clusters;
	}

	/** Clusters a bank of {@code size} entries is split into. */
	static int clusters(int size) {
		return size < MIN_CLUSTERED_SIZE ? 0 : (int) Math.round(CLUSTERS_PER_ROOT * Math.sqrt(size));
	}

	/** The cluster centres, {@code clusters() x dim} row-major (a copy), or null when there are no clusters. */
	float[] centres() {
		return centres == null ? null : centres.clone();
	}

	/** Each bank entry's cluster, {@code size()} values (a copy), or null when there are no clusters. */
	int[] assignment() {
		return assignment == null ? null : assignment.clone();
	}

	/** Share of the dense search's distance computations the last call made (1 after a fallback). */
	double lastSearchedFraction() {
		return lastSearchedFraction;
	}

	/**
	 * @param queries (n, dim) on this search's device
	 * @return (n) Euclidean distance of each query to its nearest bank row, attached to the queries' manager
	 */
	public NDArray distances(NDArray queries) {
		if (clusters == 0) {
			lastSearchedFraction = 1;
			return dense().distances(queries);
		}
		NDManager out = queries.getManager();
		int n = Math.toIntExact(queries.getShape().get(0));
		float[] best, qNorm;
		try (NDManager tmp = manager.newSubManager()) {
			NDArray q = queries.duplicate();
			q.attach(tmp);
			NDArray qn = q.square().sum(new int[] {1});
			NDArray qa = q.concat(tmp.ones(new Shape(n, 1)), 1);
			qNorm = qn.toFloatArray();
			float[] toCentre = qa.matMul(centresT).toFloatArray(); // |q - c|^2 - |q|^2, (n, clusters)

			// First pass: each query against its own (nearest) cluster.
			int[] own = new int[n];
			for (int i = 0; i < n; i++) {
				int arg = 0;
				float min = Float.POSITIVE_INFINITY;
				for (int c = 0; c < clusters; c++) {
					float v = toCentre[i * clusters + c];
					if (v < min && members[c] > 0) {
						min = v;
						arg = c;
					}
				}
				own[i] = arg;
			}
			best = new float[n];
			Arrays.fill(best, Float.POSITIVE_INFINITY);
			long work = visit(tmp, qa, byCluster(own, n), best);

			// Second pass: every other cluster the triangle inequality cannot rule out (at most `probes`, nearest first).
			int[][] visits = new int[clusters][];
			int[] count = new int[clusters];
			boolean[] visit = new boolean[n * clusters];
			int[] candidates = new int[clusters];
			for (int i = 0; i < n; i++) {
				float slack = SLACK * (qNorm[i] + maxNormSquared);
				double u = Math.sqrt(Math.max(0, best[i] + qNorm[i]));
				int found = 0;
				for (int c = 0; c < clusters; c++) {
					if (c == own[i] || members[c] == 0) continue;
					double reach = u + radius[c];
					if (Math.max(0, toCentre[i * clusters + c] + qNorm[i]) <= reach * reach + slack) candidates[found++] = c;
				}
				if (probes > 0 && found > probes) found = keepNearest(candidates, found, toCentre, i * clusters);
				for (int k = 0; k < found; k++) {
					int c = candidates[k];
					visit[i * clusters + c] = true;
					count[c]++;
					work += members[c];
				}
			}
			// Only the exact search falls back: a bounded search's distances must not depend on the batch a query came in.
			if (probes == 0 && work > DENSE_FALLBACK * (double) n * size) {
				lastSearchedFraction = 1;
				return dense().distances(queries);
			}
			for (int c = 0; c < clusters; c++) visits[c] = new int[count[c]];
			Arrays.fill(count, 0);
			for (int i = 0; i < n; i++)
				for (int c = 0; c < clusters; c++)
					if (visit[i * clusters + c]) visits[c][count[c]++] = i;
			visit(tmp, qa, visits, best);
			lastSearchedFraction = work / ((double) n * size);
		}
		float[] d = new float[n];
		for (int i = 0; i < n; i++) d[i] = (float) Math.sqrt(Math.max(0, best[i] + qNorm[i]));
		return out.create(d);
	}

	/**
	 * Moves the {@code probes} candidates with the nearest centres to the front (partial selection;
	 * ties to the lower cluster index, so the choice is deterministic).
	 *
	 * @return {@code probes}
	 */
	private int keepNearest(int[] candidates, int found, float[] toCentre, int row) {
		for (int k = 0; k < probes; k++) {
			int arg = k;
			for (int j = k + 1; j < found; j++) {
				float a = toCentre[row + candidates[j]], b = toCentre[row + candidates[arg]];
				if (a < b || a == b && candidates[j] < candidates[arg]) arg = j;
			}
			int t = candidates[k];
			candidates[k] = candidates[arg];
			candidates[arg] = t;
		}
		return probes;
	}

	/** Query indices grouped by cluster. */
	private int[][] byCluster(int[] cluster, int n) {
		int[] count = new int[clusters];
		for (int c : cluster) count[c]++;
		int[][] groups = new int[clusters][];
		for (int c = 0; c < clusters; c++) groups[c] = new int[count[c]];
		Arrays.fill(count, 0);
		for (int i = 0; i < n; i++) groups[cluster[i]][count[cluster[i]]++] = i;
		return groups;
	}

	/**
	 * Multiplies each cluster's group of queries with the cluster's block and lowers {@code best}
	 * (squared distance minus the query's squared norm) where a member is nearer.
	 * <p>
	 * The groups are gathered in one engine call and the minima read back in one: each call costs
	 * tens of microseconds whatever its size, and a gather, an index upload and a read-back per
	 * cluster took a third of bottle's search (9.6 → 7.5 ms per image, docs/BENCHMARKS.md).
	 *
	 * @return distance computations made
	 */
	private long visit(NDManager tmp, NDArray qa, int[][] groups, float[] best) {
		int total = 0;
		for (int[] g : groups) total += g.length;
		if (total == 0) return 0;
		long[] order = new long[total];
		int at = 0;
		for (int[] g : groups)
			for (int q : g) order[at++] = q;
		long work = 0;
		try (NDManager local = tmp.newSubManager()) {
			NDArray sorted = qa.get(new NDIndex("{}", local.create(order)));
			sorted.attach(local);
			NDList mins = new NDList();
			int from = 0;
			for (int c = 0; c < clusters; c++) {
				int g = groups[c].length;
				if (g == 0) continue;
				try (NDArray rows = sorted.get(new NDIndex().addSliceDim(from, from + g)); NDArray products = rows.matMul(blocksT[c])) {
					NDArray m = products.min(new int[] {1});
					m.attach(local);
					mins.add(m);
				}
				from += g;
				work += (long) g * members[c];
			}
			float[] v = (mins.size() == 1 ? mins.head() : NDArrays.concat(mins)).toFloatArray();
			for (int k = 0; k < total; k++) {
				int q = (int) order[k];
				best[q] = Math.min(best[q], v[k]);
			}
		}
		return work;
	}

	@Override
	public void close() {
		manager.close();
	}
}
