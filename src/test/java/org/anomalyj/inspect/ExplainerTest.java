package org.anomalyj.inspect;

import org.anomalyj.cli.Main;
import org.anomalyj.features.ImageRef;
import org.anomalyj.image.ImageFileReader;
import org.anomalyj.io.ModelFormatException;
import org.anomalyj.io.Safetensors;
import org.anomalyj.method.Exemplars;
import org.anomalyj.method.padim.Padim;
import org.anomalyj.model.AnomalyModel;
import org.anomalyj.model.DeviceChoice;
import org.anomalyj.model.TrainedImages;
import org.anomalyj.task.Progress;
import org.anomalyj.testing.ModelZips;
import org.anomalyj.testing.TestImages;
import org.anomalyj.training.Calibration;
import org.anomalyj.training.ModelTrainer;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Explanations on a case whose answer is known: eight training images of seeded noise, each with a
 * white marker square at a place of its own, trained with every patch kept in the memory bank
 * (coreset 1) and two images held out for calibration. A copy of a training image the bank was
 * built from must find, as the nearest bank patch of any of its patches, that very image at the same
 * grid position at distance about 0, and its crop must be the query's pixels; a copy of a held-out
 * image must not find itself, since its patches never entered the bank. The image list and the
 * bank's sources survive save and load, damaged ones are refused, and models written before sources
 * were kept load and say so.
 */
class ExplainerTest {

	static final int W = 96, H = 64, IMAGES = 8, SIZE = 64;

	@TempDir
	static Path tmp;

	static Path train, model;
	static List<Path> files = new ArrayList<>();
	static Map<String, Safetensors.Tensor> trainedTensors;
	static TrainedImages trainedList;

	@BeforeAll
	static void trainOnMarkedNoise() throws Exception {
		train = Files.createDirectories(tmp.resolve("train"));
		for (int i = 0; i < IMAGES; i++) files.add(TestImages.write(marked(i), "png", train.resolve("img" + i + ".png")));
		ModelTrainer.Settings s = ModelTrainer.Settings.DEFAULT.withInputSize(SIZE).withDevice(DeviceChoice.CPU)
			.withMethod("patchcore", Map.of("coreset", "1")).withCalibration(Calibration.holdout(0.25));
		model = tmp.resolve("model.zip");
		try (AnomalyModel m = ModelTrainer.train(files, s, Progress.NONE)) {
			trainedTensors = new LinkedHashMap<>(m.method().tensors());
			trainedList = m.trainedImages();
			m.save(model);
		}
	}

	/** Noise seeded by the image's number, with a 12 px white square at a place of its own. */
	static BufferedImage marked(int i) {
		BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
		Random r = new Random(1000 + i);
		for (int y = 0; y < H; y++)
			for (int x = 0; x < W; x++) {
				int v = 60 + r.nextInt(80);
				img.setRGB(x, y, v << 16 | v << 8 | v);
			}
		int[] m = marker(i);
		for (int y = m[1]; y < m[1] + 12; y++)
			for (int x = m[0]; x < m[0] + 12; x++) img.setRGB(x, y, 0xffffff);
		return img;
	}

	/** The top left corner of image {@code i}'s marker. */
	static int[] marker(int i) {
		return new int[] {6 + 10 * i, 4 + 6 * (i % 7)};
	}

	static Explanation explain(AnomalyModel m, Path image, int x, int y, int k, Path folder) throws Exception {
		return new Explainer(m).explain(ImageFileReader.read(image).singlePlane(), image.getFileName().toString(), Explainer.Place.point(x, y), k, folder);
	}

