package org.anomalyj.cli;

import org.anomalyj.bench.AugmentedImages;
import org.anomalyj.bench.ProcessMemory;
import org.anomalyj.bench.ScoringBenchmark;
import org.anomalyj.data.CategoryFolder;
import org.anomalyj.data.TestSample;
import org.anomalyj.io.AtomicFiles;
import org.anomalyj.model.TrainingReport;
import org.anomalyj.model.AnomalyModel;
import org.anomalyj.model.DeviceChoice;
import org.anomalyj.training.ModelTrainer;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * {@code bench --data CATEGORY_DIR}: training time and memory, the compute floor of scoring and how
 * close to it we are, and start-up time of a fresh {@code score} process. Prints figures; asserts
 * nothing (speed targets are checked by reading them, not by timed tests).
 */
final class BenchVerb implements Main.Verb {

	@Override
	public String summary() {
		return "benchmark training, scoring against the machine's floor, and start-up: --data CATEGORY_DIR [--json FILE]";
	}

	@Override
	public void run(String[] args, PrintStream out, PrintStream err) throws IOException {
		if (args.length > 1 && args[1].equals("--help")) {
			out.println("bench --data CATEGORY_DIR [--size 256] [--backbone NAME] [--batch 8] [--rounds 3] [--json FILE] [--device auto|cpu|gpu] [--no-startup]\n"
				+ "bench --data CATEGORY_DIR --model FILE   (scoring and start-up of a trained model; no training)\n"
				+ "bench --data CATEGORY_DIR --scale N [--vary-size]   (train on N augmented copies of the good images: time and peak memory;\n"
				+ "      --vary-size: random crops rescaled to 0.6-1.6 x, a set of varying sizes and scales)");
			return;
		}
		Arguments a = new Arguments("bench", args, 1, Set.of("data", "size", "backbone", "model", "batch", "rounds", "json", "device", "scale"), Set.of("no-startup", "vary-size"));
		CategoryFolder category = CategoryFolder.open(a.path("data"));
		if (a.integer("scale", 0) > 0) {
			scale(category, a, out, err);
			return;
		}
		DeviceChoice device = DeviceChoice.parse(a.string("device", "auto"));
		JsonObject json = new JsonObject();
		json.addProperty("category", category.name());
		json.addProperty("cpus", Runtime.getRuntime().availableProcessors());

		Path given = a.path("model", null);
		Path tmpModel = given != null ? given : Files.createTempFile("anomalyj-bench", ".zip");
		try (AnomalyModel model = given != null ? AnomalyModel.load(given, device) : train(category, a, device, json, tmpModel, err)) {
			json.addProperty("backbone", model.spec().backbone());
			List<Path> images = new ArrayList<>();
			for (TestSample s : category.hasTestSet() ? category.testSamples() : List.<TestSample>of()) images.add(s.image());
			if (images.isEmpty()) images = category.trainImages();
			err.println("scoring benchmark");
			ScoringBenchmark.Result r = ScoringBenchmark.run(model, images, a.integer("batch", 8), a.integer("rounds", 3));
			json.addProperty("method", r.method());
			json.addProperty("gemm_gflops", r.gemmGflops());
			json.addProperty("backbone_gflop_per_image", r.backboneGflop());
			json.addProperty("search_gflop_per_image", r.searchGflop());
			json.addProperty("floor_ms_per_image", r.floorMs());
			json.addProperty("embed_ms_per_image", r.embedMs());
			json.addProperty("search_ms_per_image", r.searchMs());
			json.addProperty("score_ms_per_image", r.scoreMs());
			json.addProperty("end_to_end_ms_per_image", r.endToEndMs());
			json.addProperty("score_outputs_ms_per_image", r.outputsMs());
			json.addProperty("score_over_floor", r.scoreMs() / r.floorMs());
			json.addProperty("batch", r.batch());

			if (!a.flag("no-startup")) {
				err.println("start-up: a fresh score process on one image");
				json.addProperty("startup_first_result_s", startup(tmpModel, images.get(0)));
			}
			json.addProperty("peak_rss_mib", ProcessMemory.peakResidentMiB());
		} finally {
			if (given == null) Files.deleteIfExists(tmpModel);
		}
		for (var e : json.entrySet()) out.printf(Locale.ROOT, "%-26s %s%n", e.getKey(), e.getValue());
		Path file = a.path("json", null);
		if (file != null) {
			String text = new GsonBuilder().setPrettyPrinting().create().toJson(json);
			AtomicFiles.write(file, o -> o.write(text.getBytes(StandardCharsets.UTF_8)));
		}
	}

