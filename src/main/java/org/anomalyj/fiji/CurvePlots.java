package org.anomalyj.fiji;

import org.anomalyj.metrics.MetricsReport;
import org.anomalyj.metrics.ProCurve;
import org.anomalyj.metrics.RocCurve;

import ij.gui.Plot;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The ROC and PRO curves of an evaluation as ImageJ plots; a curve that is undefined (one class only) is left out. */
final class CurvePlots {

	private CurvePlots() {}

	static List<Plot> of(String category, MetricsReport m) {
		List<Plot> plots = new ArrayList<>();
		if (m.imageRoc().size() > 0) plots.add(roc(category + " image ROC", m.imageRoc()));
		if (m.pixelRoc().size() > 0) plots.add(roc(category + " pixel ROC", m.pixelRoc()));
		if (m.proCurve().size() > 0) plots.add(pro(category + " PRO", m.proCurve()));
		return plots;
	}

	private static Plot roc(String title, RocCurve c) {
		Plot plot = new Plot(title, "false positive rate", "true positive rate");
		plot.setLimits(0, 1, 0, 1);
		plot.setColor(Color.GRAY);
		plot.addPoints(new double[] {0, 1}, new double[] {0, 1}, Plot.LINE);
		plot.setColor(Color.BLUE);
		plot.addPoints(c.falsePositiveRates(), c.truePositiveRates(), Plot.LINE);
		plot.addLabel(0.55, 0.9, String.format(Locale.ROOT, "AUROC %.4f", c.auc()));
		return plot;
	}

	private static Plot pro(String title, ProCurve c) {
		Plot plot = new Plot(title, "false positive rate", "per-region overlap");
		plot.setLimits(0, 1, 0, 1);
		plot.setColor(Color.GRAY);
		double limit = ProCurve.DEFAULT_FPR_LIMIT;
		plot.addPoints(new double[] {limit, limit}, new double[] {0, 1}, Plot.LINE);
		plot.setColor(Color.BLUE);
		plot.addPoints(c.falsePositiveRates(), c.pros(), Plot.LINE);
		plot.addLabel(0.55, 0.9, String.format(Locale.ROOT, "AUPRO (FPR %.1f) %.4f", limit, c.aupro()));
		return plot;
	}
}
