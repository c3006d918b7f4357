package org.anomalyj.fiji.ij1;

import org.anomalyj.fiji.CommandLabels;
import org.anomalyj.fiji.Detections;
import org.anomalyj.fiji.ExplainAction;
import org.anomalyj.fiji.ModelCache;
import org.anomalyj.fiji.Windows;
import org.anomalyj.inspect.Explainer;
import org.anomalyj.model.DeviceChoice;

import ij.ImagePlus;
import ij.plugin.PlugIn;

/**
 * ImageJ 1.x's Explain Anomaly... on the point or selection of the active image (see
 * {@link ExplainAction}); in a macro, {@code run("Explain Anomaly...", "model=[...] neighbours=5")}.
 */
public class ExplainPlugin implements PlugIn {

	@Override
	public void run(String arg) {
		ImagePlus imp = PluginRun.activeImage();
		if (imp == null) return;
		String detected = null;
		try {
			detected = Detections.of(imp).model().toString();
		} catch (IllegalArgumentException e) {
			// not detected in this session: the model last used is offered
		}
		RememberingDialog d = new RememberingDialog(CommandLabels.title(CommandLabels.EXPLAIN)).own("neighbours");
		d.file("model", "Model (.zip; default: the one the image was detected with)", detected);
		d.number("neighbours", "Neighbours (nearest training patches to show)", Explainer.DEFAULT_NEIGHBOURS, 0);
		d.directory("training", "Training images folder (empty: the one the model recorded)");
		d.choice("device", "Device", TrainPlugin.DEVICES);
		if (!d.show()) return;
		// Read in the dialog's order, which is the order the recorder writes.
		java.nio.file.Path model = d.path("model");
		int neighbours = (int) Math.round(d.number("neighbours"));
		java.nio.file.Path training = d.path("training");
		String device = d.choice("device");
		d.remember();
		ExplainAction.Outcome o = PluginRun.attempt(CommandLabels.EXPLAIN, () -> ExplainAction.run(imp,
			new ExplainAction.Parameters(model, neighbours, training, DeviceChoice.parse(device)), new ImageJFeedback(), ModelCache.shared()));
		if (o != null) Windows.show(o.montage());
	}
}
