package org.anomalyj.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One category in the MVTec AD folder layout:
 * <pre>
 * root/train/good/*                       defect-free training images
 * root/test/good/*                        defect-free test images (no masks)
 * root/test/&lt;type&gt;/&lt;name&gt;.&lt;ext&gt;            defect images
 * root/ground_truth/&lt;type&gt;/&lt;name&gt;_mask.png   their masks, value &gt; 0 = anomalous
 * </pre>
 * {@link #open} checks the layout up front and fails with a message naming the folder or file:
 * missing train/good, a folder without images, a defect image without its mask. test/ is optional
 * (a training-only category). Mask sizes are checked when a mask is loaded ({@link TestSample#loadMask}).
 */
public final class CategoryFolder {

	public static final String GOOD = "good";

	private static final String LAYOUT = "expected train/good/, test/<type>/ and ground_truth/<type>/<name>_mask.png";

	private final Path root;
	private final List<Path> trainImages;
	private final Map<String, List<TestSample>> test;

	private CategoryFolder(Path root, List<Path> trainImages, Map<String, List<TestSample>> test) {
		this.root = root;
		this.trainImages = List.copyOf(trainImages);
		this.test = test;
	}

	/** Whether {@code dir} looks like a category: it has a train/good folder. */
	public static boolean isMvtecCategory(Path dir) {
		return Files.isDirectory(dir.resolve("train").resolve(GOOD));
	}

	/** Lists and checks the category. */
	public static CategoryFolder open(Path root) throws IOException {
		if (!Files.isDirectory(root))
			throw new IOException(root + ": " + (Files.exists(root) ? "is not a folder" : "does not exist"));
		if (!isMvtecCategory(root))
			throw new IOException(root + ": not an MVTec AD category, " + root.resolve("train").resolve(GOOD) + " is missing (" + LAYOUT + ")");
		List<Path> train = ImageListing.requireImages(root.resolve("train").resolve(GOOD));
		return new CategoryFolder(root, train, testSet(root));
	}

	/** Whether {@code dir} holds labelled defects in the category layout without training images: test/ and ground_truth/. */
	public static boolean isDefectFolder(Path dir) {
		return Files.isDirectory(dir.resolve("test")) && Files.isDirectory(dir.resolve("ground_truth"));
	}

	/**
	 * Lists and checks a folder of labelled images in the category layout, test/ and ground_truth/
	 * only (as Fiji's Label Defects writes them); it has no training images.
	 */
	public static CategoryFolder openTestSet(Path root) throws IOException {
		if (!isDefectFolder(root)) throw new IOException(root + ": has no test/ and ground_truth/ folders (" + LAYOUT + ")");
		return new CategoryFolder(root, List.of(), testSet(root));
	}

	private static Map<String, List<TestSample>> testSet(Path root) throws IOException {
		Map<String, List<TestSample>> test = new LinkedHashMap<>();
		Path testDir = root.resolve("test");
		if (Files.isDirectory(testDir)) {
			List<Path> typeDirs = ImageListing.folders(testDir);
			if (typeDirs.isEmpty())
				throw new IOException(testDir + ": has no sub-folders (" + LAYOUT + ")");
			// good first, then the defect types by name
			typeDirs.sort((a, b) -> GOOD.equals(a.getFileName().toString()) ? -1 : GOOD.equals(b.getFileName().toString()) ? 1
				: ImageListing.BY_NAME.compare(a, b));
			for (Path typeDir : typeDirs) {
				String type = typeDir.getFileName().toString();
				List<Path> images = ImageListing.requireImages(typeDir);
				test.put(type, samples(root, type, images));
			}
		}
		return test;
	}

	private static List<TestSample> samples(Path root, String type, List<Path> images) throws IOException {
		List<TestSample> samples = new ArrayList<>(images.size());
		if (GOOD.equals(type)) {
			for (Path image : images) samples.add(new TestSample(image, type, null));
			return samples;
		}
		Path maskDir = root.resolve("ground_truth").resolve(type);
		if (!Files.isDirectory(maskDir))
			throw new IOException(maskDir + ": missing; the " + images.size() + " defect images in " + root.resolve("test").resolve(type)
				+ " need their masks there (<name>_mask.png)");
		List<Path> missing = new ArrayList<>();
		for (Path image : images) {
			Path mask = maskDir.resolve(maskName(image));
			if (Files.isRegularFile(mask)) samples.add(new TestSample(image, type, mask));
			else missing.add(image);
		}
		if (!missing.isEmpty())
			throw new IOException(missing.get(0) + ": has no mask, expected " + maskDir.resolve(maskName(missing.get(0)))
				+ (missing.size() > 1 ? " (and " + (missing.size() - 1) + " more defect images without masks)" : ""));
		return samples;
	}

	/** {@code 003.png} to {@code 003_mask.png}. */
	public static String maskName(Path image) {
		String name = image.getFileName().toString();
		int dot = name.lastIndexOf('.');
		return (dot > 0 ? name.substring(0, dot) : name) + "_mask.png";
	}

	public Path root() {
		return root;
	}

	/** The category's name: its folder name. */
	public String name() {
		Path n = root.toAbsolutePath().normalize().getFileName();
		return n == null ? root.toString() : n.toString();
	}

	/** train/good images, sorted by name. */
	public List<Path> trainImages() {
		return trainImages;
	}

	/** Whether the category has a test/ folder. */
	public boolean hasTestSet() {
		return !test.isEmpty();
	}

	/** Defect types (test/ folders other than good), sorted by name. */
	public List<String> defectTypes() {
		List<String> types = new ArrayList<>(test.keySet());
		types.remove(GOOD);
		return Collections.unmodifiableList(types);
	}

	/** All test images: good first, then each defect type by name; within a type by file name. */
	public List<TestSample> testSamples() {
		List<TestSample> all = new ArrayList<>();
		test.values().forEach(all::addAll);
		return Collections.unmodifiableList(all);
	}

	/** Test images of one type ("good" or a defect type); empty if there is no such folder. */
	public List<TestSample> testSamples(String type) {
		return List.copyOf(test.getOrDefault(type, List.of()));
	}
}
