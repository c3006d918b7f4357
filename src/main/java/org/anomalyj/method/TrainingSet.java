package org.anomalyj.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.anomalyj.features.FeatureGrid;
import org.anomalyj.features.FeatureRows;
import org.anomalyj.features.ImageRef;
import org.anomalyj.features.PatchFeatures;

import java.util.List;
import java.util.function.Consumer;

/**
 * The good images a method trains on, offered two ways: as the frozen backbone's patch features
 * (what memory-bank and distribution methods fit on), and as network inputs (what a method with a
 * network of its own, a student or an autoencoder, trains on next to the frozen backbone). Either
 * pass may be repeated, once per epoch; every pass visits the same images in the same order, so
 * training is reproducible. Sets larger than memory stream from their files on every pass.
 */
public interface TrainingSet {

	/** Where the method's arrays live (its device); arrays a method keeps must be attached here. */
	NDManager manager();

	/** The shape of one image's patch features. */
	FeatureGrid grid();

	/**
	 * The frozen backbone with PatchCore's neighbourhood aggregation: {@link PatchFeatures#embed}
	 * turns a batch of inputs from {@link #forEachInput} into {@code (n, D, h, w)} features, e.g. a
	 * student's regression targets.
	 */
	PatchFeatures features();

	/** Side of the square network inputs. */
	int inputSize();

	/** Images per batch in the passes below (the user's {@code --batch}). */
	int batchSize();

	/**
	 * One pass over the patch features, in batches of whole images (at most {@link #batchSize()},
	 * or everything at once for a set held in memory).
	 *
	 * @return images visited
	 */
	int forEachFeatures(Consumer<FeatureRows> batch);

	/**
	 * One pass over the network inputs: {@code (n, 3, S, S)} float32 arrays on {@link #manager()}'s
	 * device, already normalised for the backbone. Each array is closed after {@code batch}
	 * returns: copy what must outlive the call.
	 *
	 * @return images visited
	 * @throws UnsupportedOperationException for a set that holds features only
	 */
	int forEachInput(Consumer<NDArray> batch);

	/**
	 * The images a pass visits, in the order of their features: row {@code r} of a pass's features
	 * is grid position {@code r % grid().positions()} (row-major) of image {@code r / grid().positions()}.
	 * What a method records of where a learned patch came from refers to this list (the model file
	 * keeps it). Known once a pass has run; empty for a set that holds features only.
	 */
	default List<ImageRef> images() {
		return List.of();
	}

	/**
	 * Labelled defect patches given for training ({@code train --defects DIR}), which a method at
	 * the semi-supervised level may use, e.g. as extra anomalous examples; methods that cannot use
	 * them ignore them (and say so in {@link AnomalyMethodPlugin#learnsFromDefects()}). Never
	 * good images: the good images are the passes above.
	 *
	 * @return {@link DefectPatches#NONE} when none were given
	 */
	default DefectPatches defects() {
		return DefectPatches.NONE;
	}

	/** {@code set} with labelled defect patches added; its images and passes unchanged. */
	static TrainingSet withDefects(TrainingSet set, DefectPatches defects) {
		return new ForwardingTrainingSet(set) {
			@Override
			public DefectPatches defects() {
				return defects;
			}
		};
	}
}
