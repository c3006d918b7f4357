package org.anomalyj.io;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reader and writer for the <a href="https://github.com/huggingface/safetensors">safetensors</a>
 * format: an 8-byte little-endian header length, a JSON header, then the raw little-endian tensor
 * bytes. Files are untrusted input: the header is validated in full (sizes, offsets, overlaps,
 * declared shapes) before any tensor memory is allocated.
 */
public final class Safetensors {

	/** Header size limit; real headers are a few kB. Guards against huge allocations. */
	public static final long MAX_HEADER_BYTES = 16L << 20;

	/** Largest tensor this reader accepts: the largest Java byte array. */
	public static final long MAX_TENSOR_BYTES = Integer.MAX_VALUE - 16;

	/** Real headers nest three levels (header, entry, shape); the bound stops nesting bombs. */
	private static final int MAX_HEADER_DEPTH = 8;

	private static final String METADATA_KEY = "__metadata__";

	private Safetensors() {}

	/** Element types this project reads and writes. */
	public enum DType {
		F32(4), F16(2), I64(8), I32(4), U8(1);

		public final int bytes;

		DType(int bytes) {
			this.bytes = bytes;
		}
	}

	/** One named tensor: element type, shape (row-major) and little-endian bytes. */
	public record Tensor(DType dtype, long[] shape, byte[] data) {

		public Tensor {
			shape = shape.clone();
			long bytes = Math.multiplyExact(Safetensors.elementCount(shape), dtype.bytes);
			if (bytes != data.length)
				throw new IllegalArgumentException("tensor data has " + data.length + " bytes, shape needs " + bytes);
		}

		/** A copy: the shape array is not shared with callers. */
		@Override
		public long[] shape() {
			return shape.clone();
		}

		public static Tensor of(float[] values, long... shape) {
			ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
			b.asFloatBuffer().put(values);
			return new Tensor(DType.F32, shape.clone(), b.array());
		}

		public static Tensor of(int[] values, long... shape) {
			ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
			b.asIntBuffer().put(values);
			return new Tensor(DType.I32, shape.clone(), b.array());
		}

		public long elementCount() {
			return Safetensors.elementCount(shape);
		}

		/** The values as float32 (F32 as is, F16 widened, integers converted). */
		public float[] toFloats() {
			int n = Math.toIntExact(elementCount());
			float[] out = new float[n];
			ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
			switch (dtype) {
				case F32 -> b.asFloatBuffer().get(out);
				case F16 -> { for (int i = 0; i < n; i++) out[i] = halfToFloat(b.getShort(2 * i)); }
				case I64 -> { for (int i = 0; i < n; i++) out[i] = b.getLong(8 * i); }
				case I32 -> { for (int i = 0; i < n; i++) out[i] = b.getInt(4 * i); }
				case U8 -> { for (int i = 0; i < n; i++) out[i] = data[i] & 0xff; }
			}
			return out;
		}

		public int[] intShape() {
			int[] s = new int[shape.length];
			for (int i = 0; i < s.length; i++) s[i] = Math.toIntExact(shape[i]);
			return s;
		}
	}

	/** The tensors and the free-form string metadata of one file. */
	public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {

		/** The named tensor, or an exception naming what is missing. */
		public Tensor require(String name) throws IOException {
			Tensor t = tensors.get(name);
			if (t == null) throw new IOException("missing tensor '" + name + "'");
			return t;
		}
	}

	/** IEEE 754 binary16 to float32 ({@code Float.float16ToFloat} needs Java 20). */
	static float halfToFloat(short half) {
		int bits = half & 0xffff;
		int sign = (bits & 0x8000) << 16;
		int exponent = (bits >>> 10) & 0x1f;
		int mantissa = bits & 0x3ff;
		if (exponent == 0x1f) return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
		if (exponent == 0) {
			// Subnormal halves are normal floats: value = mantissa * 2^-24, exact in float32.
			float v = mantissa * 0x1p-24f;
			return sign != 0 ? -v : v;
		}
		return Float.intBitsToFloat(sign | ((exponent + 127 - 15) << 23) | (mantissa << 13));
	}

