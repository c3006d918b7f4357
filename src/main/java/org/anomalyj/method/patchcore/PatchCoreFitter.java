package org.anomalyj.method.patchcore;

import org.anomalyj.features.FeatureGrid;
import org.anomalyj.features.FeatureRows;
import org.anomalyj.method.Fitter;
import org.anomalyj.task.Progress;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.IntUnaryOperator;

/**
 * PatchCore's training, fed batch by batch: holds at most one chunk of raw patches
 * ({@link PatchCore#CHUNK_PATCHES}) plus the memory bank selected so far.
 * <p>
 * The first chunk is selected by the exact greedy k-center loop ({@link CoresetSampler}) to the
 * coreset ratio; the last centre it took is the coverage radius the bank reached: every patch of
 * that chunk is within it of a bank entry. Each later chunk continues the same greedy selection
 * from the bank: a patch starts at its distance to the nearest bank entry (one nearest-neighbour
 * pass of matrix products), and centres are added, farthest first, until the farthest remaining
 * patch is within the first chunk's radius, or the chunk's ratio share was added. So the bank
 * grows where new data is not yet covered as well as the first chunk is — with the novelty of the
 * data, not linearly with its amount — and no centre is spent on what the bank already covers
 * (pooling independent per-chunk coresets kept such redundant centres). Up to one chunk the result
 * is the plain greedy coreset.
 * <p>
 * Features wider than {@link #SELECTION_DIM} (ResNet's 1536) are selected on a sparse random
 * projection to that many dimensions, as the PatchCore paper does (section 3.2): the greedy loop
 * and the distances to the bank run on the projection, the bank keeps the exact features. At
 * 1536 dimensions that makes selection about 12 times cheaper in time and memory traffic, and a
 * chunk is bounded by {@link #CHUNK_VALUES} rather than rows. Features of at most that width (the
 * embedded MobileNetV2's 128) are selected exactly as before.
 * <p>
 * Patches arrive in the training set's order (image after image, each in row-major grid order), so
 * a chunk's row is a patch's running number less the chunk's start: the fitter keeps that number of
 * each selected patch (8 bytes an entry) and, when the features came with their grid, turns it
 * into the entry's source image and grid position ({@link org.anomalyj.method.Exemplars.Source}).
 */
final class PatchCoreFitter implements Fitter {

	/** Queries per nearest-neighbour call against the bank: bounds the (queries x block) product to 64 MB. */
	private static final int QUERY_BLOCK = 4096;
	/** Bank entries per search slice: patches a slice covers skip the later slices. */
	static final int BANK_SLICE = 16384;
	/** Coreset selection runs on a random projection to this many dimensions when the features are wider. */
	static final int SELECTION_DIM = 128;
	/**
	 * Feature values one chunk may hold (512 MB): {@link PatchCore#CHUNK_PATCHES} rows up to 512
	 * dimensions, fewer rows when wider (87 381 rows of 1536 dimensions, 85 images at 256 px).
	 */
	static final long CHUNK_VALUES = (long) PatchCore.CHUNK_PATCHES * 512;

	/** Rows per chunk for features of {@code dim} dimensions: {@code maxRows}, or fewer to stay within {@link #CHUNK_VALUES}. */
	static int chunkRows(int maxRows, int dim) {
		return (int) Math.max(1, Math.min(maxRows, CHUNK_VALUES / dim));
	}

	private final NDManager manager;
	private final int dim;
	private final PatchCore.Settings settings;
	private final Progress progress;
	private final int chunkRows, bankSlice;
	private float[] chunk = new float[0];
	private int rows;
	private float[] bank = new float[0];
	/** The bank as the selection sees it: projected when {@link #projection} is set, else {@link #bank} itself. */
	private float[] selectionBank = new float[0];
	/** Null when the features are selected as they are. */
	private final SparseRandomProjection projection;
	private int bankSize, chunks;
	private long patches;
	/** Running patch number (over all patches added) of each bank entry. */
	private long[] bankPatches = new long[0];
	/** The grid the features came with; null when rows were added without one (no sources then). */
	private FeatureGrid grid;
	private boolean gridless;
	/** Squared coverage radius the first chunk's selection reached. */
	private float radius;
	private boolean finished;

