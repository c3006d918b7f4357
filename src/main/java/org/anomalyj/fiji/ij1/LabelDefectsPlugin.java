package org.anomalyj.fiji.ij1;

import org.anomalyj.fiji.CommandLabels;
import org.anomalyj.fiji.LabelDefectsAction;

import ij.IJ;
import ij.ImagePlus;
import ij.plugin.PlugIn;

/** ImageJ 1.x's Label Defects... on the active image (see {@link LabelDefectsAction}). */
public class LabelDefectsPlugin implements PlugIn {

	@Override
	public void run(String arg) {
		ImagePlus imp = PluginRun.activeImage();
		if (imp == null) return;
		MacroOptions.acceptSwitchValues("roi_manager", "replace");
		RememberingDialog d = new RememberingDialog(CommandLabels.title(CommandLabels.LABEL_DEFECTS));
		d.directory("folder", "Folder for defects (test/<type>/, ground_truth/<type>/)");
		d.text("type", "Type of defect (a folder name)", "defect");
		d.text("name", "Name in the folder (empty: the image's title)", "");
		d.checkbox("roi_manager", "ROI_Manager outlines (else the selection)", false);
		d.checkbox("replace", "Replace the image if already labelled", false);
		if (!d.show()) return;
		java.nio.file.Path folder = d.path("folder");
		String type = d.text("type"), name = d.text("name");
		boolean roiManager = d.checkbox("roi_manager"), replace = d.checkbox("replace");
		d.remember();
		LabelDefectsAction.Outcome o = PluginRun.attempt(CommandLabels.LABEL_DEFECTS, () -> LabelDefectsAction.run(imp,
			LabelDefectsAction.outlines(imp, roiManager), new LabelDefectsAction.Parameters(folder, type, name, replace)));
		if (o != null) IJ.log(LabelDefectsAction.describe(o));
	}
}