	static long elementCount(long[] shape) {
		long n = 1;
		for (long d : shape) {
			if (d < 0) throw new IllegalArgumentException("negative dimension in shape");
			n = Math.multiplyExact(n, d);
		}
		return n;
	}

	public static void write(OutputStream out, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
		if (tensors.containsKey(METADATA_KEY))
			throw new IllegalArgumentException("a tensor cannot be named " + METADATA_KEY + ", the format reserves it");
		JsonObject header = new JsonObject();
		if (metadata != null && !metadata.isEmpty()) {
			JsonObject meta = new JsonObject();
			metadata.forEach(meta::addProperty);
			header.add(METADATA_KEY, meta);
		}
		long offset = 0;
		for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
			Tensor t = e.getValue();
			JsonObject o = new JsonObject();
			o.addProperty("dtype", t.dtype().name());
			com.google.gson.JsonArray shape = new com.google.gson.JsonArray();
			for (long d : t.shape()) shape.add(d);
			o.add("shape", shape);
			com.google.gson.JsonArray offs = new com.google.gson.JsonArray();
			offs.add(offset);
			offs.add(offset + t.data().length);
			o.add("data_offsets", offs);
			header.add(e.getKey(), o);
			offset += t.data().length;
		}
		byte[] json = new Gson().toJson(header).getBytes(StandardCharsets.UTF_8);
		// The format pads the header with spaces to an 8-byte boundary.
		int padded = (json.length + 7) / 8 * 8;
		ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
		out.write(len.array());
		out.write(json);
		for (int i = json.length; i < padded; i++) out.write(' ');
		for (Tensor t : tensors.values()) out.write(t.data());
	}

	public static byte[] toBytes(Map<String, Tensor> tensors, Map<String, String> metadata) {
		ByteArrayOutputStream bos = new ByteArrayOutputStream();
		try {
			write(bos, tensors, metadata);
		} catch (IOException e) {
			throw new IllegalStateException(e);
		}
		return bos.toByteArray();
	}

	/**
	 * Reads a whole safetensors stream of at most {@code maxBytes} bytes; the stream must end
	 * right after the last tensor.
	 *
	 * @throws IOException with a one-line reason for any malformed, truncated or oversized input
	 */
	public static Contents read(InputStream in, long maxBytes) throws IOException {
		byte[] lenBytes = in.readNBytes(8);
		if (lenBytes.length < 8) throw new IOException("truncated safetensors data (no header length)");
		long headerLen = ByteBuffer.wrap(lenBytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
		if (headerLen <= 1 || headerLen > MAX_HEADER_BYTES || 8 + headerLen > maxBytes)
			throw new IOException("not a safetensors file (header length " + headerLen + ")");
		byte[] headerBytes = in.readNBytes((int) headerLen);
		if (headerBytes.length < headerLen) throw new IOException("truncated safetensors header");
		JsonObject header;
		try {
			header = StrictJson.parseObject(headerBytes, MAX_HEADER_DEPTH);
		} catch (IOException e) {
			throw new IOException("safetensors header " + e.getMessage());
		}

		Map<String, String> metadata = new LinkedHashMap<>();
		record Entry(String name, DType dtype, long[] shape, long begin, long end) {}
		List<Entry> entries = new ArrayList<>();
		for (Map.Entry<String, JsonElement> e : header.entrySet()) {
			String name = DisplayText.quote(e.getKey());
			if (e.getKey().equals(METADATA_KEY)) {
				if (!e.getValue().isJsonObject()) throw new IOException("safetensors __metadata__ is not a JSON object");
				for (Map.Entry<String, JsonElement> m : e.getValue().getAsJsonObject().entrySet()) {
					String value = StrictJson.string(m.getValue());
					if (value == null) throw new IOException("safetensors metadata " + DisplayText.quote(m.getKey()) + " is not a string");
					metadata.put(m.getKey(), value);
				}
				continue;
			}
			if (!e.getValue().isJsonObject()) throw new IOException("tensor " + name + " has a malformed header entry");
			JsonObject o = e.getValue().getAsJsonObject();
			String dtypeName = StrictJson.string(o.get("dtype"));
			if (dtypeName == null) throw new IOException("tensor " + name + " has no dtype");
			DType dtype;
			try {
				dtype = DType.valueOf(dtypeName);
			} catch (IllegalArgumentException ex) {
				throw new IOException("tensor " + name + " has unsupported dtype " + DisplayText.quote(dtypeName));
			}
			long[] shape = longs(o.get("shape"));
			if (shape == null) throw new IOException("tensor " + name + " has a malformed shape");
			long[] offs = longs(o.get("data_offsets"));
			if (offs == null || offs.length != 2) throw new IOException("tensor " + name + " has malformed data_offsets");
			long begin = offs[0], end = offs[1];
			long bytes;
			try {
				bytes = Math.multiplyExact(elementCount(shape), dtype.bytes);
			} catch (ArithmeticException | IllegalArgumentException ex) {
				throw new IOException("tensor " + name + " has an invalid shape");
			}
			if (begin < 0 || end < begin || end - begin != bytes)
				throw new IOException("tensor " + name + " offsets do not match its shape and dtype");
			if (bytes > MAX_TENSOR_BYTES)
				throw new IOException("tensor " + name + " has " + bytes + " bytes, more than a Java array holds");
			entries.add(new Entry(e.getKey(), dtype, shape, begin, end));
		}
		// Tensors must tile the data section exactly, so no byte is read twice or skipped.
		List<Entry> sorted = new ArrayList<>(entries);
		sorted.sort((a, b) -> Long.compare(a.begin, b.begin));
		long expected = 0;
		for (Entry e : sorted) {
			if (e.begin != expected)
				throw new IOException("tensor " + DisplayText.quote(e.name) + " overlaps or leaves a gap in the data");
			expected = e.end;
		}
		if (8 + headerLen + expected > maxBytes)
			throw new IOException("safetensors header and data need " + (8 + headerLen + expected) + " bytes but at most "
				+ maxBytes + " are available (truncated or oversized)");

		// One array per tensor, read in file order: a single copy of the data in memory, and no
		// array needs to exceed the Java limit even when the whole file does.
		Map<String, byte[]> data = new LinkedHashMap<>();
		long read = 0;
		for (Entry e : sorted) {
			int len = (int) (e.end - e.begin);
			byte[] part = readUpTo(in, len);
			read += part.length;
			if (part.length < len) throw new IOException("truncated safetensors data: " + read + " of " + expected + " bytes");
			data.put(e.name, part);
		}
		if (in.read() != -1) throw new IOException("safetensors data has trailing bytes after the last tensor");
		Map<String, Tensor> tensors = new LinkedHashMap<>();
		for (Entry e : entries) tensors.put(e.name, new Tensor(e.dtype, e.shape, data.get(e.name)));
		return new Contents(Collections.unmodifiableMap(tensors), Collections.unmodifiableMap(metadata));
	}

	/** An array of exact integers, or null if the element is anything else. */
	private static long[] longs(JsonElement e) {
		if (e == null || !e.isJsonArray()) return null;
		var a = e.getAsJsonArray();
		long[] out = new long[a.size()];
		for (int i = 0; i < out.length; i++) {
			Long v = StrictJson.exactLong(a.get(i));
			if (v == null) return null;
			out[i] = v;
		}
		return out;
	}

	/**
	 * Reads up to {@code len} bytes, growing the array as bytes actually arrive: a header that
	 * declares a 2 GB tensor in a 200-byte file must not make us allocate 2 GB.
	 */
	private static byte[] readUpTo(InputStream in, int len) throws IOException {
		// Up to 64 MB the declared size is trusted for the array, which then needs no copies as it
		// grows (beyond, it grows as the data comes: a header cannot make us allocate much more than
		// the data holds). Reads of 64 kB: the JDK reads n bytes of a file through a native buffer of
		// n bytes, and fresh pages cost more than the copy (a 10 MB model took 0.23 s to read in a
		// fresh JVM).
		byte[] buf = new byte[Math.min(len, 1 << 26)];
		int n = 0;
		while (n < len) {
			if (n == buf.length) buf = Arrays.copyOf(buf, (int) Math.min(len, 2L * buf.length));
			int r = in.read(buf, n, Math.min(buf.length - n, 1 << 16));
			if (r < 0) break;
			n += r;
		}
		return n == buf.length ? buf : Arrays.copyOf(buf, n);
	}
}
