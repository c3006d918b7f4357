package org.anomalyj.fiji;

import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import ij.gui.ImageRoi;
import ij.gui.Overlay;
import ij.gui.Roi;
import ij.measure.Calibration;
import ij.measure.ResultsTable;
import ij.process.ImageConverter;
import org.anomalyj.image.ImageFileReader;
import org.anomalyj.inspect.Inspection;
import org.anomalyj.inspect.Inspector;
import org.anomalyj.model.AnomalyModel;
import org.anomalyj.model.DeviceChoice;
import org.anomalyj.model.Thresholds;
import org.anomalyj.task.Progress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;
import org.scijava.command.Command;
import org.scijava.command.CommandModule;
import org.scijava.module.ModuleService;
import java.util.concurrent.Future;
import org.scijava.command.CommandService;

import java.awt.Point;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every command run headless through a SciJava context and its command service, on a model the
 * Train command makes from sample-data (input size 128 to keep it quick), checked against the core
 * library called directly.
 */
class FijiCommandsTest {

	static final Path SAMPLE = Path.of("sample-data", "ball_screw").toAbsolutePath();
	static final Path PITTING = SAMPLE.resolve("test/pitting/01_200907130328_430000_180_crop_2.jpg");
	static final Path GOOD = SAMPLE.resolve("test/good/01_200829120127_517500_315_crop_2.jpg");

	@TempDir
	static Path tmp;

	static Context context;
	static CommandService commands;
	static Path modelFile;
	static TrainAction.Outcome trained;
	/** The same model loaded independently, for reference values. */
	static AnomalyModel reference;

	@BeforeAll
	static void trainModel() throws Exception {
		ModelCache.shared().clear();
		context = new Context();
		commands = context.service(CommandService.class);
		modelFile = tmp.resolve("ball screw.zip");
		// Train is a dynamic command (its method options come from the plug-ins): scripts run it through the module service.
		Future<?> f = context.service(ModuleService.class).run(commands.getCommand(TrainCommand.class), true, "data", SAMPLE.toFile(), "method",
			"patchcore", "backbone", "mobilenetv2", "input_size", 128, "coreset", 0.1, "seed", 0L, "device", "cpu", "model", modelFile.toFile());
		TrainCommand train = (TrainCommand) f.get();
		assertFalse(train.isCanceled(), train::getCancelReason);
		trained = train.outcome();
		reference = AnomalyModel.load(modelFile, DeviceChoice.CPU);
	}

	@AfterAll
	static void close() {
		if (reference != null) reference.close();
		ModelCache.shared().clear();
		if (context != null) context.dispose();
	}

	static CommandModule run(Class<? extends Command> command, Object... inputs) throws Exception {
		CommandModule m = commands.run(command, true, inputs).get();
		assertFalse(m.isCanceled(), () -> "command failed: " + m.getCancelReason());
		return m;
	}

	static CommandModule detect(ImagePlus imp, Object... overrides) throws Exception {
		List<Object> inputs = new ArrayList<>(List.of("image", imp, "model", modelFile.toFile(), "overlay", true, "opacity", 0.4, "roi_manager",
			false, "results", true, "map", true, "mask", true, "min_area", 0L, "device", "cpu"));
		for (int i = 0; i < overrides.length; i += 2) inputs.set(inputs.indexOf(overrides[i]) + 1, overrides[i + 1]);
		return commands.run(DetectCommand.class, true, inputs.toArray()).get();
	}

	@Test
	void trainWritesTheModelAndSummarises() {
		assertTrue(Files.isRegularFile(modelFile));
		// 40 good images, 4 held out for the thresholds (the default hold-out); 128 px input: a 16 x 16 patch grid.
		assertEquals(36, trained.images());
		assertEquals("bank " + (int) Math.floor(36 * 16 * 16 * 0.1), trained.learned());
		assertTrue(trained.summary().stream().anyMatch(l -> l.contains("learned: bank 921 from 9216 patches")), trained.summary()::toString);
		assertTrue(trained.summary().stream().anyMatch(l -> l.contains("thresholds (holdout, 4 images)")), trained.summary()::toString);
		assertTrue(trained.summary().stream().anyMatch(l -> l.contains("time:")));
	}