	@Test
	void aTrainingImageFindsItselfAtTheSamePositionAndAHeldOutImageDoesNot() throws Exception {
		try (AnomalyModel m = AnomalyModel.load(model, DeviceChoice.CPU)) {
			TrainedImages list = m.trainedImages();
			assertEquals(m.training().images(), list.size(), "the list holds the images the bank was built from");
			assertEquals(IMAGES - 2, list.size(), "two images held out for calibration");
			assertEquals(train.toAbsolutePath().normalize(), list.folder());
			int found = 0, heldOut = 0;
			for (int i = 0; i < IMAGES; i++) {
				Path f = files.get(i);
				String name = f.getFileName().toString();
				int[] c = marker(i);
				Explanation e = explain(m, f, c[0] + 6, c[1] + 6, 3, null);
				assertNull(e.note(), e::note);
				assertEquals(3, e.neighbours().size());
				Explanation.Neighbour first = e.neighbours().get(0), second = e.neighbours().get(1);
				// The same distance PatchCore scores with: the nearest one is the patch score (which comes from the product
				// form |q|^2 - 2qb + |b|^2, whose float rounding shows near 0: a few hundredths at these features' norms).
				assertEquals(e.query().score(), first.distance(), 1e-3 * e.query().score() + 0.05, name);
				assertEquals(e.query().column(), (int) ((c[0] + 6.5) * m.features().gridWidth() / W), "the point's grid column");
				assertEquals(e.query().row(), (int) ((c[1] + 6.5) * m.features().gridHeight() / H), "the point's grid row");
				if (list.names().contains(name)) {
					found++;
					assertEquals(name, first.image(), name + ": its nearest bank patch comes from itself");
					assertEquals(e.query().row(), first.row(), name);
					assertEquals(e.query().column(), first.column(), name);
					assertTrue(first.distance() < 1e-2 * second.distance(), () -> name + ": distance " + first.distance() + " to itself, next " + second.distance());
					assertNull(first.problem());
					assertEquals(e.query().region(), first.region(), name);
					assertArrayEquals(e.query().crop().rgb(), first.crop().rgb(), name + ": the neighbour's crop is the query's pixels");
				} else {
					heldOut++;
					for (Explanation.Neighbour n : e.neighbours()) assertNotEquals(name, n.image(), name + " was held out: its patches are not in the bank");
					assertTrue(first.distance() > 1, () -> name + ": held out, yet at distance " + first.distance());
				}
			}
			assertEquals(IMAGES - 2, found);
			assertEquals(2, heldOut);
		}
	}

	@Test
	void theListAndTheSourcesRoundTripThroughSaveAndLoad() throws Exception {
		try (AnomalyModel m = AnomalyModel.load(model, DeviceChoice.CPU)) {
			Map<String, Safetensors.Tensor> loaded = m.method().tensors();
			Safetensors.Tensor before = trainedTensors.get("memory_bank_sources"), after = loaded.get("memory_bank_sources");
			assertNotNull(before, "training keeps the sources");
			assertArrayEquals(before.shape(), after.shape());
			assertArrayEquals(before.data(), after.data());
			assertEquals(trainedList.names(), m.trainedImages().names());
			assertArrayEquals(trainedList.planes(), m.trainedImages().planes());
			assertEquals(trainedList.folder(), m.trainedImages().folder());
			Exemplars ex = m.method().exemplars();
			assertTrue(ex.knowsSources());
			// Coreset 1 keeps every patch: each training image's every grid position once.
			int positions = m.features().gridHeight() * m.features().gridWidth();
			assertEquals((IMAGES - 2) * positions, ex.size());
			assertEquals(IMAGES - 2, ex.sourceImages());
			Path again = tmp.resolve("again.zip");
			m.save(again);
			try (AnomalyModel m2 = AnomalyModel.load(again, DeviceChoice.CPU)) {
				assertArrayEquals(after.data(), m2.method().tensors().get("memory_bank_sources").data());
				assertEquals(m.trainedImages().names(), m2.trainedImages().names());
			}
		}
	}

