package org.anomalyj.cli;

import org.anomalyj.image.ImageFileReader;
import org.anomalyj.image.LoadedImage;
import org.anomalyj.inspect.Explainer;
import org.anomalyj.inspect.Explanation;
import org.anomalyj.inspect.ExplanationMontage;
import org.anomalyj.model.AnomalyModel;
import org.anomalyj.model.DeviceChoice;
import org.anomalyj.sink.ScoresCsv;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Set;

/**
 * {@code explain --model M.zip --image F --x X --y Y}: why the model scored that place as it did, as
 * the rows of {@link Explanation#rows()} (the query patch, then its nearest training patches), and
 * optionally the montage as PNG.
 */
final class ExplainVerb implements Main.Verb {

	static final String HEADER = "panel,image,grid_row,grid_column,distance,x,y,width,height,status";

	@Override
	public String summary() {
		return "the training patches nearest to a place of an image (PatchCore): --model M.zip --image F --x X --y Y [--k 5] [--out montage.png]";
	}

	@Override
	public void run(String[] args, PrintStream out, PrintStream err) throws IOException {
		if (args.length > 1 && args[1].equals("--help")) {
			out.println("explain --model M.zip --image F --x X --y Y [--width 1 --height 1] [--plane 1] [--k " + Explainer.DEFAULT_NEIGHBOURS
				+ "] [--training DIR] [--out montage.png] [--device auto|cpu|gpu]\n"
				+ "  The patch of the model's feature grid at pixel (X, Y) of image F (for a rectangle given by --width and --height,\n"
				+ "  its highest-scoring patch), what the method's score there measures, and for PatchCore the K memory-bank\n"
				+ "  patches nearest to it: their distances (the nearest one's is the patch score), training image and grid position.\n"
				+ "  One CSV row per patch (panel 0 is the query; x, y, width, height are the region shown, in its image's pixels).\n"
				+ "  DIR: where the training images are now (default: the folder the model recorded). --out writes the montage:\n"
				+ "  the query's region, then each neighbour's, labelled.");
			return;
		}
		Arguments a = new Arguments("explain", args, 1, Set.of("model", "image", "x", "y", "width", "height", "plane", "k", "training", "out", "device"),
			Set.of());
		Path modelFile = a.path("model"), imageFile = a.path("image"), training = a.path("training", null), png = a.path("out", null);
		int x = a.integer("x", -1), y = a.integer("y", -1), w = a.integer("width", 1), h = a.integer("height", 1), plane = a.integer("plane", 1),
			k = a.integer("k", Explainer.DEFAULT_NEIGHBOURS);
		if (x < 0 || y < 0) throw new Arguments.UsageException("explain needs --x and --y, the pixel to explain (0 at the top left)");
		if (png != null && (same(png, imageFile) || same(png, modelFile)))
			throw new Arguments.UsageException("--out " + png + " would overwrite an input");
		LoadedImage img = ImageFileReader.read(imageFile);
		if (plane < 1 || plane > img.planes().size())
			throw new IOException(imageFile + ": has " + img.planes().size() + " plane(s), no plane " + plane);
		Explanation e;
		try (AnomalyModel model = AnomalyModel.load(modelFile, DeviceChoice.parse(a.string("device", "auto")))) {
			e = new Explainer(model).explain(img.plane(plane - 1), imageFile.getFileName().toString(), Explainer.Place.rectangle(x, y, w, h), k, training);
		}
		out.println("# " + e.summary());
		if (e.note() != null) out.println("# " + e.note());
		out.println(HEADER);
		for (Explanation.Row r : e.rows()) out.println(line(r));
		if (png != null) {
			ExplanationMontage.writePng(e, png);
			err.println("wrote " + png);
		}
	}

	static String line(Explanation.Row r) {
		Explanation.Region g = r.region();
		String region = g == null ? ",,," : g.x() + "," + g.y() + "," + g.width() + "," + g.height();
		return r.panel() + "," + ScoresCsv.quote(r.image()) + "," + r.row() + "," + r.column() + "," + ScoresCsv.number(r.distance()) + "," + region
			+ "," + ScoresCsv.quote(r.status());
	}

	private static boolean same(Path a, Path b) {
		return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
	}
}
