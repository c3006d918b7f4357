package org.anomalyj.method.patchcore;

import org.anomalyj.features.FeatureGrid;
import org.anomalyj.features.PatchFeatures;
import org.anomalyj.io.JsonFields;
import org.anomalyj.io.Safetensors;
import org.anomalyj.method.AnomalyMethod;
import org.anomalyj.method.Exemplars;
import org.anomalyj.method.Fitter;
import org.anomalyj.method.StoredTensors;
import org.anomalyj.task.Progress;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * PatchCore (Roth et al., "Towards Total Recall in Industrial Anomaly Detection", CVPR 2022): a
 * memory bank of nominal patch features, reduced by greedy coreset selection; a patch's anomaly
 * score is its distance to the nearest bank entry, an image's the largest patch score (optionally
 * reweighted by how isolated that nearest entry is, eq. 7 of the paper).
 * <p>
 * Each bank entry keeps where it came from, its training image and grid position (tensor
 * {@value #SOURCES}, three ints an entry), so that an explanation can show the good patches nearest
 * to a patch ({@link Exemplars}); banks of models trained before this was kept have no sources.
 */
public final class PatchCore implements AnomalyMethod {

	public static final String NAME = "patchcore";
	static final String BANK = "memory_bank";
	/** Per bank entry: training image index, grid row, grid column. */
	static final String SOURCES = "memory_bank_sources";
	/**
	 * The search's k-means centres, kept so that loading a model does not cluster its bank again;
	 * files written before they were kept are clustered on load, to the same centres (seeded).
	 */
	static final String CENTRES = "memory_bank_centres";
	/**
	 * Each bank entry's cluster among the {@value #CENTRES} (I32, one per entry), kept so that
	 * loading does not assign the bank to the centres again (about 0.1 s of bottle's start-up);
	 * files without it are assigned on load, to the same clusters (the same computation).
	 */
	static final String ASSIGNMENT = "memory_bank_assignment";
	/**
	 * Backbone features are far smaller; a bank value beyond this could only come from a damaged
	 * file, and would overflow the float squared distances into infinities and NaN scores.
	 */
	static final float MAX_ABS_FEATURE = 1e12f;

	/**
	 * @param coresetRatio fraction of training patches kept in the bank (0, 1]
	 * @param seed seed of the coreset's random start
	 * @param reweight whether image scores use the paper's neighbourhood reweighting
	 * @param neighbours neighbourhood size for reweighting (anomalib: 9)
	 * @param probes clusters of the bank a patch visits beyond its own at most when searching its
	 *        nearest entry, nearest first; 0 for an exact search ({@link ClusteredNearestNeighbourSearch})
	 */
	public record Settings(double coresetRatio, long seed, boolean reweight, int neighbours, int probes) {

		/**
		 * Probes by default: 8 bounds a query's work to 9 of the bank's 0.5·√M clusters (8 % of
		 * ball screws' bank, where the exact search visits 64 %), and found the exact nearest distance
		 * for 99.1 % of ball-screw and 99.95 % of bottle patches, every metric within 0.001 of exact.
		 */
		public static final int DEFAULT_PROBES = 8;

		public static final Settings DEFAULT = new Settings(0.1, 0, false, 9, DEFAULT_PROBES);

		public Settings {
			if (!(coresetRatio > 0 && coresetRatio <= 1))
				throw new IllegalArgumentException("coreset ratio must be in (0, 1], was " + coresetRatio);
			if (neighbours < 1) throw new IllegalArgumentException("neighbours must be at least 1, was " + neighbours);
			if (probes < 0) throw new IllegalArgumentException("probes must be 0 (exact search) or positive, was " + probes);
		}
	}

	private final Settings settings;
	private final float[] bank;
	private final int bankSize, dim;
	private final ClusteredNearestNeighbourSearch search;
	/** {@code bankSize x 3}: image, row, column of each entry; null when unknown. */
	private final int[] sources;

	PatchCore(NDManager manager, Settings settings, float[] bank, int bankSize, int dim, int[] sources) {
		this(manager, settings, bank, bankSize, dim, sources, null, null);
	}

	private PatchCore(NDManager manager, Settings settings, float[] bank, int bankSize, int dim, int[] sources, float[] centres, int[] assignment) {
		if (sources != null && sources.length != bankSize * 3) throw new IllegalArgumentException(sources.length + " source values for " + bankSize + " entries");
		this.settings = settings;
		this.bank = bank;
		this.bankSize = bankSize;
		this.dim = dim;
		this.sources = sources;
		this.search = new ClusteredNearestNeighbourSearch(manager, bank, bankSize, dim, settings.seed(), centres, assignment, settings.probes());
	}

	/**
	 * Patches per coreset selection. Up to this size (256 images at 256 px) the bank is the exact
	 * greedy coreset; larger training sets are selected chunk by chunk, each chunk continuing from
	 * the bank so far and adding centres only where it does not yet cover the new patches as well
	 * as it covers the first chunk ({@link PatchCoreFitter}). Time grows linearly with the training
	 * set instead of quadratically, and memory holds one chunk of patches at a time.
	 */
	public static final int CHUNK_PATCHES = 1 << 18;

	/**
	 * Builds the memory bank from training patches: the {@linkplain #fitter fitter} fed all of them.
	 *
	 * @param patches {@code n x dim} row-major patch features of all training images
	 */
	public static PatchCore fit(NDManager manager, float[] patches, int n, int dim, Settings settings, Progress progress) {
		PatchCoreFitter f = new PatchCoreFitter(manager, dim, settings, progress, PatchCoreFitter.chunkRows(CHUNK_PATCHES, dim));
		f.addRows(patches, n);
		return f.finish();
	}

	/** Builds the memory bank from patches given batch by batch, holding at most one chunk of them. */
	public static Fitter fitter(NDManager manager, int dim, Settings settings, Progress progress) {
		return new PatchCoreFitter(manager, dim, settings, progress, PatchCoreFitter.chunkRows(CHUNK_PATCHES, dim));
	}

	/**
	 * Continues {@code trained}'s bank with patches given batch by batch ({@link PatchCorePlugin#update}).
	 * The coverage radius of the first selection is not stored in model files, so continuing never
	 * stops early: each chunk adds its coreset-ratio share.
	 */
	static Fitter continuing(NDManager manager, PatchCore trained, Progress progress) {
		return PatchCoreFitter.continuing(manager, trained.dim, trained.settings, progress, PatchCoreFitter.chunkRows(CHUNK_PATCHES, trained.dim),
			trained.bank, trained.bankSize);
	}

	int dim() {
		return dim;
	}

	/**
	 * Restores a trained model from its stored parameters and tensors, checking that they agree
	 * with each other and with the features the model's backbone and taps produce.
	 *
	 * @param parameters the manifest's {@code patchcore} object
	 * @param grid the features the model's backbone and taps give
	 * @throws IOException naming the field or tensor that is wrong
	 */
	public static PatchCore restore(NDManager manager, JsonFields parameters, Map<String, Safetensors.Tensor> tensors, FeatureGrid grid)
		throws IOException {
		int expectedDim = grid.channels();
		// Files written before the bounded search were calibrated with exact distances: they keep them.
		int probes = parameters.has("probes") ? (int) parameters.integer("probes", 0, Integer.MAX_VALUE) : 0;
		Settings settings = new Settings(parameters.fraction("coreset_ratio"), parameters.integer("seed", Long.MIN_VALUE, Long.MAX_VALUE), parameters.bool("reweight"),
			(int) parameters.integer("neighbours", 1, Integer.MAX_VALUE), probes);
		Safetensors.Tensor t = tensors.get(BANK);
		if (t == null) throw new IOException("the model has no memory bank (tensor '" + BANK + "')");
		long[] shape = t.shape();
		if (shape.length != 2 || shape[0] < 1 || shape[1] != expectedDim)
			throw new IOException("memory bank of shape " + java.util.Arrays.toString(shape) + " does not fit features of dimension " + expectedDim
				+ " (what the manifest's backbone and taps give)");
		long dim = parameters.integer("dim", 1, Integer.MAX_VALUE), size = parameters.integer("bank_size", 1, Integer.MAX_VALUE);
		if (dim != shape[1]) throw parameters.problem("dim", "is " + dim + " but the memory bank has " + shape[1] + " columns");
		if (size != shape[0]) throw parameters.problem("bank_size", "is " + size + " but the memory bank has " + shape[0] + " rows");
		if (t.dtype() != Safetensors.DType.F32 && t.dtype() != Safetensors.DType.F16)
			throw new IOException("memory bank must be F32 or F16, was " + t.dtype());
		float[] bank = t.toFloats();
		for (float v : bank)
			if (!(Math.abs(v) <= MAX_ABS_FEATURE)) throw new IOException("memory bank holds a non-finite or implausibly large value (" + v + ")");
		return new PatchCore(manager, settings, bank, (int) shape[0], (int) shape[1], sources(tensors, (int) shape[0], grid),
			centres(tensors, (int) shape[0], (int) shape[1]), assignment(tensors, (int) shape[0]));
	}

	/**
	 * The stored cluster of each entry, checked; null when the file has none (written before it
	 * was kept). Any assignment to the stored centres gives right distances: the search measures
	 * each cluster's radius from its members ({@link ClusteredNearestNeighbourSearch}).
	 */
	private static int[] assignment(Map<String, Safetensors.Tensor> tensors, int size) throws IOException {
		if (!tensors.containsKey(ASSIGNMENT)) return null;
		if (!tensors.containsKey(CENTRES))
			throw new IOException("tensor '" + ASSIGNMENT + "' is present without the centres it assigns to (tensor '" + CENTRES + "')");
		return StoredTensors.ints(tensors, ASSIGNMENT, 0, ClusteredNearestNeighbourSearch.clusters(size) - 1, size);
	}

	/** The stored search centres, checked; null when the file has none (written before they were kept, or a bank too small for clusters). */
	private static float[] centres(Map<String, Safetensors.Tensor> tensors, int size, int dim) throws IOException {
		if (!tensors.containsKey(CENTRES)) return null;
		int k = ClusteredNearestNeighbourSearch.clusters(size);
		if (k == 0) throw new IOException("tensor '" + CENTRES + "' is present, but a bank of " + size + " entries is searched without clusters");
		float[] c = StoredTensors.floats(tensors, CENTRES, k, dim);
		for (float v : c)
			if (!(Math.abs(v) <= MAX_ABS_FEATURE)) throw new IOException("tensor '" + CENTRES + "' holds an implausibly large value (" + v + ")");
		return c;
	}

	/** The entries' sources, each checked against the grid; null when the file has none (written before they were kept). */
	private static int[] sources(Map<String, Safetensors.Tensor> tensors, int size, FeatureGrid grid) throws IOException {
		if (!tensors.containsKey(SOURCES)) return null;
		int[] s = StoredTensors.ints(tensors, SOURCES, 0, Integer.MAX_VALUE, size, 3);
		for (int i = 0; i < size; i++)
			if (s[3 * i + 1] >= grid.height() || s[3 * i + 2] >= grid.width())
				throw new IOException("tensor '" + SOURCES + "' places entry " + i + " at grid row " + s[3 * i + 1] + ", column " + s[3 * i + 2]
					+ ", outside the " + grid.height() + " x " + grid.width() + " feature grid");
		return s;
	}

	@Override
	public String name() {
		return NAME;
	}

	public Settings settings() {
		return settings;
	}

	/** The nearest-neighbour search: a distance (dim multiply-adds and a norm) to every bank entry. */
	@Override
	public long multiplyAddsPerPatch() {
		return (long) bankSize() * (dim + 1);
	}

	/** The memory bank's size, as the training summary gives it. */
	@Override
	public String summary() {
		return "bank " + bankSize();
	}

	public int bankSize() {
		return bankSize;
	}

	@Override
	public NDArray patchScores(NDArray features) {
		Shape s = features.getShape();
		NDArray rows = PatchFeatures.asRows(features);
		NDArray d = search.distances(rows).reshape(s.get(0), s.get(2), s.get(3));
		rows.close();
		return d;
	}

	@Override
	public float[] imageScores(NDArray features, NDArray patchScores) {
		float[] plain = AnomalyMethod.super.imageScores(features, patchScores);
		if (!settings.reweight()) return plain;
		Shape s = features.getShape();
		int n = (int) s.get(0), cells = (int) (s.get(2) * s.get(3));
		long[] argmax = patchScores.reshape(n, cells).argMax(1).toLongArray();
		float[] out = new float[n];
		try (NDManager tmp = features.getManager().newSubManager()) {
			NDArray rows = PatchFeatures.asRows(features);
			rows.attach(tmp);
			for (int i = 0; i < n; i++) {
				NDArray f = rows.get((long) i * cells + argmax[i]).reshape(1, dim);
				int nn = (int) search.dense().nearestIndices(f, 1).toLongArray()[0];
				NDArray anchor = tmp.create(java.util.Arrays.copyOfRange(bank, nn * dim, (nn + 1) * dim), new Shape(1, dim));
				long[] support = search.dense().nearestIndices(anchor, settings.neighbours()).toLongArray();
				float[] fv = f.toFloatArray();
				// Softmax over distances to the support set; weight = 1 - its share of the nearest entry.
				double[] dist = new double[support.length];
				double max = Double.NEGATIVE_INFINITY;
				for (int j = 0; j < support.length; j++) {
					dist[j] = Math.sqrt(SquaredDistance.between(fv, 0, bank, (int) support[j] * dim, dim));
					max = Math.max(max, dist[j]);
				}
				double sum = 0;
				for (double v : dist) sum += Math.exp(v - max);
				double weight = 1 - Math.exp(dist[0] - max) / sum;
				out[i] = (float) (weight * plain[i]);
			}
		}
		return out;
	}

	@Override
	public JsonObject parameters() {
		JsonObject o = new JsonObject();
		o.addProperty("coreset_ratio", settings.coresetRatio());
		o.addProperty("seed", settings.seed());
		o.addProperty("reweight", settings.reweight());
		o.addProperty("neighbours", settings.neighbours());
		o.addProperty("probes", settings.probes());
		o.addProperty("bank_size", bankSize);
		o.addProperty("dim", dim);
		return o;
	}

	@Override
	public Map<String, Safetensors.Tensor> tensors() {
		Map<String, Safetensors.Tensor> t = new LinkedHashMap<>();
		t.put(BANK, Safetensors.Tensor.of(bank, bankSize, dim));
		if (sources != null) t.put(SOURCES, Safetensors.Tensor.of(sources, bankSize, 3));
		float[] centres = search.centres();
		if (centres != null) {
			t.put(CENTRES, Safetensors.Tensor.of(centres, search.clusters(), dim));
			t.put(ASSIGNMENT, Safetensors.Tensor.of(search.assignment(), bankSize));
		}
		return t;
	}

	@Override
	public String scoreMeaning() {
		return "Euclidean distance from the patch's feature to the nearest of the " + bankSize + " good patches in the memory bank";
	}

	@Override
	public Exemplars exemplars() {
		return new Exemplars() {
			@Override
			public int size() {
				return bankSize;
			}

			@Override
			public List<Neighbour> nearest(float[] feature, int k) {
				return PatchCore.this.nearest(feature, k);
			}

			@Override
			public boolean knowsSources() {
				return sources != null;
			}

			@Override
			public int sourceImages() {
				int max = -1;
				if (sources != null) for (int i = 0; i < bankSize; i++) max = Math.max(max, sources[3 * i]);
				return max + 1;
			}
		};
	}

	/**
	 * Candidates beyond {@code k} the product-form search returns, re-ranked by exact distance: the
	 * product form can swap near-equal distances.
	 */
	private static final int RERANK_SLACK = 8;

	private List<Exemplars.Neighbour> nearest(float[] feature, int k) {
		if (feature.length != dim) throw new IllegalArgumentException("a feature of " + feature.length + " values, the bank has " + dim);
		if (k < 1) throw new IllegalArgumentException("neighbours must be at least 1, was " + k);
		long[] candidates;
		try (NDManager tmp = search.dense().bank().getManager().newSubManager()) {
			candidates = search.dense().nearestIndices(tmp.create(feature, new Shape(1, dim)), Math.min(bankSize, k + RERANK_SLACK)).toLongArray();
		}
		List<Exemplars.Neighbour> out = new ArrayList<>(candidates.length);
		for (long c : candidates) {
			int e = (int) c;
			Exemplars.Source source = sources == null ? null : new Exemplars.Source(sources[3 * e], sources[3 * e + 1], sources[3 * e + 2]);
			out.add(new Exemplars.Neighbour(e, (float) Math.sqrt(SquaredDistance.between(feature, 0, bank, e * dim, dim)), source));
		}
		out.sort(Comparator.comparingDouble(Exemplars.Neighbour::distance).thenComparingInt(Exemplars.Neighbour::entry));
		return List.copyOf(out.subList(0, Math.min(k, out.size())));
	}

	@Override
	public void close() {
		search.close();
	}
}