	@Test
	void damagedSourcesAndNamesAreRefused() throws Exception {
		Map<String, Safetensors.Tensor> t = ModelZips.tensors(ModelZips.entries(model));
		int[] sources = ints(t.get("memory_bank_sources"));
		int[] badRow = sources.clone();
		badRow[1] = 999;
		assertRefused(with(t, "memory_bank_sources", Safetensors.Tensor.of(badRow, sources.length / 3, 3)), "outside the");
		int[] badImage = sources.clone();
		badImage[0] = IMAGES;
		assertRefused(with(t, "memory_bank_sources", Safetensors.Tensor.of(badImage, sources.length / 3, 3)), "training image");
		byte[] names = "a.png\0../b.png\0c.png\0d.png\0e.png\0f.png\0".getBytes(StandardCharsets.UTF_8);
		assertRefused(with(t, "training_image_names", new Safetensors.Tensor(Safetensors.DType.U8, new long[] {names.length}, names)), "relative path");
		byte[] few = "a.png\0b.png\0".getBytes(StandardCharsets.UTF_8);
		assertRefused(with(t, "training_image_names", new Safetensors.Tensor(Safetensors.DType.U8, new long[] {few.length}, few)), "counts");
		Path noList = ModelZips.editManifest(model, tmp.resolve("no-list.zip"), m -> m.remove("training_images"));
		ModelFormatException e = assertThrows(ModelFormatException.class, () -> AnomalyModel.load(noList, DeviceChoice.CPU).close());
		assertTrue(e.getMessage().contains("training_images"), e::getMessage);
	}

