package org.anomalyj.cli;

import org.anomalyj.image.HeaderOnlyPng;
import org.anomalyj.image.TiffBytes;
import org.anomalyj.io.ModelArchive;
import org.anomalyj.io.Safetensors;
import org.anomalyj.model.AnomalyModel;
import org.anomalyj.model.DeviceChoice;
import org.anomalyj.testing.FileTreeDigest;
import org.anomalyj.testing.ModelZips;
import org.anomalyj.testing.SmallModel;
import org.anomalyj.testing.TestImages;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The reliability battery: the command line fed what a production line produces — damaged and
 * odd images, awkward folders, broken and foreign model files — run in-process through
 * {@link Main#run}. Every case ends in a correct result, or exit code 1 with one error line
 * naming the file and the problem; never a stack trace, never a silent skip, never a file left
 * half-written at a target, never a changed input. docs/RELIABILITY.md lists the same cases.
 */
class CliBatteryTest {

	@TempDir
	static Path dir;

	static Path model;
	static List<Path> good;
	static Map<String, String> sampleDigest;

	@BeforeAll
	static void trainOnce() {
		model = SmallModel.file();
		good = SmallModel.sampleTrainImages(SmallModel.IMAGES);
		sampleDigest = FileTreeDigest.of(SmallModel.SAMPLE);
	}

	// ---------------------------------------------------------------- images

	/**
	 * One batch holding every kind of image file: each is either scored or listed as skipped with
	 * its reason, in the CSV and on stderr, and the run goes on.
	 */
	@Test
	void scoringAFolderOfOddAndBrokenImages() throws IOException {
		Path in = Files.createDirectories(dir.resolve("zoo"));
		Path jpeg = good.get(0);
		Files.copy(jpeg, in.resolve("a_sample.jpg"));
		TestImages.write(TestImages.grey(1, 1), "png", in.resolve("b_one_pixel.png"));
		TestImages.write(TestImages.grey(3, 2), "png", in.resolve("c_tiny.png"));
		TestImages.scaled(jpeg, 1200, 500, "png", in.resolve("d_larger_than_training.png"));
		TestImages.scaled(jpeg, 40, 300, "jpg", in.resolve("e_other_aspect.jpg"));
		copyResource("rgb_8bit.png", in.resolve("f_rgb.png"));
		copyResource("rgba.png", in.resolve("g_rgba.png"));
		copyResource("stack_3pages.tif", in.resolve("h_stack.tif"));
		TestImages.write(TestImages.grey(20, 10), "png", in.resolve("i_png_named.jpg"));
		Map<String, String> skipped = new LinkedHashMap<>();
		skipped.put("j_zero.png", "is empty (0 bytes)");
		Files.write(in.resolve("j_zero.png"), new byte[0]);
		skipped.put("k_truncated.jpg", "truncated");
		TestImages.truncated(jpeg, 0.4, in.resolve("k_truncated.jpg"));
		skipped.put("l_truncated.png", "cannot decode the PNG data");
		TestImages.truncated(in.resolve("d_larger_than_training.png"), 0.5, in.resolve("l_truncated.png"));
		skipped.put("l_header_only.png", "the file ends too early");
		Files.write(in.resolve("l_header_only.png"), Arrays.copyOf(HeaderOnlyPng.grey8(100, 100), 33));
		skipped.put("m_corrupt.png", "PNG");
		byte[] corrupt = Files.readAllBytes(in.resolve("c_tiny.png"));
		for (int i = 16; i < corrupt.length - 12; i++) corrupt[i] ^= 0x5a;
		Files.write(in.resolve("m_corrupt.png"), corrupt);
		skipped.put("n_text.tif", "not");
		Files.writeString(in.resolve("n_text.tif"), "this is a text file with an image name\n");
		skipped.put("o_huge.png", "more than the limit of 100 megapixels per image; downscale or tile it");
		Files.write(in.resolve("o_huge.png"), HeaderOnlyPng.grey8(40_000, 40_000));
		// Exactly at the limit, so decoding starts (a 100 MB buffer) and finds no pixel data.
		skipped.put("o_10000x10000.png", "cannot decode the PNG data");
		Files.write(in.resolve("o_10000x10000.png"), HeaderOnlyPng.grey8(10_000, 10_000));
		skipped.put("p_huge.tif", "more than the limit of 100 megapixels per image");
		Files.write(in.resolve("p_huge.tif"), TiffBytes.grey8(30_000, 30_000, 8).build(0));
		skipped.put("q_huge_stack.tif", "split it into smaller stacks");
		Files.write(in.resolve("q_huge_stack.tif"), TiffBytes.grey8(2000, 1000, 8).description("ImageJ=1.54p\nimages=300\n").build(0));
		skipped.put("r_grey16.tif", "trained on 8-bit images only");
		TestImages.sixteenBit(jpeg, 16, 100, in.resolve("r_grey16.tif"));
		skipped.put("s_float_nan.tif", "trained on 8-bit images only");
		copyResource("float_nan.tif", in.resolve("s_float_nan.tif"));
		// An I/O error while reading (a failing disk, a vanished network share), which root can
		// produce even where permissions cannot stop it: reading /proc/self/mem at offset 0 fails.
		boolean procMem = Files.isReadable(Path.of("/proc/self/mem"));
		if (procMem) {
			skipped.put("t_io_error.png", "cannot be read");
			Files.createSymbolicLink(in.resolve("t_io_error.png"), Path.of("/proc/self/mem"));
		}
		Files.writeString(in.resolve("notes.txt"), "not an image name: not listed");
		Files.copy(jpeg, in.resolve(".hidden.jpg"));
		Map<String, String> before = FileTreeDigest.of(in);

		Path out = dir.resolve("zoo-out");
		CliRun r = CliRun.of("score", "--model", model.toString(), "--input", in.toString(), "--out", out.toString());
		r.assertSucceeded();

		List<String> csv = Files.readAllLines(out.resolve("scores.csv"));
		Map<String, List<String>> rows = new LinkedHashMap<>();
		for (String line : csv.subList(1, csv.size())) rows.computeIfAbsent(firstField(line), k -> new ArrayList<>()).add(line);
		for (String ok : List.of("a_sample.jpg", "b_one_pixel.png", "c_tiny.png", "d_larger_than_training.png", "e_other_aspect.jpg", "f_rgb.png",
			"g_rgba.png", "i_png_named.jpg")) {
			assertEquals(1, rows.get(ok).size(), ok);
			assertOkRow(rows.get(ok).get(0));
			String stem = ok.substring(0, ok.lastIndexOf('.'));
			for (String suffix : List.of(".map.tif", ".mask.png", ".overlay.png")) assertTrue(Files.isRegularFile(out.resolve(stem + suffix)), stem + suffix);
		}
		assertEquals(3, rows.get("h_stack.tif").size(), "one row per plane of a stack");
		rows.get("h_stack.tif").forEach(CliBatteryTest::assertOkRow);
		assertTrue(Files.isRegularFile(out.resolve("h_stack_p003.overlay.png")));
		for (Map.Entry<String, String> e : skipped.entrySet()) {
			List<String> mine = rows.get(e.getKey());
			assertNotNull(mine, "no CSV row for " + e.getKey());
			assertEquals(1, mine.size());
			assertTrue(mine.get(0).contains(",skipped,"), mine.get(0));
			assertTrue(mine.get(0).contains(in.resolve(e.getKey()).toString()) && mine.get(0).contains(e.getValue()), mine.get(0));
			String stem = e.getKey().substring(0, e.getKey().lastIndexOf('.'));
			assertFalse(Files.exists(out.resolve(stem + ".map.tif")), "output for a skipped file");
			assertEquals(1, r.skippedLines().stream().filter(l -> l.contains(in.resolve(e.getKey()).toString()) && l.contains(e.getValue())).count(),
				"stderr line for " + e.getKey() + ":\n" + r.err());
		}
		assertEquals(skipped.size(), r.skippedLines().size(), r.err());
		assertFalse(rows.containsKey("notes.txt") || rows.containsKey(".hidden.jpg"), "only non-hidden image names are listed");
		assertEquals(8 + 3 + skipped.size(), csv.size() - 1);
		assertTrue(r.out().startsWith("11 scored"), r.out()); // 8 images and 3 planes of the stack
		assertTrue(r.out().contains(skipped.size() + " skipped"), r.out());
		assertEquals(before, FileTreeDigest.of(in), "inputs changed");
		assertNoTemporaryFiles(out);
		assertEquals(sampleDigest, FileTreeDigest.of(SmallModel.SAMPLE));
		if (procMem) Files.delete(in.resolve("t_io_error.png"));
	}

	/**
	 * 16-bit and 32-bit grey with NaN and infinities, on a model trained on 16-bit images: the
	 * model's intensity range scales them, NaN counts as the range's low end, infinities are
	 * clipped, and the scores are finite. A 16-bit image on an 8-bit model is refused by name
	 * (see above); an 8-bit image on this model is scaled as 8-bit.
	 */
	@Test
	void sixteenAndThirtyTwoBitGreyWithNaNAndInfinity() throws IOException {
		Path train = Files.createDirectories(dir.resolve("grey16-train"));
		for (int i = 0; i < 6; i++) TestImages.sixteenBit(good.get(i), 16, 100, train.resolve(String.format(Locale.ROOT, "g%02d.tif", i)));
		Path m16 = dir.resolve("m16.zip");
		CliRun.of("train", "--data", train.toString(), "--out", m16.toString(), "--size", "32").assertSucceeded();

		Path in = Files.createDirectories(dir.resolve("grey16-test"));
		TestImages.sixteenBit(good.get(7), 16, 100, in.resolve("a_grey16.tif"));
		int w = 60, h = 40;
		float[] px = new float[w * h];
		for (int i = 0; i < px.length; i++) px[i] = 100 + 16 * (i % 200);
		px[0] = Float.NaN;
		px[5] = Float.POSITIVE_INFINITY;
		px[9] = Float.NEGATIVE_INFINITY;
		Arrays.fill(px, 100, 400, Float.NaN);
		TestImages.float32(px, w, h, in.resolve("b_float_nan_inf.tif"));
		float[] allNaN = new float[w * h];
		Arrays.fill(allNaN, Float.NaN);
		TestImages.float32(allNaN, w, h, in.resolve("c_float_all_nan.tif"));
		Files.copy(good.get(6), in.resolve("d_eight_bit.jpg"));
		Path out = dir.resolve("grey16-out");
		CliRun.of("score", "--model", m16.toString(), "--input", in.toString(), "--out", out.toString()).assertSucceeded();
		List<String> csv = Files.readAllLines(out.resolve("scores.csv"));
		assertEquals(5, csv.size(), String.join("\n", csv));
		for (String row : csv.subList(1, csv.size())) assertOkRow(row);
		float[] map = org.anomalyj.image.Planes.channel(org.anomalyj.image.ImageFileReader.read(out.resolve("b_float_nan_inf.map.tif")).plane(0), 0);
		for (float v : map) assertTrue(Float.isFinite(v), "non-finite anomaly map value");
	}

	// ---------------------------------------------------------------- folders

	@Test
	void trainingFoldersThatHoldNothingToTrainOn() throws IOException {
		Path empty = Files.createDirectories(dir.resolve("empty"));
		Path out = dir.resolve("folders").resolve("model.zip");
		Files.createDirectories(out.getParent());
		CliRun.of("train", "--data", empty.toString(), "--out", out.toString()).assertRefused(empty, "contains no images", "it is empty");

		Path noImages = Files.createDirectories(dir.resolve("no-images"));
		Files.writeString(noImages.resolve("readme.txt"), "x");
		Files.createDirectories(noImages.resolve("sub"));
		Files.copy(good.get(0), noImages.resolve("sub").resolve("deeper.jpg"));
		CliRun.of("train", "--data", noImages.toString(), "--out", out.toString())
			.assertRefused(noImages, "contains no images", "1 file(s) without an image extension and 1 sub-folder(s)");

		Path missing = dir.resolve("does-not-exist");
		CliRun.of("train", "--data", missing.toString(), "--out", out.toString()).assertRefused(missing, "does not exist");

		Path allBroken = Files.createDirectories(dir.resolve("all-broken"));
		Files.write(allBroken.resolve("a.png"), new byte[0]);
		Files.writeString(allBroken.resolve("b.jpg"), "text");
		Files.write(allBroken.resolve("c.png"), HeaderOnlyPng.grey8(50_000, 50_000));
		CliRun r = CliRun.of("train", "--data", allBroken.toString(), "--out", out.toString());
		r.assertRefused(allBroken, "training images could be read (first problem: ");
		assertTrue(r.skippedLines().size() >= 2, r.err());

		Path mvtecEmpty = Files.createDirectories(dir.resolve("mvtec-empty").resolve("train").resolve("good"));
		CliRun.of("train", "--data", mvtecEmpty.getParent().getParent().toString(), "--out", out.toString())
			.assertRefused(mvtecEmpty, "contains no images");
		assertFalse(Files.exists(out));
		assertNoTemporaryFiles(out.getParent());
	}

	/** Mixed sizes, formats and unreadable files: the readable ones train the model, each other one is named. */
	@Test
	void trainingOnAMixedFolderSkipsAndNamesTheBadFiles() throws IOException {
		Path data = Files.createDirectories(dir.resolve("mixed-train"));
		for (int i = 0; i < 4; i++) Files.copy(good.get(i), data.resolve("g" + i + ".jpg"));
		TestImages.scaled(good.get(4), 300, 120, "png", data.resolve("g4_small.png"));
		TestImages.scaled(good.get(5), 1000, 400, "png", data.resolve("g5_large.png"));
		TestImages.write(TestImages.grey(1, 1), "png", data.resolve("g6_one_pixel.png"));
		Files.write(data.resolve("x_zero.jpg"), new byte[0]);
		TestImages.truncated(good.get(6), 0.3, data.resolve("x_truncated.jpg"));
		Files.writeString(data.resolve("x_text.png"), "<html>");
		Map<String, String> before = FileTreeDigest.of(data);
		Path out = dir.resolve("mixed.zip");
		CliRun r = CliRun.of("train", "--data", data.toString(), "--out", out.toString(), "--size", "32");
		r.assertSucceeded();
		assertEquals(3, r.skippedLines().size(), r.err());
		for (String bad : List.of("x_zero.jpg", "x_truncated.jpg", "x_text.png"))
			assertTrue(r.skippedLines().stream().anyMatch(l -> l.contains(data.resolve(bad).toString())), bad + " not named:\n" + r.err());
		assertTrue(r.out().contains("3 unreadable file(s) skipped"), r.out());
		try (AnomalyModel m = AnomalyModel.load(out, DeviceChoice.CPU)) {
			assertEquals(3, m.training().skippedFiles());
		}
		assertEquals(before, FileTreeDigest.of(data));
		assertNoTemporaryFiles(dir);
	}

	/** Mistakes in --out are found before training, not after it. */
	@Test
	void badTrainingTargetsAreRefusedBeforeTraining() throws IOException {
		Path data = Files.createDirectories(dir.resolve("target-train"));
		Files.copy(good.get(0), data.resolve("a.jpg"));
		Path noDir = dir.resolve("no-such-dir").resolve("m.zip");
		CliRun r = CliRun.of("train", "--data", data.toString(), "--out", noDir.toString());
		r.assertRefused(noDir, "does not exist");
		assertFalse(r.err().contains("features"), "trained before checking the target:\n" + r.err());
		CliRun.of("train", "--data", data.toString(), "--out", data.toString()).assertRefused(data, "is a folder");
		Path input = data.resolve("a.jpg");
		CliRun.of("train", "--data", data.toString(), "--out", input.toString()).assertRefused(input, "refusing to overwrite the input file");
		assertEquals(1, Files.list(data).count());
	}

	@Test
	void scoringInputsThatAreNotThere() throws IOException {
		Path out = dir.resolve("none-out");
		Path missing = dir.resolve("missing.png");
		CliRun.of("score", "--model", model.toString(), "--input", missing.toString(), "--out", out.toString())
			.assertRefused(missing, "no such file or folder");
		Path empty = Files.createDirectories(dir.resolve("score-empty"));
		CliRun.of("score", "--model", model.toString(), "--input", empty.toString(), "--out", out.toString()).assertRefused(empty, "contains no images");
		Path zero = Files.write(empty.resolve("zero.png"), new byte[0]);
		CliRun r = CliRun.of("score", "--model", model.toString(), "--input", zero.toString(), "--out", out.toString());
		r.assertRefused(zero, "none of the 1 images could be scored");
		assertEquals(1, r.skippedLines().size());
		assertTrue(Files.readString(out.resolve("scores.csv")).contains("is empty (0 bytes)"));
	}

	/**
	 * As root (containers, CI), permissions do not stop reads: this runs only as an ordinary user.
	 * The I/O-error row of {@link #scoringAFolderOfOddAndBrokenImages} covers the same code path.
	 */
	@Test
	void unreadableFilesAreNamed() throws IOException {
		Path in = Files.createDirectories(dir.resolve("unreadable"));
		Path locked = Files.copy(good.get(0), in.resolve("locked.jpg"));
		Files.copy(good.get(1), in.resolve("open.jpg"));
		assumeTrue(locked.toFile().setReadable(false, false) && !Files.isReadable(locked), "running as root: permissions do not apply");
		try {
			CliRun r = CliRun.of("score", "--model", model.toString(), "--input", in.toString(), "--out", dir.resolve("unreadable-out").toString());
			r.assertSucceeded();
			assertTrue(r.skippedLines().get(0).contains("permission denied"), r.err());
		} finally {
			locked.toFile().setReadable(true, false);
		}
	}

	// ---------------------------------------------------------------- MVTec layouts

	@Test
	void mvtecLayoutsWithMissingOrWrongMasks() throws IOException {
		Path cat = mvtecCopy("mvtec-ok");
		CliRun ok = CliRun.of("evaluate", "--model", model.toString(), "--data", cat.toString());
		ok.assertSucceeded();
		assertTrue(ok.out().contains("image_auroc"), ok.out());

		Path noMask = mvtecCopy("mvtec-no-mask");
		Path gone = firstFile(noMask.resolve("ground_truth").resolve("pitting"));
		Files.delete(gone);
		CliRun.of("evaluate", "--model", model.toString(), "--data", noMask.toString()).assertRefused(gone, "has no mask, expected");

		Path noTruth = mvtecCopy("mvtec-no-ground-truth");
		deleteTree(noTruth.resolve("ground_truth"));
		CliRun.of("evaluate", "--model", model.toString(), "--data", noTruth.toString())
			.assertRefused(noTruth.resolve("ground_truth").resolve("pitting"), "missing", "need their masks");

		Path wrongSize = mvtecCopy("mvtec-wrong-mask");
		Path mask = firstFile(wrongSize.resolve("ground_truth").resolve("pitting"));
		TestImages.write(TestImages.grey(100, 40), "png", mask);
		CliRun.of("evaluate", "--model", model.toString(), "--data", wrongSize.toString())
			.assertRefused(mask, "is 100x40 but its image", "is 565x230");

		Path brokenTest = mvtecCopy("mvtec-broken-test-image");
		Path img = firstFile(brokenTest.resolve("test").resolve("pitting"));
		TestImages.truncated(img, 0.2, img);
		CliRun.of("evaluate", "--model", model.toString(), "--data", brokenTest.toString()).assertRefused(img, "truncated");

		Path deep = mvtecCopy("mvtec-16-bit-test-image");
		Path good16 = firstFile(deep.resolve("test").resolve("good"));
		Path tif = deep.resolve("test").resolve("good").resolve("zz.tif");
		TestImages.sixteenBit(good16, 16, 0, tif);
		CliRun.of("evaluate", "--model", model.toString(), "--data", deep.toString()).assertRefused(tif, "trained on 8-bit images only");

		Path emptyType = mvtecCopy("mvtec-empty-defect-folder");
		Files.createDirectories(emptyType.resolve("test").resolve("scratch"));
		CliRun.of("evaluate", "--model", model.toString(), "--data", emptyType.toString())
			.assertRefused(emptyType.resolve("test").resolve("scratch"), "contains no images");
	}

	// ---------------------------------------------------------------- model files

	/** Model files are untrusted input: each damaged or foreign one is refused by name, before any output is made. */
	@Test
	void brokenForeignAndContradictoryModelFiles() throws IOException {
		Path in = good.get(0);
		Map<Path, String> cases = new LinkedHashMap<>();
		Path models = Files.createDirectories(dir.resolve("models"));
		cases.put(models.resolve("missing.zip"), "no such file");
		cases.put(Files.write(models.resolve("empty.zip"), new byte[0]), "not a zip file");
		cases.put(Files.copy(in, models.resolve("image.zip")), "not a zip file");
		cases.put(TestImages.truncated(model, 0.6, models.resolve("truncated.zip")), "truncated or damaged zip");
		cases.put(Files.write(models.resolve("foreign.zip"), ModelZips.pack(Map.of("a.jpg", Files.readAllBytes(in)))),
			"not an AnomalyJ model: the zip has no manifest.json");
		Map<String, byte[]> slip = ModelZips.entries(model);
		slip.put("../../evil.sh", "#!/bin/sh\n".getBytes());
		cases.put(Files.write(models.resolve("zip-slip.zip"), ModelZips.pack(slip)), "climbs out of its directory");
		cases.put(edit("version2", m -> m.addProperty("format_version", 2)), "newer than version 1");
		cases.put(edit("not-ours", m -> m.addProperty("format", "tfjs-graph-model")), "not an AnomalyJ model");
		cases.put(edit("other-backbone", m -> m.getAsJsonObject("backbone").addProperty("id", "wide_resnet50")), "unknown backbone 'wide_resnet50'");
		cases.put(edit("other-weights", m -> m.getAsJsonObject("backbone").addProperty("sha256", "0".repeat(64))), "trained with other weights");
		cases.put(edit("bad-size", m -> m.addProperty("input_size", 100)), "'input_size' must be an integer from 32 to 2048");
		cases.put(edit("huge-size", m -> m.addProperty("input_size", 1L << 40)), "'input_size' must be an integer");
		cases.put(edit("other-method", m -> m.addProperty("method", "padim-v9")), "unknown method 'padim-v9'");
		cases.put(edit("no-params", m -> m.remove("patchcore")), "'patchcore' is missing");
		cases.put(edit("bank-size", m -> m.getAsJsonObject("patchcore").addProperty("bank_size", 7)), "'patchcore.bank_size' is 7 but the memory bank has");
		cases.put(edit("dim", m -> m.getAsJsonObject("patchcore").addProperty("dim", 96)), "'patchcore.dim' is 96 but the memory bank has 128 columns");
		cases.put(edit("coreset", m -> m.getAsJsonObject("patchcore").addProperty("coreset_ratio", -1)), "'patchcore.coreset_ratio' must be a number above 0 and at most 1");
		cases.put(edit("tap", m -> m.getAsJsonObject("features").add("taps", strings("block_5_add", "logits"))), "has no tap 'logits'");
		cases.put(edit("one-tap", m -> m.getAsJsonObject("features").add("taps", strings("block_5_add"))),
			"does not fit features of dimension 32");
		cases.put(edit("sigma", m -> m.getAsJsonObject("features").addProperty("sigma", 1e9)), "'features.sigma' must be a number from 0 to 32");
		cases.put(edit("pool", m -> m.getAsJsonObject("features").addProperty("pool", 1_000_001)), "'features.pool' must be an integer from 1 to 31");
		cases.put(edit("pool-even", m -> m.getAsJsonObject("features").addProperty("pool", 4)), "'features.pool' must be odd");
		cases.put(edit("normalization", m -> m.getAsJsonObject("features").addProperty("normalization", "sepia")),
			"'features.normalization' must be one of unit|symmetric|imagenet");
		cases.put(edit("range", m -> m.getAsJsonObject("features").add("intensity_range", numbers(5, 1))), "low < high");
		cases.put(edit("no-thresholds", m -> m.remove("thresholds")), "'thresholds' is missing");
		cases.put(edit("threshold-inf", m -> m.getAsJsonObject("thresholds").addProperty("image", 1e39)), "'thresholds.image' must be a finite 32-bit number");
		cases.put(edit("threshold-text", m -> m.getAsJsonObject("thresholds").addProperty("pixel", "high")), "'thresholds.pixel' must be a finite 32-bit number");
		Safetensors.Tensor bank = ModelZips.tensors(ModelZips.entries(model)).get("memory_bank");
		int rows = (int) bank.shape()[0];
		cases.put(tensors("bank-96", Map.of("memory_bank", Safetensors.Tensor.of(new float[rows * 96], rows, 96))),
			"memory bank of shape [" + rows + ", 96] does not fit features of dimension 128");
		float[] nan = bank.toFloats();
		nan[3] = Float.NaN;
		cases.put(tensors("bank-nan", Map.of("memory_bank", Safetensors.Tensor.of(nan, rows, 128))), "non-finite or implausibly large value (NaN)");
		cases.put(tensors("no-bank", Map.of("other", bank)), "has no memory bank");
		cases.put(tensors("bank-3d", Map.of("memory_bank", Safetensors.Tensor.of(bank.toFloats(), 1, rows, 128))), "does not fit");
		Map<String, byte[]> hugeHeader = ModelZips.entries(model);
		hugeHeader.put(ModelArchive.TENSORS_ENTRY, safetensorsDeclaring("[1099511627776, 128]"));
		cases.put(Files.write(models.resolve("huge-tensor.zip"), ModelZips.pack(hugeHeader)), "tensors.safetensors");

		Map<String, String> before = FileTreeDigest.of(models);
		for (Map.Entry<Path, String> c : cases.entrySet()) {
			Path out = dir.resolve("model-case-out");
			long t0 = System.nanoTime();
			CliRun r = CliRun.of("score", "--model", c.getKey().toString(), "--input", in.toString(), "--out", out.toString());
			String line = r.assertRefused(c.getKey(), c.getValue());
			assertTrue((System.nanoTime() - t0) / 1e9 < 5, "slow refusal: " + line);
			assertFalse(Files.exists(out), "output made before the model was checked: " + line);
		}
		assertEquals(before, FileTreeDigest.of(models), "a model file was changed by reading it");
		assertFalse(Files.exists(dir.resolve("evil.sh")) || Files.exists(dir.getParent().resolve("evil.sh")));
	}

	/**
	 * A model declaring another input size than it was trained at is still a PatchCore model: the
	 * bank does not depend on the size, so it loads and scores at the declared size.
	 */
	@Test
	void aModelForAnotherInputSizeScoresAtThatSize() throws IOException {
		Path m48 = edit("size-48", m -> {
			m.addProperty("input_size", 48);
			m.getAsJsonObject("features").addProperty("sigma", 0.75);
		});
		Path out = dir.resolve("size-48-out");
		CliRun.of("score", "--model", m48.toString(), "--input", good.get(0).toString(), "--out", out.toString()).assertSucceeded();
		try (AnomalyModel m = AnomalyModel.load(m48, DeviceChoice.CPU)) {
			assertEquals(48, m.spec().inputSize());
		}
	}

	/** A model trained on one image has no held-out calibration images; it must still save and load. */
	@Test
	void aModelTrainedOnOneImageSavesAndLoads() throws IOException {
		Path data = Files.createDirectories(dir.resolve("one-image"));
		Files.copy(good.get(0), data.resolve("a.jpg"));
		Path out = dir.resolve("one.zip");
		CliRun.of("train", "--data", data.toString(), "--out", out.toString(), "--size", "32").assertSucceeded();
		try (AnomalyModel m = AnomalyModel.load(out, DeviceChoice.CPU)) {
			assertFalse(m.thresholds().isCalibrated(), "no thresholds without calibration images");
			assertTrue(Double.isNaN(m.thresholds().falseAlarmRate()));
			assertEquals(0, m.thresholds().calibrationImages());
		}
	}

	// ---------------------------------------------------------------- helpers

	private static void assertOkRow(String row) {
		String[] f = row.split(",");
		assertEquals("ok", f[2], row);
		assertTrue(Float.isFinite(Float.parseFloat(f[3])), row);
	}

	private static String firstField(String csvLine) {
		return csvLine.startsWith("\"") ? csvLine.substring(1, csvLine.indexOf('"', 1)) : csvLine.substring(0, csvLine.indexOf(','));
	}

	static void assertNoTemporaryFiles(Path folder) throws IOException {
		try (Stream<Path> s = Files.walk(folder)) {
			List<Path> temps = s.filter(p -> p.getFileName().toString().contains(".tmp-")).toList();
			assertEquals(List.of(), temps, "temporary files left behind");
		}
	}

	private static void copyResource(String name, Path target) throws IOException {
		try (InputStream in = org.anomalyj.image.TiffBytes.class.getResourceAsStream(name)) {
			Files.copy(in, target);
		}
	}

	private static Path edit(String name, Consumer<JsonObject> change) throws IOException {
		return ModelZips.editManifest(model, Files.createDirectories(dir.resolve("models")).resolve(name + ".zip"), change);
	}

	private static Path tensors(String name, Map<String, Safetensors.Tensor> t) throws IOException {
		return ModelZips.replaceTensors(model, Files.createDirectories(dir.resolve("models")).resolve(name + ".zip"), t);
	}

	private static JsonArray strings(String... s) {
		JsonArray a = new JsonArray();
		for (String x : s) a.add(x);
		return a;
	}

	private static JsonArray numbers(double... v) {
		JsonArray a = new JsonArray();
		for (double x : v) a.add(x);
		return a;
	}

	/** A safetensors file whose header declares a memory bank of {@code shape} over 16 bytes of data. */
	private static byte[] safetensorsDeclaring(String shape) {
		String header = "{\"memory_bank\":{\"dtype\":\"F32\",\"shape\":" + shape + ",\"data_offsets\":[0,16]}}";
		byte[] h = header.getBytes(java.nio.charset.StandardCharsets.UTF_8);
		java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 + h.length + 16).order(java.nio.ByteOrder.LITTLE_ENDIAN);
		b.putLong(h.length).put(h);
		return b.array();
	}

	/** A small MVTec category from the sample data: 4 good and 2 pitting test images with masks. */
	private static Path mvtecCopy(String name) throws IOException {
		Path root = dir.resolve(name);
		Path src = SmallModel.SAMPLE;
		for (String sub : List.of("test/good", "test/pitting", "ground_truth/pitting", "train/good")) {
			Path to = Files.createDirectories(root.resolve(sub));
			List<Path> files;
			try (Stream<Path> s = Files.list(src.resolve(sub))) {
				files = s.sorted().limit(sub.equals("test/good") ? 4 : 2).toList();
			}
			for (Path f : files) Files.copy(f, to.resolve(f.getFileName()));
		}
		return root;
	}

	private static Path firstFile(Path folder) throws IOException {
		try (Stream<Path> s = Files.list(folder)) {
			return s.sorted().findFirst().orElseThrow();
		}
	}

	private static void deleteTree(Path root) throws IOException {
		try (Stream<Path> s = Files.walk(root)) {
			for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
		}
	}
}
