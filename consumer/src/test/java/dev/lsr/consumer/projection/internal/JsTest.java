package dev.lsr.consumer.projection.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.chunklog.Json;
import org.junit.jupiter.api.Test;

class JsTest {

    @Test
    void numbersPrintAsJavaScriptPrintsThem() {
        assertEquals("1", Js.numberToString(1.0));
        assertEquals("1.5", Js.numberToString(1.5));
        assertEquals("-0.25", Js.numberToString(-0.25));
        assertEquals("100000000000000000000", Js.numberToString(1e20));
        assertEquals("1e+21", Js.numberToString(1e21));
        assertEquals("0.000001", Js.numberToString(1e-6));
        assertEquals("1e-7", Js.numberToString(1e-7));
        assertEquals("1.2345e-7", Js.numberToString(1.2345e-7));
        assertEquals("0.1", Js.numberToString(0.1));
        assertEquals("123456789012", Js.numberToString(123456789012.0));
    }

    @Test
    void stringifyIsCompactAndEscapesLikeJsonStringify() throws Exception {
        String json = "{\"a\" : [1, 2.50, true, null, \"q\\\"\\n\\u0001\u00e9\"], \"b\": {}}";
        assertEquals(
                "{\"a\":[1,2.5,true,null,\"q\\\"\\n\\u0001é\"],\"b\":{}}", Js.stringify(Json.MAPPER.readTree(json)));
    }

    @Test
    void utf8LengthCountsLoneSurrogatesAsReplacementCharacters() {
        assertEquals(1, Js.utf8Length("a"));
        assertEquals(4, Js.utf8Length("😀"));
        assertEquals(3, Js.utf8Length("\ud83d"));
        assertEquals(6, Js.utf8Length("\ude00\ud83d"));
    }

    @Test
    void truthinessFollowsJavaScript() throws Exception {
        assertFalse(Js.truthy(Json.MAPPER.readTree("\"\"")));
        assertFalse(Js.truthy(Json.MAPPER.readTree("0")));
        assertFalse(Js.truthy(Json.MAPPER.readTree("false")));
        assertFalse(Js.truthy(Json.MAPPER.readTree("null")));
        assertTrue(Js.truthy(Json.MAPPER.readTree("[]")));
        assertTrue(Js.truthy(Json.MAPPER.readTree("\" \"")));
    }

    @Test
    void trimRemovesJavaScriptWhitespace() {
        assertEquals("x y", Js.trim("\u00a0\t x y \u2028\ufeff"));
    }
}
