package org.anomalyj.method;

import org.anomalyj.io.Safetensors;

import java.io.IOException;
import java.util.Arrays;
import java.util.Map;

/**
 * Reads a method's tensors back from a model file, which is untrusted: the tensor must be there,
 * have the shape the method needs, a float type, and finite values only. Every failure is one
 * line naming the tensor.
 */
public final class StoredTensors {

	private StoredTensors() {}

	/**
	 * @param shape the shape the method needs
	 * @return the values, row-major
	 * @throws IOException naming the tensor and what is wrong with it
	 */
	public static float[] floats(Map<String, Safetensors.Tensor> tensors, String name, long... shape) throws IOException {
		Safetensors.Tensor t = tensors.get(name);
		if (t == null) throw new IOException("the model has no tensor '" + name + "'");
		if (!Arrays.equals(t.shape(), shape))
			throw new IOException("tensor '" + name + "' has shape " + Arrays.toString(t.shape()) + ", the model needs " + Arrays.toString(shape));
		if (t.dtype() != Safetensors.DType.F32 && t.dtype() != Safetensors.DType.F16)
			throw new IOException("tensor '" + name + "' must be F32 or F16, was " + t.dtype());
		float[] v = t.toFloats();
		for (float x : v) if (!Float.isFinite(x)) throw new IOException("tensor '" + name + "' holds a non-finite value");
		return v;
	}

	/**
	 * An integer tensor (I32) of the given shape whose values all lie in {@code [min, max]}.
	 *
	 * @return the values, row-major
	 * @throws IOException naming the tensor and what is wrong with it
	 */
	public static int[] ints(Map<String, Safetensors.Tensor> tensors, String name, int min, int max, long... shape) throws IOException {
		Safetensors.Tensor t = tensors.get(name);
		if (t == null) throw new IOException("the model has no tensor '" + name + "'");
		if (!Arrays.equals(t.shape(), shape))
			throw new IOException("tensor '" + name + "' has shape " + Arrays.toString(t.shape()) + ", the model needs " + Arrays.toString(shape));
		if (t.dtype() != Safetensors.DType.I32) throw new IOException("tensor '" + name + "' must be I32, was " + t.dtype());
		int[] v = new int[Math.toIntExact(t.elementCount())];
		java.nio.ByteBuffer.wrap(t.data()).order(java.nio.ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(v);
		for (int x : v)
			if (x < min || x > max) throw new IOException("tensor '" + name + "' holds " + x + ", outside " + min + ".." + max);
		return v;
	}
}
