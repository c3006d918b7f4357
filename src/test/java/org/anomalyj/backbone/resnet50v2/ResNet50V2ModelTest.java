package org.anomalyj.backbone.resnet50v2;

import org.anomalyj.data.CategoryFolder;
import org.anomalyj.data.TestSample;
import org.anomalyj.image.ImageFileReader;
import org.anomalyj.inspect.Inspection;
import org.anomalyj.inspect.Inspector;
import org.anomalyj.io.ModelArchive;
import org.anomalyj.method.patchcore.PatchCore;
import org.anomalyj.model.AnomalyModel;
import org.anomalyj.model.DeviceChoice;
import org.anomalyj.task.Progress;
import org.anomalyj.training.ModelTrainer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.*;

/** End to end with {@code --backbone resnet50v2} on the bundled sample data, small: train, save, load, score. */
class ResNet50V2ModelTest {

	@Test
	void trainsSavesLoadsAndScoresWithTheResNetBackbone(@TempDir Path dir) throws Exception {
		CategoryFolder category = CategoryFolder.open(Path.of("sample-data", "ball_screw"));
		ModelTrainer.Settings settings = ModelTrainer.Settings.DEFAULT.withBackbone(ResNet50V2Plugin.NAME).withInputSize(64).withDevice(DeviceChoice.CPU);
		Path file = dir.resolve("r50.zip");
		try (AnomalyModel model = ModelTrainer.train(category.trainImages(), settings, Progress.NONE)) {
			PatchCore p = (PatchCore) model.method();
			assertEquals(1536, p.tensors().get("memory_bank").shape()[1], "stage2_relu (512) + stage3_relu (1024)");
			assertEquals(model.training().patches() / 10, p.bankSize(), "the coreset ratio of the 8x8 patches per image");
			model.save(file);

			ModelArchive archive = ModelArchive.read(file);
			assertEquals(ResNet50V2.ID, archive.backboneId());
			assertEquals(resourceSha256(), archive.backboneSha256(), "the weights' checksum is recorded in the model file");

			double good = 0, pitting = 0;
			int goods = 0, pittings = 0;
			try (AnomalyModel loaded = AnomalyModel.load(file, DeviceChoice.CPU)) {
				Inspector before = new Inspector(model), after = new Inspector(loaded);
				for (TestSample t : category.testSamples()) {
					var plane = ImageFileReader.read(t.image()).singlePlane();
					Inspection x = before.inspect(plane), y = after.inspect(plane);
					assertEquals(x.score(), y.score(), 0f, "a loaded model scores as the trained one");
					if (!t.isAnomalous()) {
						good += x.score();
						goods++;
					} else {
						pitting += x.score();
						pittings++;
					}
				}
			}
			assertTrue(goods > 0 && pittings > 0);
			assertTrue(pitting / pittings > good / goods, "pitted surfaces score higher on average: " + pitting / pittings + " vs " + good / goods);
		}
	}

	private static String resourceSha256() throws IOException, java.security.NoSuchAlgorithmException {
		try (InputStream in = ResNet50V2.class.getResourceAsStream(ResNet50V2.RESOURCE_NAME)) {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(in.readAllBytes()));
		}
	}
}
