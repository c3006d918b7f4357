package org.anomalyj.method;

/**
 * Training of a method in one pass over features fed batch by batch: features of the good images
 * arrive as they are extracted, so a method that needs less than all of them at once (PatchCore
 * keeps one chunk of patches, PaDiM running sums) trains on sets that do not fit in memory. Used
 * once: {@link #add} any number of times, then {@link #finish} once.
 */
public interface Fitter {

	/** Adds the features of some more good images, in order; the fitter may keep or copy them. */
	void add(org.anomalyj.features.FeatureRows batch);

	/**
	 * The trained method.
	 *
	 * @throws IllegalStateException when no image was added
	 */
	AnomalyMethod finish();

	/** One pass of {@code data}'s features through {@code fitter}: {@link AnomalyMethodPlugin#train} of a one-pass method. */
	static AnomalyMethod onePass(Fitter fitter, TrainingSet data) {
		data.forEachFeatures(fitter::add);
		return fitter.finish();
	}
}
