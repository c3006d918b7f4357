package org.anomalyj.sink;

import org.anomalyj.inspect.Inspection;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;

/**
 * One inspected plane, as a sink receives it.
 *
 * @param input the file the plane came from
 * @param plane index of the plane in the file, from 0
 * @param planes number of planes of the file
 * @param inspection score, verdict, map and defects
 * @param pixels the plane that was inspected (for overlays)
 */
public record PlaneResult(SinkInput input, int plane, int planes, Inspection inspection, RandomAccessibleInterval<? extends RealType<?>> pixels) {

	/** What this plane's output files are named after (see {@link SinkInput#baseName}). */
	public String baseName() {
		return input.baseName(plane, planes);
	}

	/** The plane's row of the results table. */
	public ResultRow row() {
		return ResultRow.of(input.name(), plane, inspection);
	}
}
