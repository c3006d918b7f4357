package org.anomalyj.backbone.mobilenetv2;


import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Needs the nsfwjs package in ../shared; skipped without it. */
@Tag("slow")
class TfjsWeightConverterTest {

	private static final Path MODEL_DIR = Path.of(System.getProperty("anomalyj.shared", "../shared"))
			.resolve("weights/nsfwjs-4.4.0/models/mobilenet_v2");

	@BeforeAll
	static void needsShared() {
		assumeTrue(Files.isRegularFile(MODEL_DIR.resolve("model.min.js")), "no nsfwjs model at " + MODEL_DIR);
	}

	@Test
	void regeneratesTheCommittedResourceByteForByte() throws IOException {
		byte[] committed;
		try (InputStream in = MobileNetV2.class.getResourceAsStream(MobileNetV2.RESOURCE_NAME)) {
			committed = in.readAllBytes();
		}
		byte[] fresh = TfjsWeightConverter.convert(MODEL_DIR);
		assertEquals(TfjsWeightConverter.sha256(committed), TfjsWeightConverter.sha256(fresh));
		assertArrayEquals(committed, fresh);
	}

	@Test
	void verifierAcceptsTheRealTopology() throws IOException {
		var eps = MobileNetV2TopologyVerifier.verify(topology(), "model.min.js");
		assertEquals(MobileNetV2Structure.convs().size(), eps.size());
		eps.values().forEach(e -> assertEquals(1e-3, e));
	}

	@Test
	void verifierFailsLoudlyOnADifferentStructure() throws IOException {
		assertDiffers("block_6_pad", t -> layer(t, "block_6_pad").getAsJsonObject("config")
				.add("padding", JsonParser.parseString("[[1,1],[1,1]]")));
		assertDiffers("block_4_add", t -> layer(t, "block_4_add").add("inbound_nodes",
				JsonParser.parseString("[[[\"block_3_expand\",0,0,{}],[\"block_4_project_BN\",0,0,{}]]]")));
		assertDiffers("block_8_depthwise", t -> layer(t, "block_8_depthwise").getAsJsonObject("config")
				.add("strides", JsonParser.parseString("[2,2]")));
		assertDiffers("block_9_expand_relu", t -> layer(t, "block_9_expand_relu").getAsJsonObject("config")
				.addProperty("max_value", 1e9));
		assertDiffers("block_3_project", t -> layer(t, "block_3_project").getAsJsonObject("config").addProperty("trainable", true));
	}

	private static void assertDiffers(String layer, Consumer<JsonObject> mutation) throws IOException {
		JsonObject t = topology();
		mutation.accept(t);
		IOException e = assertThrows(IOException.class, () -> MobileNetV2TopologyVerifier.verify(t, "model.min.js"));
		assertTrue(e.getMessage().contains("'" + layer + "'"), e.getMessage());
	}

	private static JsonObject topology() throws IOException {
		return TfjsLayersModel.readModelObject(MODEL_DIR.resolve("model.min.js")).getAsJsonObject("modelTopology");
	}

	private static JsonObject layer(JsonObject topology, String name) {
		JsonArray layers = topology.getAsJsonObject("model_config").getAsJsonObject("config").getAsJsonArray("layers");
		for (JsonElement l : layers)
			if (l.getAsJsonObject().get("name").getAsString().equals(name)) return l.getAsJsonObject();
		throw new AssertionError("no layer " + name);
	}
}
