/**
 * AnomalyJ in Fiji and ImageJ: the menu commands under {@code Plugins > Anomaly Detection}.
 * <p>
 * Each action (train, detect, batch detect, evaluate) is implemented once, as an {@code ...Action}
 * class holding its parameters and a {@code run} method that calls the core library; the actions
 * depend on ImageJ 1.x ({@code ij.jar}) only. Two thin facades call them:
 * <ul>
 * <li>SciJava {@code Command}s in this package, for Fiji (dialogs, macro recording and scripting
 * through SciJava parameters);</li>
 * <li>ImageJ 1.x {@code PlugIn}s in {@link org.anomalyj.fiji.ij1}, listed in {@code plugins.config},
 * for plain ImageJ 1.x without SciJava (GenericDialog dialogs, recorded by the IJ1 recorder).</li>
 * </ul>
 * Both facades use the same menu paths and labels ({@link org.anomalyj.fiji.CommandLabels}) and the
 * same macro keys. In Fiji, the legacy layer replaces an ImageJ 1.x menu item by the SciJava
 * command of the same label instead of adding a second one, so each action appears exactly once
 * whether the jar sits in {@code jars/} (plugins.config is not read there) or in {@code plugins/}.
 */
package org.anomalyj.fiji;
