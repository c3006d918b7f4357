package org.anomalyj.fiji;

import ij.ImagePlus;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.widget.FileWidget;

import java.io.File;
import java.io.IOException;

/** Fiji's Label Defects... on the active image (see {@link LabelDefectsAction}). */
@Plugin(type = Command.class, menuPath = CommandLabels.MENU + CommandLabels.LABEL_DEFECTS)
public class LabelDefectsCommand extends ActionCommand<LabelDefectsAction.Outcome> {

	@Parameter(label = "Image")
	private ImagePlus image;

	@Parameter(label = "Defects folder (test/<type>/ and ground_truth/<type>/ are written in it)", style = FileWidget.DIRECTORY_STYLE)
	private File folder;

	@Parameter(label = "Defect type (a folder name, e.g. scratch)")
	private String type = "defect";

	@Parameter(label = "Name in the folder (empty: the image's title)", required = false, persist = false)
	private String name = "";

	@Parameter(label = "Outlines from the ROI Manager (else the image's selection)")
	private boolean roi_manager = false;

	@Parameter(label = "Replace the image if it is already labelled under this name")
	private boolean replace = false;

	@Override
	protected LabelDefectsAction.Outcome perform(Feedback feedback) throws IOException {
		LabelDefectsAction.Outcome o = LabelDefectsAction.run(image, LabelDefectsAction.outlines(image, roi_manager),
			new LabelDefectsAction.Parameters(FilePaths.of(folder), type, name, replace));
		feedback.log(LabelDefectsAction.describe(o));
		return o;
	}
}
