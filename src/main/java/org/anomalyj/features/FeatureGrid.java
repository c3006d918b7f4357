package org.anomalyj.features;

/**
 * The shape of one image's patch features: {@code channels} values at each of
 * {@code height x width} grid positions.
 */
public record FeatureGrid(int channels, int height, int width) {

	public FeatureGrid {
		if (channels < 1 || height < 1 || width < 1)
			throw new IllegalArgumentException("feature grid must be positive, was " + channels + "x" + height + "x" + width);
	}

	/** Grid positions per image. */
	public int positions() {
		return height * width;
	}

	/** Feature values per image. */
	public int valuesPerImage() {
		return Math.multiplyExact(positions(), channels);
	}

	/**
	 * Checks that a batch of features has this grid's shape.
	 *
	 * @param shape the shape of {@code (N, channels, height, width)} features
	 * @throws IllegalArgumentException naming both shapes
	 */
	public void check(ai.djl.ndarray.types.Shape shape) {
		if (shape.dimension() != 4 || shape.get(1) != channels || shape.get(2) != height || shape.get(3) != width)
			throw new IllegalArgumentException("features of shape " + shape + ", expected (N, " + channels + ", " + height + ", " + width + ")");
	}

	public static FeatureGrid of(PatchFeatures features) {
		return new FeatureGrid(features.dim(), features.gridHeight(), features.gridWidth());
	}
}
