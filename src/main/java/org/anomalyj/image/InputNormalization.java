package org.anomalyj.image;

import java.util.Locale;

/**
 * Value range the network expects, applied per channel after intensities are scaled to [0, 1]:
 * {@code (x - mean[c]) / std[c]}. It belongs to the backbone's weights
 * ({@code BackbonePlugin.normalization()}) and is stored with the model, so training and scoring use
 * the same mapping. A backbone whose weights want another mapping adds a constant here.
 */
public enum InputNormalization {
	/** 0..1 (what the nsfwjs MobileNetV2 was trained with). */
	UNIT(new float[] {0, 0, 0}, new float[] {1, 1, 1}),
	/** -1..1: {@code (x - 0.5) / 0.5 = 2x - 1} (bit for bit), as Keras' MobileNetV2 {@code preprocess_input}. */
	SYMMETRIC(new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.5f, 0.5f, 0.5f}),
	/** ImageNet's RGB mean and standard deviation, as torchvision's and Gluon's ImageNet models expect. */
	IMAGENET(new float[] {0.485f, 0.456f, 0.406f}, new float[] {0.229f, 0.224f, 0.225f});

	private final float[] mean, std;

	InputNormalization(float[] mean, float[] std) {
		this.mean = mean;
		this.std = std;
	}

	/** Maps a value in [0, 1] of channel {@code c} (0 = red) to the network range. */
	public float apply(float x, int c) {
		return (x - mean[c]) / std[c];
	}

	/** Whether {@link #apply} is the identity, so it can be skipped. */
	public boolean isIdentity() {
		return this == UNIT;
	}

	/** The name in model files and on the command line. */
	public String id() {
		return name().toLowerCase(Locale.ROOT);
	}

	/**
	 * @throws IllegalArgumentException for an unknown name, listing the known ones
	 */
	public static InputNormalization parse(String id) {
		for (InputNormalization n : values()) if (n.id().equals(id)) return n;
		throw new IllegalArgumentException("normalization must be one of " + ids() + ", not '" + id + "'");
	}

	/** The known names, e.g. for help texts: {@code unit|symmetric|imagenet}. */
	public static String ids() {
		StringBuilder b = new StringBuilder();
		for (InputNormalization n : values()) b.append(b.length() == 0 ? "" : "|").append(n.id());
		return b.toString();
	}
}