	@Test
	void detectShowsWhatTheCoreFindsOnTheOriginalPixels() throws Exception {
		ImagePlus imp = IJ.openImage(PITTING.toString());
		int loadsBefore = ModelCache.shared().loads();
		ResultsTable table = ResultsTable.getResultsTable();
		int rowsBefore = table.size();
		CommandModule m = detect(imp);
		assertFalse(m.isCanceled(), m::getCancelReason);
		DetectAction.Outcome out = ((DetectCommand) m.getCommand()).outcome();
		assertEquals(loadsBefore, ModelCache.shared().loads(), "the trained model is reused, not loaded again");

		Inspection expected = new Inspector(reference).inspect(ImageFileReader.read(PITTING).singlePlane());
		Inspection got = out.inspections().get(0);
		assertEquals(expected.score(), got.score(), 1e-4 * Math.abs(expected.score()));
		assertTrue(got.anomalous(), "a pitting image");
		int regions = expected.defects().regions().size();
		assertTrue(regions >= 1);

		// Overlay: one heat map covering exactly the image, then one outline per defect region.
		Overlay overlay = imp.getOverlay();
		assertNotNull(overlay);
		assertEquals(1 + regions, overlay.size());
		ImageRoi heat = (ImageRoi) overlay.get(0);
		assertEquals(new java.awt.Rectangle(0, 0, 565, 230), heat.getBounds());
		assertEquals(0.4, heat.getOpacity(), 1e-9);
		for (int i = 1; i <= regions; i++) assertTrue(overlay.get(i).getName().startsWith("defect " + i + " peak "), overlay.get(i).getName());

		// The outlines hold exactly the mask's pixels, and the mask is the map above the pixel threshold.
		ImagePlus mask = (ImagePlus) m.getOutput("defect_mask");
		ImagePlus map = (ImagePlus) m.getOutput("anomaly_map");
		assertEquals(565, mask.getWidth());
		assertEquals(230, map.getHeight());
		assertEquals(ImagePlus.GRAY32, map.getType());
		boolean[] inOutlines = new boolean[565 * 230];
		for (Roi roi : out.outlines().get(0))
			for (Point p : roi.getContainedPoints()) {
				assertFalse(inOutlines[p.y * 565 + p.x], "regions do not overlap");
				inOutlines[p.y * 565 + p.x] = true;
			}
		byte[] maskPixels = (byte[]) mask.getProcessor().getPixels();
		float[] mapPixels = (float[]) map.getProcessor().getPixels();
		long area = 0;
		for (int i = 0; i < inOutlines.length; i++) {
			assertEquals(maskPixels[i] != 0, inOutlines[i], "pixel " + i);
			assertEquals(mapPixels[i] > out.pixelThreshold(), maskPixels[i] != 0, "pixel " + i);
			if (inOutlines[i]) area++;
		}
		assertArrayEquals(expected.map(), mapPixels, 1e-3f * out.pixelThreshold());

		// One Results row with the same figures.
		assertEquals(rowsBefore + 1, table.size());
		int row = table.size() - 1;
		assertEquals(imp.getTitle(), table.getStringValue(DetectionResults.IMAGE, row));
		assertEquals(got.score(), table.getValue(DetectionResults.SCORE, row), 1e-4);
		assertEquals(got.normalisedScore(), table.getValue(DetectionResults.NORMALISED, row), 1e-6);
		assertEquals("anomalous", table.getStringValue(DetectionResults.VERDICT, row));
		assertEquals(regions, (int) table.getValue(DetectionResults.DEFECTS, row));
		assertEquals(area, (long) table.getValue(DetectionResults.AREA_PX, row));
		assertEquals(area, (long) table.getValue(DetectionResults.AREA, row));
		assertEquals("pixel^2", table.getStringValue(DetectionResults.AREA_UNIT, row));
	}

