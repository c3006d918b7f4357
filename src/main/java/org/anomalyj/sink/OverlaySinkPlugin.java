package org.anomalyj.sink;

import org.anomalyj.inspect.InspectionFiles;
import org.anomalyj.model.AnomalyModel;

import org.scijava.plugin.Plugin;

import java.io.IOException;
import java.nio.file.Path;

/** {@code overlays}: each plane with the heat map over it, faded below the pixel threshold, as an RGB {@code NAME.overlay.png}. */
@Plugin(type = ResultSinkPlugin.class, name = OverlaySinkPlugin.NAME)
public final class OverlaySinkPlugin implements ResultSinkPlugin {

	public static final String NAME = "overlays";

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public String description() {
		return "NAME" + InspectionFiles.OVERLAY_SUFFIX + ": the image with the heat map over it (RGB PNG; --opacity)";
	}

	@Override
	public ResultSink open(SinkContext context) {
		AnomalyModel model = context.model();
		return new PlaneFileSink(context, InspectionFiles.OVERLAY_SUFFIX) {
			@Override
			protected void write(PlaneResult r, Path file) throws IOException {
				InspectionFiles.writeOverlay(r.inspection(), r.pixels(), model.spec().intensity(), r.inspection().thresholds().pixel(), context.opacity(), file);
			}
		};
	}
}
