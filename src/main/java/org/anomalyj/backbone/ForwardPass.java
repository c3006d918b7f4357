package org.anomalyj.backbone;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the built-in networks' {@link Backbone#forward} passes share: input checks, the scope that frees intermediates, the weights' checksum. */
public final class ForwardPass {

	/** A network's layers: puts the wanted taps into {@code out}, and may stop once all are there. */
	public interface Layers {
		void run(NDArray input, Map<String, NDArray> out);
	}

	private ForwardPass() {}

	/**
	 * @param network the network's name for messages
	 * @throws IllegalArgumentException unless {@code input} is NCHW float32 with 3 channels on {@code device} and some taps are asked for
	 */
	public static void checkInput(String network, NDArray input, Device device, Collection<String> taps) {
		Shape s = input.getShape();
		if (s.dimension() != 4 || s.get(1) != 3 || s.get(2) < 1 || s.get(3) < 1)
			throw new IllegalArgumentException(network + " input must be NCHW with 3 channels, got shape " + s);
		if (input.getDataType() != DataType.FLOAT32)
			throw new IllegalArgumentException(network + " input must be float32, got " + input.getDataType());
		if (!input.getDevice().equals(device))
			throw new IllegalArgumentException(network + " input is on " + input.getDevice() + ", weights on " + device);
		if (taps.isEmpty()) throw new IllegalArgumentException("no taps requested");
	}

	/**
	 * Runs {@code layers} with every intermediate array in a sub-manager closed before returning;
	 * only the maps put into the result are attached to the input's manager.
	 */
	public static Map<String, NDArray> scoped(NDArray input, Layers layers) {
		NDManager caller = input.getManager();
		Map<String, NDArray> out = new LinkedHashMap<>();
		try (NDManager scope = caller.newSubManager()) {
			// Results of an op belong to its first operand's manager; moving the input into the
			// scope for the duration puts every intermediate there. The input goes back on close.
			input.tempAttach(scope);
			layers.run(input, out);
			for (NDArray a : out.values()) a.attach(caller);
		}
		return out;
	}

	/**
	 * Closes an intermediate that the next layer has consumed, unless it is the pass's input or one
	 * of its taps. Without this a pass holds every activation until it returns (1.6 GB for
	 * ResNet50-v2 at batch 8, nearly all of it touched fresh, page by page, on the first passes);
	 * with it, a few are alive at a time and, as the allocator keeps freed blocks
	 * ({@link org.anomalyj.model.NativeMemory}), the next layer writes into memory still in cache.
	 */
	public static void free(NDArray used, NDArray input, Map<String, NDArray> taps) {
		if (used == input) return;
		for (NDArray t : taps.values()) if (t == used) return;
		used.close();
	}

	/**
	 * SHA-256 (hex) of an embedded weights resource: the checksum shipped beside it
	 * ({@code NAME.sha256}; the backbones' tests check it against the bytes), or computed from
	 * {@code bytes} when there is none. Hashing the 1.2 MB MobileNetV2 weights took 70 ms in a fresh
	 * JVM, before the JIT compiles the digest: a twentieth of a command-line run's start.
	 *
	 * @throws IOException when the shipped checksum is not one
	 */
	public static String sha256(Class<?> owner, String resource, byte[] bytes) throws IOException {
		try (InputStream in = owner.getResourceAsStream(resource + ".sha256")) {
			if (in == null) return sha256(bytes);
			String hex = new String(in.readNBytes(100), StandardCharsets.US_ASCII).trim();
			if (!hex.matches("[0-9a-f]{64}")) throw new IOException(resource + ".sha256: not a SHA-256 checksum");
			return hex;
		}
	}

	/** SHA-256 (hex) of weight bytes, as recorded in model files. */
	public static String sha256(byte[] bytes) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
		} catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException("SHA-256 unavailable", e);
		}
	}
}
