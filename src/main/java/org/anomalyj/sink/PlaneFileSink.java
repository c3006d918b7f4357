package org.anomalyj.sink;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A sink that writes one file per plane into the output folder, named after the plane
 * ({@link PlaneResult#baseName()}) with a fixed suffix, e.g. {@code part.mask.png}. An input is done
 * when the files of all its planes exist (and are not inputs); as they are written atomically, an
 * existing one is whole.
 * Subclasses only write a file. Inside {@link ResultSinks} plane files are written behind the run,
 * so {@link #write} runs on a helper thread after {@code accept} has returned, beside other sinks'
 * work (never beside its own for another plane: each sink writes its planes in input order).
 */
public abstract class PlaneFileSink implements ResultSink {

	private final SinkContext context;
	private final String suffix;

	/** @param suffix what follows the base name, e.g. {@code .mask.png} */
	protected PlaneFileSink(SinkContext context, String suffix) {
		this.context = context;
		this.suffix = suffix;
	}

	/** Writes the plane's file at {@code file}, atomically. */
	protected abstract void write(PlaneResult result, Path file) throws IOException;

	protected SinkContext context() {
		return context;
	}

	/** The file a plane's output goes to. */
	public Path fileFor(SinkInput input, int plane, int planes) {
		return context.folder().resolve(input.baseName(plane, planes) + suffix);
	}

	@Override
	public boolean isDone(SinkInput input) throws IOException {
		int planes = input.planes();
		for (int p = 0; p < planes; p++) {
			Path file = fileFor(input, p, planes);
			if (!Files.isRegularFile(file) || context.isInput(file)) return false;
		}
		return true;
	}

	@Override
	public void accept(PlaneResult result) throws IOException {
		Path file = fileFor(result.input(), result.plane(), result.planes());
		context.requireNotInput(file);
		write(result, file);
	}

	/** A skipped plane has no file; one left by an earlier run stays (the plane is redone next time). */
	@Override
	public void skipped(SinkInput input, int plane, String reason) {}

	@Override
	public void close() {}
}
