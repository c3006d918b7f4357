package org.anomalyj.metrics;

/**
 * Receives the cumulative counts at each distinct score, from the highest score down; a sample is
 * predicted anomalous at threshold {@code t} when its score is {@code >= t}. Several sweeps share
 * one sort of the data.
 */
interface ThresholdSweep {

	/**
	 * Called once before the first step.
	 *
	 * @param positives anomalous samples (defect pixels)
	 * @param negatives normal samples (good pixels)
	 * @param regions connected defect regions; 0 when the data has no region structure
	 */
	void start(long positives, long negatives, int regions);

	/**
	 * @param threshold the distinct score of this step
	 * @param truePositives positives scoring {@code >= threshold}
	 * @param falsePositives negatives scoring {@code >= threshold}
	 * @param overlap sum over those positives of 1 / (size of their region): PRO numerator; equals
	 *            {@code truePositives} when there is no region structure
	 */
	void step(float threshold, long truePositives, long falsePositives, double overlap);
}