	@Test
	void adjustThresholdRedecidesTheDetectionLiveAndWritesANewModel() throws Exception {
		ImagePlus imp = IJ.openImage(PITTING.toString());
		imp.setTitle("adjust-" + imp.getTitle());
		DetectAction.Outcome detected = ((DetectCommand) detect(imp, "map", false, "mask", false).getCommand()).outcome();
		Inspection first = detected.inspections().get(0);
		Detections.Detection d = Detections.of(imp);
		Thresholds.Custom start = ThresholdAction.initial(d);
		assertEquals(reference.thresholds().pixel(), start.pixel());
		assertEquals(reference.thresholds().image(), start.image());
		ResultsTable table = ResultsTable.getResultsTable();
		int row = table.size() - 1;

		// The pixel threshold at the 99th percentile of this image's map: fewer defect pixels, exactly those above it.
		float[] sorted = first.map().clone();
		java.util.Arrays.sort(sorted);
		for (float pixel : new float[] {sorted[(int) (0.99 * sorted.length)], sorted[(int) (0.9 * sorted.length)], start.pixel()}) {
			ThresholdAction.Outcome o = ThresholdAction.show(imp, new Thresholds.Custom(start.image(), pixel));
			long above = 0;
			for (float v : first.map()) if (v > pixel) above++;
			long inOutlines = 0;
			int outlines = 0;
			for (Roi roi : imp.getOverlay().toArray()) {
				if (!"defect".equals(roi.getProperty(DetectionOverlay.PROPERTY))) continue;
				outlines++;
				inOutlines += roi.getContainedPoints().length;
			}
			assertEquals(above, inOutlines, "outlines on the overlay hold the map's pixels above " + pixel);
			assertEquals(o.inspections().get(0).defects().regions().size(), outlines);
			assertEquals(above, (long) table.getValue(DetectionResults.AREA_PX, row), "the image's Results row follows");
			assertEquals(outlines, (int) table.getValue(DetectionResults.DEFECTS, row));
			assertEquals(1, imp.getOverlay().toArray().length - outlines, "the heat map stays");
		}
		// The image threshold just above and just below the score flips the verdict; the score is not recomputed.
		ThresholdAction.Outcome good = ThresholdAction.show(imp, new Thresholds.Custom(Math.nextUp(first.score()), start.pixel()));
		assertEquals("good", table.getStringValue(DetectionResults.VERDICT, row));
		assertEquals(first.score(), good.inspections().get(0).score());
		assertEquals(0.5 * first.score() / Math.nextUp(first.score()), table.getValue(DetectionResults.NORMALISED, row), 1e-6);
		ThresholdAction.show(imp, new Thresholds.Custom(Math.nextDown(first.score()), start.pixel()));
		assertEquals("anomalous", table.getStringValue(DetectionResults.VERDICT, row));

		// The read-outs: the false-alarm share counted by hand on the calibration scores.
		float image = 0.8f * start.image();
		ThresholdAction.Outcome o = ThresholdAction.decide(d, new Thresholds.Custom(image, start.pixel()));
		int flagged = 0;
		float[] calibration = reference.thresholds().imageScores().values();
		for (float s : calibration) if (s > image) flagged++;
		List<String> lines = ThresholdAction.describe(d, o, 1);
		assertTrue(lines.get(1).contains("(" + flagged + " of " + calibration.length + ")"), lines::toString);
		assertTrue(lines.get(1).contains(String.format(java.util.Locale.ROOT, "normalised %.3f", 0.4)), lines::toString);
		assertTrue(lines.get(2).startsWith("Verdict: anomalous"), lines::toString);

		// Apply: a new model file with these thresholds deciding; the input model untouched; never the same file, never silently over another.
		Map<String, String> before = org.anomalyj.testing.FileTreeDigest.of(modelFile);
		Path out = tmp.resolve("adjusted.zip");
		Thresholds.Custom chosen = new Thresholds.Custom(Math.nextUp(first.score()), sorted[(int) (0.99 * sorted.length)]);
		// A dynamic command (its sliders' ranges come from the image): scripts run it through the module service.
		AdjustThresholdCommand m = (AdjustThresholdCommand) context.service(ModuleService.class).run(commands.getCommand(AdjustThresholdCommand.class),
			true, "detected_image", imp, "pixel", (double) chosen.pixel(), "image", (double) chosen.image(), "save", out.toFile()).get();
		assertFalse(m.isCanceled(), m::getCancelReason);
		assertEquals(out, m.written());
		try (AnomalyModel adjusted = AnomalyModel.load(out, DeviceChoice.CPU)) {
			assertEquals(Thresholds.Choice.CUSTOM, adjusted.thresholds().active());
			assertEquals(chosen, adjusted.thresholds().custom());
			assertEquals(reference.thresholds().conformalImage(), adjusted.thresholds().conformalImage());
			Inspection again = new Inspector(adjusted).inspect(ImageFileReader.read(PITTING).singlePlane());
			assertEquals("good", again.verdict(), "the saved model decides as the dialog showed");
			long above = 0;
			for (float v : again.map()) if (v > chosen.pixel()) above++;
			assertEquals(above, again.defects().totalArea());
		}
		assertEquals(before, org.anomalyj.testing.FileTreeDigest.of(modelFile), "the model file is untouched");
		IOException same = assertThrows(IOException.class, () -> ThresholdAction.apply(modelFile, DeviceChoice.CPU, chosen, modelFile, true,
			ModelCache.shared()));
		assertTrue(same.getMessage().contains("model file itself"), same.getMessage());
		IOException exists = assertThrows(IOException.class, () -> ThresholdAction.apply(modelFile, DeviceChoice.CPU, chosen, out, false,
			ModelCache.shared()));
		assertTrue(exists.getMessage().contains("exists"), exists.getMessage());

		IllegalArgumentException notDetected = assertThrows(IllegalArgumentException.class, () -> Detections.of(IJ.openImage(GOOD.toString())));
		assertTrue(notDetected.getMessage().contains("run Detect Anomalies... on it first"), notDetected.getMessage());
	}

