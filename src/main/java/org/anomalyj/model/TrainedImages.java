package org.anomalyj.model;

import org.anomalyj.features.ImageRef;
import org.anomalyj.io.JsonFields;
import org.anomalyj.io.Safetensors;
import org.anomalyj.method.StoredTensors;

import com.google.gson.JsonObject;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The images a model's method was fitted on (calibration images left out), in the order of the
 * training set's passes ({@link org.anomalyj.method.TrainingSet#images()}): where a method records
 * which training image a learned patch came from, it records an index into this list. Stored so that
 * the list scales with the training set, not the manifest's size limit: the manifest holds
 * {@code training_images: {folder, count}}, the tensors {@value #NAMES} (the paths relative to the
 * folder, UTF-8, {@code /}-separated, each ended by a NUL, which no path contains) and
 * {@value #PLANES} (the plane of each, I32). Models written before this was kept have none
 * ({@link #NONE}).
 *
 * @param folder the folder the names are relative to, absolute, as it was at training; null when empty
 * @param names each image's file, relative to {@code folder}
 * @param planes each image's plane within its file (0 for a single-plane file)
 */
public record TrainedImages(Path folder, List<String> names, int[] planes) {

	public static final TrainedImages NONE = new TrainedImages(null, List.of(), new int[0]);
	static final String KEY = "training_images", NAMES = "training_image_names", PLANES = "training_image_planes";
	/** Far beyond any training set; bounds what a damaged file can make us allocate. */
	static final int MAX_IMAGES = 50_000_000;
	private static final char END = '\0';

	public TrainedImages {
		names = List.copyOf(names);
		planes = planes.clone();
		if (names.size() != planes.length) throw new IllegalArgumentException(names.size() + " names but " + planes.length + " planes");
		if (!names.isEmpty() && folder == null) throw new IllegalArgumentException("no folder for the names");
	}

	/**
	 * The images of a training pass, named relative to the deepest folder that holds them all; none
	 * when they share no folder (files on several Windows drives).
	 */
	public static TrainedImages of(List<ImageRef> images) {
		if (images.isEmpty()) return NONE;
		Path common = null;
		for (ImageRef r : images) {
			Path dir = r.file().toAbsolutePath().normalize().getParent();
			if (dir == null) return NONE;
			common = common == null ? dir : commonFolder(common, dir);
			if (common == null) return NONE;
		}
		List<String> names = new ArrayList<>(images.size());
		int[] planes = new int[images.size()];
		for (int i = 0; i < images.size(); i++) {
			ImageRef r = images.get(i);
			Path rel = common.relativize(r.file().toAbsolutePath().normalize());
			StringBuilder b = new StringBuilder();
			for (Path part : rel) b.append(b.isEmpty() ? "" : "/").append(part);
			names.add(b.toString());
			planes[i] = Math.max(0, r.plane());
		}
		return new TrainedImages(common, names, planes);
	}

	private static Path commonFolder(Path a, Path b) {
		if (!java.util.Objects.equals(a.getRoot(), b.getRoot())) return null;
		Path p = a;
		while (p != null && !b.startsWith(p)) p = p.getParent();
		return p;
	}

	@Override
	public int[] planes() {
		return planes.clone();
	}

	public int size() {
		return names.size();
	}

	public boolean isEmpty() {
		return names.isEmpty();
	}

	/** Image {@code i}'s name, with its plane when it is not the first (as {@code name [plane 3]}, counting from 1). */
	public String label(int i) {
		return planes[i] == 0 ? names.get(i) : names.get(i) + " [plane " + (planes[i] + 1) + "]";
	}

	public int plane(int i) {
		return planes[i];
	}

	/**
	 * Image {@code i}'s file under a folder: the one given (the training images moved or copied
	 * elsewhere), or the folder recorded at training when null.
	 */
	public Path file(int i, Path under) {
		return (under != null ? under : folder).resolve(names.get(i));
	}

	/** Adds the list to a model file's manifest and tensors; nothing when empty. */
	void writeTo(JsonObject manifest, Map<String, Safetensors.Tensor> tensors) {
		if (isEmpty()) return;
		JsonObject o = new JsonObject();
		o.addProperty("folder", folder.toString());
		o.addProperty("count", names.size());
		manifest.add(KEY, o);
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		for (String n : names) {
			bytes.writeBytes(n.getBytes(StandardCharsets.UTF_8));
			bytes.write(END);
		}
		byte[] b = bytes.toByteArray();
		put(tensors, NAMES, new Safetensors.Tensor(Safetensors.DType.U8, new long[] {b.length}, b));
		put(tensors, PLANES, Safetensors.Tensor.of(planes, planes.length));
	}

	private static void put(Map<String, Safetensors.Tensor> tensors, String name, Safetensors.Tensor t) {
		if (tensors.put(name, t) != null) throw new IllegalStateException("the tensor name '" + name + "' is reserved for the training images");
	}

	/**
	 * The list of a model file, checked: count, names (relative, no {@code ..}, valid UTF-8) and
	 * planes agree; {@link #NONE} when the file has none (written before it was kept).
	 *
	 * @param manifest the whole manifest
	 * @throws IOException naming the field or tensor that is wrong
	 */
	static TrainedImages read(JsonFields manifest, Map<String, Safetensors.Tensor> tensors) throws IOException {
		if (!manifest.has(KEY)) {
			if (tensors.containsKey(NAMES) || tensors.containsKey(PLANES))
				throw new IOException("the model has tensors of training image names but no '" + KEY + "' in its manifest");
			return NONE;
		}
		JsonFields o = manifest.object(KEY);
		String folder = o.string("folder");
		int count = (int) o.integer("count", 1, MAX_IMAGES);
		Path dir;
		try {
			dir = Path.of(folder);
		} catch (java.nio.file.InvalidPathException e) {
			throw o.problem("folder", "is not a path on this system");
		}
		Safetensors.Tensor t = tensors.get(NAMES);
		if (t == null || t.dtype() != Safetensors.DType.U8 || t.shape().length != 1)
			throw new IOException("the model lists " + count + " training images but has no U8 tensor '" + NAMES + "' of their names");
		List<String> names = split(t.data(), count);
		int[] planes = StoredTensors.ints(tensors, PLANES, 0, Integer.MAX_VALUE, count);
		return new TrainedImages(dir, names, planes);
	}

	private static List<String> split(byte[] data, int count) throws IOException {
		String all;
		try {
			all = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(java.nio.ByteBuffer.wrap(data)).toString();
		} catch (CharacterCodingException e) {
			throw new IOException("tensor '" + NAMES + "' is not UTF-8 text");
		}
		if (!all.isEmpty() && all.charAt(all.length() - 1) != END) throw new IOException("tensor '" + NAMES + "' does not end with a name's end");
		List<String> names = new ArrayList<>(count);
		int from = 0;
		for (int i = all.indexOf(END); i >= 0; i = all.indexOf(END, from)) {
			String name = all.substring(from, i);
			if (name.isEmpty() || name.startsWith("/") || name.startsWith("\\") || name.matches("[A-Za-z]:.*") || List.of(name.split("[/\\\\]")).contains(".."))
				throw new IOException("tensor '" + NAMES + "' holds a name that is not a plain relative path: " + shortened(name));
			names.add(name);
			if (names.size() > count) break;
			from = i + 1;
		}
		if (names.size() != count) throw new IOException("tensor '" + NAMES + "' holds " + (names.size() > count ? "more than " : "") + names.size()
			+ " names, the manifest counts " + count);
		return names;
	}

	private static String shortened(String s) {
		String line = s.replaceAll("\\p{Cntrl}", "?");
		return line.length() <= 80 ? line : line.substring(0, 77) + "...";
	}
}
