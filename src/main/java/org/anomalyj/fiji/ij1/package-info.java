/**
 * The ImageJ 1.x facade: {@code PlugIn}s listed in {@code plugins.config}, with GenericDialog
 * dialogs recorded by the ImageJ 1.x macro recorder, calling the same actions as the SciJava
 * commands. They use nothing of SciJava, so the jar works in a plain ImageJ 1.54. In Fiji the
 * SciJava commands take over these menu items (same labels), so these classes only run in plain
 * ImageJ.
 * <p>
 * Dialog labels start with the macro key (an underscore in it shows as a space), and the keys are
 * the SciJava parameter names, so one macro call works with both facades. Switches are written
 * {@code key=true} / {@code key=false} by Fiji's recorder and as a bare {@code key} (or nothing) by
 * the ImageJ 1.x recorder; both facades' macros run here.
 */
package org.anomalyj.fiji.ij1;