	/** The Train dialog's defects folder: F1 thresholds for every method, training data for one that learns from labelled defects. */
	@Test
	void trainsWithTheLabelledDefectsOfTheDefectsFolder() throws Exception {
		Path out = tmp.resolve("semi.zip");
		Future<?> f = context.service(ModuleService.class).run(commands.getCommand(TrainCommand.class), true, "data", SAMPLE.toFile(), "method",
			"simplenet", "backbone", "mobilenetv2", "input_size", 64, "seed", 0L, "device", "cpu", "model", out.toFile(), "defects", SAMPLE.toFile(),
			"simplenet_epochs", 2L, "simplenet_hidden", 16L);
		TrainCommand train = (TrainCommand) f.get();
		assertFalse(train.isCanceled(), train::getCancelReason);
		TrainAction.Outcome o = train.outcome();
		assertTrue(o.learned().contains("labelled defect patches from 8 images"), o.learned());
		assertTrue(o.summary().stream().anyMatch(l -> l.contains("F1 thresholds from 8 defect")), o.summary().toString());
		try (AnomalyModel m = AnomalyModel.load(out, DeviceChoice.CPU)) {
			assertNotNull(m.thresholds().f1());
		}
	}

	@Test
	void explainShowsTheNearestBankPatchesOfTheMarkedPlaceAsTheCoreFindsThem() throws Exception {
		ImagePlus imp = IJ.openImage(PITTING.toString());
		imp.setRoi(new ij.gui.PointRoi(380, 95));
		CommandModule m = run(ExplainCommand.class, "image", imp, "model", modelFile.toFile(), "neighbours", 4, "training", null, "device", "cpu");
		ExplainAction.Outcome o = ((ExplainCommand) m.getCommand()).outcome();
		org.anomalyj.inspect.Explanation core = new org.anomalyj.inspect.Explainer(reference).explain(ImageFileReader.read(PITTING).singlePlane(),
			imp.getTitle(), org.anomalyj.inspect.Explainer.Place.point(380, 95), 4, null);
		assertEquals(core.rows(), o.explanation().rows());
		assertNull(o.explanation().note(), "a model trained today knows its bank's sources");
		ImagePlus montage = (ImagePlus) m.getOutput("montage");
		assertEquals(5, montage.getWidth() / org.anomalyj.inspect.ExplanationMontage.PANEL, "the query and four neighbours");
		ResultsTable t = o.table();
		assertEquals(5, t.size());
		assertEquals("query", t.getStringValue("status", 0));
		for (int i = 1; i < 5; i++) {
			org.anomalyj.inspect.Explanation.Neighbour n = core.neighbours().get(i - 1);
			assertEquals(n.image(), t.getStringValue("image", i));
			assertEquals(n.row(), (int) t.getValue("grid_row", i));
			assertEquals(n.distance(), t.getValue("distance", i), 1e-6 * n.distance());
			assertEquals("ok", t.getStringValue("status", i));
			assertTrue(Files.isRegularFile(SAMPLE.resolve("train/good").resolve(n.image())), n.image());
		}

		// A selection: its highest-scoring patch; without a model file, the one the image was detected with.
		detect(imp, "map", false, "mask", false, "results", false);
		imp.setRoi(new Roi(300, 40, 150, 120));
		CommandModule area = run(ExplainCommand.class, "image", imp, "model", null, "neighbours", 2, "training", null, "device", "cpu");
		org.anomalyj.inspect.Explanation e = ((ExplainCommand) area.getCommand()).outcome().explanation();
		float[] scores = reference.method().patchScores(reference.features().embed(reference.manager().create(
			new org.anomalyj.image.Preprocessor(128, null, reference.spec().normalization()).toInput(ImageFileReader.read(PITTING).singlePlane()),
			new ai.djl.ndarray.types.Shape(1, 3, 128, 128)))).toFloatArray();
		float best = Float.NEGATIVE_INFINITY;
		for (int r = 0; r < 16; r++)
			for (int c = 0; c < 16; c++) {
				int cx = (int) ((c + 0.5) * imp.getWidth() / 16), cy = (int) ((r + 0.5) * imp.getHeight() / 16);
				if (imp.getRoi().contains(cx, cy)) best = Math.max(best, scores[r * 16 + c]);
			}
		assertEquals(best, e.query().score(), 1e-4 * best);

		imp.deleteRoi();
		CommandModule none = commands.run(ExplainCommand.class, true, "image", imp, "model", modelFile.toFile(), "neighbours", 2, "training", null, "device", "cpu")
			.get();
		assertTrue(none.isCanceled());
		assertTrue(none.getCancelReason().contains("mark the place to explain"), none.getCancelReason());
	}

