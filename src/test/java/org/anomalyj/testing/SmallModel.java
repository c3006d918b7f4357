package org.anomalyj.testing;

import org.anomalyj.data.CategoryFolder;
import org.anomalyj.model.AnomalyModel;
import org.anomalyj.task.Progress;
import org.anomalyj.training.ModelTrainer;


import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A real model, as small and quick to train as the code allows (input size 32, the smallest a
 * model may have; eight sample-data images; about half a second once the engine runs), trained
 * once per test JVM and shared by the tests that need a model file rather than its quality.
 */
public final class SmallModel {

	public static final Path SAMPLE = Path.of("sample-data", "ball_screw");
	public static final int SIZE = 32;
	public static final int IMAGES = 8;

	private static Path file;

	private SmallModel() {}

	/** The first {@code n} training images of the sample data. */
	public static List<Path> sampleTrainImages(int n) {
		try {
			return CategoryFolder.open(SAMPLE).trainImages().subList(0, n);
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	public static ModelTrainer.Settings settings() {
		return ModelTrainer.Settings.DEFAULT.withInputSize(SIZE).withDevice(org.anomalyj.model.DeviceChoice.CPU);
	}

	/** The model file; treat it as read-only (copy it to damage it). */
	public static synchronized Path file() {
		if (file == null) {
			try {
				Path dir = Files.createTempDirectory("anomalyj-small-model");
				dir.toFile().deleteOnExit();
				Path f = dir.resolve("small.zip");
				try (AnomalyModel m = ModelTrainer.train(sampleTrainImages(IMAGES), settings(), Progress.NONE)) {
					m.save(f);
				}
				f.toFile().deleteOnExit();
				file = f;
			} catch (IOException e) {
				throw new UncheckedIOException(e);
			}
		}
		return file;
	}
}
