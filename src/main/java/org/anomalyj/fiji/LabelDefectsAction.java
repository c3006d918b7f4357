package org.anomalyj.fiji;

import org.anomalyj.data.CategoryFolder;
import org.anomalyj.io.AtomicFiles;

import ij.IJ;
import ij.ImagePlus;
import ij.gui.Roi;
import ij.io.FileInfo;
import ij.io.FileSaver;
import ij.plugin.frame.RoiManager;
import ij.process.ByteProcessor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Label Defects: the defects a person outlined on an image (its selection, or the ROI Manager's
 * ROIs) become a labelled example in a {@code defects} folder in the MVTec AD layout,
 * {@code test/<type>/NAME} and {@code ground_truth/<type>/NAME_mask.png} (255 = defect), which
 * {@code train --defects} reads ({@link org.anomalyj.training.DefectThresholds#find}). The image is
 * copied as its file when it has one and is unchanged, else saved (PNG for 8-bit and RGB, TIFF
 * for 16- and 32-bit, so no value is lost); of a stack, the current slice. Both files are written
 * atomically; an image already labelled under that name is replaced only when asked.
 */
public final class LabelDefectsAction {

	/**
	 * @param folder the defects folder (created when missing)
	 * @param type the defect type, a folder name (e.g. {@code scratch}); not {@code good}
	 * @param name the image's file name in the folder, without extension; null for the image's title
	 * @param overwrite whether an image already labelled under this name may be replaced
	 */
	public record Parameters(Path folder, String type, String name, boolean overwrite) {

		public Parameters {
			if (folder == null) throw new IllegalArgumentException("no defects folder given");
			if (type == null || type.isBlank()) throw new IllegalArgumentException("no defect type given");
			type = type.trim();
			if (!type.matches("[A-Za-z0-9._-]+") || type.startsWith("."))
				throw new IllegalArgumentException("defect type '" + type + "' must be a folder name of letters, digits, '.', '_' or '-'");
			if (type.equals(CategoryFolder.GOOD)) throw new IllegalArgumentException("defect type must not be 'good' (good images have no defects)");
			if (name != null && !name.isBlank() && !name.trim().matches("[^/\\\\:*?\"<>|]+"))
				throw new IllegalArgumentException("name '" + name + "' must be a file name");
		}
	}

	/**
	 * @param image the labelled image's file in {@code test/<type>/}
	 * @param mask its mask in {@code ground_truth/<type>/}
	 * @param defectPixels pixels labelled as defect
	 * @param regions how many outlines were drawn into the mask
	 */
	public record Outcome(Path image, Path mask, long defectPixels, int regions) {}

	private LabelDefectsAction() {}

	/**
	 * @param outlines the defect outlines (area ROIs) on {@code imp}
	 * @throws IllegalArgumentException when there is no outline, or one is not an area
	 * @throws IOException when the image is already labelled and {@code overwrite} is false, or a file cannot be written
	 */
	public static Outcome run(ImagePlus imp, List<Roi> outlines, Parameters p) throws IOException {
		if (imp == null) throw new IllegalArgumentException("no image is open");
		if (outlines == null || outlines.isEmpty())
			throw new IllegalArgumentException(imp.getTitle() + ": no defect outlined; draw a selection around each defect (or add them to the ROI Manager)");
		ByteProcessor mask = new ByteProcessor(imp.getWidth(), imp.getHeight());
		mask.setColor(255);
		for (Roi roi : outlines) {
			if (!roi.isArea()) throw new IllegalArgumentException(imp.getTitle() + ": '" + roi.getName() + "' is a " + roi.getTypeAsString()
				+ " selection; outline defects with area selections (rectangle, oval, polygon, freehand, wand)");
			mask.fill(roi);
		}
		long pixels = 0;
		byte[] m = (byte[]) mask.getPixels();
		for (byte b : m) if (b != 0) pixels++;
		if (pixels == 0) throw new IllegalArgumentException(imp.getTitle() + ": the outlines lie outside the image");

		Source source = Source.of(imp);
		String stem = p.name() == null || p.name().isBlank() ? FilePaths.stem(imp.getTitle()) : p.name().trim();
		Path imageDir = p.folder().resolve("test").resolve(p.type()), maskDir = p.folder().resolve("ground_truth").resolve(p.type());
		Path image = imageDir.resolve(stem + source.extension()), mask_ = maskDir.resolve(CategoryFolder.maskName(image));
		List<Path> labelled = new ArrayList<>();
		try (var others = Files.isDirectory(imageDir) ? Files.list(imageDir) : java.util.stream.Stream.<Path>empty()) {
			// Another image with the same stem would share the mask name.
			others.filter(f -> FilePaths.stem(f.getFileName().toString()).equals(stem)).forEach(labelled::add);
		}
		if (Files.exists(mask_) && !labelled.contains(mask_)) labelled.add(mask_);
		if (!labelled.isEmpty() && !p.overwrite())
			throw new IOException(labelled.get(0) + ": exists; this image is already labelled (choose another name, or replace it)");
		Files.createDirectories(imageDir);
		Files.createDirectories(maskDir);
		if (source.file() != null) AtomicFiles.requireNotSame(image, source.file());
		for (Path old : labelled) if (!old.equals(image) && !old.equals(mask_)) Files.delete(old);
		if (source.file() != null) AtomicFiles.write(image, out -> Files.copy(source.file(), out));
		else AtomicFiles.writeVia(image, tmp -> save(source.copy(), tmp));
		AtomicFiles.writeVia(mask_, tmp -> save(new ImagePlus("mask", mask), tmp));
		return new Outcome(image, mask_, pixels, outlines.size());
	}

	/** One line for the Log. */
	public static String describe(Outcome o) {
		return String.format(Locale.ROOT, "%s: labelled %d defect pixel%s (%d outline%s); mask %s", o.image(), o.defectPixels(),
			o.defectPixels() == 1 ? "" : "s", o.regions(), o.regions() == 1 ? "" : "s", o.mask());
	}

	/**
	 * The defects outlined on an image: the ROI Manager's ROIs on it (those on the current slice of a
	 * stack, and those on no slice), or its selection.
	 */
	public static List<Roi> outlines(ImagePlus imp, boolean roiManager) {
		List<Roi> out = new ArrayList<>();
		if (roiManager) {
			RoiManager rm = RoiManager.getInstance2();
			if (rm != null)
				for (Roi roi : rm.getRoisAsArray()) {
					int position = roi.getPosition();
					if (position == 0 || position == imp.getCurrentSlice()) out.add(roi);
				}
		} else if (imp.getRoi() != null) out.add(imp.getRoi());
		return out;
	}

	/** The image to label: its file when its pixels are the file's, else a copy of the current plane to save. */
	private record Source(Path file, ImagePlus copy, String extension) {

		static Source of(ImagePlus imp) {
			FileInfo fi = imp.getOriginalFileInfo();
			// Unchanged: not edited, converted or resized (ImageJ counts only edits as changes, so the pixels are compared).
			if (fi != null && fi.directory != null && fi.fileName != null && !imp.changes && imp.getStackSize() == 1) {
				Path f = Path.of(fi.directory, fi.fileName);
				String ext = LabelDefectsAction.extension(fi.fileName);
				ImagePlus onDisk = Files.isRegularFile(f) && !ext.isEmpty() ? IJ.openImage(f.toString()) : null;
				if (onDisk != null && onDisk.getStackSize() == 1 && onDisk.getType() == imp.getType()
					&& Objects.deepEquals(onDisk.getProcessor().getPixels(), imp.getProcessor().getPixels()))
					return new Source(f, null, ext);
			}
			ImagePlus plane = new ImagePlus(imp.getTitle(), imp.getProcessor().duplicate());
			plane.setCalibration(imp.getCalibration());
			int bits = imp.getBitDepth();
			return new Source(null, plane, bits == 16 || bits == 32 ? ".tif" : ".png");
		}
	}

	private static void save(ImagePlus imp, Path tmp) throws IOException {
		String f = tmp.toString();
		boolean ok = f.endsWith(".tif") ? new FileSaver(imp).saveAsTiff(f) : new FileSaver(imp).saveAsPng(f);
		if (!ok) throw new IOException(tmp + ": could not be written");
	}

	private static String extension(String fileName) {
		int dot = fileName.lastIndexOf('.');
		return dot > 0 ? fileName.substring(dot).toLowerCase(Locale.ROOT) : "";
	}

}