	@Test
	void labelDefectsWritesMasksThatTrainingWithDefectsReads() throws Exception {
		Path folder = tmp.resolve("defects");
		ImagePlus imp = IJ.openImage(PITTING.toString());
		imp.setRoi(new ij.gui.OvalRoi(300, 60, 120, 70));
		long inOval = imp.getRoi().getContainedPoints().length;
		CommandModule m = run(LabelDefectsCommand.class, "image", imp, "folder", folder.toFile(), "type", "pitting", "name", "", "roi_manager", false,
			"replace", false);
		LabelDefectsAction.Outcome o = ((LabelDefectsCommand) m.getCommand()).outcome();
		assertEquals(folder.resolve("test/pitting").resolve(PITTING.getFileName()), o.image());
		assertArrayEquals(Files.readAllBytes(PITTING), Files.readAllBytes(o.image()), "an unchanged image is copied as its file");
		assertEquals(inOval, o.defectPixels());

		// A second image, changed in ImageJ (so saved, losslessly), outlined with two ROIs that overlap.
		ImagePlus changed = IJ.openImage(GOOD.toString());
		changed.getProcessor().invert();
		changed.changes = true;
		Roi a = new Roi(10, 10, 40, 30), b = new Roi(30, 20, 40, 30);
		LabelDefectsAction.Outcome o2 = LabelDefectsAction.run(changed, List.of(a, b), new LabelDefectsAction.Parameters(folder, "pitting",
			"scratch 2", false));
		assertEquals("scratch 2.png", o2.image().getFileName().toString());
		assertEquals(40 * 30 * 2 - 20 * 20, o2.defectPixels(), "the union of the outlines");
		assertArrayEquals((int[]) changed.getProcessor().getPixels(), (int[]) IJ.openImage(o2.image().toString()).getProcessor().getPixels());
		// 16-bit images are saved as TIFF, every value kept.
		ImagePlus grey = IJ.openImage(GOOD.toString());
		new ImageConverter(grey).convertToGray16();
		LabelDefectsAction.Outcome o16 = LabelDefectsAction.run(grey, List.of(a), new LabelDefectsAction.Parameters(tmp.resolve("defects16"),
			"pitting", null, false));
		assertTrue(o16.image().toString().endsWith(".tif"));
		assertArrayEquals((short[]) grey.getProcessor().getPixels(), (short[]) IJ.openImage(o16.image().toString()).getProcessor().getPixels());

		// What train --defects reads: both examples, each with its mask, the mask the outlines' pixels.
		List<org.anomalyj.training.DefectThresholds.Example> found = org.anomalyj.training.DefectThresholds.find(folder);
		assertEquals(2, found.size());
		for (var e : found) {
			long expected = e.image().equals(o.image()) ? inOval : o2.defectPixels();
			ImagePlus mask = IJ.openImage(e.mask().toString());
			assertEquals(ImagePlus.GRAY8, mask.getType());
			long set = 0;
			for (byte v : (byte[]) mask.getProcessor().getPixels()) if (v != 0) set++;
			assertEquals(expected, set, e.mask()::toString);
		}
		try (AnomalyModel model = AnomalyModel.load(modelFile, DeviceChoice.CPU)) {
			var f1 = org.anomalyj.training.DefectThresholds.addTo(model, found, false, 8, Progress.NONE);
			assertEquals(2, f1.defectImages());
			assertFalse(Float.isNaN(f1.pixel()), "pixel F1 threshold learned from the masks");
		}

		// Never silently over an earlier label; replaced when asked.
		Map<String, String> before = org.anomalyj.testing.FileTreeDigest.of(folder);
		IOException again = assertThrows(IOException.class, () -> LabelDefectsAction.run(imp, List.of(imp.getRoi()),
			new LabelDefectsAction.Parameters(folder, "pitting", null, false)));
		assertTrue(again.getMessage().contains("already labelled"), again.getMessage());
		assertEquals(before, org.anomalyj.testing.FileTreeDigest.of(folder));
		imp.setRoi(new Roi(0, 0, 10, 10));
		assertEquals(100, LabelDefectsAction.run(imp, List.of(imp.getRoi()), new LabelDefectsAction.Parameters(folder, "pitting", null, true))
			.defectPixels());
		assertThrows(IllegalArgumentException.class, () -> LabelDefectsAction.run(imp, List.of(new ij.gui.Line(0, 0, 5, 5)),
			new LabelDefectsAction.Parameters(folder, "pitting", null, true)));
		assertThrows(IllegalArgumentException.class, () -> new LabelDefectsAction.Parameters(folder, "good", null, false));
		assertThrows(IllegalArgumentException.class, () -> new LabelDefectsAction.Parameters(folder, "../x", null, false));
	}

