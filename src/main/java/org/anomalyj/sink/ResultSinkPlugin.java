package org.anomalyj.sink;

import org.scijava.plugin.SciJavaPlugin;

import java.io.IOException;

/**
 * A kind of place for inspection results: the extension point for sinks. Annotate an
 * implementation with {@code @Plugin(type = ResultSinkPlugin.class)} and put its jar on the class
 * path; {@link SinkCatalog} finds it, {@code score --sinks NAME,...} and other front ends can use
 * it, with no change to AnomalyJ. The built-in ones are {@code csv} ({@code scores.csv}),
 * {@code maps}, {@code masks} and {@code overlays}; a sink that writes one file per plane can
 * extend {@link PlaneFileSink}.
 * <p>
 * Implementations need a public no-argument constructor and must be stateless: one instance opens
 * the sinks of every run.
 */
public interface ResultSinkPlugin extends SciJavaPlugin {

	/** The name on the command line ({@code --sinks NAME}): lower case letters, digits and dashes. */
	String name();

	/** One line for help texts: what the sink writes, and where. */
	String description();

	/**
	 * Opens the sink for one run. It may read what an earlier run left (for {@link ResultSink#isDone})
	 * but must not change anything yet that a failed open would leave changed.
	 *
	 * @throws IOException naming the place that cannot be used, and why
	 */
	ResultSink open(SinkContext context) throws IOException;
}
