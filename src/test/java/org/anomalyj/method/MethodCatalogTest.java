package org.anomalyj.method;

import org.anomalyj.method.efficientad.EfficientAd;
import org.anomalyj.method.efficientad.EfficientAdPlugin;
import org.anomalyj.method.padim.Padim;
import org.anomalyj.method.padim.PadimPlugin;
import org.anomalyj.method.patchcore.PatchCore;
import org.anomalyj.method.patchcore.PatchCorePlugin;
import org.anomalyj.method.simplenet.SimpleNet;
import org.anomalyj.method.simplenet.SimpleNetPlugin;

import org.example.thirdparty.MeanDistancePlugin;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class MethodCatalogTest {

	@Test
	void findsTheBuiltInMethodsAndAThirdPartyOneOnTheClassPath() {
		assertTrue(MethodCatalog.names().containsAll(java.util.List.of(PatchCore.NAME, Padim.NAME, SimpleNet.NAME, EfficientAd.NAME, MeanDistancePlugin.NAME)), MethodCatalog.names().toString());
		assertInstanceOf(PatchCorePlugin.class, MethodCatalog.get(PatchCore.NAME));
		assertInstanceOf(PadimPlugin.class, MethodCatalog.get(Padim.NAME));
		assertInstanceOf(SimpleNetPlugin.class, MethodCatalog.get(SimpleNet.NAME));
		assertInstanceOf(EfficientAdPlugin.class, MethodCatalog.get(EfficientAd.NAME));
		// Declared in test sources, in a foreign package, indexed by SciJava's annotation processor only.
		assertInstanceOf(MeanDistancePlugin.class, MethodCatalog.get(MeanDistancePlugin.NAME));
		assertTrue(MethodCatalog.problems().isEmpty(), MethodCatalog.problems().toString());
	}

	@Test
	void anUnknownNameListsTheKnownOnes() {
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MethodCatalog.get("padin"));
		assertTrue(e.getMessage().contains("unknown method 'padin'") && e.getMessage().contains(Padim.NAME), e.getMessage());
	}

	@Test
	void settingsFillDefaultsAndRefuseUnknownOrBadOptions() {
		var pc = MethodCatalog.get(PatchCore.NAME);
		assertEquals(0.1, pc.settings(Map.of()).get("coreset_ratio").getAsDouble());
		assertEquals(0.25, pc.settings(Map.of("coreset", "0.25")).get("coreset_ratio").getAsDouble());
		assertTrue(pc.settings(Map.of("reweight", "true")).get("reweight").getAsBoolean());
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pc.settings(Map.of("dims", "10")));
		assertTrue(e.getMessage().contains("no option 'dims'"), e.getMessage());
		e = assertThrows(IllegalArgumentException.class, () -> pc.settings(Map.of("coreset", "lots")));
		assertTrue(e.getMessage().contains("coreset"), e.getMessage());
		e = assertThrows(IllegalArgumentException.class, () -> pc.settings(Map.of("coreset", "2")));
		assertTrue(e.getMessage().contains("(0, 1]"), e.getMessage());
		var padim = MethodCatalog.get(Padim.NAME);
		assertEquals(100, padim.settings(Map.of()).get("dims").getAsInt());
		assertThrows(IllegalArgumentException.class, () -> padim.settings(Map.of("regularisation", "0")));
	}
}