	@Test
	void theHeatMapLooksAsInTheCliOverlayPngs() throws Exception {
		ImagePlus imp = IJ.openImage(PITTING.toString());
		int[] base = ((int[]) imp.getProcessor().getPixels()).clone();
		DetectAction.Outcome out = ((DetectCommand) detect(imp, "opacity", 0.6, "results", false, "map", false, "mask", false).getCommand()).outcome();
		ImagePlus heatOnly = new ImagePlus("heat", imp.getProcessor().duplicate());
		heatOnly.setOverlay(new Overlay(imp.getOverlay().get(0)));
		int[] drawn = (int[]) heatOnly.flatten().getProcessor().getPixels();
		Inspection r = out.inspections().get(0);
		int[] expected = org.anomalyj.postprocess.HeatmapOverlay.aroundThreshold(out.pixelThreshold(), 0.6).render(base, r.map(), null, 565, 230);
		int worst = 0;
		for (int i = 0; i < drawn.length; i++)
			for (int shift = 0; shift <= 16; shift += 8)
				worst = Math.max(worst, Math.abs(((drawn[i] >> shift) & 0xff) - ((expected[i] >> shift) & 0xff)));
		assertTrue(worst <= 2, "largest channel difference " + worst);
	}

	@Test
	void detectScoresAStackSliceBySliceInCalibratedUnits() throws Exception {
		ImagePlus pitting = IJ.openImage(PITTING.toString()), good = IJ.openImage(GOOD.toString());
		ImageStack stack = new ImageStack(565, 230);
		stack.addSlice(good.getProcessor());
		stack.addSlice(pitting.getProcessor());
		ImagePlus imp = new ImagePlus("two.tif", stack);
		Calibration cal = new Calibration();
		cal.pixelWidth = cal.pixelHeight = 0.05;
		cal.setUnit("mm");
		imp.setCalibration(cal);
		ResultsTable table = ResultsTable.getResultsTable();
		int rowsBefore = table.size();
		CommandModule m = detect(imp);
		assertFalse(m.isCanceled(), m::getCancelReason);
		DetectAction.Outcome out = ((DetectCommand) m.getCommand()).outcome();

		assertEquals(2, out.inspections().size());
		assertEquals(0, out.outlines().get(0).size(), "the good slice has no defect");
		assertFalse(out.outlines().get(1).isEmpty());
		for (Roi roi : imp.getOverlay().toArray()) {
			boolean heat = roi instanceof ImageRoi;
			assertEquals(heat ? roi.getPosition() : 2, roi.getPosition(), "outlines are on the pitting slice");
		}
		assertEquals(2, Stream.of(imp.getOverlay().toArray()).filter(r -> r instanceof ImageRoi).count());

		assertEquals(rowsBefore + 2, table.size());
		int row = table.size() - 1;
		assertEquals(2, (int) table.getValue(DetectionResults.SLICE, row));
		long px = (long) table.getValue(DetectionResults.AREA_PX, row);
		assertTrue(px > 0);
		assertEquals(px * 0.05 * 0.05, table.getValue(DetectionResults.AREA, row), 1e-9 * px);
		assertEquals("mm^2", table.getStringValue(DetectionResults.AREA_UNIT, row));

		ImagePlus map = (ImagePlus) m.getOutput("anomaly_map");
		assertEquals(2, map.getStackSize());
		assertEquals(0.05, map.getCalibration().pixelWidth, 0);
		assertEquals("mm", map.getCalibration().getUnit());
		assertEquals(2, ((ImagePlus) m.getOutput("defect_mask")).getStackSize());
	}

	@Test
	void detectTakesGreyImagesAndRefusesBitDepthsTheModelNeverSaw() throws Exception {
		ImagePlus grey = IJ.openImage(PITTING.toString());
		new ImageConverter(grey).convertToGray8();
		CommandModule m = detect(grey, "map", false, "mask", false, "results", false);
		assertFalse(m.isCanceled(), m::getCancelReason);
		assertNull(m.getOutput("anomaly_map"));
		assertEquals(new java.awt.Rectangle(0, 0, 565, 230), grey.getOverlay().get(0).getBounds());

		ImagePlus sixteen = IJ.openImage(PITTING.toString());
		new ImageConverter(sixteen).convertToGray16();
		CommandModule refused = detect(sixteen);
		assertTrue(refused.isCanceled());
		assertTrue(refused.getCancelReason().contains("trained on 8-bit images only"), refused.getCancelReason());
		assertNull(sixteen.getOverlay(), "nothing is drawn on a refused image");
	}

