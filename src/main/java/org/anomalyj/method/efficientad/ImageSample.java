package org.anomalyj.method.efficientad;

import org.anomalyj.method.TrainingSet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The training images EfficientAD steps over, held in memory with their teacher features: read in
 * one pass over {@link TrainingSet#forEachInput} (the backbone runs once per image, not once per
 * step), every image up to {@code maxImages}, a seeded uniform sample of that many beyond
 * (reservoir sampling), so memory stays bounded whatever the number of images.
 */
final class ImageSample {

	private final List<float[]> inputs, features;
	private final int seen;
	private final long[] inputShape, featureShape;

	private ImageSample(List<float[]> inputs, List<float[]> features, int seen, long[] inputShape, long[] featureShape) {
		this.inputs = inputs;
		this.features = features;
		this.seen = seen;
		this.inputShape = inputShape;
		this.featureShape = featureShape;
	}

	/** @param seed seeds the sample, drawn only when there are more images than {@code maxImages} */
	static ImageSample collect(TrainingSet data, int maxImages, long seed) {
		if (maxImages < 1) throw new IllegalArgumentException("at least one image must be held");
		SplittableRandom random = new SplittableRandom(seed);
		List<float[]> inputs = new ArrayList<>(), features = new ArrayList<>();
		int[] seen = {0};
		long[][] shapes = new long[2][];
		data.forEachInput(x -> {
			NDArray teacher = data.features().embed(x);
			int n = (int) x.getShape().get(0);
			shapes[0] = x.getShape().slice(1).getShape();
			shapes[1] = teacher.getShape().slice(1).getShape();
			float[] allInputs = x.toFloatArray(), allFeatures = teacher.toFloatArray();
			teacher.close();
			int inPer = allInputs.length / n, fPer = allFeatures.length / n;
			for (int i = 0; i < n; i++) {
				int k = seen[0]++, slot;
				if (k < maxImages) slot = k;
				else {
					long j = random.nextLong(k + 1L);
					if (j >= maxImages) continue;
					slot = (int) j;
				}
				float[] in = Arrays.copyOfRange(allInputs, i * inPer, (i + 1) * inPer), f = Arrays.copyOfRange(allFeatures, i * fPer, (i + 1) * fPer);
				if (slot == inputs.size()) {
					inputs.add(in);
					features.add(f);
				} else {
					inputs.set(slot, in);
					features.set(slot, f);
				}
			}
		});
		if (inputs.isEmpty()) throw new IllegalArgumentException("efficientad needs at least one training image");
		return new ImageSample(inputs, features, seen[0], shapes[0], shapes[1]);
	}

	/** Images held. */
	int count() {
		return inputs.size();
	}

	/** Images the training set had. */
	int seen() {
		return seen;
	}

	/** {@code (n, 3, S, S)} inputs of the images at {@code indices}. */
	NDArray inputs(NDManager manager, int[] indices) {
		return stack(manager, inputs, inputShape, indices);
	}

	/** {@code (n, D, h, w)} teacher features of the images at {@code indices}. */
	NDArray features(NDManager manager, int[] indices) {
		return stack(manager, features, featureShape, indices);
	}

	/** The raw teacher features of one image, {@code (D, h, w)} row-major. */
	float[] features(int index) {
		return features.get(index);
	}

	private static NDArray stack(NDManager manager, List<float[]> held, long[] shape, int[] indices) {
		int per = held.get(0).length;
		float[] v = new float[Math.multiplyExact(per, indices.length)];
		for (int i = 0; i < indices.length; i++) System.arraycopy(held.get(indices[i]), 0, v, i * per, per);
		long[] s = new long[shape.length + 1];
		s[0] = indices.length;
		System.arraycopy(shape, 0, s, 1, shape.length);
		return manager.create(v, new Shape(s));
	}
}
