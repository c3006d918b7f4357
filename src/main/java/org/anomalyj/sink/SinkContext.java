package org.anomalyj.sink;

import org.anomalyj.model.AnomalyModel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a sink is opened with for one run: the output folder, the model the results come from (its
 * thresholds and intensity range, e.g. for overlays), the overlay opacity, and the run's inputs,
 * which no sink may write over.
 */
public final class SinkContext {

	private final Path folder;
	private final AnomalyModel model;
	private final double opacity;
	private final Set<Path> inputs = new HashSet<>();

	/**
	 * @param folder the output folder; it exists
	 * @param opacity heat-map opacity of overlays, 0..1 (outside, the nearest end)
	 * @param inputs the run's input files
	 */
	public SinkContext(Path folder, AnomalyModel model, double opacity, List<Path> inputs) throws IOException {
		this.folder = folder;
		this.model = model;
		this.opacity = opacity;
		for (Path in : inputs) if (Files.exists(in)) this.inputs.add(in.toRealPath());
	}

	public Path folder() {
		return folder;
	}

	public AnomalyModel model() {
		return model;
	}

	/** Whether results name the part that judged them: the model has several parts. */
	public boolean categories() {
		return model != null && !model.categories().isEmpty();
	}

	public double opacity() {
		return opacity;
	}

	/**
	 * Refuses an output that is one of the run's inputs (by another name, or through a link): e.g.
	 * {@code a.png}'s mask {@code a.mask.png} when scoring a folder into itself that holds an image
	 * of that name.
	 *
	 * @throws IOException naming the file
	 */
	public void requireNotInput(Path out) throws IOException {
		if (isInput(out)) throw new IOException(out + ": refusing to overwrite the input file " + out);
	}

	/** Whether a file is one of the run's inputs (so not an output of an earlier run). */
	public boolean isInput(Path file) throws IOException {
		return Files.exists(file) && inputs.contains(file.toRealPath());
	}
}
