package org.anomalyj.model;

import org.anomalyj.backbone.Backbone;
import org.anomalyj.backbone.BackboneCatalog;
import org.anomalyj.features.FeatureGrid;
import org.anomalyj.features.PatchFeatures;
import org.anomalyj.io.JsonFields;
import org.anomalyj.io.ModelArchive;
import org.anomalyj.io.ModelFormatException;
import org.anomalyj.io.Safetensors;
import org.anomalyj.method.AnomalyMethod;
import org.anomalyj.method.AnomalyMethodPlugin;
import org.anomalyj.method.Exemplars;
import org.anomalyj.method.MethodCatalog;
import org.anomalyj.postprocess.AnomalyMapper;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A trained model, loaded on one device and ready to score: backbone, patch features, method,
 * map post-processing and thresholds. Loading it once and scoring many images keeps engine start
 * and model load off the per-image path.
 */
public final class AnomalyModel implements AutoCloseable {

	private final NDManager manager;
	private final Backbone backbone;
	private final ModelSpec spec;
	private final PatchFeatures features;
	private final AnomalyMethod method;
	private final AnomalyMapper mapper;
	private Thresholds thresholds;
	private Categories categories = Categories.NONE;
	private final TrainingReport training;
	private final TrainedImages trainedImages;

	/** Takes ownership of the manager, backbone and method. */
	AnomalyModel(NDManager manager, Backbone backbone, ModelSpec spec, PatchFeatures features, AnomalyMethod method,
		Thresholds thresholds, TrainingReport training, TrainedImages trainedImages) {
		this.manager = manager;
		this.backbone = backbone;
		this.spec = spec;
		this.features = features;
		this.method = method;
		this.thresholds = thresholds;
		this.training = training;
		this.trainedImages = trainedImages;
		this.mapper = new AnomalyMapper(manager, features.gridHeight(), features.gridWidth(), spec.inputSize(), spec.inputSize(), spec.sigma());
	}

	public ModelSpec spec() {
		return spec;
	}

	public AnomalyMethod method() {
		return method;
	}

	/** The patch-feature extractor (backbone and aggregation) this model scores with. */
	public PatchFeatures features() {
		return features;
	}

	/** The DJL manager (and so the device) this model's tensors live on. */
	public NDManager manager() {
		return manager;
	}

	public Thresholds thresholds() {
		return thresholds;
	}

	/** The parts a model of several was trained for, with their thresholds and descriptors; {@link Categories#NONE} for one. */
	public Categories categories() {
		return categories;
	}

	/**
	 * The thresholds that decide an image of part {@code category} ({@link Categories#thresholdsFor});
	 * the model's own for -1.
	 */
	public Thresholds thresholdsFor(int category) {
		return categories.thresholdsFor(category, thresholds);
	}

	/**
	 * Lines for people on the parts of a model of several: the parts with their images, how many
	 * calibration images the model recognises as their own part, and each part's thresholds; none
	 * for a model of one.
	 */
	public List<String> describeCategories() {
		List<String> lines = new ArrayList<>();
		for (String line : List.of(training.describeCategories(), training.describeRecognition())) if (!line.isEmpty()) lines.add(line);
		if (!categories.isEmpty()) {
			lines.add("thresholds per category (each judges the images of its category; the thresholds above pool all categories):");
			for (String line : categories.describe()) lines.add("  " + line);
		}
		return lines;
	}

	/** What the training run recorded (images, patches, timings). */
	public TrainingReport training() {
		return training;
	}

	/** The images the method was fitted on, which its {@linkplain AnomalyMethod#exemplars() exemplars' sources} index; empty for older models. */
	public TrainedImages trainedImages() {
		return trainedImages;
	}

	/**
	 * Scores and maps of a batch, maps at the model's input size, and each image's pooled features
	 * ({@link PatchFeatures#globalAverage}), by which a model of several parts tells which part an
	 * image shows.
	 */
	public record Scored(float[] imageScores, float[][] maps, int size, float[][] pooled) {}