	/**
	 * @param chunkRows patches per chunk ({@link PatchCore#CHUNK_PATCHES}; smaller in tests)
	 */
	PatchCoreFitter(NDManager manager, int dim, PatchCore.Settings settings, Progress progress, int chunkRows) {
		this(manager, dim, settings, progress, chunkRows, BANK_SLICE);
	}

	/** @param bankSlice bank entries per search slice ({@link #BANK_SLICE}; smaller in tests) */
	PatchCoreFitter(NDManager manager, int dim, PatchCore.Settings settings, Progress progress, int chunkRows, int bankSlice) {
		if (chunkRows < 1 || bankSlice < 1) throw new IllegalArgumentException("chunk and bank slice must be positive, were " + chunkRows + ", " + bankSlice);
		this.bankSlice = bankSlice;
		this.manager = manager;
		this.dim = dim;
		this.settings = settings;
		this.progress = progress;
		this.chunkRows = chunkRows;
		this.projection = dim > SELECTION_DIM ? new SparseRandomProjection(dim, SELECTION_DIM, settings.seed()) : null;
	}

	/**
	 * A fitter whose selection continues from an existing bank (the first {@code size} rows of
	 * {@code bank}, not modified): every chunk is selected as a later chunk is, without an early
	 * stop (the bank's coverage radius is not known).
	 */
	static PatchCoreFitter continuing(NDManager manager, int dim, PatchCore.Settings settings, Progress progress, int chunkRows, float[] bank, int size) {
		PatchCoreFitter f = new PatchCoreFitter(manager, dim, settings, progress, chunkRows);
		f.bank = java.util.Arrays.copyOf(bank, size * dim);
		f.bankSize = size;
		f.selectionBank = f.projection == null ? f.bank : f.projection.apply(f.bank, size);
		f.chunks = 1;
		f.radius = Float.NEGATIVE_INFINITY;
		// The old entries' sources index the first training's image list, the new ones would index the
		// update's: until both lists are kept together, an updated bank does not claim any.
		f.gridless = true;
		return f;
	}

	@Override
	public void add(FeatureRows batch) {
		if (batch.grid().channels() != dim) throw new IllegalArgumentException("features of " + batch.grid().channels() + " channels, expected " + dim);
		if (grid == null && !gridless && patches == 0) grid = batch.grid();
		else if (grid != null && !grid.equals(batch.grid())) throw new IllegalArgumentException("features of grid " + batch.grid() + ", expected " + grid);
		append(batch.values(), batch.rowCount());
	}

	/** Adds the first {@code n} rows of the row-major {@code values}, of no known grid: the bank will not know its sources. */
	void addRows(float[] values, int n) {
		gridless = true;
		grid = null;
		append(values, n);
	}

	private void append(float[] values, int n) {
		if (finished) throw new IllegalStateException("the fitter has finished");
		for (int from = 0; from < n;) {
			int take = Math.min(n - from, chunkRows - rows);
			reserve(rows + take);
			System.arraycopy(values, from * dim, chunk, rows * dim, take * dim);
			rows += take;
			from += take;
			patches += take;
			if (rows == chunkRows) selectChunk();
		}
	}

	@Override
	public PatchCore finish() {
		if (finished) throw new IllegalStateException("the fitter has finished");
		if (rows > 0) selectChunk();
		if (bankSize == 0) throw new IllegalStateException("no training patches were added");
		finished = true;
		chunk = null;
		return new PatchCore(manager, settings, bank, bankSize, dim, grid == null ? null : sources(grid));
	}

	/** Each entry's image, grid row and column, as {@link PatchCore} stores them. */
	private int[] sources(FeatureGrid g) {
		int[] out = new int[bankSize * 3];
		for (int i = 0; i < bankSize; i++) {
			long p = bankPatches[i];
			int position = (int) (p % g.positions());
			out[3 * i] = Math.toIntExact(p / g.positions());
			out[3 * i + 1] = position / g.width();
			out[3 * i + 2] = position % g.width();
		}
		return out;
	}

