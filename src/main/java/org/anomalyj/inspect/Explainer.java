package org.anomalyj.inspect;

import org.anomalyj.features.PatchFeatures;
import org.anomalyj.image.ImageFileReader;
import org.anomalyj.image.IntensityRange;
import org.anomalyj.image.LoadedImage;
import org.anomalyj.image.Planes;
import org.anomalyj.image.Preprocessor;
import org.anomalyj.method.AnomalyMethod;
import org.anomalyj.method.Exemplars;
import org.anomalyj.model.AnomalyModel;
import org.anomalyj.model.TrainedImages;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import net.imglib2.FinalInterval;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;
import net.imglib2.view.Views;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Explains a model's score at a place of an image ({@link Explanation}): finds the feature-grid
 * patch there (for an area, the highest-scoring patch in it), asks the method what its score means
 * and, when it keeps training patches ({@link AnomalyMethod#exemplars()}), which of them are
 * nearest, then cuts each out of its training image. The region shown for a patch is the
 * neighbourhood its feature aggregates: the model's pooling size times its coarsest tap's stride,
 * centred on the grid cell (the backbone's receptive field is larger, but this is what the feature
 * averages over). A training image that is missing or unreadable is reported for its neighbours;
 * the others are still shown.
 */
public final class Explainer {

	public static final int DEFAULT_NEIGHBOURS = 5;
	/** A neighbour's problem when the model does not know where its bank entries came from. */
	public static final String SOURCE_UNKNOWN = "source not recorded: the model was trained before AnomalyJ kept it; re-train to see this patch";
	/** More neighbours than anyone can look at; bounds the work a typo can ask for. */
	public static final int MAX_NEIGHBOURS = 100;

	/** Where in the image to explain, in its pixels: a point, a rectangle, or any shape inside its bounds. */
	public interface Place {

		/** The smallest rectangle holding the place: x, y, width, height. */
		Explanation.Region bounds();

		/** Whether the place holds this pixel. */
		boolean contains(int x, int y);

		static Place point(int x, int y) {
			return rectangle(x, y, 1, 1);
		}

		static Place rectangle(int x, int y, int width, int height) {
			Explanation.Region r = new Explanation.Region(x, y, width, height);
			return new Place() {
				@Override
				public Explanation.Region bounds() {
					return r;
				}

				@Override
				public boolean contains(int px, int py) {
					return px >= x && py >= y && px < x + width && py < y + height;
				}
			};
		}
	}

	private final AnomalyModel model;
	private final Preprocessor pre;
	private final Inspector inspector;
	/** Side of a patch's region in network input pixels. */
	private final int footprint;

	public Explainer(AnomalyModel model) {
		this.model = model;
		this.pre = new Preprocessor(model.spec().inputSize(), model.spec().intensity(), model.spec().normalization());
		this.inspector = new Inspector(model);
		PatchFeatures f = model.features();
		int coarsest = f.taps().stream().mapToInt(f.backbone()::stride).max().orElseThrow();
		this.footprint = model.spec().poolSize() * coarsest;
	}

	/**
	 * @param plane the image (as scored: grey or RGB, any size)
	 * @param name the image's name, for the explanation
	 * @param where the place to explain, in the image's pixels; it must overlap the image
	 * @param k neighbours wanted, 1 to {@link #MAX_NEIGHBOURS}
	 * @param trainingFolder where the training images are (they may have moved since training); null
	 *        for the folder the model recorded
	 * @throws IllegalArgumentException for a place outside the image, a bad {@code k}, or an image the model cannot take
	 */
	public Explanation explain(RandomAccessibleInterval<? extends RealType<?>> plane, String name, Place where, int k, Path trainingFolder) {
		if (k < 1 || k > MAX_NEIGHBOURS) throw new IllegalArgumentException("neighbours must be from 1 to " + MAX_NEIGHBOURS + ", was " + k);
		String problem = inspector.problemWith(plane);
		if (problem != null) throw new IllegalArgumentException(name + ": " + problem);
		int w = Planes.width(plane), h = Planes.height(plane);
		Explanation.Region b = where.bounds();
		if (b.width() < 1 || b.height() < 1 || b.x() >= w || b.y() >= h || b.x() + b.width() <= 0 || b.y() + b.height() <= 0)
			throw new IllegalArgumentException("the place to explain (" + b.x() + ", " + b.y() + ", " + b.width() + " x " + b.height() + ") is outside the "
				+ w + " x " + h + " image " + name);
		AnomalyMethod method = model.method();
		int gh = model.features().gridHeight(), gw = model.features().gridWidth(), dim = model.features().dim();
		float[] scores, features;
		try (NDManager tmp = model.manager().newSubManager()) {
			int s = pre.size();
			NDArray x = tmp.create(pre.toInput(plane), new Shape(1, 3, s, s));
			NDArray f = model.features().embed(x);
			scores = method.patchScores(f, x).toFloatArray();
			features = PatchFeatures.asRows(f).toFloatArray();
		}
		int cell = chooseCell(where, scores, w, h, gh, gw);
		int row = cell / gw, col = cell % gw;
		float[] feature = java.util.Arrays.copyOfRange(features, cell * dim, (cell + 1) * dim);
		Explanation.Region queryRegion = region(row, col, w, h, gh, gw);
		Explanation.Patch query = new Explanation.Patch(row, col, scores[cell], cellRegion(row, col, w, h, gh, gw), queryRegion,
			crop(plane, queryRegion, model.spec().intensity()));

		Exemplars exemplars = method.exemplars();
		if (exemplars == null) return new Explanation(name, method.name(), method.scoreMeaning(), method.name() + " keeps no training patches to show", query, List.of());
		TrainedImages images = model.trainedImages();
		List<Explanation.Neighbour> neighbours = new ArrayList<>();
		Map<Path, Object> read = new HashMap<>();
		int rank = 0;
		for (Exemplars.Neighbour n : exemplars.nearest(feature, k)) {
			rank++;
			Exemplars.Source src = n.source();
			if (src == null) {
				neighbours.add(new Explanation.Neighbour(rank, n.distance(), null, null, -1, -1, null, null, null, SOURCE_UNKNOWN));
				continue;
			}
			Path file = images.file(src.image(), trainingFolder);
			String label = images.label(src.image());
			Object loaded = read.computeIfAbsent(file, Explainer::read);
			if (loaded instanceof String why) {
				neighbours.add(new Explanation.Neighbour(rank, n.distance(), label, file, src.row(), src.column(), null, null, null, why));
				continue;
			}
			LoadedImage img = (LoadedImage) loaded;
			int p = images.plane(src.image());
			if (p >= img.planes().size()) {
				neighbours.add(new Explanation.Neighbour(rank, n.distance(), label, file, src.row(), src.column(), null, null, null,
					"has no plane " + (p + 1)));
				continue;
			}
			RandomAccessibleInterval<? extends RealType<?>> source = img.plane(p);
			int sw = Planes.width(source), sh = Planes.height(source);
			Explanation.Region r = region(src.row(), src.column(), sw, sh, gh, gw);
			neighbours.add(new Explanation.Neighbour(rank, n.distance(), label, file, src.row(), src.column(),
				cellRegion(src.row(), src.column(), sw, sh, gh, gw), r, crop(source, r, model.spec().intensity()), null));
		}
		String note = exemplars.knowsSources() ? null
			: "this model was trained before AnomalyJ kept where its memory bank's patches came from: re-train it to see them";
		return new Explanation(name, method.name(), method.scoreMeaning(), note, query, neighbours);
	}

	/** The training image, or why it cannot be shown. */
	private static Object read(Path file) {
		if (!Files.exists(file)) return "missing: " + file;
		try {
			return ImageFileReader.read(file);
		} catch (IOException | RuntimeException e) {
			return "unreadable: " + (e.getMessage() == null ? e.toString() : e.getMessage());
		}
	}

	/**
	 * The grid cell to explain: of the cells whose centre the place holds, the highest-scoring; a
	 * place too small to hold any centre (a point) gives the cell under its centre.
	 */
	static int chooseCell(Place where, float[] scores, int w, int h, int gh, int gw) {
		int best = -1;
		for (int r = 0; r < gh; r++)
			for (int c = 0; c < gw; c++) {
				int cx = (int) ((c + 0.5) * w / gw), cy = (int) ((r + 0.5) * h / gh);
				if (where.contains(cx, cy) && (best < 0 || scores[r * gw + c] > scores[best])) best = r * gw + c;
			}
		if (best >= 0) return best;
		Explanation.Region b = where.bounds();
		double x = Math.max(0, Math.min(w - 1, b.x() + b.width() / 2.0)), y = Math.max(0, Math.min(h - 1, b.y() + b.height() / 2.0));
		return (int) Math.min(gh - 1, y * gh / h) * gw + (int) Math.min(gw - 1, x * gw / w);
	}

	/** A grid cell in the pixels of a {@code w x h} image (the network input is the image resized to a square). */
	private static Explanation.Region cellRegion(int row, int col, int w, int h, int gh, int gw) {
		int x0 = (int) Math.round((double) col * w / gw), x1 = (int) Math.round((double) (col + 1) * w / gw);
		int y0 = (int) Math.round((double) row * h / gh), y1 = (int) Math.round((double) (row + 1) * h / gh);
		return new Explanation.Region(x0, y0, Math.max(1, x1 - x0), Math.max(1, y1 - y0));
	}

	/** The patch's aggregated neighbourhood in the image's pixels, clipped to the image. */
	private Explanation.Region region(int row, int col, int w, int h, int gh, int gw) {
		int s = pre.size();
		double cx = (col + 0.5) * w / gw, cy = (row + 0.5) * h / gh, halfW = footprint * (double) w / s / 2, halfH = footprint * (double) h / s / 2;
		int x0 = Math.max(0, (int) Math.floor(cx - halfW)), x1 = Math.min(w, (int) Math.ceil(cx + halfW));
		int y0 = Math.max(0, (int) Math.floor(cy - halfH)), y1 = Math.min(h, (int) Math.ceil(cy + halfH));
		return new Explanation.Region(x0, y0, Math.max(1, x1 - x0), Math.max(1, y1 - y0));
	}

	/** A region's pixels for display, 16- and 32-bit images scaled by the model's intensity range. */
	private static Explanation.Crop crop(RandomAccessibleInterval<? extends RealType<?>> plane, Explanation.Region r, IntensityRange range) {
		long[] min = new long[plane.numDimensions()], max = new long[plane.numDimensions()];
		plane.min(min);
		plane.max(max);
		min[0] += r.x();
		min[1] += r.y();
		max[0] = min[0] + r.width() - 1;
		max[1] = min[1] + r.height() - 1;
		RandomAccessibleInterval<? extends RealType<?>> view = Views.zeroMin(Views.interval(plane, new FinalInterval(min, max)));
		return new Explanation.Crop(InspectionFiles.DisplayRgb.of(view, range), r.width(), r.height());
	}
}