	/**
	 * Scores a batch of preprocessed images.
	 *
	 * @param batch {@code n} images of {@code 3 x S x S} floats (CHW), concatenated
	 */
	public Scored score(float[] batch, int n) {
		int s = spec.inputSize();
		if (batch.length != n * 3 * s * s) throw new IllegalArgumentException("batch holds " + batch.length + " values, expected " + n * 3 * s * s);
		try (NDManager tmp = manager.newSubManager()) {
			NDArray x = tmp.create(batch, new Shape(n, 3, s, s));
			return score(method, mapper, features.embed(x), x);
		}
	}

	/**
	 * Scores patch features {@code (N, D, h, w)} with a method; shared by scoring, calibration and
	 * evaluation.
	 *
	 * @param inputs the network inputs the features came from, or null when only stored features are
	 *        at hand (for methods that do not score images)
	 */
	public static Scored score(AnomalyMethod method, AnomalyMapper mapper, NDArray features, NDArray inputs) {
		if (inputs == null && method.scoresImages()) throw new IllegalArgumentException(method.name() + " needs the images to score, not only their features");
		int n = (int) features.getShape().get(0), h = mapper.outHeight(), w = mapper.outWidth();
		NDArray patch = method.patchScores(features, inputs);
		float[] scores = method.imageScores(features, patch);
		float[] flat = mapper.map(patch).toFloatArray();
		float[][] maps = new float[n][];
		for (int i = 0; i < n; i++) maps[i] = java.util.Arrays.copyOfRange(flat, i * h * w, (i + 1) * h * w);
		// One reduction over features already at hand: negligible beside the method's scoring.
		return new Scored(scores, maps, h, PatchFeatures.globalAverage(features));
	}

	/** Writes the model atomically to a {@code .zip} model file. */
	public void save(Path file) throws IOException {
		JsonObject manifest = ModelArchive.newManifest(method.name(), backbone.id(), backbone.weightsSha256(), spec.inputSize());
		manifest.add("features", spec.toJson());
		manifest.add(method.name(), method.parameters());
		manifest.add("thresholds", thresholds.toJson());
		manifest.add("training", training.toJson());
		Map<String, Safetensors.Tensor> tensors = new LinkedHashMap<>(method.tensors());
		for (Map.Entry<String, Safetensors.Tensor> e : thresholds.tensors().entrySet())
			if (tensors.put(e.getKey(), e.getValue()) != null)
				throw new IllegalStateException("method " + method.name() + " uses the tensor name '" + e.getKey() + "', which is reserved for thresholds");
		trainedImages.writeTo(manifest, tensors);
		categories.writeTo(manifest, tensors);
		new ModelArchive(manifest, tensors).write(file);
	}

	/**
	 * Loads a model file on a device. The file is untrusted input: every field and tensor is
	 * checked before it is used, and nothing in it is executed.
	 *
	 * @throws IOException with a one-line reason naming the file for anything wrong with it
	 *         (a {@link ModelFormatException} when the content is at fault)
	 */
	public static AnomalyModel load(Path file, DeviceChoice device) throws IOException {
		ModelArchive archive = ModelArchive.read(file);
		NDManager manager = NDManager.newBaseManager(device.resolve());
		Backbone backbone;
		try {
			backbone = BackboneCatalog.load(archive.backboneId(), manager);
		} catch (IOException | RuntimeException e) {
			manager.close();
			throw new ModelFormatException(file, reason(e));
		}
		return restore(file, archive, manager, backbone);
	}