	/** Patches added so far. */
	long patches() {
		return patches;
	}

	/** Grows the chunk buffer with the data, up to one chunk: small training sets do not pay for a full one. */
	private void reserve(int neededRows) {
		long needed = (long) neededRows * dim;
		if (needed <= chunk.length) return;
		long grown = Math.min((long) chunkRows * dim, Math.max(needed, (long) chunk.length * 3 / 2));
		chunk = Arrays.copyOf(chunk, Math.toIntExact(grown));
	}

	private void selectChunk() {
		int k = (int) Math.max(1, Math.min(rows, Math.floor(rows * settings.coresetRatio())));
		CoresetSampler sampler = new CoresetSampler(manager, progress);
		long seed = settings.seed() + chunks;
		float[] selection = projection == null ? chunk : projection.apply(chunk, rows);
		int selectionDim = projection == null ? dim : projection.outputDim();
		int[] picked;
		if (chunks == 0) {
			CoresetSampler.Selection s = sampler.selection(selection, rows, selectionDim, k, seed);
			picked = s.indices();
			radius = s.radius();
		} else {
			picked = sampler.continueFrom(selection, rows, selectionDim, k, seed, distancesToBank(selection, selectionDim), radius).indices();
		}
		bank = appendRows(bank, bankSize, chunk, picked, dim);
		long chunkStart = patches - rows;
		bankPatches = Arrays.copyOf(bankPatches, bankSize + picked.length);
		for (int i = 0; i < picked.length; i++) bankPatches[bankSize + i] = chunkStart + picked[i];
		if (projection != null) selectionBank = appendRows(selectionBank, bankSize, selection, picked, selectionDim);
		bankSize += picked.length;
		if (projection == null) selectionBank = bank;
		chunks++;
		rows = 0;
	}

	/** {@code rows} of {@code from} appended to the first {@code size} rows of {@code to}. */
	private static float[] appendRows(float[] to, int size, float[] from, int[] rows, int dim) {
		float[] grown = Arrays.copyOf(to, Math.multiplyExact(size + rows.length, dim));
		for (int i = 0; i < rows.length; i++) System.arraycopy(from, rows[i] * dim, grown, (size + i) * dim, dim);
		return grown;
	}

	/**
	 * Squared distance of each patch of the chunk to the bank, as far as the continued selection
	 * needs it: exact for patches farther than the stop radius from every bank entry, and for the
	 * others any value within the radius (such a patch is never selected and never decides when
	 * selection stops, so the centres are the same as with exact distances).
	 * <p>
	 * Most patches of a new chunk lie within the radius of some entry, and such an entry is
	 * usually among those nearest the patch's region: so each patch is first compared with the
	 * entries of its own cluster of the bank (about sqrt(bank) clusters, {@link AnchorClusters}),
	 * and leaves if one covers it. The rest search the whole bank in slices and leave as soon as a
	 * slice covers them. On a texture (a 262 144-patch chunk against 26 214 entries) the clusters
	 * covered 71 % of the patches for 2 % of the products, and the pass took a third of the time
	 * of the slices alone (docs/BENCHMARKS.md).
	 * <p>
	 * Each search's nearest entry is found by matrix products, its distance then recomputed exactly
	 * (the product form loses precision for near-duplicates).
	 *
	 * @param points the chunk as the selection sees it ({@code pointDim} columns), compared with {@link #selectionBank}
	 */
	private float[] distancesToBank(float[] points, int pointDim) {
		float[] out = new float[rows];
		Arrays.fill(out, Float.POSITIVE_INFINITY);
		searchOwnClusters(points, pointDim, out);
		int[] open = new int[rows];
		int remaining = 0;
		for (int i = 0; i < rows; i++) if (out[i] > radius) open[remaining++] = i;
		for (int slice = 0; slice < bankSize && remaining > 0; slice += bankSlice) {
			int size = Math.min(bankSlice, bankSize - slice);
			try (NDManager local = manager.newSubManager();
				NearestNeighbourSearch search = new NearestNeighbourSearch(local, Arrays.copyOfRange(selectionBank, slice * pointDim, (slice + size) * pointDim), size, pointDim)) {
				for (int from = 0; from < remaining; from += QUERY_BLOCK) {
					progress.checkCancelled();
					progress.update("coreset: distances to the bank", slice + (long) size * from / remaining, bankSize);
					int first = slice;
					lowerToNearest(search, points, pointDim, open, from, Math.min(remaining, from + QUERY_BLOCK), e -> first + e, out);
				}
			}
			int kept = 0;
			for (int i = 0; i < remaining; i++) if (out[open[i]] > radius) open[kept++] = open[i];
			remaining = kept;
		}
		progress.update("coreset: distances to the bank", bankSize, bankSize);
		return out;
	}

