package org.anomalyj.model;

import org.anomalyj.io.JsonFields;
import org.anomalyj.io.Safetensors;
import org.anomalyj.method.StoredTensors;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The parts a model of several was trained for ({@code train --data A --data B}), each with what
 * it takes to give that part the false-alarm rate the model promises: conformal thresholds of its
 * own, calibrated on its own calibration images only, and a descriptor by which an image is
 * recognised as the part when nobody says which part it is.
 * <p>
 * The descriptor is the mean, over the part's training images, of each image's patch features
 * averaged over the grid (global average pooling of what every method already computes, so it
 * costs one reduction per scored batch and does not depend on the method). An image goes to the
 * part with the nearest descriptor (Euclidean). That was chosen over comparing the image's
 * anomaly score with each part's score statistics: a score says how unusual an image is, not what
 * it shows, so a defective image of one part could score like a good image of another and be
 * judged by the wrong threshold; pooled features of different parts (a bottle seen from above, a
 * ball-screw surface) lie far apart while those of one part's images vary little, so the nearest
 * mean recognises distinct parts whatever their scores. Training reports how many held-out
 * calibration images were recognised as their own part.
 * <p>
 * A part that gave no calibration image (a part of one image) is decided by the model's pooled
 * thresholds, as are models of one part and files written before parts had thresholds of their
 * own ({@link #NONE}).
 */
public final class Categories {

	public static final Categories NONE = new Categories(List.of());
	static final String KEY = "categories";
	/** Far beyond any real set of parts; bounds what a damaged file can make us read. */
	static final int MAX_CATEGORIES = 10_000;
	private static final String TENSOR_PREFIX = "category.";

	/**
	 * One part.
	 *
	 * @param name its name (its folder's), unique in the model
	 * @param descriptor the mean pooled patch features of its training images
	 * @param images the training images the descriptor averages
	 * @param thresholds its conformal thresholds, from its own calibration images; uncalibrated when it gave none
	 */
	public record Category(String name, float[] descriptor, int images, Thresholds thresholds) {
		public Category {
			if (name == null || name.isEmpty()) throw new IllegalArgumentException("a category needs a name");
			if (descriptor.length == 0) throw new IllegalArgumentException("category " + name + " has no descriptor");
			for (float v : descriptor) if (!Float.isFinite(v)) throw new IllegalArgumentException("category " + name + "'s descriptor is not finite");
			if (images < 1) throw new IllegalArgumentException("category " + name + "'s descriptor averages no image");
			descriptor = descriptor.clone();
		}

		@Override
		public float[] descriptor() {
			return descriptor.clone();
		}
	}

	private final List<Category> list;

	/**
	 * @throws IllegalArgumentException for one category only, names given twice, or descriptors of different lengths
	 */
	public Categories(List<Category> list) {
		this.list = List.copyOf(list);
		if (this.list.size() == 1) throw new IllegalArgumentException("a model of one category has no categories to tell apart");
		Set<String> names = new HashSet<>();
		for (Category c : this.list) {
			if (!names.add(c.name())) throw new IllegalArgumentException("category " + c.name() + " is given twice");
			if (c.descriptor.length != this.list.get(0).descriptor.length)
				throw new IllegalArgumentException("category " + c.name() + "'s descriptor has " + c.descriptor.length + " values, "
					+ this.list.get(0).name() + "'s " + this.list.get(0).descriptor.length);
		}
	}

	/**
	 * Parts with the mean descriptors of their training images and no thresholds yet
	 * ({@link #recalibrated} gives them theirs).
	 *
	 * @param names the parts' names
	 * @param sums their training images' pooled features, summed per part
	 */
	public static Categories of(List<String> names, DescriptorSums sums, double alpha) {
		List<Category> out = new ArrayList<>();
		for (int c = 0; c < names.size(); c++) out.add(new Category(names.get(c), sums.mean(c), sums.count(c), Thresholds.uncalibrated(alpha)));
		return new Categories(out);
	}

	public boolean isEmpty() {
		return list.isEmpty();
	}

	public int size() {
		return list.size();
	}

	public Category get(int c) {
		return list.get(c);
	}

	public List<String> names() {
		return list.stream().map(Category::name).toList();
	}

	/**
	 * The index of the part a user named (e.g. {@code --category}).
	 *
	 * @throws IllegalArgumentException when the model has no part of that name, naming those it has
	 */
	public int require(String name) {
		if (list.isEmpty())
			throw new IllegalArgumentException("category " + name + " given, but the model has no categories (it was trained for one part, "
				+ "or before categories had thresholds of their own)");
		int c = index(name);
		if (c < 0) throw new IllegalArgumentException("the model has no category " + name + "; it has " + String.join(", ", names()));
		return c;
	}

	/**
	 * {@code name} when the model has a part of that name, else null: how a test set's folder name
	 * says which part its images show when it is one of the model's (otherwise each image's part is
	 * recognised).
	 */
	public String known(String name) {
		return index(name) >= 0 ? name : null;
	}

	/** The index of the part of that name, -1 when there is none. */
	public int index(String name) {
		for (int c = 0; c < list.size(); c++) if (list.get(c).name().equals(name)) return c;
		return -1;
	}

	/**
	 * The part whose descriptor is nearest to an image's pooled features (Euclidean; the first of
	 * equals); -1 for a model without parts.
	 */
	public int nearest(float[] pooled) {
		int best = -1;
		double bestDistance = Double.POSITIVE_INFINITY;
		for (int c = 0; c < list.size(); c++) {
			float[] d = list.get(c).descriptor;
			if (pooled.length != d.length) throw new IllegalArgumentException(pooled.length + " pooled features, descriptors have " + d.length);
			double sum = 0;
			for (int i = 0; i < d.length; i++) {
				double diff = pooled[i] - d[i];
				sum += diff * diff;
			}
			if (sum < bestDistance) {
				bestDistance = sum;
				best = c;
			}
		}
		return best;
	}

	/**
	 * The thresholds that decide an image of part {@code c}: the model's (its alpha, F1 or custom
	 * thresholds and active choice) with the part's own calibration; the model's own for -1 and for
	 * a part without calibration images.
	 */
	public Thresholds thresholdsFor(int c, Thresholds model) {
		if (c < 0 || list.get(c).thresholds().imageScores() == null) return model;
		return model.withConformal(list.get(c).thresholds());
	}

	/**
	 * The parts with thresholds calibrated on scores of good images, each part on the images
	 * assigned to it; a part no image was assigned to keeps its thresholds.
	 *
	 * @param assigned each image's part
	 * @param adding whether the images join the part's calibration images (a model that learned new
	 *        images: the old scores still hold) rather than replace them (goods of today, or training)
	 * @param calibration how the scores were obtained; for {@code adding}, a part keeps its own
	 */
	public Categories recalibrated(float[] imageScores, float[] mapMaxima, int[] assigned, String calibration, boolean adding) {
		if (imageScores.length != assigned.length || mapMaxima.length != assigned.length)
			throw new IllegalArgumentException(imageScores.length + " scores, " + mapMaxima.length + " map maxima, " + assigned.length + " assignments");
		List<Category> out = new ArrayList<>();
		for (int c = 0; c < list.size(); c++) {
			Category old = list.get(c);
			Thresholds t = old.thresholds();
			float[] scores = select(imageScores, assigned, c), maxima = select(mapMaxima, assigned, c);
			if (scores.length > 0)
				t = adding && t.imageScores() != null ? t.withScoresAdded(scores, maxima) : Thresholds.calibrate(scores, maxima, t.alpha(), calibration);
			out.add(new Category(old.name(), old.descriptor, old.images(), t));
		}
		return new Categories(out);
	}

	/** The parts with the pooled features of new training images folded into their descriptors' means. */
	public Categories withImagesAdded(DescriptorSums added) {
		List<Category> out = new ArrayList<>();
		for (int c = 0; c < list.size(); c++) {
			Category old = list.get(c);
			int n = added.count(c);
			if (n == 0) {
				out.add(old);
				continue;
			}
			float[] mean = added.mean(c), d = old.descriptor.clone();
			long total = (long) old.images() + n;
			for (int i = 0; i < d.length; i++) d[i] = (float) ((d[i] * (double) old.images() + mean[i] * (double) n) / total);
			out.add(new Category(old.name(), d, (int) Math.min(Integer.MAX_VALUE, total), old.thresholds()));
		}
		return new Categories(out);
	}

	/** One line per part on its thresholds; none for a model without parts. */
	public List<String> describe() {
		List<String> lines = new ArrayList<>();
		for (Category c : list)
			lines.add(c.name() + ": " + (c.thresholds().imageScores() == null
				? "no calibration images of its own; the model's thresholds decide its images"
				: c.thresholds().describe()));
		return lines;
	}

	/** The part's name for tables and files, or "" for -1 (a model without parts). */
	public String name(int c) {
		return c < 0 ? "" : list.get(c).name();
	}

	private static float[] select(float[] values, int[] assigned, int c) {
		int n = 0;
		for (int a : assigned) if (a == c) n++;
		float[] out = new float[n];
		for (int i = 0, k = 0; i < values.length; i++) if (assigned[i] == c) out[k++] = values[i];
		return out;
	}

	/** Adds the parts to a model file's manifest and tensors; nothing for {@link #NONE}. */
	void writeTo(JsonObject manifest, Map<String, Safetensors.Tensor> tensors) {
		if (list.isEmpty()) return;
		JsonArray array = new JsonArray();
		for (int c = 0; c < list.size(); c++) {
			Category cat = list.get(c);
			JsonObject o = new JsonObject();
			o.addProperty("name", cat.name());
			o.addProperty("images", cat.images());
			JsonObject t = new JsonObject();
			cat.thresholds().addConformal(t);
			o.add("thresholds", t);
			array.add(o);
			Map<String, Safetensors.Tensor> mine = new LinkedHashMap<>(cat.thresholds().tensors(prefix(c)));
			mine.put(prefix(c) + "descriptor", Safetensors.Tensor.of(cat.descriptor, cat.descriptor.length));
			for (Map.Entry<String, Safetensors.Tensor> e : mine.entrySet())
				if (tensors.put(e.getKey(), e.getValue()) != null)
					throw new IllegalStateException("the tensor name '" + e.getKey() + "' is reserved for the model's categories");
		}
		manifest.add(KEY, array);
	}

	private static String prefix(int c) {
		return TENSOR_PREFIX + c + ".";
	}

	/**
	 * The parts of a model file, checked: at least two, names unique, descriptors of the model's
	 * feature width, thresholds that the stored scores give; {@link #NONE} when the file has none.
	 *
	 * @param manifest the whole manifest
	 * @param dim the model's patch feature width
	 * @param alpha the model's false-alarm rate
	 * @throws IOException naming the field or tensor that is wrong
	 */
	static Categories read(JsonFields manifest, Map<String, Safetensors.Tensor> tensors, int dim, double alpha) throws IOException {
		if (!manifest.has(KEY)) {
			for (String name : tensors.keySet())
				if (name.startsWith(TENSOR_PREFIX)) throw new IOException("the model has tensor '" + name + "' of a category but no '" + KEY + "' in its manifest");
			return NONE;
		}
		List<JsonFields> entries = manifest.objects(KEY, 2, MAX_CATEGORIES);
		List<Category> out = new ArrayList<>();
		Set<String> names = new HashSet<>();
		for (int c = 0; c < entries.size(); c++) {
			JsonFields o = entries.get(c);
			String name = o.string("name");
			if (!names.add(name)) throw o.problem("name", "is " + name + ", a name another category has");
			int images = (int) o.integer("images", 1, TrainedImages.MAX_IMAGES);
			float[] descriptor = StoredTensors.floats(tensors, prefix(c) + "descriptor", dim);
			Thresholds t = Thresholds.readConformal(o.object("thresholds"), tensors, prefix(c), alpha);
			out.add(new Category(name, descriptor, images, t));
		}
		return new Categories(out);
	}
}
