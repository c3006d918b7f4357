package org.anomalyj.training;

import java.util.Locale;

/**
 * What training assumes about anomalous images among its "good" ones (scikit-learn's word for it):
 * {@code AUTO} screens the images and leaves out those whose cross-fitted scores are outliers among
 * the rest ({@link ContaminationScreen}); {@code FRACTION} leaves out that share of the images, the
 * highest scored; {@code NONE} trusts every image.
 *
 * @param mode the setting
 * @param fraction the share to leave out, in (0, 0.5), for {@code FRACTION}; 0 otherwise
 */
public record Contamination(Mode mode, double fraction) {

	public enum Mode {
		AUTO, FRACTION, NONE
	}

	public static final Contamination AUTO = new Contamination(Mode.AUTO, 0), NONE = new Contamination(Mode.NONE, 0);

	/** What training assumes unless told otherwise. */
	public static final Contamination DEFAULT = NONE;

	public Contamination {
		if (mode == null) throw new IllegalArgumentException("no contamination setting");
		if (mode == Mode.FRACTION && !(fraction > 0 && fraction < 0.5))
			throw new IllegalArgumentException("contamination fraction must be in (0, 0.5), was " + fraction);
		if (mode != Mode.FRACTION && fraction != 0) throw new IllegalArgumentException("only a fraction setting has a fraction");
	}

	/** {@code auto}, {@code 0} (none) or a fraction such as {@code 0.05}. */
	public static Contamination parse(String text) {
		String t = text.trim().toLowerCase(Locale.ROOT);
		if (t.equals("auto")) return AUTO;
		double f;
		try {
			f = Double.parseDouble(t);
		} catch (NumberFormatException e) {
			throw new IllegalArgumentException("contamination must be auto, 0 or a fraction below 0.5 such as 0.05, was '" + text + "'");
		}
		if (f == 0) return NONE;
		if (!(f > 0 && f < 0.5)) throw new IllegalArgumentException("contamination must be auto, 0 or a fraction below 0.5 such as 0.05, was '" + text + "'");
		return new Contamination(Mode.FRACTION, f);
	}

	/** As {@link #parse} reads it: {@code auto}, {@code 0} or the fraction. */
	public String id() {
		return switch (mode) {
			case AUTO -> "auto";
			case NONE -> "0";
			case FRACTION -> String.format(Locale.ROOT, "%s", fraction);
		};
	}
}
