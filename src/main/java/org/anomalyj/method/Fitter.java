package org.anomalyj.method;

/**
 * Training of one method fed batch by batch ({@link AnomalyMethodPlugin#fitter}): features of the
 * good images arrive as they are extracted, so a method that needs less than all of them at once
 * (PatchCore keeps one chunk of patches, PaDiM running sums) trains on sets that do not fit in
 * memory. Used once: {@link #add} any number of times, then {@link #finish} once.
 */
public interface Fitter {

	/** Adds the features of some more good images, in order; the fitter may keep or copy them. */
	void add(FeatureRows batch);

	/**
	 * The trained method.
	 *
	 * @throws IllegalStateException when no image was added
	 */
	AnomalyMethod finish();
}
