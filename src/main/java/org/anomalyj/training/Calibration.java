package org.anomalyj.training;

import org.anomalyj.model.Thresholds;

import java.util.Locale;

/**
 * How training obtains scores of good images the model did not train on, for the conformal
 * thresholds ({@link Thresholds}).
 * <ul>
 * <li>{@code HOLDOUT}: a seeded share of the images is kept out of training and scored. The
 * guarantee is exact, but those images are lost to training, and reaching {@code alpha} needs at
 * least {@code 1/alpha - 1} of them (99 for 1 %).</li>
 * <li>{@code CROSSFIT}: the images are split into K seeded folds; for each fold a model is trained
 * on the other folds and scores it. Every image gets an out-of-fold score and the model itself is
 * trained on all images. It costs K extra fits (the backbone runs once), and the guarantee is
 * approximate: the fold models train on fewer images than the final one, which in practice makes
 * the threshold conservative (measured in docs/BENCHMARKS.md).</li>
 * <li>{@code AUTO}: hold-out when the images needed to reach {@code alpha} (or the hold-out share,
 * if more) are at most a quarter of the images, else cross-fit: at 1 % from 396 images on, at 5 %
 * from 76. Large sets get the exact guarantee and skip the K extra fits, which grow with the set;
 * small sets (the usual case) keep all their images for training and still reach 1 %.</li>
 * <li>{@code NONE}: no calibration; the model has no thresholds.</li>
 * </ul>
 * With a single image nothing can be calibrated, whatever the mode.
 *
 * @param mode the strategy
 * @param holdoutFraction share held out by {@code HOLDOUT} (by {@code AUTO} at least this share), in (0, 1)
 * @param folds K of {@code CROSSFIT} (and {@code AUTO}), at least 2; fewer images than folds give leave-one-out
 */
public record Calibration(Mode mode, double holdoutFraction, int folds) {

	public enum Mode {
		AUTO, HOLDOUT, CROSSFIT, NONE;

		public String id() {
			return name().toLowerCase(Locale.ROOT);
		}
	}

	public static final double DEFAULT_FRACTION = 0.1;
	public static final int DEFAULT_FOLDS = 5;
	public static final Calibration AUTO = new Calibration(Mode.AUTO, DEFAULT_FRACTION, DEFAULT_FOLDS);

	/**
	 * What training uses unless told otherwise: a 10 % hold-out. Cross-fitting gives the exact
	 * guarantee at small alpha but fits K extra models (about 4x the training time on bottle), which
	 * would break "trains in seconds"; the threshold summary states the false-alarm rate the
	 * hold-out actually guarantees, and {@code --calibration auto|crossfit} asks for more.
	 */
	public static final Calibration DEFAULT = new Calibration(Mode.HOLDOUT, DEFAULT_FRACTION, DEFAULT_FOLDS);

	public Calibration {
		if (mode == null) throw new IllegalArgumentException("no calibration mode");
		if (!(holdoutFraction > 0 && holdoutFraction < 1))
			throw new IllegalArgumentException("hold-out fraction must be in (0, 1), was " + holdoutFraction);
		if (folds < 2) throw new IllegalArgumentException("cross-fitting needs at least 2 folds, was " + folds);
	}

	public static Calibration holdout(double fraction) {
		return new Calibration(Mode.HOLDOUT, fraction, DEFAULT_FOLDS);
	}

	public static Calibration crossfit(int folds) {
		return new Calibration(Mode.CROSSFIT, DEFAULT_FRACTION, folds);
	}

	public static Calibration none() {
		return new Calibration(Mode.NONE, DEFAULT_FRACTION, DEFAULT_FOLDS);
	}

	/**
	 * {@code auto}, {@code crossfit}, {@code none}, {@code holdout}, or a hold-out fraction such as
	 * {@code 0.2} ({@code 0} means none).
	 *
	 * @param folds K for cross-fitting
	 */
	public static Calibration parse(String text, int folds) {
		String t = text.trim().toLowerCase(Locale.ROOT);
		return switch (t) {
			case "auto" -> new Calibration(Mode.AUTO, DEFAULT_FRACTION, folds);
			case "crossfit" -> crossfit(folds);
			case "none" -> none();
			case "holdout" -> holdout(DEFAULT_FRACTION);
			default -> {
				double f;
				try {
					f = Double.parseDouble(t);
				} catch (NumberFormatException e) {
					throw new IllegalArgumentException("calibration must be auto, crossfit, holdout, none or a hold-out fraction, was '" + text + "'");
				}
				yield f == 0 ? none() : holdout(f);
			}
		};
	}

	/** Largest share of the images {@code AUTO} holds out; beyond it, cross-fitting costs less in training images. */
	static final double AUTO_MAX_SHARE = 0.25;

	/** Images held out of {@code n} by the hold-out split: at least one, leaving at least one to train on. */
	public int heldOut(int n) {
		return (int) Math.min(n - 1, Math.max(1, Math.round(n * holdoutFraction)));
	}

	/** Images {@code AUTO} holds out of {@code n} for {@code alpha}: the share, or the {@code 1/alpha - 1} needed if more. */
	public int heldOut(int n, double alpha) {
		if (mode != Mode.AUTO) return heldOut(n);
		int needed = (int) Math.ceil(1 / alpha - 1 - 1e-9);
		return (int) Math.min(n - 1, Math.max(heldOut(n), needed));
	}

	/** What is done for {@code n} training images and a false-alarm rate {@code alpha}: never {@code AUTO}. */
	public Mode resolve(int n, double alpha) {
		if (mode == Mode.NONE || n < 2) return Mode.NONE;
		if (mode != Mode.AUTO) return mode;
		int needed = (int) Math.ceil(1 / alpha - 1 - 1e-9);
		return Math.max(heldOut(n), needed) <= n * AUTO_MAX_SHARE ? Mode.HOLDOUT : Mode.CROSSFIT;
	}
}
