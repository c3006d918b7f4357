package org.anomalyj.fiji.ij1;

import ij.IJ;
import ij.Macro;
import ij.Prefs;
import ij.gui.GenericDialog;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A GenericDialog whose fields are known by their macro keys: each starts from the value last
 * chosen for its key (ImageJ's preferences, kept in memory and saved when ImageJ quits) and the
 * values chosen are remembered, except those a macro passes. Keys are shared between dialogs, so
 * the model just trained is the one Detect Anomalies offers next.
 */
final class RememberingDialog {

	private final GenericDialog gd;
	private final String title;
	private final Map<String, String> chosen = new LinkedHashMap<>();
	private final java.util.Set<String> own = new java.util.HashSet<>();

	RememberingDialog(String title) {
		gd = new GenericDialog(title);
		this.title = title;
	}

	/**
	 * Remembers {@code key} for this dialog alone, for a key another dialog uses with another
	 * meaning (Explain's {@code neighbours} is not PatchCore's training option of that name).
	 */
	RememberingDialog own(String key) {
		own.add(key);
		return this;
	}

	private String pref(String key) {
		return own.contains(key) ? "anomalyj." + title.replace(' ', '_') + "." + key : "anomalyj." + key;
	}

	/** The label shows the key first (an underscore shows as a space), so that the recorder writes the key. */
	private static String label(String key, String label) {
		if (!Macro.trimKey(label).equals(key)) throw new IllegalArgumentException("label '" + label + "' does not start with its key " + key);
		return label;
	}

	void directory(String key, String label) {
		gd.addDirectoryField(label(key, label), Prefs.get(pref(key), ""), 40);
	}

	/**
	 * An optional folder that starts empty every time and is never remembered: a macro that omits
	 * its key means none, rather than whatever an earlier run chose.
	 */
	void optionalDirectory(String key, String label) {
		gd.addDirectoryField(label(key, label), "", 40);
	}

	void file(String key, String label) {
		file(key, label, null);
	}

	/** A file field starting from {@code start}, or from the value last chosen when null. */
	void file(String key, String label, String start) {
		gd.addFileField(label(key, label), start != null ? start : Prefs.get(pref(key), ""), 40);
	}

	void number(String key, String label, double fallback, int digits) {
		gd.addNumericField(label(key, label), Prefs.get(pref(key), fallback), digits);
	}

	void slider(String key, String label, double min, double max, double fallback, double step) {
		gd.addSlider(label(key, label), min, max, Prefs.get(pref(key), fallback), step);
	}

	void checkbox(String key, String label, boolean fallback) {
		gd.addCheckbox(label(key, label), Prefs.get(pref(key), fallback));
	}

	void text(String key, String label, String fallback) {
		gd.addStringField(label(key, label), Prefs.get(pref(key), fallback), 20);
	}

	void choice(String key, String label, String[] items) {
		gd.addChoice(label(key, label), items, Prefs.get(pref(key), items[0]));
	}

	/** Shows the dialog (in a macro, reads the macro's values); false when cancelled. */
	boolean show() {
		gd.showDialog();
		return !gd.wasCanceled();
	}

	/** The next text field (directory, file), in the order added; empty stays null and is reported by the action. */
	Path path(String key) {
		String v = keep(key, gd.getNextString().trim());
		return v.isEmpty() ? null : Path.of(v);
	}

	/** The next text field, for an {@link #optionalDirectory}: null when empty, not remembered. */
	Path optionalPath() {
		String v = gd.getNextString().trim();
		return v.isEmpty() ? null : Path.of(v);
	}

	double number(String key) {
		double v = gd.getNextNumber();
		keep(key, Double.toString(v));
		return v;
	}

	boolean checkbox(String key) {
		boolean v = gd.getNextBoolean();
		keep(key, Boolean.toString(v));
		return v;
	}

	/** The next string field (after the directory and file fields added before it). */
	String text(String key) {
		return keep(key, gd.getNextString().trim());
	}

	String choice(String key) {
		return keep(key, gd.getNextChoice());
	}

	private String keep(String key, String value) {
		chosen.put(key, value);
		return value;
	}

	/** Remembers the values chosen, unless a macro passed them. */
	void remember() {
		if (!IJ.isMacro()) chosen.forEach((k, v) -> Prefs.set(pref(k), v));
	}
}
