package org.anomalyj.fiji;

/**
 * Menu paths and labels shared by the SciJava commands and the ImageJ 1.x plug-ins (and listed again
 * in {@code plugins.config}, which a test keeps in step): with equal labels, Fiji shows each action once.
 */
public final class CommandLabels {

	/** The menu, as SciJava writes it. */
	public static final String MENU = "Plugins>Anomaly Detection>";

	public static final String TRAIN = "Train Anomaly Model...";
	public static final String DETECT = "Detect Anomalies...";
	public static final String BATCH = "Batch Detect Anomalies...";
	public static final String EVALUATE = "Evaluate Anomaly Model...";
	public static final String CALIBRATE = "Calibrate Anomaly Thresholds...";
	public static final String UPDATE = "Update Anomaly Model...";
	public static final String ADJUST_THRESHOLD = "Adjust Anomaly Threshold...";
	public static final String LABEL_DEFECTS = "Label Defects...";
	public static final String EXPLAIN = "Explain Anomaly...";

	private CommandLabels() {}

	/** The dialog title of a menu label: the label without its ellipsis. */
	public static String title(String label) {
		return label.endsWith("...") ? label.substring(0, label.length() - 3) : label;
	}
}
