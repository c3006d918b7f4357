package org.anomalyj.fiji.ij1;

import ij.plugin.PlugIn;
import org.anomalyj.fiji.CommandLabels;
import org.anomalyj.fiji.MethodFields;
import org.anomalyj.fiji.ModelCache;
import org.anomalyj.fiji.TrainAction;
import org.anomalyj.method.MethodOption;
import org.anomalyj.model.DeviceChoice;
import org.anomalyj.training.Contamination;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * ImageJ 1.x's Train Anomaly Model... (see {@link TrainAction}): a dialog for the data, method,
 * backbone and model file, then one for the chosen method's own options (fields from the method
 * plug-in's declarations, {@link MethodFields}). In a macro both read the same options string, so
 * the recorder writes one call, e.g. {@code method=patchcore ... coreset=0.100}.
 */
public class TrainPlugin implements PlugIn {

	static final String[] DEVICES = {"auto", "cpu", "gpu"};

	@Override
	public void run(String arg) {
		RememberingDialog d = new RememberingDialog(CommandLabels.title(CommandLabels.TRAIN));
		d.directory("data", "Data (good images: folder or MVTec category)");
		d.choice("method", "Method", TrainAction.methods().toArray(String[]::new));
		d.choice("backbone", "Backbone", TrainAction.backbones().toArray(String[]::new));
		d.number("input_size", "Input_size (px)", TrainAction.Parameters.DEFAULT_SIZE, 0);
		d.number("seed", "Seed", 0, 0);
		d.text("contamination", "Contamination (auto, 0 or a fraction)", Contamination.DEFAULT.id());
		d.choice("device", "Device", DEVICES);
		d.file("model", "Model (file to write, .zip)");
		d.optionalDirectory("defects", "Defects (optional: labelled MVTec category, test/ + ground_truth/ folder, or defect images)");
		if (!d.show()) return;
		Path data = d.path("data");
		String method = d.choice("method");
		String backbone = d.choice("backbone");
		int size = (int) d.number("input_size");
		long seed = (long) d.number("seed");
		String contamination = d.text("contamination");
		String device = d.choice("device");
		Path model = d.path("model");
		Path defects = d.optionalPath();
		d.remember();
		Map<String, String> options = options(method);
		if (options == null) return;
		PluginRun.attempt(CommandLabels.TRAIN, () -> TrainAction.run(new TrainAction.Parameters(data, method, backbone, size, options, seed,
			DeviceChoice.parse(device), model, Contamination.parse(contamination), defects), new ImageJFeedback(), ModelCache.shared()));
	}

	/** The chosen method's options from a second dialog (none when it has none); null when cancelled. */
	private static Map<String, String> options(String method) {
		List<MethodFields.Field> fields = MethodFields.all().stream().filter(f -> f.method().equals(method)).toList();
		Map<String, String> values = new HashMap<>();
		if (fields.isEmpty()) return values;
		RememberingDialog d = new RememberingDialog(CommandLabels.title(CommandLabels.TRAIN) + ": " + method);
		for (MethodFields.Field f : fields) {
			MethodOption o = f.option();
			String label = f.key() + " (" + o.description() + ")"; // ImageJ's recorder takes a field's key from its label's first word
			switch (o.kind()) {
				case FLAG -> d.checkbox(f.key(), label, Boolean.parseBoolean(o.defaultValue()));
				case INTEGER -> d.number(f.key(), label, Double.parseDouble(o.defaultValue()), 0);
				case NUMBER -> d.number(f.key(), label, Double.parseDouble(o.defaultValue()), 3);
				case TEXT -> d.text(f.key(), label, o.defaultValue());
			}
		}
		if (!d.show()) return null;
		for (MethodFields.Field f : fields) {
			values.put(f.key(), switch (f.option().kind()) {
				case FLAG -> Boolean.toString(d.checkbox(f.key()));
				case INTEGER -> Long.toString(Math.round(d.number(f.key())));
				case NUMBER -> Double.toString(d.number(f.key()));
				case TEXT -> d.text(f.key());
			});
		}
		d.remember();
		return MethodFields.optionsOf(method, values::get);
	}
}
