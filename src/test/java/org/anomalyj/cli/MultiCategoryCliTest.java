package org.anomalyj.cli;

import org.anomalyj.model.AnomalyModel;
import org.anomalyj.model.DeviceChoice;
import org.anomalyj.model.TrainingReport;
import org.anomalyj.sink.ResultRow;
import org.anomalyj.sink.ScoresCsv;
import org.anomalyj.testing.TestImages;
import org.anomalyj.testing.TextureCategories;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** {@code train --data A --data B}: one model for several categories, each with thresholds of its own, recognised in scoring, evaluated per category. */
class MultiCategoryCliTest {

	private static final int SIDE = TextureCategories.SIDE;

	@Test
	void twoCategoriesTrainOneModelCalibratedOnBoth(@TempDir Path dir) throws Exception {
		Path stripes = category(dir.resolve("parts/stripes"), 20, true, 1);
		Path dots = category(dir.resolve("parts/dots"), 10, false, 2);
		Path model = dir.resolve("m.zip");
		MainTest.Run t = train(model, stripes, dots);
		assertTrue(t.err().contains("stripes: 20 images") && t.err().contains("dots: 10 images"), t.err());
		assertTrue(t.out().contains("2 categories in one model: stripes 20 images"), t.out());
		assertTrue(t.out().contains("categories recognised: 3 of 3 calibration images nearest their own category (stripes 2 of 2, dots 1 of 1)"), t.out());
		assertTrue(t.out().contains("  stripes: thresholds (holdout, 2 images)") && t.out().contains("  dots: thresholds (holdout, 1 images)"), t.out());

		try (AnomalyModel m = AnomalyModel.load(model, DeviceChoice.CPU)) {
			List<TrainingReport.Category> parts = m.training().categories();
			assertEquals(List.of("stripes", "dots"), parts.stream().map(TrainingReport.Category::name).toList());
			assertEquals(List.of(20, 10), parts.stream().map(TrainingReport.Category::images).toList());
			// 10 % of 30 are held out, 3: two of the stripes and one of the dots.
			assertEquals(List.of(2, 1), parts.stream().map(TrainingReport.Category::calibration).toList());
			assertEquals(List.of(2, 1), parts.stream().map(TrainingReport.Category::recognised).toList());
			assertEquals(27, m.training().images());
			assertEquals(3, m.thresholds().imageScores().size());
			// Each category is calibrated on its own held-out images only.
			assertEquals(List.of("stripes", "dots"), m.categories().names());
			assertEquals(2, m.categories().get(0).thresholds().calibrationImages());
			assertEquals(1, m.categories().get(1).thresholds().calibrationImages());
			assertEquals(18, m.categories().get(0).images());
			assertEquals(9, m.categories().get(1).images());
		}

		// A folder of categories trains on the same images; evaluation is per category.
		Path again = dir.resolve("m2.zip");
		MainTest.Run f = MainTest.run("train", "--data", dir.resolve("parts").toString(), "--out", again.toString(), "--size", "32", "--device", "cpu");
		assertEquals(0, f.code(), f.err());
		assertTrue(f.out().contains("2 categories in one model: dots 10 images (1 held out for calibration), stripes 20 images (2 held out"), f.out());
		for (Path c : List.of(stripes, dots)) {
			String name = c.getFileName().toString();
			Path json = dir.resolve(name + ".json");
			MainTest.Run e = MainTest.run("evaluate", "--model", model.toString(), "--data", c.toString(), "--device", "cpu", "--json", json.toString());
			assertEquals(0, e.code(), e.err());
			assertTrue(e.out().toLowerCase().contains("auroc"), e.out());
			// The folder names the category: its thresholds judge, and the recognition is checked against it.
			assertTrue(e.out().contains("6 of 6 test images recognised as " + name + ", the folder's category"), e.out());
			assertTrue(e.out().matches("(?s).*by_category +" + name + ": image threshold \\S+ \\(\\d calibration images\\), goods_flagged \\d of 3, "
				+ "defects_flagged \\d of 3.*"), e.out());
			assertTrue(e.out().contains("one threshold for all categories"), e.out());
			JsonObject o = JsonParser.parseString(Files.readString(json)).getAsJsonObject().getAsJsonObject("categories");
			assertEquals(name, o.get("given").getAsString());
			assertEquals(6, o.get("recognised").getAsInt());
			assertEquals(1, o.getAsJsonArray("per_category").size());
		}
	}

