package org.anomalyj.inspect;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Why a model scored a place of an image as it did ({@link Explainer}): the patch there, what its
 * method's score measures, and, for a method that keeps training patches (PatchCore's memory
 * bank), the nearest of them with their distances and where in the training images they came
 * from, each cut out of its image, so that a user sees what "normal" looked like there.
 *
 * @param image the explained image's name
 * @param method the model's method
 * @param meaning what the method's patch score measures ({@link org.anomalyj.method.AnomalyMethod#scoreMeaning()})
 * @param note why no training patches are shown, or what is missing about them (a model trained
 *        before their sources were kept); null when they are all shown
 * @param query the explained patch: its score and the region it covers
 * @param neighbours the nearest training patches, nearest first; empty for methods that keep none
 */
public record Explanation(String image, String method, String meaning, String note, Patch query, List<Neighbour> neighbours) {

	public Explanation {
		neighbours = List.copyOf(neighbours);
	}

	/** A rectangle of an image, in its pixels. */
	public record Region(int x, int y, int width, int height) {}

	/** Pixels cut out of an image, packed RGB, row-major. */
	public record Crop(int[] rgb, int width, int height) {

		public Crop {
			if (rgb.length != width * height) throw new IllegalArgumentException(rgb.length + " pixels for " + width + " x " + height);
		}
	}

	/**
	 * The explained patch.
	 *
	 * @param row feature grid row
	 * @param column feature grid column
	 * @param score its patch score (before the map's smoothing and resizing)
	 * @param cell the grid cell in the image's pixels
	 * @param region the neighbourhood the patch's feature aggregates, in the image's pixels (clipped to it)
	 * @param crop the region's pixels
	 */
	public record Patch(int row, int column, float score, Region cell, Region region, Crop crop) {}

	/**
	 * A training patch near the explained one.
	 *
	 * @param rank 1 for the nearest
	 * @param distance to the explained patch's feature, in the score's unit
	 * @param image the training image's name (with its plane when not the first); null when unknown
	 * @param file where the image was looked for; null when unknown
	 * @param row feature grid row; -1 when unknown
	 * @param column feature grid column; -1 when unknown
	 * @param cell the grid cell in the training image's pixels; null when the image was not read
	 * @param region the patch's neighbourhood in the training image's pixels; null when the image was not read
	 * @param crop the region's pixels; null when the image was not read
	 * @param problem why the patch is not shown (unknown source, missing or unreadable image); null when it is
	 */
	public record Neighbour(int rank, float distance, String image, Path file, int row, int column, Region cell, Region region, Crop crop,
		String problem) {}

	/**
	 * One line of a table of the explanation: the query (panel 0) or a neighbour.
	 *
	 * @param panel 0 for the query, else the neighbour's rank (its panel in the montage)
	 * @param distance the query's patch score, or the neighbour's distance
	 * @param region null when unknown
	 * @param status "query", "ok", or why the neighbour is not shown
	 */
	public record Row(int panel, String image, int row, int column, float distance, Region region, String status) {}

	/** One line on the query: where it is, its score and what the score measures. */
	public String summary() {
		return image + " at grid row " + query.row() + ", column " + query.column() + ": patch score " + ExplanationMontage.number(query.score()) + "; "
			+ method + ": " + meaning;
	}

	/** The query and each neighbour, in montage order: what the CLI prints and Fiji's table holds. */
	public List<Row> rows() {
		List<Row> out = new ArrayList<>();
		out.add(new Row(0, image, query.row(), query.column(), query.score(), query.region(), "query"));
		for (Neighbour n : neighbours)
			out.add(new Row(n.rank(), n.image() == null ? "" : n.image(), n.row(), n.column(), n.distance(), n.region(),
				n.problem() == null ? "ok" : n.problem()));
		return out;
	}
}
