package org.anomalyj.io;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Typed reads of the fields of one JSON object from an untrusted file (a model manifest), each
 * checked against what the reader can use. Gson's accessors would instead throw
 * {@code ClassCastException}, {@code NullPointerException} or silently truncate ({@code 1.5}
 * as an int, {@code 1e39} as an infinite float); here a problem is an {@link IOException} whose
 * one-line message names the field by its path, e.g.
 * {@code manifest.json: 'features.pool' must be an odd integer from 1 to 31 (found 4)}.
 */
public final class JsonFields {

	private final JsonObject object;
	private final String source;
	private final String path;

	private JsonFields(JsonObject object, String source, String path) {
		this.object = object;
		this.source = source;
		this.path = path;
	}

	/**
	 * @param source what the object was read from, for messages (e.g. {@code manifest.json})
	 */
	public static JsonFields of(JsonObject object, String source) {
		return new JsonFields(object, source, "");
	}

	/** Whether the field is present and not {@code null}. */
	public boolean has(String key) {
		JsonElement e = object.get(key);
		return e != null && !e.isJsonNull();
	}

	/** A nested object. */
	public JsonFields object(String key) throws IOException {
		JsonElement e = require(key);
		if (!e.isJsonObject()) throw problem(key, "must be a JSON object", e);
		return new JsonFields(e.getAsJsonObject(), source, path + key + ".");
	}

	/** A non-empty string. */
	public String string(String key) throws IOException {
		JsonElement e = require(key);
		String s = StrictJson.string(e);
		if (s == null || s.isEmpty()) throw problem(key, "must be a non-empty string", e);
		return s;
	}

	/** A whole number in {@code [min, max]} ({@code 3.0} counts, {@code 3.5} and {@code "3"} do not). */
	public long integer(String key, long min, long max) throws IOException {
		JsonElement e = require(key);
		Long v = StrictJson.exactLong(e);
		if (v == null || v < min || v > max) throw problem(key, "must be an integer from " + min + " to " + max, e);
		return v;
	}

	/** A finite number in {@code [min, max]}. */
	public double number(String key, double min, double max) throws IOException {
		JsonElement e = require(key);
		double v = finite(e);
		if (!(v >= min && v <= max)) throw problem(key, "must be a number from " + plain(min) + " to " + plain(max), e);
		return v;
	}

	/** A finite number that a {@code float} holds (not rounded to an infinity). */
	public float floatNumber(String key) throws IOException {
		JsonElement e = require(key);
		double v = finite(e);
		if (!(Math.abs(v) <= Float.MAX_VALUE)) throw problem(key, "must be a finite 32-bit number", e);
		return (float) v;
	}

	/** A number in {@code (0, 1]}: a fraction that must not be zero. */
	public double fraction(String key) throws IOException {
		JsonElement e = require(key);
		double v = finite(e);
		if (!(v > 0 && v <= 1)) throw problem(key, "must be a number above 0 and at most 1", e);
		return v;
	}

	/** {@code true} or {@code false}. */
	public boolean bool(String key) throws IOException {
		JsonElement e = require(key);
		if (!(e instanceof JsonPrimitive p) || !p.isBoolean()) throw problem(key, "must be true or false", e);
		return p.getAsBoolean();
	}

	/** An array of 1 to {@code maxCount} non-empty strings. */
	public List<String> strings(String key, int maxCount) throws IOException {
		JsonElement e = require(key);
		String what = "must be an array of 1 to " + maxCount + " non-empty strings";
		if (!e.isJsonArray() || e.getAsJsonArray().isEmpty() || e.getAsJsonArray().size() > maxCount) throw problem(key, what, e);
		List<String> out = new ArrayList<>();
		for (JsonElement item : e.getAsJsonArray()) {
			String s = StrictJson.string(item);
			if (s == null || s.isEmpty()) throw problem(key, what, e);
			out.add(s);
		}
		return out;
	}

	/** An array of {@code minCount} to {@code maxCount} JSON objects, each named in messages by its index ({@code key[2].field}). */
	public List<JsonFields> objects(String key, int minCount, int maxCount) throws IOException {
		JsonElement e = require(key);
		String what = "must be an array of " + minCount + " to " + maxCount + " JSON objects";
		if (!e.isJsonArray() || e.getAsJsonArray().size() < minCount || e.getAsJsonArray().size() > maxCount) throw problem(key, what, e);
		List<JsonFields> out = new ArrayList<>();
		for (JsonElement item : e.getAsJsonArray()) {
			if (!item.isJsonObject()) throw problem(key, what, e);
			out.add(new JsonFields(item.getAsJsonObject(), source, path + key + "[" + out.size() + "]."));
		}
		return out;
	}

	/** An array of exactly {@code count} finite numbers. */
	public double[] numbers(String key, int count) throws IOException {
		JsonElement e = require(key);
		String what = "must be an array of " + count + " finite numbers";
		if (!e.isJsonArray() || e.getAsJsonArray().size() != count) throw problem(key, what, e);
		JsonArray a = e.getAsJsonArray();
		double[] out = new double[count];
		for (int i = 0; i < count; i++) {
			out[i] = finite(a.get(i));
			if (Double.isNaN(out[i])) throw problem(key, what, e);
		}
		return out;
	}

	/** A one-line problem with the field, for checks the caller makes on a value it has read. */
	public IOException problem(String key, String what) {
		return new IOException(source + ": '" + path + key + "' " + what);
	}

	private IOException problem(String key, String what, JsonElement found) {
		return problem(key, what + " (found " + DisplayText.oneLine(found.toString()) + ")");
	}

	/** 32 rather than 32.0 in messages. */
	private static String plain(double v) {
		return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
	}

	private JsonElement require(String key) throws IOException {
		JsonElement e = object.get(key);
		if (e == null || e.isJsonNull()) throw problem(key, "is missing");
		return e;
	}

	/** The value of a JSON number as a double, NaN for anything else or a number beyond the double range. */
	private static double finite(JsonElement e) {
		if (!(e instanceof JsonPrimitive p) || !p.isNumber()) return Double.NaN;
		// StrictJson bounds the exponent, so this conversion cannot take long.
		double v;
		try {
			v = p.getAsBigDecimal().doubleValue();
		} catch (NumberFormatException ex) {
			return Double.NaN; // a NaN or infinity put into a tree built in memory
		}
		return Double.isFinite(v) ? v : Double.NaN;
	}
}
