package org.anomalyj.cli;

import org.anomalyj.data.MvtecCategory;
import org.anomalyj.inspect.Evaluation;
import org.anomalyj.inspect.EvaluationReport;
import org.anomalyj.inspect.Inspector;
import org.anomalyj.model.AnomalyModel;
import org.anomalyj.model.DeviceChoice;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Set;

/** {@code evaluate --model MODEL.zip --data CATEGORY_DIR [--json FILE]}. */
final class EvaluateVerb implements Main.Verb {

	@Override
	public String summary() {
		return "evaluate on an MVTec-layout test set: --model MODEL.zip --data CATEGORY_DIR [--json FILE]";
	}

	@Override
	public void run(String[] args, PrintStream out, PrintStream err) throws IOException {
		if (args.length > 1 && args[1].equals("--help")) {
			out.println("evaluate --model MODEL.zip --data CATEGORY_DIR [--json FILE] [--batch 8] [--device auto|cpu|gpu]\n"
				+ "  Prints image AUROC, pixel AUROC, AUPRO (FPR<=0.3), image F1-max, pixel AP and ms per image.");
			return;
		}
		Arguments a = new Arguments("evaluate", args, 1, Set.of("model", "data", "json", "batch", "device"), Set.of());
		MvtecCategory category = MvtecCategory.open(a.path("data"));
		Path json = a.path("json", null);
		try (AnomalyModel model = AnomalyModel.load(a.path("model"), DeviceChoice.parse(a.string("device", "auto")))) {
			Evaluation.Result r = Evaluation.run(new Inspector(model), category, a.integer("batch", 8), Main.progress(err));
			out.print(EvaluationReport.table(category.name(), r));
			if (json != null) EvaluationReport.writeJson(json, category.name(), r);
		}
	}
}
