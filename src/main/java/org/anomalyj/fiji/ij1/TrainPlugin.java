package org.anomalyj.fiji.ij1;

import ij.plugin.PlugIn;
import org.anomalyj.fiji.CommandLabels;
import org.anomalyj.fiji.ModelCache;
import org.anomalyj.fiji.TrainAction;
import org.anomalyj.model.DeviceChoice;

import java.nio.file.Path;

/** ImageJ 1.x's Train Anomaly Model... (see {@link TrainAction}). */
public class TrainPlugin implements PlugIn {

	static final String[] DEVICES = {"auto", "cpu", "gpu"};

	@Override
	public void run(String arg) {
		RememberingDialog d = new RememberingDialog(CommandLabels.title(CommandLabels.TRAIN));
		d.directory("data", "Data (good images: folder or MVTec category)");
		d.choice("method", "Method", TrainAction.METHODS.toArray(String[]::new));
		d.number("input_size", "Input_size (px, multiple of 16)", TrainAction.Parameters.DEFAULT_SIZE, 0);
		d.number("coreset", "Coreset ratio", TrainAction.Parameters.DEFAULT_CORESET, 3);
		d.number("seed", "Seed", 0, 0);
		d.choice("device", "Device", DEVICES);
		d.file("model", "Model (file to write, .zip)");
		if (!d.show()) return;
		Path data = d.path("data");
		String method = d.choice("method");
		int size = (int) d.number("input_size");
		double coreset = d.number("coreset");
		long seed = (long) d.number("seed");
		String device = d.choice("device");
		Path model = d.path("model");
		d.remember();
		PluginRun.attempt(CommandLabels.TRAIN, () -> TrainAction.run(new TrainAction.Parameters(data, method, size, coreset, seed,
			DeviceChoice.parse(device), model), new ImageJFeedback(), ModelCache.shared()));
	}
}