	/** Trains on the category's good images with the default settings, recording training figures; saves to {@code file}. */
	private static AnomalyModel train(CategoryFolder category, Arguments a, DeviceChoice device, JsonObject json, Path file, PrintStream err)
		throws IOException {
		ModelTrainer.Settings settings = ModelTrainer.Settings.DEFAULT.withInputSize(a.integer("size", 256)).withDevice(device);
		String backbone = a.string("backbone", null);
		if (backbone != null) settings = settings.withBackbone(backbone);
		err.println("training on " + category.trainImages().size() + " images");
		AnomalyModel model = ModelTrainer.train(category.trainImages(), settings, Main.progress(err));
		TrainingReport t = model.training();
		json.addProperty("train_images", t.images());
		json.addProperty("train_patches", t.patches());
		json.addProperty("train_feature_s", t.featureSeconds());
		json.addProperty("train_fit_s", t.fitSeconds());
		json.addProperty("train_calibration_s", t.calibrationSeconds());
		json.addProperty("train_total_s", t.seconds());
		json.addProperty("train_peak_rss_mib", ProcessMemory.peakResidentMiB());
		model.save(file);
		return model;
	}

	/**
	 * Training at scale: {@code --scale N} augments the category's good images into N images
	 * (seeded flips, shifts, brightness; with {@code --vary-size} crops of varying size and
	 * scale, {@link AugmentedImages}), trains on them with the default settings (10 % held out)
	 * and reports time and peak memory. Features stream into the method, so memory stays bounded:
	 * run with an explicit heap limit (e.g. {@code -Xmx2g}) to show it; native memory is the engine's.
	 */
	private static void scale(CategoryFolder category, Arguments a, PrintStream out, PrintStream err) throws IOException {
		int n = a.integer("scale", 0);
		Path dir = Files.createTempDirectory("anomalyj-scale");
		try {
			err.println("writing " + n + " augmented images to " + dir);
			List<Path> images = AugmentedImages.write(category.trainImages(), n, 0, dir, a.flag("vary-size"));
			ModelTrainer.Settings settings = ModelTrainer.Settings.DEFAULT.withInputSize(a.integer("size", 256))
				.withDevice(DeviceChoice.parse(a.string("device", "auto")));
			double before = ProcessMemory.peakResidentMiB();
			try (AnomalyModel model = ModelTrainer.train(images, settings, Main.progress(err))) {
				TrainingReport t = model.training();
				out.printf(Locale.ROOT,
					"scale %d images: %d trained, %d patches, %s, features %.1f s, fit %.1f s, calibration %.1f s, total %.1f s "
						+ "(%.2f s per 100 k patches), peak RSS %.0f MiB (before training %.0f), max heap %d MiB%n",
					n, t.images(), t.patches(), model.method().summary(),
					t.featureSeconds(), t.fitSeconds(), t.calibrationSeconds(),
					t.seconds(), t.seconds() * 1e5 / t.patches(), ProcessMemory.peakResidentMiB(), before, Runtime.getRuntime().maxMemory() >> 20);
			}
		} finally {
			try (var files = Files.walk(dir)) {
				files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
			}
		}
	}

	/** Wall time of {@code score} on one image in a new JVM: JVM, engine start, model load, first result. */
	private static double startup(Path model, Path image) throws IOException {
		Path outDir = Files.createTempDirectory("anomalyj-bench-out");
		String javaBin = ProcessHandle.current().info().command().orElse("java");
		List<String> cmd = List.of(javaBin, "-cp", System.getProperty("java.class.path"), Main.class.getName(), "score", "--model",
			model.toString(), "--input", image.toString(), "--out", outDir.toString(), "--no-overlays", "--no-masks");
		long t0 = System.nanoTime();
		Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD.file()).start();
		try {
			if (!p.waitFor(5, TimeUnit.MINUTES)) {
				p.destroyForcibly();
				throw new IOException("the start-up run did not finish in 5 minutes");
			}
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			p.destroyForcibly();
			throw new IOException("interrupted");
		}
		double s = (System.nanoTime() - t0) / 1e9;
		if (p.exitValue() != 0) throw new IOException("the start-up run failed with exit code " + p.exitValue());
		try (var files = Files.walk(outDir)) {
			files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
		}
		return s;
	}
}
