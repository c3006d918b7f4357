package org.anomalyj.backbone.mobilenetv2;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.*;

/** A tiny model in the nsfwjs packaging: UMD-wrapped model.json and a base64 shard. */
class TfjsLayersModelTest {

	private static final String UMD_HEAD = "!function(e){if(\"object\"==typeof exports)module.exports=e();else{this.m=e()}}"
			+ "(function(){return function e(a,n,i){return a}({1:[function(e,a,n){a.exports=";
	private static final String UMD_TAIL = "},{}]},{},[1])(1)});";

	private static void writeModel(Path dir, String weights) throws IOException {
		Files.writeString(dir.resolve("model.min.js"), UMD_HEAD
				+ "{modelTopology:{keras_version:\"2.2.4\",model_config:{class_name:\"Model\",config:{layers:[]}}},"
				+ "weightsManifest:[{paths:[\"group1-shard1of1\"],weights:[" + weights + "]}]}" + UMD_TAIL);
	}

	private static void writeShard(Path dir, byte[] bytes) throws IOException {
		Files.writeString(dir.resolve("group1-shard1of1.min.js"), UMD_HEAD + "\"" + Base64.getEncoder().encodeToString(bytes) + "\"" + UMD_TAIL);
	}

	@Test
	void dequantisesUint8AsQTimesScalePlusMin(@TempDir Path dir) throws IOException {
		writeModel(dir, "{name:\"a/kernel\",shape:[2,2],dtype:\"float32\",quantization:{min:-.5,scale:.25,dtype:\"uint8\"}},"
				+ "{name:\"b\",shape:[1],dtype:\"float32\",quantization:{min:-0,scale:2,dtype:\"uint8\"}}");
		writeShard(dir, new byte[] {0, 1, 2, (byte) 255, 3});
		TfjsLayersModel m = TfjsLayersModel.read(dir);
		assertArrayEquals(new int[] {2, 2}, m.weights().get("a/kernel").shape());
		assertArrayEquals(new float[] {-0.5f, -0.25f, 0f, 63.25f}, m.weights().get("a/kernel").values());
		assertArrayEquals(new float[] {6f}, m.weights().get("b").values());
		assertEquals("2.2.4", m.topology().get("keras_version").getAsString());
		assertEquals(2, m.files().size());
	}

	@Test
	void rejectsShardsOfTheWrongLength(@TempDir Path dir) throws IOException {
		writeModel(dir, "{name:\"a\",shape:[3],dtype:\"float32\",quantization:{min:0,scale:1,dtype:\"uint8\"}}");
		writeShard(dir, new byte[] {1, 2});
		IOException shortShard = assertThrows(IOException.class, () -> TfjsLayersModel.read(dir));
		assertTrue(shortShard.getMessage().contains("'a'"), shortShard.getMessage());
		writeShard(dir, new byte[] {1, 2, 3, 4});
		IOException longShard = assertThrows(IOException.class, () -> TfjsLayersModel.read(dir));
		assertTrue(longShard.getMessage().contains("1 bytes more"), longShard.getMessage());
	}

	@Test
	void rejectsAFileWithoutAModelExport(@TempDir Path dir) throws IOException {
		Files.writeString(dir.resolve("model.min.js"), "module.exports={foo:1}");
		IOException e = assertThrows(IOException.class, () -> TfjsLayersModel.read(dir));
		assertTrue(e.getMessage().contains("model.min.js"), e.getMessage());
	}
}
