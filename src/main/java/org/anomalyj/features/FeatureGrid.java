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

	public static FeatureGrid of(PatchFeatures features) {
		return new FeatureGrid(features.dim(), features.gridHeight(), features.gridWidth());
	}
}
