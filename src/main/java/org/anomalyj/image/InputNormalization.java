package org.anomalyj.image;

/**
 * Value range the network expects, applied after intensities are scaled to [0, 1]. Stored with the
 * model, so training and scoring use the same mapping.
 */
public enum InputNormalization {
	/** 0..1, the default (what the nsfwjs MobileNetV2 was trained with). */
	UNIT {
		@Override
		public float apply(float x) {
			return x;
		}
	},
	/** -1..1: {@code x * 2 - 1}, as Keras' MobileNetV2 {@code preprocess_input}. */
	SYMMETRIC {
		@Override
		public float apply(float x) {
			return x * 2f - 1f;
		}
	};

	/** Maps a value in [0, 1] to the network range. */
	public abstract float apply(float x);
}
