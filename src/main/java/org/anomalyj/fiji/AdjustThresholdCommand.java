package org.anomalyj.fiji;

import org.anomalyj.model.Thresholds;

import ij.ImagePlus;
import ij.WindowManager;
import org.scijava.ItemVisibility;
import org.scijava.app.StatusService;
import org.scijava.command.DynamicCommand;
import org.scijava.command.Previewable;
import org.scijava.log.LogService;
import org.scijava.module.MutableModuleItem;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.ui.UIService;
import org.scijava.widget.FileWidget;
import org.scijava.widget.NumberWidget;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Fiji's Adjust Anomaly Threshold... on a detected image (see {@link ThresholdAction}): the
 * thresholds' sliders re-decide the image as they move (SciJava's preview), OK keeps the result
 * and, with a file to save to, writes a new model with these thresholds. Dynamic only to set the
 * sliders' ranges from the image's maps when the dialog opens; in a macro,
 * {@code run("Adjust Anomaly Threshold...", "model=[...] pixel=... image=... save=[...]")}.
 */
@Plugin(type = org.scijava.command.Command.class, menuPath = CommandLabels.MENU + CommandLabels.ADJUST_THRESHOLD)
public class AdjustThresholdCommand extends DynamicCommand implements Previewable {

	@Parameter
	private StatusService status;

	@Parameter
	private LogService log;

	@Parameter(required = false)
	private UIService ui;

	/** Not {@code image}: that key is the image threshold's, as the ImageJ 1.x dialog records it. */
	@Parameter(label = "Detected image")
	private ImagePlus detected_image;

	@Parameter(label = "Model whose thresholds to set (default: the one the image was detected with)", style = FileWidget.OPEN_STYLE,
		required = false, persist = false)
	private File model;

	@Parameter(label = "Pixel threshold", style = NumberWidget.SLIDER_STYLE, callback = "preview", persist = false)
	private Double pixel;

	@Parameter(visibility = ItemVisibility.MESSAGE, persist = false, required = false)
	private String pixel_meaning = "";

	@Parameter(label = "Image threshold", style = NumberWidget.SLIDER_STYLE, callback = "preview", persist = false)
	private Double image;

	@Parameter(visibility = ItemVisibility.MESSAGE, persist = false, required = false)
	private String image_meaning = "";

	@Parameter(visibility = ItemVisibility.MESSAGE, persist = false, required = false)
	private String verdict = "";

	@Parameter(label = "Save a new model with these thresholds (empty: only this image)", style = FileWidget.SAVE_STYLE, required = false,
		persist = false)
	private File save;

	private Path written;

	/** The model file the last run wrote, or null. */
	public Path written() {
		return written;
	}

	/** The values come from the image's detection, never from an earlier run (persist = false): thresholds are per model. */
	@Override
	public void initialize() throws org.scijava.module.MethodCallException {
		super.initialize();
		ImagePlus imp = detected_image != null ? detected_image : WindowManager.getCurrentImage();
		if (imp == null) return;
		Detections.Detection d;
		try {
			d = Detections.of(imp);
			Thresholds.Custom start = ThresholdAction.initial(d), ranges = ThresholdAction.ranges(d);
			range("pixel", ranges.pixel());
			range("image", ranges.image());
			// A macro's values may already be in: keep them.
			if (pixel == null) pixel = (double) start.pixel();
			if (image == null) image = (double) start.image();
			if (model == null) model = d.model().toFile();
		} catch (IllegalArgumentException e) {
			return; // run() says why
		}
	}

	private void range(String name, float max) {
		MutableModuleItem<Double> item = getInfo().getMutableInput(name, Double.class);
		item.setMinimumValue(0.0);
		item.setMaximumValue((double) max);
		item.setStepSize(ThresholdAction.step(max));
	}

	@Override
	public void preview() {
		if (detected_image == null || pixel == null || image == null) return;
		try {
			Detections.Detection d = Detections.of(detected_image);
			ThresholdAction.Outcome o = ThresholdAction.show(detected_image, chosen());
			List<String> lines = ThresholdAction.describe(d, o, detected_image.getCurrentSlice());
			pixel_meaning = lines.get(0);
			image_meaning = lines.get(1);
			verdict = lines.get(2);
		} catch (IllegalArgumentException e) {
			verdict = e.getMessage();
		}
	}

	@Override
	public void cancel() {
		if (detected_image == null) return;
		try {
			ThresholdAction.restore(detected_image);
		} catch (IllegalArgumentException e) {
			// not detected: nothing was changed
		}
	}

	private Thresholds.Custom chosen() {
		if (pixel == null || image == null) throw new IllegalArgumentException("give both the pixel and the image threshold");
		return new Thresholds.Custom(image.floatValue(), pixel.floatValue());
	}

	@Override
	public void run() {
		written = ActionCommand.run(this, this::perform, status, log, ui);
	}

	private Path perform(Feedback feedback) throws IOException {
		Detections.Detection d = Detections.of(detected_image);
		Thresholds.Custom c = chosen();
		ThresholdAction.show(detected_image, c);
		if (save == null || save.getPath().isBlank()) return null;
		Path out = ThresholdAction.apply(model == null ? d.model() : model.toPath(), d.device(), c, save.toPath(), false, ModelCache.shared());
		feedback.log(CommandLabels.title(CommandLabels.ADJUST_THRESHOLD) + ": wrote " + out + " (pixel threshold " + c.pixel()
			+ ", image threshold " + c.image() + ")");
		return out;
	}
}
