package org.anomalyj.io;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class SafetensorsTest {

	/** Header length + JSON header (no padding needed by the reader) + data. */
	static byte[] file(String header, byte[] data) {
		byte[] json = header.getBytes(StandardCharsets.UTF_8);
		ByteBuffer b = ByteBuffer.allocate(8 + json.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
		b.putLong(json.length).put(json).put(data);
		return b.array();
	}

	static IOException readFails(byte[] bytes, long maxBytes) {
		return assertThrows(IOException.class, () -> Safetensors.read(new ByteArrayInputStream(bytes), maxBytes));
	}

	@Test
	void roundTripsEveryDtypeAndMetadata() throws IOException {
		Map<String, Safetensors.Tensor> tensors = new LinkedHashMap<>();
		tensors.put("f32", Safetensors.Tensor.of(new float[] {1.5f, -2f, 3.25f, 0f, 7f, 8f}, 2, 3));
		tensors.put("f16", new Safetensors.Tensor(Safetensors.DType.F16, new long[] {2}, new byte[] {0x00, 0x3c, 0x00, (byte) 0xc0}));
		tensors.put("i64", new Safetensors.Tensor(Safetensors.DType.I64, new long[] {1}, new byte[] {5, 0, 0, 0, 0, 0, 0, 0}));
		tensors.put("i32", new Safetensors.Tensor(Safetensors.DType.I32, new long[] {1}, new byte[] {-1, -1, -1, -1}));
		tensors.put("u8", new Safetensors.Tensor(Safetensors.DType.U8, new long[] {3}, new byte[] {0, 127, (byte) 255}));
		tensors.put("empty", new Safetensors.Tensor(Safetensors.DType.F32, new long[] {0, 4}, new byte[0]));
		byte[] bytes = Safetensors.toBytes(tensors, Map.of("creator", "test"));
		Safetensors.Contents c = Safetensors.read(new ByteArrayInputStream(bytes), bytes.length);
		assertEquals(tensors.keySet().stream().toList(), c.tensors().keySet().stream().toList());
		assertEquals("test", c.metadata().get("creator"));
		assertArrayEquals(new float[] {1.5f, -2f, 3.25f, 0f, 7f, 8f}, c.require("f32").toFloats());
		assertArrayEquals(new long[] {2, 3}, c.require("f32").shape());
		assertArrayEquals(new float[] {1f, -2f}, c.require("f16").toFloats());
		assertArrayEquals(new float[] {5f}, c.require("i64").toFloats());
		assertArrayEquals(new float[] {-1f}, c.require("i32").toFloats());
		assertArrayEquals(new float[] {0f, 127f, 255f}, c.require("u8").toFloats());
		assertEquals(0, c.require("empty").elementCount());
	}

	@Test
	void halfPrecisionMatchesNumpy() {
		// Pairs (float16 bits, float32 bits) from numpy: np.array(bits, np.uint16).view(np.float16).astype(np.float32)
		int[][] cases = {
			{0x0000, 0x00000000}, {0x8000, 0x80000000}, {0x3c00, 0x3f800000}, {0xc000, 0xc0000000},
			{0x7bff, 0x477fe000}, {0x0001, 0x33800000}, {0x03ff, 0x387fc000}, {0x0400, 0x38800000},
			{0x3555, 0x3eaaa000}, {0x7c00, 0x7f800000}, {0xfc00, 0xff800000}, {0x8001, 0xb3800000},
			{0x5640, 0x42c80000}, {0x2e66, 0x3dccc000}, {0x7e00, 0x7fc00000},
		};
		for (int[] c : cases)
			assertEquals(c[1], Float.floatToRawIntBits(Safetensors.halfToFloat((short) c[0])), "half 0x" + Integer.toHexString(c[0]));
	}

	@Test
	void deepNestingIsAnIOExceptionNotAStackOverflow() {
		// Gson's getAsString unwraps one-element arrays recursively; this used to end in StackOverflowError.
		String deep = "[".repeat(1_000_000) + "\"x\"" + "]".repeat(1_000_000);
		byte[] bytes = file("{\"__metadata__\":{\"k\":" + deep + "}}", new byte[0]);
		IOException e = readFails(bytes, Long.MAX_VALUE);
		assertTrue(e.getMessage().contains("nested deeper"), e.getMessage());
	}

	@Test
	void rejectsValuesTheOldReaderCoerced() {
		String[] headers = {
			"{\"t\":{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,4]}}", // truncated to 1 before
			"{\"t\":{\"dtype\":\"F32\",\"shape\":[[1]],\"data_offsets\":[0,4]}}", // unwrapped before
			"{\"t\":{\"dtype\":\"F32\",\"shape\":[\"1\"],\"data_offsets\":[0,4]}}", // parsed before
			"{\"t\":{\"dtype\":\"F32\",\"shape\":[1e30],\"data_offsets\":[0,4]}}",
			"{\"t\":{\"dtype\":\"F32\",\"shape\":[1e999999999],\"data_offsets\":[0,4]}}", // hung in BigDecimal.longValue
			"{\"t\":{\"dtype\":[\"F32\"],\"shape\":[1],\"data_offsets\":[0,4]}}",
			"{t:{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", // lenient syntax
			"{\"t\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"t\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[0,4]}}",
			"{\"__metadata__\":{\"k\":1},\"t\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}",
			"{\"__metadata__\":[],\"t\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}",
			"{\"t\":{\"dtype\":\"F32\",\"shape\":[-1,-4],\"data_offsets\":[0,4]}}",
			"{\"t\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[0,4]}}",
			"[]",
		};
		for (String h : headers) {
			IOException e = readFails(file(h, new byte[4]), Long.MAX_VALUE);
			assertFalse(e.getMessage().contains("\n"), e.getMessage());
		}
		// The same layout with well-formed values reads fine, so the rejections above are about the values.
		assertDoesNotThrow(() -> Safetensors.read(new ByteArrayInputStream(
			file("{\"t\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[4])), 100));
	}

	@Test
	void rejectsTrailingBytes() {
		IOException e = readFails(file("{\"t\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[0,2]}}", new byte[3]), 1000);
		assertTrue(e.getMessage().contains("trailing"), e.getMessage());
	}

	@Test
	void hugeDeclaredTensorsInATinyStreamFailFastWithoutAllocating() {
		// 2 x 1.5 GB declared, nothing present; the old reader cast the 3 GB total to int.
		String h = "{\"a\":{\"dtype\":\"U8\",\"shape\":[1500000000],\"data_offsets\":[0,1500000000]},"
			+ "\"b\":{\"dtype\":\"U8\",\"shape\":[1500000000],\"data_offsets\":[1500000000,3000000000]}}";
		byte[] bytes = file(h, new byte[100]);
		IOException e = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> readFails(bytes, Long.MAX_VALUE));
		assertTrue(e.getMessage().contains("truncated"), e.getMessage());
		IOException big = readFails(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1000000000],\"data_offsets\":[0,4000000000]}}",
			new byte[0]), Long.MAX_VALUE);
		assertTrue(big.getMessage().contains("Java array"), big.getMessage());
	}

	@Test
	void readsTensorsLargerThanTheFirstBufferFromASlowStream() throws IOException {
		// 3 MiB arrives a few bytes per read: the growing buffer must assemble it exactly.
		float[] values = new float[3 << 18];
		for (int i = 0; i < values.length; i++) values[i] = i * 0.5f;
		byte[] bytes = Safetensors.toBytes(Map.of("t", Safetensors.Tensor.of(values, values.length)), null);
		InputStream trickle = new ByteArrayInputStream(bytes) {
			@Override
			public synchronized int read(byte[] b, int off, int len) {
				return super.read(b, off, Math.min(len, 7919));
			}
		};
		assertArrayEquals(values, Safetensors.read(trickle, bytes.length).require("t").toFloats());
	}

	@Test
	void writerRefusesTheReservedName() {
		var t = Map.of("__metadata__", Safetensors.Tensor.of(new float[] {1}, 1));
		assertThrows(IllegalArgumentException.class, () -> Safetensors.toBytes(t, null));
	}

	@Test
	void tensorShapeIsNotShared() {
		long[] shape = {2};
		Safetensors.Tensor t = Safetensors.Tensor.of(new float[] {1, 2}, shape);
		shape[0] = 5;
		t.shape()[0] = 7;
		assertArrayEquals(new long[] {2}, t.shape());
	}
}
