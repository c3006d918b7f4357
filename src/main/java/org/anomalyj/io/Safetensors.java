package org.anomalyj.io;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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
			long n = Safetensors.elementCount(shape);
			if (n * dtype.bytes != data.length)
				throw new IllegalArgumentException("tensor data has " + data.length + " bytes, shape needs " + n * dtype.bytes);
		}

		public static Tensor of(float[] values, long... shape) {
			ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
			b.asFloatBuffer().put(values);
			return new Tensor(DType.F32, shape.clone(), b.array());
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

	/** IEEE 754 binary16 to float (Float.float16ToFloat arrives only in Java 20). */
	static float halfToFloat(short h) {
		int bits = h & 0xffff;
		int sign = (bits & 0x8000) << 16;
		int exp = (bits >>> 10) & 0x1f;
		int mant = bits & 0x3ff;
		if (exp == 0x1f) return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
		if (exp == 0) {
			float v = mant * 0x1p-24f;
			return sign == 0 ? v : -v;
		}
		return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
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
		JsonObject header = new JsonObject();
		if (metadata != null && !metadata.isEmpty()) {
			JsonObject meta = new JsonObject();
			metadata.forEach(meta::addProperty);
			header.add("__metadata__", meta);
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
	 * Reads a whole safetensors stream of at most {@code maxBytes} bytes.
	 *
	 * @throws IOException with a one-line reason for any malformed, truncated or oversized input
	 */
	public static Contents read(InputStream in, long maxBytes) throws IOException {
		byte[] lenBytes = in.readNBytes(8);
		if (lenBytes.length < 8) throw new IOException("truncated safetensors data (no header length)");
		long headerLen = ByteBuffer.wrap(lenBytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
		if (headerLen <= 1 || headerLen > MAX_HEADER_BYTES || headerLen > maxBytes)
			throw new IOException("not a safetensors file (header length " + headerLen + ")");
		byte[] headerBytes = in.readNBytes((int) headerLen);
		if (headerBytes.length < headerLen) throw new IOException("truncated safetensors header");
		JsonObject header;
		try {
			JsonElement el = JsonParser.parseString(new String(headerBytes, StandardCharsets.UTF_8).trim());
			if (!el.isJsonObject()) throw new IOException("safetensors header is not a JSON object");
			header = el.getAsJsonObject();
		} catch (JsonParseException | IllegalStateException e) {
			throw new IOException("safetensors header is not valid JSON");
		}

		Map<String, String> metadata = new LinkedHashMap<>();
		record Entry(String name, DType dtype, long[] shape, long begin, long end) {}
		List<Entry> entries = new ArrayList<>();
		try {
			for (Map.Entry<String, JsonElement> e : header.entrySet()) {
				if (e.getKey().equals("__metadata__")) {
					for (Map.Entry<String, JsonElement> m : e.getValue().getAsJsonObject().entrySet())
						metadata.put(m.getKey(), m.getValue().getAsString());
					continue;
				}
				JsonObject o = e.getValue().getAsJsonObject();
				DType dtype;
				try {
					dtype = DType.valueOf(o.get("dtype").getAsString());
				} catch (IllegalArgumentException ex) {
					throw new IOException("tensor '" + e.getKey() + "' has unsupported dtype " + o.get("dtype"));
				}
				var shapeJson = o.getAsJsonArray("shape");
				long[] shape = new long[shapeJson.size()];
				for (int i = 0; i < shape.length; i++) shape[i] = shapeJson.get(i).getAsLong();
				var offs = o.getAsJsonArray("data_offsets");
				if (offs.size() != 2) throw new IOException("tensor '" + e.getKey() + "' has malformed data_offsets");
				long begin = offs.get(0).getAsLong(), end = offs.get(1).getAsLong();
				long n;
				try {
					n = elementCount(shape);
				} catch (ArithmeticException | IllegalArgumentException ex) {
					throw new IOException("tensor '" + e.getKey() + "' has an invalid shape");
				}
				if (begin < 0 || end < begin || end - begin != n * dtype.bytes || end - begin > Integer.MAX_VALUE - 16)
					throw new IOException("tensor '" + e.getKey() + "' offsets do not match its shape and dtype");
				entries.add(new Entry(e.getKey(), dtype, shape, begin, end));
			}
		} catch (NullPointerException | ClassCastException | IllegalStateException | NumberFormatException
				| UnsupportedOperationException e) {
			throw new IOException("safetensors header has a malformed entry");
		}
		// Tensors must tile the data section exactly, so no byte is read twice or skipped.
		List<Entry> sorted = new ArrayList<>(entries);
		sorted.sort((a, b) -> Long.compare(a.begin, b.begin));
		long expected = 0;
		for (Entry e : sorted) {
			if (e.begin != expected) throw new IOException("tensor '" + e.name + "' overlaps or leaves a gap in the data");
			expected = e.end;
		}
		if (8 + headerLen + expected > maxBytes)
			throw new IOException("safetensors data declares " + expected + " bytes, more than the " + maxBytes + " allowed");

		byte[] data = in.readNBytes((int) expected);
		if (data.length < expected) throw new IOException("truncated safetensors data: " + data.length + " of " + expected + " bytes");
		Map<String, Tensor> tensors = new LinkedHashMap<>();
		for (Entry e : entries) {
			byte[] part = java.util.Arrays.copyOfRange(data, (int) e.begin, (int) e.end);
			tensors.put(e.name, new Tensor(e.dtype, e.shape, part));
		}
		return new Contents(Collections.unmodifiableMap(tensors), Collections.unmodifiableMap(metadata));
	}
}
