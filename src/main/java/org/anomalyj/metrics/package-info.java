/**
 * Anomaly-detection evaluation metrics as the field reports them: image and pixel AUROC and
 * average precision (sklearn's definitions), F1-max (anomalib's), AUPRO up to FPR 0.3 (the MVTec AD
 * evaluation code's), with their curves for plotting.
 * <p>
 * Conventions shared by all classes: higher scores are more anomalous; a sample is predicted
 * anomalous at threshold {@code t} when its score is {@code >= t}; tied scores form one threshold.
 * Undefined values are NaN rather than exceptions (AUROC with one class present, AP and F1 without
 * positives, AUPRO without regions or good pixels), so an evaluation of a category with only good
 * test images still reports what it can. Empty input and NaN scores are
 * {@link java.lang.IllegalArgumentException}s.
 * <p>
 * Pixel metrics sort packed primitive keys (score bits and region id in one {@code long}), so tens
 * of millions of pixels take about a second and 8 bytes each.
 */
package org.anomalyj.metrics;