	@Test
	void detectAgainReplacesItsOverlayButKeepsTheUsersOwn() throws Exception {
		ImagePlus imp = IJ.openImage(PITTING.toString());
		Roi mine = new Roi(1, 1, 10, 10);
		imp.setOverlay(new Overlay(mine));
		detect(imp, "results", false, "map", false, "mask", false);
		int once = imp.getOverlay().size();
		detect(imp, "results", false, "map", false, "mask", false);
		assertEquals(once, imp.getOverlay().size());
		assertTrue(imp.getOverlay().contains(mine));

		detect(imp, "overlay", false, "results", false, "map", false, "mask", false);
		assertEquals(once, imp.getOverlay().size(), "without the overlay option the overlay is left alone");
	}

	@Test
	void detectOnAVirtualStackReportsProgressPerBatchAndStopsOnEsc() throws Exception {
		Path dir = SAMPLE.resolve("train/good");
		List<Path> files = org.anomalyj.data.CategoryFolder.open(SAMPLE).trainImages().subList(0, 10);
		ImagePlus first = IJ.openImage(files.get(0).toString());
		ij.VirtualStack stack = new ij.VirtualStack(first.getWidth(), first.getHeight(), null, dir.toString());
		for (Path f : files) stack.addSlice(f.getFileName().toString());
		ImagePlus imp = new ImagePlus("virtual", stack);
		DetectAction.Parameters p = new DetectAction.Parameters(modelFile, false, 0.5, false, false, false, false, 0, DeviceChoice.CPU);

		List<String> updates = new ArrayList<>();
		boolean[] escape = {false};
		Feedback recording = new Feedback() {
			@Override
			protected void showStatus(String message, long done, long total) {
				updates.add(done + "/" + total);
			}

			@Override
			public void finished() {}

			@Override
			public boolean isCancelled() {
				return escape[0];
			}
		};
		DetectAction.Outcome all = DetectAction.run(imp, p, recording, ModelCache.shared());
		assertEquals(List.of(DetectAction.BATCH + "/10", "10/10"), updates);
		assertEquals(10, all.inspections().size());
		Inspection expected = new Inspector(reference).inspect(ImageFileReader.read(files.get(9)).singlePlane());
		assertEquals(expected.score(), all.inspections().get(9).score(), 1e-4 * expected.score(), "slices read from their files");

		// Esc pressed after the first batch: stopped before the second.
		updates.clear();
		Feedback escAfterFirst = new Feedback() {
			@Override
			protected void showStatus(String message, long done, long total) {
				updates.add(done + "/" + total);
				escape[0] = true;
			}

			@Override
			public void finished() {}

			@Override
			public boolean isCancelled() {
				return escape[0];
			}
		};
		assertThrows(Progress.Cancelled.class, () -> DetectAction.run(imp, p, escAfterFirst, ModelCache.shared()));
		assertEquals(List.of(DetectAction.BATCH + "/10"), updates);
	}

	@Test
	void detectStopsWhenCancelled() throws Exception {
		ImagePlus imp = IJ.openImage(PITTING.toString());
		Feedback cancelled = new Feedback() {
			@Override
			protected void showStatus(String message, long done, long total) {}

			@Override
			public void finished() {}

			@Override
			public boolean isCancelled() {
				return true;
			}
		};
		DetectAction.Parameters p = new DetectAction.Parameters(modelFile, true, 0.5, false, true, true, true, 0, DeviceChoice.CPU);
		assertThrows(Progress.Cancelled.class, () -> DetectAction.run(imp, p, cancelled, ModelCache.shared()));
		assertNull(imp.getOverlay());
	}

	@Test
	void batchWritesMapsMasksOverlaysAndOneCsvWithoutTouchingInputs() throws Exception {
		Path input = SAMPLE.resolve("test/pitting");
		List<String> before = listing(input);
		Path out = tmp.resolve("batch");
		CommandModule m = run(BatchDetectCommand.class, "input", input.toFile(), "model", modelFile.toFile(), "output", out.toFile(), "maps", true,
			"masks", true, "overlays", true, "opacity", 0.5, "min_area", 0L, "device", "cpu");
		BatchDetectAction.Outcome o = ((BatchDetectCommand) m.getCommand()).outcome();
		assertEquals(8, o.result().scored());
		assertEquals(9, Files.readAllLines(out.resolve("scores.csv")).size());
		String stem = "01_200907130328_430000_180_crop_2";
		for (String suffix : List.of(".map.tif", ".mask.png", ".overlay.png")) assertTrue(Files.isRegularFile(out.resolve(stem + suffix)), suffix);
		assertEquals(before, listing(input));
		assertTrue(o.summary().get(0).contains("8 images scored (8 anomalous)"), o.summary().get(0));

		Path copy = Files.createDirectories(tmp.resolve("same"));
		Files.copy(PITTING, copy.resolve("a.jpg"));
		CommandModule same = commands.run(BatchDetectCommand.class, true, "input", copy.toFile(), "model", modelFile.toFile(), "output",
			copy.toFile(), "maps", true, "masks", true, "overlays", true, "opacity", 0.5, "min_area", 0L, "device", "cpu").get();
		assertTrue(same.isCanceled());
		assertTrue(same.getCancelReason().contains("must not be the input folder"), same.getCancelReason());
		assertEquals(List.of("a.jpg"), listing(copy));
	}

