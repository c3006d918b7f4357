/**
 * Dataset layouts on disk: an MVTec AD category ({@link org.anomalyj.data.CategoryFolder}) or a plain
 * folder of good images ({@link org.anomalyj.data.ImageFolder}); {@link org.anomalyj.data.TrainingImages}
 * accepts either. Listings are deterministic: files sorted by name (plain string order, so use
 * zero-padded numbers), hidden files (name starting with ".") skipped, only names with an image
 * extension ({@link org.anomalyj.image.ImageFileReader#EXTENSIONS}) taken.
 */
package org.anomalyj.data;
