package org.anomalyj.plugin;

import org.anomalyj.backbone.BackboneCatalog;
import org.anomalyj.cli.Main;
import org.anomalyj.fiji.MethodFields;
import org.anomalyj.fiji.TrainAction;
import org.anomalyj.fiji.TrainCommand;
import org.anomalyj.image.ImageFileReader;
import org.anomalyj.inspect.Inspection;
import org.anomalyj.inspect.Inspector;
import org.anomalyj.io.ModelArchive;
import org.anomalyj.method.MethodCatalog;
import org.anomalyj.model.AnomalyModel;
import org.anomalyj.model.DeviceChoice;
import org.anomalyj.task.Progress;
import org.anomalyj.testing.SmallModel;
import org.anomalyj.training.Calibration;
import org.anomalyj.training.ModelTrainer;
import org.example.thirdparty.LinearStudentPlugin;
import org.example.thirdparty.PooledColourBackbone;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;
import org.scijava.command.CommandService;
import org.scijava.module.Module;
import org.scijava.module.ModuleService;
import org.scijava.module.MutableModuleItem;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The plug-in seams, proven by plug-ins that AnomalyJ does not know: a backbone and a method with a
 * network of its own, declared in test sources in a foreign package and found only through SciJava's
 * plug-in index, each trained, saved, loaded and used to score end to end, and offered by the Train
 * dialogs. (The third-party sink is proven where sinks are tested.)
 */
class ThirdPartyPluginsTest {

	private static final Path SAMPLE = SmallModel.SAMPLE;
	private static final Path PITTING = SAMPLE.resolve("test/pitting");

	private record Run(int exit, String out, String err) {}

	private static Run cli(String... args) {
		ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
		int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
		return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
	}

	@Test
	void aThirdPartyBackboneIsFoundTrainedOnSavedLoadedAndScoredWith(@TempDir Path dir) throws IOException {
		assertInstanceOf(PooledColourBackbone.class, BackboneCatalog.get(PooledColourBackbone.NAME));
		Run help = cli("train", "--help");
		assertTrue(help.out().contains("--backbone " + PooledColourBackbone.NAME), help.out());

		Path model = dir.resolve("pooled.zip");
		Run t = cli("train", "--data", SAMPLE.toString(), "--out", model.toString(), "--backbone", PooledColourBackbone.NAME, "--size", "64",
			"--device", "cpu");
		assertEquals(0, t.exit(), t.err());
		assertEquals("pooled-colour-1", ModelArchive.read(model).backboneId(), "the model file names the backbone's model id");
		Run s = cli("score", "--model", model.toString(), "--input", PITTING.toString(), "--out", dir.resolve("out").toString(), "--no-overlays");
		assertEquals(0, s.exit(), s.err());
		assertEquals(1 + 8, Files.readAllLines(dir.resolve("out/scores.csv")).size());

		try (AnomalyModel m = AnomalyModel.load(model, DeviceChoice.CPU)) {
			// The backbone's own normalisation and taps went into the model: 12-dimensional patches on a 16 x 16 grid.
			assertEquals(org.anomalyj.image.InputNormalization.SYMMETRIC, m.spec().normalization());
			assertEquals(List.of("pool4", "pool8"), m.spec().taps());
			assertEquals(12, m.features().dim());
			assertEquals(16, m.features().gridHeight());
		}
	}

	@Test
	void anInputSizeTheBackboneCannotTakeIsRefusedUpFront() {
		Run t = cli("train", "--data", SAMPLE.toString(), "--out", "never.zip", "--backbone", PooledColourBackbone.NAME, "--size", "60");
		assertEquals(2, t.exit(), t.err());
		assertTrue(t.err().contains("multiple of 8 ") && t.err().contains(PooledColourBackbone.NAME), t.err());
	}

	private static ModelTrainer.Settings student(int epochs) {
		return ModelTrainer.Settings.DEFAULT.withMethod(LinearStudentPlugin.NAME, Map.of("epochs", Integer.toString(epochs))).withInputSize(64)
			.withDevice(DeviceChoice.CPU).withCalibration(Calibration.holdout(0.25)).withSeed(7);
	}

