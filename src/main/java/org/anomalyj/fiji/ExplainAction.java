package org.anomalyj.fiji;

import org.anomalyj.image.ImagePlusConverter;
import org.anomalyj.inspect.Explainer;
import org.anomalyj.inspect.Explanation;
import org.anomalyj.inspect.ExplanationMontage;
import org.anomalyj.model.AnomalyModel;
import org.anomalyj.model.DeviceChoice;

import ij.ImagePlus;
import ij.gui.Roi;
import ij.measure.ResultsTable;

import java.awt.Polygon;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Explain Anomaly: for the point or selection marked on an image, the patch of the model's feature
 * grid there (in a selection, its highest-scoring patch) and, for PatchCore, its nearest memory-bank
 * patches cut out of their training images ({@link Explainer}): a montage image (the query first)
 * (shown by the front end: ImageJ 1.x shows it, SciJava displays the command's output) and a table
 * with one row per panel, titled {@value #TABLE} so that Detect's Results stay as they are. Other
 * methods get the query panel and what their score measures.
 */
public final class ExplainAction {

	/** The title of the explanation's table. */
	public static final String TABLE = "Anomaly Explanation";
	static final String PANEL = "panel", IMAGE = "image", ROW = "grid_row", COLUMN = "grid_column", DISTANCE = "distance", X = "x", Y = "y",
		WIDTH = "width", HEIGHT = "height", STATUS = "status";

	/**
	 * @param model the model file; null for the one the image was detected with
	 * @param neighbours how many training patches to show
	 * @param training where the training images are; null for the folder the model recorded
	 * @param device where the model computes
	 */
	public record Parameters(Path model, int neighbours, Path training, DeviceChoice device) {

		public Parameters {
			if (neighbours < 1 || neighbours > Explainer.MAX_NEIGHBOURS)
				throw new IllegalArgumentException("neighbours must be from 1 to " + Explainer.MAX_NEIGHBOURS + ", was " + neighbours);
		}
	}

	/** What a run made: the explanation, its montage and its table. */
	public record Outcome(Explanation explanation, ImagePlus montage, ResultsTable table) {}

	private ExplainAction() {}

	public static Outcome run(ImagePlus imp, Parameters p, Feedback feedback, ModelCache cache) throws IOException {
		if (imp == null) throw new IllegalArgumentException("no image is open");
		Explainer.Place place = place(imp);
		Path modelFile = p.model() != null ? p.model() : detectedWith(imp);
		var plane = ImagePlusConverter.toPlane(imp, imp.getStack(), imp.getCurrentSlice());
		Explanation e;
		try (ModelCache.Lease lease = cache.acquire(modelFile, p.device())) {
			AnomalyModel model = lease.model();
			feedback.update("explain", 0, 1);
			// One model serves every command of the session; its tensors are not for concurrent use.
			synchronized (model) {
				e = new Explainer(model).explain(plane, imp.getTitle(), place, p.neighbours(), p.training());
			}
		} finally {
			feedback.finished();
		}
		ImagePlus montage = new ImagePlus("Explanation of " + imp.getTitle(), ExplanationMontage.render(e));
		ResultsTable table = table(e);
		Windows.show(table, TABLE);
		feedback.log(CommandLabels.title(CommandLabels.EXPLAIN) + ": " + e.summary());
		if (e.note() != null) feedback.log(CommandLabels.title(CommandLabels.EXPLAIN) + ": " + e.note());
		return new Outcome(e, montage, table);
	}

	/** The model the image was detected with. */
	private static Path detectedWith(ImagePlus imp) {
		try {
			return Detections.of(imp).model();
		} catch (IllegalArgumentException e) {
			throw new IllegalArgumentException("give a model file, or run " + CommandLabels.DETECT + " on " + imp.getTitle() + " first");
		}
	}

	/** The image's point (the first, for several) or selection; a line counts by its bounds. */
	static Explainer.Place place(ImagePlus imp) {
		Roi roi = imp.getRoi();
		if (roi == null) throw new IllegalArgumentException("mark the place to explain on " + imp.getTitle() + ": a point (point tool) or a selection");
		if (roi.getType() == Roi.POINT) {
			Polygon p = roi.getPolygon();
			return Explainer.Place.point(p.xpoints[0], p.ypoints[0]);
		}
		java.awt.Rectangle b = roi.getBounds();
		if (!roi.isArea()) return Explainer.Place.rectangle(b.x, b.y, Math.max(1, b.width), Math.max(1, b.height));
		Explanation.Region bounds = new Explanation.Region(b.x, b.y, b.width, b.height);
		return new Explainer.Place() {
			@Override
			public Explanation.Region bounds() {
				return bounds;
			}

			@Override
			public boolean contains(int x, int y) {
				return roi.contains(x, y);
			}
		};
	}

	static ResultsTable table(Explanation e) {
		ResultsTable t = new ResultsTable();
		for (Explanation.Row r : e.rows()) {
			t.incrementCounter();
			t.addValue(PANEL, r.panel());
			t.addValue(IMAGE, r.image());
			t.addValue(ROW, r.row());
			t.addValue(COLUMN, r.column());
			t.addValue(DISTANCE, r.distance());
			Explanation.Region g = r.region();
			t.addValue(X, g == null ? Double.NaN : g.x());
			t.addValue(Y, g == null ? Double.NaN : g.y());
			t.addValue(WIDTH, g == null ? Double.NaN : g.width());
			t.addValue(HEIGHT, g == null ? Double.NaN : g.height());
			t.addValue(STATUS, r.status());
		}
		return t;
	}
}
