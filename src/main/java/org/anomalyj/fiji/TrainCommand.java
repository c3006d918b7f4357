package org.anomalyj.fiji;

import org.anomalyj.method.MethodOption;
import org.anomalyj.model.DeviceChoice;
import org.anomalyj.training.Contamination;
import org.scijava.app.StatusService;
import org.scijava.command.DynamicCommand;
import org.scijava.log.LogService;
import org.scijava.module.DefaultMutableModuleItem;
import org.scijava.ui.UIService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.widget.FileWidget;

import java.io.File;
import java.io.IOException;

/**
 * Fiji's Train Anomaly Model... (see {@link TrainAction}). A dynamic command: its method and
 * backbone choices and one field per method option come from the plug-in catalogs when the dialog
 * opens ({@link MethodFields}), so a plug-in method or backbone appears here with no change.
 * <p>
 * Scripts run it through the {@code ModuleService} (or as a macro, {@code run("Train Anomaly
 * Model...", "...")}): SciJava's {@code CommandService.run} hands back only non-dynamic commands.
 */
@Plugin(type = org.scijava.command.Command.class, menuPath = CommandLabels.MENU + CommandLabels.TRAIN)
public class TrainCommand extends DynamicCommand {

	@Parameter
	private StatusService status;

	@Parameter
	private LogService log;

	@Parameter(required = false)
	private UIService ui;

	private TrainAction.Outcome outcome;

	@Parameter(label = "Good images (folder or MVTec category)", style = FileWidget.DIRECTORY_STYLE)
	private File data;

	@Parameter(label = "Method")
	private String method = TrainAction.methods().get(0);

	@Parameter(label = "Backbone")
	private String backbone = TrainAction.backbones().get(0);

	@Parameter(label = "Input size (px)", min = "32", max = "2048", stepSize = "16")
	private int input_size = TrainAction.Parameters.DEFAULT_SIZE;

	@Parameter(label = "Random seed")
	private long seed = 0;

	@Parameter(label = "Contamination (auto, 0 or a fraction)", description = "Anomalous images among the good ones: auto finds and leaves out outliers, "
		+ "a fraction such as 0.05 leaves out that share of the highest scored, 0 trusts every image")
	private String contamination = Contamination.DEFAULT.id();

	@Parameter(label = "Device", choices = {"auto", "cpu", "gpu"})
	private String device = "auto";

	@Parameter(label = "Model file to write (.zip)", style = FileWidget.SAVE_STYLE)
	private File model;

	@Parameter(label = "Labelled defects (optional: MVTec category, test/ + ground_truth/ folder, or defect images)", style = FileWidget.DIRECTORY_STYLE,
		required = false)
	private File defects;

	/** The plug-ins' fields go in before the items are initialised (adding them while that runs would upset its iteration). */
	@Override
	public void initialize() throws org.scijava.module.MethodCallException {
		listPlugins();
		super.initialize();
	}

	/** Fills the choices and adds the method options' fields, from the plug-ins found now. */
	private void listPlugins() {
		getInfo().getMutableInput("method", String.class).setChoices(TrainAction.methods());
		getInfo().getMutableInput("backbone", String.class).setChoices(TrainAction.backbones());
		for (MethodFields.Field f : MethodFields.all()) {
			if (getInfo().getInput(f.key()) != null) continue;
			MethodOption o = f.option();
			switch (o.kind()) {
				case NUMBER -> add(f, Double.class, Double.valueOf(o.defaultValue()));
				case INTEGER -> add(f, Long.class, Long.valueOf(o.defaultValue()));
				case FLAG -> add(f, Boolean.class, Boolean.valueOf(o.defaultValue()));
				case TEXT -> add(f, String.class, o.defaultValue());
			}
		}
	}

	private <T> void add(MethodFields.Field f, Class<T> type, T fallback) {
		DefaultMutableModuleItem<T> item = new DefaultMutableModuleItem<>(this, f.key(), type);
		item.setLabel(f.label());
		item.setDescription(f.option().description());
		item.setDefaultValue(fallback);
		item.setRequired(false);
		addInput(item);
		if (getInput(f.key()) == null) setInput(f.key(), fallback);
	}

	/** What the last run did (for scripts and tests); null before a run or after a failure. */
	public TrainAction.Outcome outcome() {
		return outcome;
	}

	@Override
	public void run() {
		outcome = ActionCommand.run(this, this::perform, status, log, ui);
	}

	private TrainAction.Outcome perform(Feedback feedback) throws IOException {
		listPlugins(); // when run with all inputs given (a script), the initializer may not have run
		TrainAction.Parameters p = new TrainAction.Parameters(FilePaths.of(data), method, backbone, input_size,
			MethodFields.optionsOf(method, key -> String.valueOf(getInput(key))), seed, DeviceChoice.parse(device), FilePaths.of(model),
			Contamination.parse(contamination), FilePaths.of(defects));
		return TrainAction.run(p, feedback, ModelCache.shared());
	}
}
