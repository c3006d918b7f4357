package org.anomalyj.backbone.mobilenetv2;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

/**
 * Parses one JavaScript literal (object, array, string, number, boolean, null) out of minified
 * JS source into a Gson tree. Minifiers emit unquoted keys, {@code !0}/{@code !1} for
 * {@code true}/{@code false}, numbers like {@code .5} and {@code -.5}, and either quote style;
 * strict or lenient JSON readers mis-read some of these (lenient Gson turns {@code !0} into the
 * string "!0"), hence this small parser. Anything that is not a plain literal (expressions,
 * function calls, identifiers as values) is rejected rather than guessed at.
 */
final class JsLiteralParser {

	private final String src;
	private int pos;

	private JsLiteralParser(String src, int pos) {
		this.src = src;
		this.pos = pos;
	}

	/** A parsed literal and the index just after it in the source. */
	record Result(JsonElement value, int end) {}

	/**
	 * Parses the literal starting at {@code start} (leading whitespace allowed).
	 *
	 * @throws IllegalArgumentException naming the offset and the problem if the text there is not
	 *         a literal this parser understands
	 */
	static Result parse(String src, int start) {
		JsLiteralParser p = new JsLiteralParser(src, start);
		JsonElement v = p.value();
		return new Result(v, p.pos);
	}

	private JsonElement value() {
		skipWhitespace();
		char c = peek();
		switch (c) {
			case '{': return object();
			case '[': return array();
			case '"': case '\'': return new JsonPrimitive(string());
			case '!': return bang();
			default:
				if (c == '-' || c == '+' || c == '.' || (c >= '0' && c <= '9')) return number();
				String word = identifier();
				return switch (word) {
					case "true" -> new JsonPrimitive(true);
					case "false" -> new JsonPrimitive(false);
					case "null" -> JsonNull.INSTANCE;
					default -> throw error("unsupported value '" + word + "'");
				};
		}
	}

	private JsonObject object() {
		expect('{');
		JsonObject o = new JsonObject();
		skipWhitespace();
		if (peek() == '}') {
			pos++;
			return o;
		}
		while (true) {
			skipWhitespace();
			char c = peek();
			String key;
			if (c == '"' || c == '\'') key = string();
			else if (c >= '0' && c <= '9') key = digits();
			else key = identifier();
			skipWhitespace();
			expect(':');
			o.add(key, value());
			skipWhitespace();
			char next = next();
			if (next == '}') return o;
			if (next != ',') throw error("expected ',' or '}' in object, found '" + next + "'");
			// Trailing commas are legal JS.
			skipWhitespace();
			if (peek() == '}') {
				pos++;
				return o;
			}
		}
	}

	private JsonArray array() {
		expect('[');
		JsonArray a = new JsonArray();
		skipWhitespace();
		if (peek() == ']') {
			pos++;
			return a;
		}
		while (true) {
			a.add(value());
			skipWhitespace();
			char next = next();
			if (next == ']') return a;
			if (next != ',') throw error("expected ',' or ']' in array, found '" + next + "'");
			skipWhitespace();
			if (peek() == ']') {
				pos++;
				return a;
			}
		}
	}

	/** {@code !0} is true and {@code !1} false: the only negations minifiers emit for literals. */
	private JsonPrimitive bang() {
		expect('!');
		char d = next();
		if (d == '0') return new JsonPrimitive(true);
		if (d == '1') return new JsonPrimitive(false);
		throw error("unsupported negation '!" + d + "'");
	}

	private String string() {
		char quote = next();
		StringBuilder sb = new StringBuilder();
		while (true) {
			char c = next();
			if (c == quote) return sb.toString();
			if (c == '\n') throw error("unterminated string");
			if (c != '\\') {
				sb.append(c);
				continue;
			}
			char e = next();
			switch (e) {
				case 'n' -> sb.append('\n');
				case 't' -> sb.append('\t');
				case 'r' -> sb.append('\r');
				case 'b' -> sb.append('\b');
				case 'f' -> sb.append('\f');
				case 'v' -> sb.append('\u000b');
				case '0' -> sb.append('\0');
				case 'u' -> {
					if (pos + 4 > src.length()) throw error("truncated \\u escape");
					try {
						sb.append((char) Integer.parseInt(src.substring(pos, pos + 4), 16));
					} catch (NumberFormatException ex) {
						throw error("bad \\u escape");
					}
					pos += 4;
				}
				case 'x' -> {
					if (pos + 2 > src.length()) throw error("truncated \\x escape");
					try {
						sb.append((char) Integer.parseInt(src.substring(pos, pos + 2), 16));
					} catch (NumberFormatException ex) {
						throw error("bad \\x escape");
					}
					pos += 2;
				}
				case '\n' -> { /* line continuation */ }
				default -> sb.append(e);
			}
		}
	}

	private JsonPrimitive number() {
		int start = pos;
		if (peek() == '-' || peek() == '+') pos++;
		while (pos < src.length()) {
			char c = src.charAt(pos);
			boolean sign = (c == '-' || c == '+') && (src.charAt(pos - 1) == 'e' || src.charAt(pos - 1) == 'E');
			if ((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || sign) pos++;
			else break;
		}
		String text = src.substring(start, pos);
		try {
			// Integers stay integral so that shapes read back exactly; "-0" stays a (negative zero) double.
			if (text.matches("[-+]?\\d{1,18}") && !text.equals("-0")) return new JsonPrimitive(Long.parseLong(text));
			// Java's grammar accepts every decimal form JS minifiers emit (".5", "-.5", "1e-3").
			return new JsonPrimitive(Double.parseDouble(text));
		} catch (NumberFormatException ex) {
			throw error("bad number '" + text + "'");
		}
	}

	private String digits() {
		int start = pos;
		while (pos < src.length() && Character.isDigit(src.charAt(pos))) pos++;
		return src.substring(start, pos);
	}

	private String identifier() {
		int start = pos;
		while (pos < src.length()) {
			char c = src.charAt(pos);
			if (Character.isLetterOrDigit(c) || c == '_' || c == '$') pos++;
			else break;
		}
		if (pos == start) throw error("unexpected character '" + (start < src.length() ? src.charAt(start) : ' ') + "'");
		return src.substring(start, pos);
	}

	private void skipWhitespace() {
		while (pos < src.length() && Character.isWhitespace(src.charAt(pos))) pos++;
	}

	private char peek() {
		if (pos >= src.length()) throw error("unexpected end of input");
		return src.charAt(pos);
	}

	private char next() {
		char c = peek();
		pos++;
		return c;
	}

	private void expect(char c) {
		char got = next();
		if (got != c) throw error("expected '" + c + "', found '" + got + "'");
	}

	private IllegalArgumentException error(String what) {
		return new IllegalArgumentException(what + " at offset " + pos);
	}
}
