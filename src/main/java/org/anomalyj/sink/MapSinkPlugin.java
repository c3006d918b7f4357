package org.anomalyj.sink;

import org.anomalyj.inspect.InspectionFiles;

import org.scijava.plugin.Plugin;

import java.io.IOException;
import java.nio.file.Path;

/** {@code maps}: each plane's anomaly map at the image's size, as a 32-bit TIFF {@code NAME.map.tif}. */
@Plugin(type = ResultSinkPlugin.class, name = MapSinkPlugin.NAME)
public final class MapSinkPlugin implements ResultSinkPlugin {

	public static final String NAME = "maps";

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public String description() {
		return "NAME" + InspectionFiles.MAP_SUFFIX + ": the anomaly map at the image's size (32-bit TIFF)";
	}

	@Override
	public ResultSink open(SinkContext context) {
		return new PlaneFileSink(context, InspectionFiles.MAP_SUFFIX) {
			@Override
			protected void write(PlaneResult r, Path file) throws IOException {
				InspectionFiles.writeMap(r.inspection(), file);
			}
		};
	}
}
