package org.anomalyj.sink;

import org.anomalyj.inspect.InspectionFiles;

import org.scijava.plugin.Plugin;

import java.io.IOException;
import java.nio.file.Path;

/** {@code masks}: each plane's defect mask, 255 where the map is above the pixel threshold, as {@code NAME.mask.png}. */
@Plugin(type = ResultSinkPlugin.class, name = MaskSinkPlugin.NAME)
public final class MaskSinkPlugin implements ResultSinkPlugin {

	public static final String NAME = "masks";

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public String description() {
		return "NAME" + InspectionFiles.MASK_SUFFIX + ": the defect mask (8-bit PNG, 255 = defect)";
	}

	@Override
	public ResultSink open(SinkContext context) {
		return new PlaneFileSink(context, InspectionFiles.MASK_SUFFIX) {
			@Override
			protected void write(PlaneResult r, Path file) throws IOException {
				InspectionFiles.writeMask(r.inspection(), file);
			}
		};
	}
}