	@Test
	void scoringJudgesEachImageAsTheCategoryItShowsOrTheOneGiven(@TempDir Path dir) throws Exception {
		Path stripes = category(dir.resolve("stripes"), 20, true, 1);
		Path dots = category(dir.resolve("dots"), 20, false, 2);
		Path model = dir.resolve("m.zip");
		train(model, stripes, dots);
		Path mixed = Files.createDirectories(dir.resolve("mixed"));
		for (Path c : List.of(stripes, dots))
			for (String kind : List.of("good", "spot"))
				try (var files = Files.list(c.resolve("test").resolve(kind))) {
					for (Path f : files.toList()) Files.copy(f, mixed.resolve(c.getFileName() + "-" + kind + "-" + f.getFileName()));
				}

		Path out = dir.resolve("auto");
		MainTest.Run s = MainTest.run("score", "--model", model.toString(), "--input", mixed.toString(), "--out", out.toString(), "--sinks", "csv",
			"--device", "cpu");
		assertEquals(0, s.code(), s.err());
		List<ResultRow> rows = ScoresCsv.read(out.resolve(ScoresCsv.FILE_NAME));
		assertEquals(ScoresCsv.CATEGORY_HEADER, Files.readAllLines(out.resolve(ScoresCsv.FILE_NAME)).get(0));
		assertEquals(12, rows.size());
		for (ResultRow r : rows) assertEquals(r.file().substring(0, r.file().indexOf('-')), r.category(), r.file());

		// Told the category, every image is judged by its thresholds.
		Path told = dir.resolve("told");
		MainTest.Run d = MainTest.run("score", "--model", model.toString(), "--input", mixed.toString(), "--out", told.toString(), "--sinks", "csv",
			"--category", "dots", "--device", "cpu");
		assertEquals(0, d.code(), d.err());
		assertTrue(ScoresCsv.read(told.resolve(ScoresCsv.FILE_NAME)).stream().allMatch(r -> r.category().equals("dots")));

		MainTest.Run unknown = MainTest.run("score", "--model", model.toString(), "--input", mixed.toString(), "--out", dir.resolve("x").toString(),
			"--category", "bolts", "--device", "cpu");
		assertEquals(2, unknown.code(), unknown.err());
		assertEquals(1, unknown.err().strip().lines().count(), unknown.err());
		assertTrue(unknown.err().contains("the model has no category bolts; it has stripes, dots"), unknown.err());

		// calibrate re-sets the thresholds of the category the goods are of, and keeps the other's.
		Path recalibrated = dir.resolve("r.zip");
		MainTest.Run c = MainTest.run("calibrate", "--model", model.toString(), "--good", stripes.resolve("test/good").toString(), "--out",
			recalibrated.toString(), "--device", "cpu");
		assertEquals(0, c.code(), c.err());
		assertTrue(c.out().contains("stripes: thresholds (goods, 3 images)"), c.out());
		assertTrue(c.out().contains("dots: thresholds (holdout, 2 images)") && c.out().contains("(kept: none of the goods is of this category)"), c.out());
		try (AnomalyModel before = AnomalyModel.load(model, DeviceChoice.CPU); AnomalyModel after = AnomalyModel.load(recalibrated, DeviceChoice.CPU)) {
			assertEquals("goods", after.categories().get(0).thresholds().calibration());
			assertEquals(before.categories().get(1).thresholds().conformalImage(), after.categories().get(1).thresholds().conformalImage());
		}

		// update: the new images, told to be dots, join the dots' descriptor and calibration images.
		Path updated = dir.resolve("u.zip");
		MainTest.Run u = MainTest.run("update", "--model", model.toString(), "--data", dots.resolve("test/good").toString(), "--out", updated.toString(),
			"--category", "dots", "--device", "cpu");
		assertEquals(0, u.code(), u.err());
		try (AnomalyModel before = AnomalyModel.load(model, DeviceChoice.CPU); AnomalyModel after = AnomalyModel.load(updated, DeviceChoice.CPU)) {
			assertEquals(before.categories().get(1).images() + 2, after.categories().get(1).images(), "3 new images, 1 held out");
			assertEquals(before.categories().get(1).thresholds().calibrationImages() + 1, after.categories().get(1).thresholds().calibrationImages());
			assertEquals(before.categories().get(0).images(), after.categories().get(0).images());
		}
	}

	@Test
	void aDataFolderWithoutTrainGoodIsOneLine(@TempDir Path dir) throws Exception {
		Path stripes = category(dir.resolve("stripes"), 4, true, 1);
		Path plain = Files.createDirectories(dir.resolve("plain"));
		TestImages.write(TestImages.grey(SIDE, SIDE), "png", plain.resolve("0.png"));
		Path model = dir.resolve("m.zip");
		MainTest.Run r = MainTest.run("train", "--data", stripes.toString(), "--data", plain.toString(), "--out", model.toString(), "--size", "32",
			"--device", "cpu");
		assertEquals(1, r.code(), r.err());
		assertEquals(1, r.err().strip().lines().count(), r.err());
		assertTrue(r.err().contains(plain + ": not an MVTec AD category"), r.err());
		assertFalse(r.err().contains("Exception"), r.err());
		assertFalse(Files.exists(model));
	}

	/** {@code train --data A --data B} at the smallest input size; checks that it succeeded. */
	private static MainTest.Run train(Path model, Path a, Path b) {
		MainTest.Run t = MainTest.run("train", "--data", a.toString(), "--data", b.toString(), "--out", model.toString(), "--size", "32", "--device", "cpu");
		assertEquals(0, t.code(), t.err());
		return t;
	}

	private static Path category(Path root, int train, boolean stripes, long seed) throws IOException {
		return TextureCategories.write(root, train, 3, stripes, seed);
	}
}
