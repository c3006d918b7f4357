package org.anomalyj.backbone.mobilenetv2;

import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class JsLiteralParserTest {

	@Test
	void readsMinifiedObjectLiteralSyntax() {
		String src = "a.exports={k:224,neg:-.5,frac:.001,exp:1e-3,big:-1.5E+2,t:!0,f:!1,n:null,\"q\":'it\\'s',s:\"x\\u0041\","
				+ "arr:[[0,1],[0,1],],o:{},e:[]};rest";
		int start = src.indexOf('{');
		JsLiteralParser.Result r = JsLiteralParser.parse(src, start);
		assertEquals(";rest", src.substring(r.end()));
		JsonObject o = r.value().getAsJsonObject();
		assertEquals(224, o.get("k").getAsInt());
		assertEquals(-0.5, o.get("neg").getAsDouble());
		assertEquals(0.001, o.get("frac").getAsDouble());
		assertEquals(0.001, o.get("exp").getAsDouble());
		assertEquals(-150.0, o.get("big").getAsDouble());
		assertTrue(o.get("t").getAsBoolean());
		assertFalse(o.get("f").getAsBoolean());
		assertTrue(o.get("n").isJsonNull());
		assertEquals("it's", o.get("q").getAsString());
		assertEquals("xA", o.get("s").getAsString());
		assertEquals("[[0,1],[0,1]]", o.get("arr").toString());
		assertEquals(0, o.getAsJsonObject("o").size());
		assertEquals(0, o.getAsJsonArray("e").size());
	}

	@Test
	void negativeZeroStaysNegativeZero() {
		double d = JsLiteralParser.parse("{min:-0}", 0).value().getAsJsonObject().get("min").getAsDouble();
		assertEquals(Double.doubleToLongBits(-0.0), Double.doubleToLongBits(d));
	}

	@Test
	void rejectsExpressionsWithTheirOffset() {
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JsLiteralParser.parse("{a:foo()}", 0));
		assertTrue(e.getMessage().contains("offset"), e.getMessage());
		assertThrows(IllegalArgumentException.class, () -> JsLiteralParser.parse("{a:1", 0));
		assertThrows(IllegalArgumentException.class, () -> JsLiteralParser.parse("{a:\"unterminated", 0));
		assertThrows(IllegalArgumentException.class, () -> JsLiteralParser.parse("[1 2]", 0));
	}
}
