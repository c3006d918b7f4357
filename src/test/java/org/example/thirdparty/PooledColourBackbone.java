package org.example.thirdparty;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;
import org.anomalyj.backbone.Backbone;
import org.anomalyj.backbone.BackbonePlugin;
import org.anomalyj.image.InputNormalization;
import org.scijava.plugin.Plugin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A third-party backbone, to prove the backbone seam: local colour means and spreads at strides 4
 * and 8 (no learned weights). Declared in test sources, in a foreign package, and found only through
 * SciJava's plug-in index.
 */
@Plugin(type = BackbonePlugin.class, name = PooledColourBackbone.NAME)
public final class PooledColourBackbone implements BackbonePlugin {

	public static final String NAME = "pooled-colour";
	static final List<Tap> TAPS = List.of(new Tap("pool4", 4, 6), new Tap("pool8", 8, 6));

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public String description() {
		return "test backbone: colour mean and spread over 4x4 and 8x8 cells";
	}

	@Override
	public String modelId() {
		return "pooled-colour-1";
	}

	@Override
	public List<Tap> taps() {
		return TAPS;
	}

	@Override
	public List<String> defaultTaps() {
		return List.of("pool4", "pool8");
	}

	@Override
	public InputNormalization normalization() {
		return InputNormalization.SYMMETRIC;
	}

	@Override
	public String weightsSource() {
		return "none (computed)";
	}

	@Override
	public Backbone load(NDManager manager) {
		return new Net();
	}

	private final class Net implements Backbone {
		@Override
		public String id() {
			return modelId();
		}

		/** No weights: the checksum of what defines the network, so that a changed definition is noticed. */
		@Override
		public String weightsSha256() {
			try {
				return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(TAPS.toString().getBytes(StandardCharsets.UTF_8)));
			} catch (NoSuchAlgorithmException e) {
				throw new IllegalStateException(e);
			}
		}

		@Override
		public List<String> taps() {
			return TAPS.stream().map(Tap::name).toList();
		}

		@Override
		public int channels(String tap) {
			return tap(tap).channels();
		}

		@Override
		public int stride(String tap) {
			return tap(tap).stride();
		}

		@Override
		public Map<String, NDArray> forward(NDArray input, Collection<String> wanted) {
			Map<String, NDArray> out = new LinkedHashMap<>();
			for (String t : wanted) {
				int s = tap(t).stride();
				Shape k = new Shape(s, s);
				NDArray mean = Pool.avgPool2d(input, k, k, new Shape(0, 0), false, true);
				NDArray meanSq = Pool.avgPool2d(input.square(), k, k, new Shape(0, 0), false, true);
				NDArray spread = meanSq.sub(mean.square()).maximum(0).sqrt();
				out.put(t, mean.concat(spread, 1));
			}
			return out;
		}

		@Override
		public long multiplyAdds(int height, int width, Collection<String> wanted) {
			return (long) wanted.size() * 2 * 3 * height * width;
		}

		@Override
		public void close() {}
	}
}
