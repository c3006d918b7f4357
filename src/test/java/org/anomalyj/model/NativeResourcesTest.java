package org.anomalyj.model;

import org.anomalyj.image.ImageFileReader;
import org.anomalyj.inspect.BatchInspection;
import org.anomalyj.sink.CsvSinkPlugin;
import org.anomalyj.inspect.Inspector;
import org.anomalyj.task.Progress;
import org.anomalyj.testing.ModelZips;
import org.anomalyj.testing.NativeArrays;
import org.anomalyj.testing.SmallModel;
import org.anomalyj.testing.TestImages;
import org.anomalyj.training.ModelTrainer;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;
import net.imglib2.view.Views;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Native tensors are closed: scoring many batches, batch runs, training and loading leave the
 * engine with exactly the arrays it had (counted over every manager, see {@link NativeArrays}).
 * A leak of one array per batch shows here as ten; the Java heap would not see it.
 */
class NativeResourcesTest {

	@TempDir
	Path dir;

	@Test
	void scoringManyBatchesKeepsTheArrayCountFlat() throws IOException {
		List<RandomAccessibleInterval<? extends RealType<?>>> planes = new ArrayList<>();
		for (Path p : SmallModel.sampleTrainImages(2)) planes.add(Views.zeroMin(Views.interval(ImageFileReader.read(p).plane(0), new long[] {0, 0, 0},
			new long[] {95, 63, 2})));
		Path reweighted = ModelZips.editManifest(SmallModel.file(), dir.resolve("reweight.zip"),
			m -> m.getAsJsonObject("patchcore").addProperty("reweight", true));
		int idle = NativeArrays.live();
		for (Path file : List.of(SmallModel.file(), reweighted)) {
			try (AnomalyModel model = AnomalyModel.load(file, DeviceChoice.CPU)) {
				Inspector inspector = new Inspector(model);
				inspector.inspect(planes);
				int loaded = NativeArrays.live();
				assertTrue(loaded > idle, "the loaded model's arrays are counted");
				for (int i = 0; i < 10; i++) inspector.inspect(planes);
				assertEquals(loaded, NativeArrays.live(), file + ": arrays left behind by 10 batches");
			}
			assertEquals(idle, NativeArrays.live(), file + ": arrays left behind after close");
		}
	}

	@Test
	void batchRunsTrainingAndRepeatedLoadsReturnToTheSameCount() throws IOException {
		int idle = NativeArrays.live();
		for (int i = 0; i < 3; i++) AnomalyModel.load(SmallModel.file(), DeviceChoice.CPU).close();
		assertEquals(idle, NativeArrays.live(), "load and close");

		List<Path> images = new ArrayList<>();
		for (Path p : SmallModel.sampleTrainImages(4)) images.add(TestImages.scaled(p, 160, 64, "png", dir.resolve(p.getFileName() + ".png")));
		try (AnomalyModel model = AnomalyModel.load(SmallModel.file(), DeviceChoice.CPU)) {
			Inspector inspector = new Inspector(model);
			BatchInspection.Settings s = new BatchInspection.Settings(List.of(CsvSinkPlugin.NAME), 0.5, 2);
			BatchInspection.run(inspector, images, dir.resolve("run1"), s, Progress.NONE);
			int afterFirst = NativeArrays.live();
			BatchInspection.run(inspector, images, dir.resolve("run2"), s, Progress.NONE);
			BatchInspection.run(inspector, images, dir.resolve("run3"), s, Progress.NONE);
			assertEquals(afterFirst, NativeArrays.live(), "batch runs");
		}
		assertEquals(idle, NativeArrays.live());

		ModelTrainer.train(images, SmallModel.settings(), Progress.NONE).close();
		assertEquals(idle, NativeArrays.live(), "training");
	}
}