	private static int[] ints(Safetensors.Tensor t) {
		int[] v = new int[(int) t.elementCount()];
		java.nio.ByteBuffer.wrap(t.data()).order(java.nio.ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(v);
		return v;
	}

	private static Map<String, Safetensors.Tensor> with(Map<String, Safetensors.Tensor> t, String name, Safetensors.Tensor value) {
		Map<String, Safetensors.Tensor> out = new LinkedHashMap<>(t);
		out.put(name, value);
		return out;
	}

	private static void assertRefused(Map<String, Safetensors.Tensor> tensors, String says) throws Exception {
		Path f = ModelZips.replaceTensors(model, Files.createTempFile(tmp, "damaged", ".zip"), tensors);
		ModelFormatException e = assertThrows(ModelFormatException.class, () -> AnomalyModel.load(f, DeviceChoice.CPU).close());
		assertTrue(e.getMessage().contains(says), e::getMessage);
	}

	@Test
	void aMissingTrainingImageIsReportedForItsNeighboursAndTheOthersAreShown() throws Exception {
		Path moved = Files.createDirectories(tmp.resolve("moved"));
		try (AnomalyModel m = AnomalyModel.load(model, DeviceChoice.CPU)) {
			String gone = m.trainedImages().names().get(0);
			for (String n : m.trainedImages().names()) if (!n.equals(gone)) Files.copy(train.resolve(n), moved.resolve(n));
			int i = Integer.parseInt(gone.replaceAll("\\D", ""));
			int[] c = marker(i);
			Explanation e = explain(m, files.get(i), c[0] + 6, c[1] + 6, 5, moved);
			Explanation.Neighbour first = e.neighbours().get(0);
			assertEquals(gone, first.image());
			assertTrue(first.problem().startsWith("missing: " + moved.resolve(gone)), first::problem);
			assertNull(first.crop());
			assertTrue(e.neighbours().stream().anyMatch(n -> n.problem() == null && n.crop() != null), "the other images are found in the folder given");
			e.neighbours().stream().filter(n -> !gone.equals(n.image())).forEach(n -> assertNull(n.problem(), n::toString));
		}
	}

	@Test
	void inAnAreaTheHighestScoringPatchInsideIsExplained() {
		// 4 x 4 grid over a 40 x 40 image: cell centres at 5, 15, 25, 35.
		float[] scores = new float[16];
		scores[0] = 100; // outside the area
		scores[1 * 4 + 2] = 7;
		scores[2 * 4 + 1] = 9;
		scores[2 * 4 + 2] = 3;
		assertEquals(2 * 4 + 1, Explainer.chooseCell(Explainer.Place.rectangle(12, 12, 20, 20), scores, 40, 40, 4, 4));
		assertEquals(3 * 4 + 3, Explainer.chooseCell(Explainer.Place.point(39, 39), scores, 40, 40, 4, 4), "a point: the cell under it");
		assertEquals(0, Explainer.chooseCell(Explainer.Place.point(0, 0), scores, 40, 40, 4, 4));
	}

	@Test
	void version1ModelsLoadAndSayWhatTheyCanShow() throws Exception {
		Path image = Path.of("sample-data", "ball_screw", "test", "pitting", "01_200907130634_560000_000_crop_2.jpg");
		try (AnomalyModel m = AnomalyModel.load(resource("patchcore.zip"), DeviceChoice.CPU)) {
			assertTrue(m.trainedImages().isEmpty());
			assertTrue(!m.method().exemplars().knowsSources());
			Explanation e = explain(m, image, 380, 95, 4, null);
			assertTrue(e.note().contains("re-train"), e::note);
			assertEquals(4, e.neighbours().size());
			for (Explanation.Neighbour n : e.neighbours()) assertEquals(Explainer.SOURCE_UNKNOWN, n.problem());
			assertEquals(e.query().score(), e.neighbours().get(0).distance(), 1e-3 * e.query().score());
			assertEquals(5, ExplanationMontage.render(e).getWidth() / ExplanationMontage.PANEL, "the query and four grey panels");
		}
		try (AnomalyModel m = AnomalyModel.load(resource("padim.zip"), DeviceChoice.CPU)) {
			Explanation e = explain(m, image, 380, 95, 4, null);
			assertEquals(Padim.NAME, e.method());
			assertTrue(e.meaning().contains("Mahalanobis"), e::meaning);
			assertTrue(e.neighbours().isEmpty());
			assertNotNull(e.note());
			assertEquals(1, e.rows().size());
		}
	}

	@Test
	void theCommandLinePrintsTheRowsAndWritesTheMontage() throws Exception {
		int[] c = marker(3);
		Path png = tmp.resolve("montage.png");
		ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
		int code = Main.run(new String[] {"explain", "--model", model.toString(), "--image", files.get(3).toString(), "--x", "" + (c[0] + 6), "--y",
			"" + (c[1] + 6), "--k", "2", "--out", png.toString(), "--device", "cpu"}, new PrintStream(out, true), new PrintStream(err, true));
		assertEquals(0, code, err::toString);
		List<String> lines = out.toString().lines().filter(l -> !l.startsWith("#")).toList();
		assertEquals("panel,image,grid_row,grid_column,distance,x,y,width,height,status", lines.get(0));
		assertEquals(3, lines.size() - 1, out::toString);
		assertTrue(lines.get(1).startsWith("0,img3.png,"), lines.get(1));
		assertTrue(lines.get(1).endsWith(",query"), lines.get(1));
		BufferedImage montage = ImageIO.read(png.toFile());
		assertEquals(3, montage.getWidth() / ExplanationMontage.PANEL);
		assertEquals(2, Main.run(new String[] {"explain", "--model", model.toString(), "--image", files.get(3).toString(), "--x", "1", "--y", "1",
			"--out", files.get(3).toString()}, new PrintStream(out, true), new PrintStream(err, true)), "never over an input");
	}

	@Test
	void imagesOfSeveralFoldersAreNamedFromTheirCommonFolder() {
		Path root = tmp.resolve("common");
		TrainedImages t = TrainedImages.of(List.of(new ImageRef(root.resolve("a/x.png"), 0), new ImageRef(root.resolve("b/c/y.tif"), 2)));
		assertEquals(root.toAbsolutePath().normalize(), t.folder());
		assertEquals(List.of("a/x.png", "b/c/y.tif"), t.names());
		assertEquals("b/c/y.tif [plane 3]", t.label(1));
		assertEquals(Path.of("/elsewhere/b/c/y.tif"), t.file(1, Path.of("/elsewhere")));
		assertTrue(Arrays.equals(new int[] {0, 2}, t.planes()));
	}

	private static Path resource(String name) throws Exception {
		return Path.of(ExplainerTest.class.getResource("/org/anomalyj/compat/v1/" + name).toURI());
	}
}