	@Test
	void calibrateWritesANewModelFromTheGoodsAndLeavesTheOldOne() throws Exception {
		byte[] before = Files.readAllBytes(modelFile);
		Path out = tmp.resolve("recalibrated.zip");
		CommandModule m = run(CalibrateCommand.class, "goods", SAMPLE.resolve("test/good").toFile(), "model", modelFile.toFile(), "output",
			out.toFile(), "device", "cpu");
		org.anomalyj.training.Recalibration.Result r = ((CalibrateCommand) m.getCommand()).outcome();
		assertEquals(6, r.scores().imageScores().length, "the 6 good test images of the sample data");
		assertArrayEquals(before, Files.readAllBytes(modelFile));
		try (AnomalyModel loaded = AnomalyModel.load(out, DeviceChoice.CPU)) {
			assertEquals("goods", loaded.thresholds().calibration());
			assertEquals(r.thresholds().image(), loaded.thresholds().image());
		}
	}

	@Test
	void updateLearnsNewGoodsIntoANewModelAndLeavesTheOldOne() throws Exception {
		byte[] before = Files.readAllBytes(modelFile);
		Path out = tmp.resolve("updated.zip");
		CommandModule m = run(UpdateCommand.class, "images", SAMPLE.resolve("test/good").toFile(), "model", modelFile.toFile(), "output", out.toFile(),
			"device", "cpu");
		List<String> lines = ((UpdateCommand) m.getCommand()).outcome();
		// 6 new goods: 1 held out for the thresholds, 5 learned.
		assertTrue(lines.get(0).startsWith("learned 5 new images (1 more held out for calibration)"), lines::toString);
		assertArrayEquals(before, Files.readAllBytes(modelFile));
		try (AnomalyModel loaded = AnomalyModel.load(out, DeviceChoice.CPU)) {
			assertEquals(reference.training().images() + 5, loaded.training().images());
			assertEquals(reference.thresholds().calibrationImages() + 1, loaded.thresholds().calibrationImages());
		}
	}

	@Test
	void evaluateTabulatesTheMetricsAndPlotsTheCurves() throws Exception {
		CommandModule m = run(EvaluateCommand.class, "data", SAMPLE.toFile(), "model", modelFile.toFile(), "device", "cpu");
		EvaluateAction.Outcome o = ((EvaluateCommand) m.getCommand()).outcome();
		assertEquals(14, o.result().images());
		// Image AUROC by its definition: the share of (defect, good) pairs the scores order correctly.
		double pairs = 0, right = 0;
		for (var a : o.result().perImage())
			for (var b : o.result().perImage())
				if (a.sample().isAnomalous() && !b.sample().isAnomalous()) {
					pairs++;
					right += a.score() > b.score() ? 1 : a.score() == b.score() ? 0.5 : 0;
				}
		ResultsTable t = o.table();
		Map<String, Double> values = new java.util.HashMap<>();
		for (int r = 0; r < t.size(); r++) values.put(t.getStringValue("metric", r), t.getValue("value", r));
		assertEquals(right / pairs, values.get("image_auroc"), 1e-12);
		for (String k : List.of("pixel_auroc", "aupro", "image_f1_max", "pixel_ap", "images", "ms_per_image")) assertTrue(values.containsKey(k), k);
		assertEquals(14, values.get("images"), 0);
		assertEquals(3, o.plots().size());
		assertTrue(o.plots().get(0).getTitle().contains("image ROC"));
		assertTrue(o.plots().get(2).getTitle().contains("PRO"));
	}

	@Test
	void aMissingModelFileIsOneClearMessage() throws Exception {
		CommandModule m = commands.run(DetectCommand.class, true, "image", IJ.openImage(GOOD.toString()), "model", tmp.resolve("none.zip").toFile(),
			"overlay", true, "opacity", 0.5, "roi_manager", false, "results", false, "map", false, "mask", false, "min_area", 0L, "device", "cpu").get();
		assertTrue(m.isCanceled());
		assertTrue(m.getCancelReason().endsWith("none.zip: no such model file"), m.getCancelReason());
	}

	static List<String> listing(Path dir) throws IOException {
		try (Stream<Path> s = Files.list(dir)) {
			return s.map(p -> p.getFileName().toString()).sorted().toList();
		}
	}
}
