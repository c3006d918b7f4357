package org.anomalyj.io;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;

import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Parses JSON from untrusted files. Gson's {@code JsonParser} is lenient (comments, unquoted
 * keys), silently keeps the last of duplicate keys, and builds trees whose accessors recurse
 * ({@code getAsString} on {@code [[[…]]]}, {@code deepCopy}), so a deeply nested file ends in a
 * {@link StackOverflowError}; numbers like {@code 1e999999999} hang {@code getAsLong}. This parser
 * is strict RFC 8259, iterative, bounds nesting depth and number length, and rejects duplicate keys.
 */
final class StrictJson {

	/** Longest number token accepted; real files have at most ~25 characters. */
	static final int MAX_NUMBER_CHARS = 64;

	/** Largest decimal exponent accepted, so converting a number never computes a huge power of ten. */
	private static final int MAX_SCALE = 1024;

	private StrictJson() {}

	/**
	 * Parses UTF-8 bytes that must hold one JSON object.
	 *
	 * @throws IOException with a one-line reason (without a file name; callers add it)
	 */
	static JsonObject parseObject(byte[] utf8, int maxDepth) throws IOException {
		String text;
		try {
			text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(utf8)).toString();
		} catch (CharacterCodingException e) {
			throw new IOException("is not valid UTF-8");
		}
		JsonElement root;
		try {
			root = parse(text, maxDepth);
		} catch (IOException | IllegalStateException | NumberFormatException e) {
			throw new IOException("is not valid JSON (" + firstLine(e.getMessage()) + ")");
		}
		if (!root.isJsonObject()) throw new IOException("is not a JSON object");
		return root.getAsJsonObject();
	}

	private static JsonElement parse(String text, int maxDepth) throws IOException {
		JsonReader r = new JsonReader(new StringReader(text));
		r.setLenient(false);
		Deque<JsonElement> open = new ArrayDeque<>();
		JsonElement root = null;
		String name = null;
		while (true) {
			JsonToken token = r.peek();
			JsonElement value;
			switch (token) {
				case BEGIN_OBJECT, BEGIN_ARRAY -> {
					if (open.size() >= maxDepth) throw new IOException("nested deeper than " + maxDepth + " levels");
					if (token == JsonToken.BEGIN_OBJECT) r.beginObject();
					else r.beginArray();
					value = token == JsonToken.BEGIN_OBJECT ? new JsonObject() : new JsonArray();
				}
				case END_OBJECT -> {
					r.endObject();
					open.pop();
					continue;
				}
				case END_ARRAY -> {
					r.endArray();
					open.pop();
					continue;
				}
				case NAME -> {
					name = r.nextName();
					if (((JsonObject) open.peek()).has(name))
						throw new IOException("duplicate key " + DisplayText.quote(name));
					continue;
				}
				case STRING -> value = new JsonPrimitive(r.nextString());
				case NUMBER -> value = new JsonPrimitive(number(r.nextString()));
				case BOOLEAN -> value = new JsonPrimitive(r.nextBoolean());
				case NULL -> {
					r.nextNull();
					value = JsonNull.INSTANCE;
				}
				case END_DOCUMENT -> {
					return root;
				}
				default -> throw new IOException("unexpected token " + token);
			}
			JsonElement parent = open.peek();
			if (parent == null) root = value;
			else if (parent.isJsonObject()) parent.getAsJsonObject().add(name, value);
			else parent.getAsJsonArray().add(value);
			if (value.isJsonObject() || value.isJsonArray()) open.push(value);
		}
	}

	private static BigDecimal number(String token) throws IOException {
		if (token.length() > MAX_NUMBER_CHARS) throw new IOException("number with more than " + MAX_NUMBER_CHARS + " characters");
		BigDecimal d = new BigDecimal(token);
		if (Math.abs(d.scale()) > MAX_SCALE) throw new IOException("number out of range: " + DisplayText.oneLine(token));
		return d;
	}

	/**
	 * The exact integer value of a JSON number, or {@code null} if the element is not a number
	 * with an integral value that fits a {@code long} (so {@code 1.5}, {@code "3"} and {@code [3]}
	 * are rejected rather than truncated or unwrapped).
	 */
	static Long exactLong(JsonElement e) {
		if (!(e instanceof JsonPrimitive p) || !p.isNumber()) return null;
		try {
			BigDecimal d = p.getAsBigDecimal();
			if (Math.abs(d.scale()) > MAX_SCALE) return null;
			return d.longValueExact();
		} catch (ArithmeticException | NumberFormatException ex) {
			return null;
		}
	}

	/** The string value of a JSON string, or {@code null} for anything else (numbers included). */
	static String string(JsonElement e) {
		return e instanceof JsonPrimitive p && p.isString() ? p.getAsString() : null;
	}

	private static String firstLine(String message) {
		if (message == null) return "syntax error";
		int nl = message.indexOf('\n');
		// Gson's advice to parse leniently is for programmers, not for the user of a damaged file.
		String line = (nl < 0 ? message : message.substring(0, nl)).replace("Use JsonReader.setLenient(true) to accept malformed JSON", "malformed JSON");
		return DisplayText.oneLine(line);
	}
}