	/**
	 * The model an archive describes, built on its loaded backbone. Takes ownership of the manager
	 * and the backbone: both are closed when the archive is refused. Separate from {@link #load}
	 * so that tests can check thousands of archives against one loaded backbone.
	 */
	static AnomalyModel restore(Path file, ModelArchive archive, NDManager manager, Backbone backbone) throws IOException {
		AnomalyMethod method = null;
		PatchFeatures features = null;
		try {
			if (!archive.backboneId().equals(backbone.id()))
				throw new IllegalArgumentException("the model needs backbone " + archive.backboneId() + ", not " + backbone.id());
			String sha = archive.backboneSha256();
			if (!sha.equals(backbone.weightsSha256()))
				throw new IOException("it was trained with other weights for backbone " + backbone.id() + " (checksum " + sha + ", installed "
					+ backbone.weightsSha256() + ")");
			JsonFields m = JsonFields.of(archive.manifest(), ModelArchive.MANIFEST_ENTRY);
			ModelSpec spec = ModelSpec.fromJson(backbone.id(), archive.inputSize(), m.object("features"));
			features = new PatchFeatures(manager, backbone, spec.taps(), spec.poolSize(), spec.inputSize(), spec.inputSize());
			String name = archive.method();
			AnomalyMethodPlugin plugin;
			try {
				plugin = MethodCatalog.get(name);
			} catch (IllegalArgumentException e) {
				throw new IOException(e.getMessage() + "; install the plug-in that provides it");
			}
			method = plugin.restore(manager, FeatureGrid.of(features), m.object(name), archive.tensors());
			Thresholds thresholds = Thresholds.read(m.object("thresholds"), archive.tensors());
			TrainingReport training = TrainingReport.fromJson(m.has("training") && archive.manifest().get("training").isJsonObject()
				? archive.manifest().getAsJsonObject("training") : new JsonObject());
			TrainedImages images = TrainedImages.read(m, archive.tensors());
			Categories categories = Categories.read(m, archive.tensors(), features.dim(), thresholds.alpha());
			Exemplars exemplars = method.exemplars();
			if (exemplars != null && exemplars.sourceImages() > images.size())
				throw new IOException("the memory bank's sources name training image " + exemplars.sourceImages() + " but the model lists "
					+ images.size() + " training images");
			return new AnomalyModel(manager, backbone, spec, features, method, thresholds, training, images).withCategories(categories);
		} catch (IOException | RuntimeException e) {
			if (features != null) features.close();
			closeQuietly(method, backbone, manager);
			throw new ModelFormatException(file, reason(e));
		}
	}

	/** The message of a refusal; a library exception without a useful message is named by its type. */
	private static String reason(Exception e) {
		String m = e.getMessage();
		if (e instanceof IOException || e instanceof IllegalArgumentException) return m == null ? e.getClass().getSimpleName() : m;
		return "invalid model (" + e.getClass().getSimpleName() + (m == null ? "" : ": " + m) + ")";
	}

	private static void closeQuietly(AnomalyMethod method, Backbone backbone, NDManager manager) {
		if (method != null) method.close();
		if (backbone != null) backbone.close();
		manager.close();
	}

	@Override
	public void close() {
		mapper.close();
		method.close();
		features.close();
		backbone.close();
		manager.close();
		NativeMemory.release();
	}

	/** Replaces the thresholds (training adds F1 thresholds learned from defects). */
	public AnomalyModel withThresholds(Thresholds t) {
		this.thresholds = t;
		return this;
	}

	/**
	 * Replaces the parts (training gives a model of several its parts; calibration and updates re-set their thresholds).
	 *
	 * @throws IllegalArgumentException when their descriptors do not have the model's feature width
	 */
	public AnomalyModel withCategories(Categories c) {
		if (!c.isEmpty() && c.get(0).descriptor().length != features.dim())
			throw new IllegalArgumentException("the categories' descriptors have " + c.get(0).descriptor().length + " values, the model's features "
				+ features.dim());
		this.categories = c;
		return this;
	}

	/**
	 * Chooses which stored thresholds decide verdicts and masks from now on (and in a saved copy).
	 *
	 * @throws IllegalArgumentException when choosing F1 thresholds the model does not have
	 */
	public void useThresholds(Thresholds.Choice choice) {
		this.thresholds = thresholds.withActive(choice);
	}

	/** A model of parts built by training ({@code FeatureSession.toModel}); takes ownership of them. */
	public static AnomalyModel assemble(NDManager manager, Backbone backbone, ModelSpec spec, PatchFeatures features, AnomalyMethod method,
		Thresholds thresholds, TrainingReport training, TrainedImages trainedImages) {
		return new AnomalyModel(manager, backbone, spec, features, method, thresholds, training, trainedImages);
	}

}
