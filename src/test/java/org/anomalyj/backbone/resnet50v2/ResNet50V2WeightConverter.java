package org.anomalyj.backbone.resnet50v2;

import org.anomalyj.io.Safetensors;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes the ResNet50-v2 weight resource from the ONNX model zoo's tensors, one {@code .npy} per
 * initialiser ({@code ../shared/weights/resnet50-v2}):
 * <pre>
 * java -cp target/test-classes:target/classes:$(deps) org.anomalyj.backbone.resnet50v2.ResNet50V2WeightConverter \
 *     [npy-dir] [output.safetensors] [f16|f32]
 * </pre>
 * Every file is first checked against {@code SHA256SUMS} in the same folder. Tensors keep their
 * ONNX names and shapes ({@link ResNet50V2#params()}, nothing else is written). Convolution
 * weights are stored as float16 by default (halving the jar; the accuracy effect was measured, see
 * the README beside the resource), batch-norm parameters always as float32: they are few and a
 * variance's rounding would move a whole channel. The output is deterministic.
 */
public final class ResNet50V2WeightConverter {

	static final Path DEFAULT_NPY_DIR = Path.of("../shared/weights/resnet50-v2");
	static final Path DEFAULT_OUTPUT = Path.of("src/main/resources/org/anomalyj/backbone/resnet50v2").resolve(ResNet50V2.RESOURCE_NAME);

	private ResNet50V2WeightConverter() {}

	public static void main(String[] args) throws IOException {
		if (args.length > 3 || (args.length == 3 && !args[2].matches("f16|f32"))) {
			System.err.println("usage: ResNet50V2WeightConverter [npy-dir] [output.safetensors] [f16|f32]");
			System.exit(2);
		}
		Path dir = args.length > 0 ? Path.of(args[0]) : DEFAULT_NPY_DIR;
		Path output = args.length > 1 ? Path.of(args[1]) : DEFAULT_OUTPUT;
		boolean half = args.length < 3 || args[2].equals("f16");
		byte[] bytes = Safetensors.toBytes(convert(dir, half), metadata(dir, half));
		Path tmp = output.resolveSibling(output.getFileName() + ".tmp");
		Files.write(tmp, bytes);
		Files.move(tmp, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		System.out.println("wrote " + output + " (" + bytes.length + " bytes, sha256 " + sha256(bytes) + ")");
	}

	/** The resource's tensors, in network order, after checking every source file's checksum. */
	static Map<String, Safetensors.Tensor> convert(Path dir, boolean halfConvolutions) throws IOException {
		Map<String, String> sums = checksums(dir);
		Map<String, Safetensors.Tensor> out = new LinkedHashMap<>();
		for (ResNet50V2.Param p : ResNet50V2.params()) {
			Path f = dir.resolve(p.name() + ".npy");
			if (!Files.isRegularFile(f)) throw new IOException(f + ": missing");
			String want = sums.get(f.getFileName().toString());
			if (want == null) throw new IOException(dir.resolve("SHA256SUMS") + ": no entry for " + f.getFileName());
			String got = sha256(Files.readAllBytes(f));
			if (!want.equals(got)) throw new IOException(f + ": SHA-256 " + got + ", SHA256SUMS says " + want);
			NpyFile npy = NpyFile.read(f);
			if (!Arrays.equals(npy.shape(), p.shape()))
				throw new IOException(f + ": shape " + Arrays.toString(npy.shape()) + ", expected " + Arrays.toString(p.shape()));
			boolean half = halfConvolutions && p.name().endsWith("_weight");
			out.put(p.name(), half ? toHalf(npy.values(), p.shape()) : Safetensors.Tensor.of(npy.values(), p.shape()));
		}
		return out;
	}

	static Map<String, String> metadata(Path dir, boolean half) throws IOException {
		Map<String, String> meta = new LinkedHashMap<>();
		meta.put("architecture", ResNet50V2.ARCHITECTURE);
		meta.put("layout", "ONNX initialiser names and shapes (conv weights OIHW, no bias; batch norm gamma/beta/running_mean/running_var, eps 1e-5)");
		meta.put("dtype", half ? "convolution weights F16 (round to nearest even), batch norms F32" : "F32");
		meta.put("source", "ONNX model zoo resnet50-v2-7 (MXNet Gluon resnet50_v2, ImageNet-1k), Apache-2.0; tensors from ibelem/test-data@d9f1537096b0fcbbef0889b540bf8ce6c8833969 models/resnet50v2_nchw/weights/");
		meta.put("source_sha256sums", sha256(Files.readAllBytes(dir.resolve("SHA256SUMS"))));
		meta.put("converter", ResNet50V2WeightConverter.class.getName());
		return meta;
	}

	private static Map<String, String> checksums(Path dir) throws IOException {
		Path f = dir.resolve("SHA256SUMS");
		if (!Files.isRegularFile(f)) throw new IOException(f + ": missing");
		Map<String, String> sums = new LinkedHashMap<>();
		for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
			String[] parts = line.trim().split("\\s+\\*?", 2);
			if (parts.length == 2) sums.put(parts[1], parts[0]);
		}
		return sums;
	}

	static Safetensors.Tensor toHalf(float[] values, long[] shape) {
		ByteBuffer b = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
		for (float v : values) b.putShort(floatToHalf(v));
		return new Safetensors.Tensor(Safetensors.DType.F16, shape, b.array());
	}

	/**
	 * IEEE 754 binary16 nearest to {@code v}, ties to even ({@code Float.floatToFloat16} needs Java
	 * 20). Overflow gives infinity, tiny values subnormals or zero.
	 */
	static short floatToHalf(float v) {
		int bits = Float.floatToRawIntBits(v);
		int sign = (bits >>> 16) & 0x8000;
		int exp = (bits >>> 23) & 0xff;
		int mant = bits & 0x7fffff;
		if (exp == 0xff) return (short) (sign | 0x7c00 | (mant != 0 ? 0x200 : 0));
		int e = exp - 127 + 15;
		if (e >= 0x1f) return (short) (sign | 0x7c00);
		if (e <= 0) {
			if (e < -10) return (short) sign;
			// Subnormal: shift the mantissa with its implicit bit into place, rounding to even.
			int m = mant | 0x800000;
			int shift = 14 - e;
			int half = m >>> shift;
			int rest = m & ((1 << shift) - 1), mid = 1 << (shift - 1);
			if (rest > mid || (rest == mid && (half & 1) != 0)) half++;
			return (short) (sign | half);
		}
		int half = (e << 10) | (mant >>> 13);
		int rest = mant & 0x1fff;
		// Rounding up may carry into the exponent, which is the right result (up to infinity).
		if (rest > 0x1000 || (rest == 0x1000 && (half & 1) != 0)) half++;
		return (short) (sign | half);
	}

	static String sha256(byte[] bytes) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
		} catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException("SHA-256 unavailable", e);
		}
	}
}
