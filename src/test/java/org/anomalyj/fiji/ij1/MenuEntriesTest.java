package org.anomalyj.fiji.ij1;

import org.anomalyj.fiji.AdjustThresholdCommand;
import org.anomalyj.fiji.BatchDetectCommand;
import org.anomalyj.fiji.CalibrateCommand;
import org.anomalyj.fiji.UpdateCommand;
import org.anomalyj.fiji.CommandLabels;
import org.anomalyj.fiji.DetectCommand;
import org.anomalyj.fiji.EvaluateCommand;
import org.anomalyj.fiji.ExplainCommand;
import org.anomalyj.fiji.LabelDefectsCommand;
import org.anomalyj.fiji.MethodFields;
import org.anomalyj.fiji.TrainCommand;

import ij.plugin.PlugIn;
import org.junit.jupiter.api.Test;
import org.scijava.Context;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandService;
import org.scijava.module.ModuleItem;
import org.scijava.plugin.Plugin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fiji shows each action once only if plugins.config and the SciJava commands use the same menu and
 * labels (the SciJava command then takes the ImageJ 1.x item over); one macro call works with both
 * facades only if the SciJava parameter names are the dialogs' macro keys.
 */
class MenuEntriesTest {

	/** plugins.config's entries: label to class name, for the menu of the SciJava commands. */
	static Map<String, String> pluginsConfig() throws IOException {
		Map<String, String> entries = new LinkedHashMap<>();
		for (String line : Files.readAllLines(Path.of("plugins.config"))) {
			if (line.isBlank() || line.startsWith("#")) continue;
			String[] f = line.split(",", 3);
			String menu = f[0].trim(), label = f[1].trim().replace("\"", ""), cls = f[2].trim();
			assertEquals(CommandLabels.MENU, menu + ">", line);
			assertEquals(null, entries.put(label, cls), "one entry per label: " + line);
		}
		return entries;
	}

	@Test
	void pluginsConfigListsTheSciJavaCommandsUnderTheSameLabels() throws Exception {
		Map<String, String> entries = pluginsConfig();
		Map<Class<?>, String> commands = Map.of(TrainCommand.class, CommandLabels.TRAIN, DetectCommand.class, CommandLabels.DETECT,
			BatchDetectCommand.class, CommandLabels.BATCH, EvaluateCommand.class, CommandLabels.EVALUATE, CalibrateCommand.class, CommandLabels.CALIBRATE,
			UpdateCommand.class, CommandLabels.UPDATE, AdjustThresholdCommand.class, CommandLabels.ADJUST_THRESHOLD, LabelDefectsCommand.class,
			CommandLabels.LABEL_DEFECTS, ExplainCommand.class, CommandLabels.EXPLAIN);
		assertEquals(new TreeSet<>(commands.values()), new TreeSet<>(entries.keySet()));
		for (var c : commands.entrySet()) {
			assertEquals(CommandLabels.MENU + c.getValue(), c.getKey().getAnnotation(Plugin.class).menuPath());
			Class<?> plugin = Class.forName(entries.get(c.getValue()));
			assertTrue(PlugIn.class.isAssignableFrom(plugin), plugin::getName);
		}
	}

	@Test
	void sciJavaParametersAreTheMacroKeysTheScriptsUse() throws Exception {
		// Train's method options are added when the dialog opens, one per option of every method found (MethodFields).
		Map<String, List<String>> keys = Map.of(CommandLabels.TRAIN, List.of("data", "method", "backbone", "input_size", "seed", "contamination", "device",
			"model", "defects"),
			CommandLabels.DETECT, List.of("image", "model", "overlay", "opacity", "roi_manager", "results", "map", "mask", "min_area", "device"),
			CommandLabels.BATCH, List.of("input", "model", "output", "maps", "masks", "overlays", "opacity", "min_area", "device"),
			CommandLabels.EVALUATE, List.of("data", "model", "device"), CommandLabels.CALIBRATE, List.of("goods", "model", "output", "device"),
			CommandLabels.UPDATE, List.of("images", "model", "output", "device"),
			// The *_meaning and verdict items are the dialog's read-outs (messages), never recorded.
			CommandLabels.ADJUST_THRESHOLD, List.of("detected_image", "model", "pixel", "pixel_meaning", "image", "image_meaning", "verdict", "save"),
			CommandLabels.LABEL_DEFECTS, List.of("image", "folder", "type", "name", "roi_manager", "replace"),
			CommandLabels.EXPLAIN, List.of("image", "model", "neighbours", "training", "device"));
		Context context = new Context();
		try {
			CommandService commands = context.service(CommandService.class);
			for (var e : keys.entrySet()) {
				CommandInfo info = commands.getCommands().stream()
					.filter(c -> c.getMenuPath() != null && c.getMenuPath().getLeaf() != null && e.getKey().equals(c.getMenuPath().getLeaf().getName()))
					.findFirst().orElseThrow();
				List<String> names = new ArrayList<>();
				for (ModuleItem<?> in : info.inputs())
					if (!in.getType().getName().startsWith("org.scijava")) names.add(in.getName());
				assertEquals(e.getValue(), names, e.getKey());
			}
		} finally {
			context.dispose();
		}
		// The scripts call the commands with these keys only.
		Set<String> used = new TreeSet<>();
		for (String script : List.of("scripts/batch_inspect_folder.ijm", "scripts/train_then_inspect.ijm"))
			for (String line : Files.readAllLines(Path.of(script)))
				if (line.contains("run(\"") && line.contains("Anomal"))
					for (var m : java.util.regex.Pattern.compile("(\\w+)=").matcher(line).results().toList()) used.add(m.group(1));
		Set<String> known = new TreeSet<>();
		keys.values().forEach(known::addAll);
		MethodFields.all().forEach(f -> known.add(f.key()));
		assertTrue(known.containsAll(List.of("coreset", "reweight", "neighbours", "padim_dims", "padim_regularisation")), known::toString);
		assertTrue(known.containsAll(used), () -> "unknown keys in scripts: " + used);
	}

	@Test
	void switchesWrittenTheSciJavaWayReadAsImageJ1Checkboxes() {
		assertEquals("model=[/a b/m.zip] overlay opacity=0.5  results ",
			MacroOptions.rewrite("model=[/a b/m.zip] overlay=true opacity=0.5 roi_manager=false results=TRUE ", "overlay", "roi_manager", "results"));
		assertEquals("map mask", MacroOptions.rewrite("map mask", "map", "mask"), "ImageJ 1.x style is left alone");
		assertEquals("maps=true", MacroOptions.rewrite("maps=true", "map"), "keys match whole");
	}
}
