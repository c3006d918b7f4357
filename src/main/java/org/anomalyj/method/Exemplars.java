package org.anomalyj.method;

import java.util.List;

/**
 * The training patches a method keeps and scores against (a memory bank): an optional capability
 * of an {@link AnomalyMethod}, offered through {@link AnomalyMethod#exemplars()}. It lets an
 * explanation show, for a patch of a new image, the good patches nearest to it and where in the
 * training images they came from, so a user sees what "normal" looked like there.
 */
public interface Exemplars {

	/**
	 * A position in a training image.
	 *
	 * @param image index into the images of the training set's passes ({@link TrainingSet#images()}),
	 *        which the model file keeps ({@code model.TrainedImages})
	 * @param row the feature grid's row (0 at the top)
	 * @param column the feature grid's column (0 at the left)
	 */
	record Source(int image, int row, int column) {}

	/**
	 * One kept training patch near a query.
	 *
	 * @param entry its index among the kept patches
	 * @param distance its distance to the query, in the unit of the method's patch scores (the
	 *        nearest one's is the query's patch score)
	 * @param source where it came from; null when the model does not know ({@link #knowsSources()})
	 */
	record Neighbour(int entry, float distance, Source source) {}

	/** How many patches are kept. */
	int size();

	/**
	 * The {@code k} kept patches nearest to one patch feature, nearest first.
	 *
	 * @param feature one patch's feature vector, as the method scores it
	 * @param k at least 1; fewer are returned when fewer are kept
	 */
	List<Neighbour> nearest(float[] feature, int k);

	/**
	 * Whether the kept patches know their training image and position: false for models trained
	 * before this was recorded (re-train to get it), or trained on features without images.
	 */
	boolean knowsSources();

	/** One more than the largest training image index the sources name; 0 when they name none. */
	int sourceImages();
}
