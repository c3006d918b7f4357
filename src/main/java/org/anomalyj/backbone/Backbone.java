package org.anomalyj.backbone;

import ai.djl.ndarray.NDArray;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * A frozen feature extractor. Methods ask it for named intermediate feature maps ("taps"); the
 * backbone does not preprocess: its input is already scaled as the method's normalisation says.
 * Weights live on one DJL device, chosen when the backbone is loaded; every array it returns is
 * on that device and attached to the input's manager.
 */
public interface Backbone extends AutoCloseable {

	/** A stable identifier recorded in model files, e.g. {@code mobilenet_v2-nsfwjs-4.4.0}. */
	String id();

	/** SHA-256 (hex) of the weight file, recorded in model files and checked on load. */
	String weightsSha256();

	/** The tap names this backbone can return, in network order. */
	List<String> taps();

	/** Number of channels of a tap's feature map. */
	int channels(String tap);

	/** Spatial down-sampling factor of a tap relative to the input (e.g. 8 or 16). */
	int stride(String tap);

	/**
	 * Runs the network on a batch.
	 *
	 * @param input NCHW float32, 3 channels, on this backbone's device
	 * @param taps the feature maps wanted; the pass stops after the last of them
	 * @return tap name → NCHW float32 feature map
	 */
	Map<String, NDArray> forward(NDArray input, Collection<String> taps);

	/**
	 * Multiply-adds of one forward pass of a {@code height x width} image up to the last of
	 * {@code taps}: the backbone's share of the compute floor reported by the benchmark.
	 */
	long multiplyAdds(int height, int width, Collection<String> taps);

	@Override
	void close();
}