	@Test
	void aThirdPartyMethodWithANetworkOfItsOwnTrainsOverEpochsAndRoundTrips(@TempDir Path dir) throws IOException {
		assertInstanceOf(LinearStudentPlugin.class, MethodCatalog.get(LinearStudentPlugin.NAME));
		List<Path> images = SmallModel.sampleTrainImages(12);
		List<String> stages = new ArrayList<>();
		Progress watch = (stage, done, total) -> stages.add(stage + " " + done + "/" + total);
		Path file = dir.resolve("student.zip");
		float[] trained, restored;
		try (AnomalyModel m = ModelTrainer.train(images, student(3), watch)) {
			double[] losses = ((LinearStudentPlugin.Student) m.method()).losses();
			assertEquals(3, losses.length);
			assertTrue(losses[2] < losses[0], "gradient descent lowers the loss: " + java.util.Arrays.toString(losses));
			assertTrue(stages.contains("epochs 0/3") && stages.contains("epochs 3/3"), stages::toString);
			// Several passes over the images: the set decodes them again on each.
			assertTrue(stages.stream().anyMatch(x -> x.startsWith("images (pass 3)")), stages::toString);
			assertTrue(Float.isFinite(m.thresholds().image()), "calibrated on held-out images scored through the student");
			m.save(file);
			trained = scores(m);
		}
		try (AnomalyModel m = AnomalyModel.load(file, DeviceChoice.CPU)) {
			restored = scores(m);
		}
		assertArrayEquals(trained, restored, "save and load keep the student's scores");
		try (AnomalyModel again = ModelTrainer.train(images, student(3), Progress.NONE)) {
			assertArrayEquals(trained, scores(again), "the same seed trains the same student");
		}
	}

	@Test
	void cancellingBetweenEpochsStopsTrainingAndWritesNothing(@TempDir Path dir) {
		Progress cancelAfterFirstEpoch = new Progress() {
			boolean second;

			@Override
			public void update(String stage, long done, long total) {
				if (stage.equals("epochs") && done == 1) second = true;
			}

			@Override
			public boolean isCancelled() {
				return second;
			}
		};
		assertThrows(Progress.Cancelled.class, () -> ModelTrainer.train(SmallModel.sampleTrainImages(8), student(5), cancelAfterFirstEpoch));
		assertFalse(Files.exists(dir.resolve("student.zip")));
	}

	@Test
	void crossFittedCalibrationRetrainsTheStudentOnEachFoldFromTheImages() throws IOException {
		ModelTrainer.Settings s = student(1).withCalibration(Calibration.crossfit(3));
		try (AnomalyModel m = ModelTrainer.train(SmallModel.sampleTrainImages(6), s, Progress.NONE)) {
			assertEquals("crossfit", m.training().calibration());
			assertEquals(6, m.training().images());
			assertTrue(Float.isFinite(m.thresholds().image()));
		}
	}

	@Test
	void theCommandLineAndTheTrainDialogsOfferThem(@TempDir Path dir) throws Exception {
		Run t = cli("train", "--data", SAMPLE.toString(), "--out", dir.resolve("s.zip").toString(), "--method", LinearStudentPlugin.NAME, "--epochs",
			"2", "--size", "64", "--device", "cpu");
		assertEquals(0, t.exit(), t.err());
		assertTrue(t.out().contains(LinearStudentPlugin.NAME + ", 36 images") && t.out().contains("-> loss "), t.out());
		assertTrue(cli("train", "--help").out().contains("method " + LinearStudentPlugin.NAME), "train --help lists the method and its options");

		assertTrue(TrainAction.methods().contains(LinearStudentPlugin.NAME));
		assertTrue(TrainAction.backbones().contains(PooledColourBackbone.NAME));
		assertTrue(MethodFields.all().stream().anyMatch(f -> f.key().equals("linear_student_epochs")), "ImageJ 1's dialog gets a field per option");
		Context context = new Context();
		try {
			var info = context.service(CommandService.class).getCommand(TrainCommand.class);
			Module dialog = context.service(ModuleService.class).createModule(info);
			dialog.initialize();
			List<String> backbones = ((MutableModuleItem<?>) dialog.getInfo().getInput("backbone")).getChoices().stream().map(Object::toString).toList();
			List<String> methods = ((MutableModuleItem<?>) dialog.getInfo().getInput("method")).getChoices().stream().map(Object::toString).toList();
			assertEquals(BackboneCatalog.DEFAULT, backbones.get(0), "the default first");
			assertTrue(backbones.contains(PooledColourBackbone.NAME), backbones::toString);
			assertTrue(methods.contains(LinearStudentPlugin.NAME), methods::toString);
			assertNotNull(dialog.getInfo().getInput("linear_student_learning_rate"), "a field per method option");
		} finally {
			context.dispose();
		}
	}

	private static float[] scores(AnomalyModel m) throws IOException {
		List<Path> files;
		try (var s = Files.list(PITTING)) {
			files = s.sorted().toList();
		}
		float[] out = new float[files.size()];
		Inspector inspector = new Inspector(m);
		for (int i = 0; i < out.length; i++) {
			Inspection r = inspector.inspect(ImageFileReader.read(files.get(i)).singlePlane());
			out[i] = r.score();
		}
		return out;
	}
}