	/** Lowers {@code out} to each patch's exact distance to the nearest entry of the bank cluster nearest it. */
	private void searchOwnClusters(float[] points, int pointDim, float[] out) {
		AnchorClusters bankClusters = AnchorClusters.build(manager, selectionBank, bankSize, pointDim, (int) Math.round(Math.sqrt(bankSize)),
			new SplittableRandom(settings.seed() + chunks));
		int[] patchCluster = KMeans.assign(manager, points, rows, bankClusters.anchors, bankClusters.count, pointDim);
		int[] patchStart = new int[bankClusters.count + 1];
		for (int c : patchCluster) patchStart[c + 1]++;
		for (int c = 0; c < bankClusters.count; c++) patchStart[c + 1] += patchStart[c];
		int[] fill = Arrays.copyOf(patchStart, bankClusters.count);
		int[] patchOrder = new int[rows];
		for (int i = 0; i < rows; i++) patchOrder[fill[patchCluster[i]]++] = i;
		for (int c = 0; c < bankClusters.count; c++) {
			progress.checkCancelled();
			progress.update("coreset: the bank near each patch", c, bankClusters.count);
			int from = bankClusters.start[c], size = bankClusters.start[c + 1] - from;
			if (size == 0 || patchStart[c] == patchStart[c + 1]) continue;
			int[] entries = Arrays.copyOfRange(bankClusters.order, from, from + size);
			float[] cluster = new float[size * pointDim];
			for (int i = 0; i < size; i++) System.arraycopy(selectionBank, entries[i] * pointDim, cluster, i * pointDim, pointDim);
			try (NDManager local = manager.newSubManager(); NearestNeighbourSearch search = new NearestNeighbourSearch(local, cluster, size, pointDim)) {
				for (int p = patchStart[c]; p < patchStart[c + 1]; p += QUERY_BLOCK)
					lowerToNearest(search, points, pointDim, patchOrder, p, Math.min(patchStart[c + 1], p + QUERY_BLOCK), e -> entries[e], out);
			}
		}
		progress.update("coreset: the bank near each patch", bankClusters.count, bankClusters.count);
	}

	/**
	 * Lowers {@code out[patches[i]]} for {@code from <= i < to} to the exact squared distance of
	 * that patch to the entry {@code search} finds nearest, bank row {@code entry(index)}.
	 */
	private void lowerToNearest(NearestNeighbourSearch search, float[] points, int pointDim, int[] patches, int from, int to, IntUnaryOperator entry,
		float[] out) {
		float[] queries = new float[(to - from) * pointDim];
		for (int i = from; i < to; i++) System.arraycopy(points, patches[i] * pointDim, queries, (i - from) * pointDim, pointDim);
		try (NDManager q = manager.newSubManager()) {
			int[] idx = search.nearest(q.create(queries, new Shape(to - from, pointDim)));
			for (int i = 0; i < idx.length; i++) {
				int p = patches[from + i];
				out[p] = Math.min(out[p], SquaredDistance.between(points, p * pointDim, selectionBank, entry.applyAsInt(idx[i]) * pointDim, pointDim));
			}
		}
	}
}
