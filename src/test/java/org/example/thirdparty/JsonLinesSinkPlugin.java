package org.example.thirdparty;

import org.anomalyj.inspect.Inspection;
import org.anomalyj.io.AtomicFiles;
import org.anomalyj.sink.PlaneResult;
import org.anomalyj.sink.ResultSink;
import org.anomalyj.sink.ResultSinkPlugin;
import org.anomalyj.sink.SinkContext;
import org.anomalyj.sink.SinkInput;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.scijava.plugin.Plugin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A result sink as a third party would add one, outside AnomalyJ's packages and using only its
 * public API: {@code results.jsonl} in the output folder, one JSON object per inspected plane
 * (file, plane, score, p-value, verdict, defects) or skipped file (file, plane, skipped: reason).
 * It resumes like the built-in CSV: an input whose planes all have a result line is done. The
 * tests check that AnomalyJ finds it and writes to it with no change to AnomalyJ's code.
 */
@Plugin(type = ResultSinkPlugin.class, name = JsonLinesSinkPlugin.NAME)
public final class JsonLinesSinkPlugin implements ResultSinkPlugin {

	public static final String NAME = "jsonl";
	public static final String FILE = "results.jsonl";

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public String description() {
		return FILE + ": one JSON object per image plane (test sink)";
	}

	@Override
	public ResultSink open(SinkContext context) throws IOException {
		return new Sink(context.folder().resolve(FILE));
	}

	private static final class Sink implements ResultSink {
		private final Path file;
		private final Map<String, List<JsonObject>> previous = new HashMap<>();
		private final Map<String, JsonObject> lines = new LinkedHashMap<>();

		Sink(Path file) throws IOException {
			this.file = file;
			if (Files.isRegularFile(file))
				for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
					JsonObject o = JsonParser.parseString(line).getAsJsonObject();
					if (!o.has("skipped")) previous.computeIfAbsent(o.get("file").getAsString(), k -> new ArrayList<>()).add(o);
				}
		}

		@Override
		public boolean isDone(SinkInput input) throws IOException {
			List<JsonObject> mine = previous.get(input.name());
			return mine != null && mine.size() == input.planes();
		}

		@Override
		public void resumed(SinkInput input) {
			for (JsonObject o : previous.get(input.name())) put(o);
		}

		@Override
		public void accept(PlaneResult result) {
			Inspection r = result.inspection();
			JsonObject o = new JsonObject();
			o.addProperty("file", result.input().name());
			o.addProperty("plane", result.plane());
			o.addProperty("score", r.score());
			o.addProperty("p_value", r.pValue());
			o.addProperty("verdict", r.verdict());
			o.addProperty("defects", r.defects().regions().size());
			put(o);
		}

		@Override
		public void skipped(SinkInput input, int plane, String reason) {
			JsonObject o = new JsonObject();
			o.addProperty("file", input.name());
			o.addProperty("plane", plane);
			o.addProperty("skipped", reason);
			put(o);
		}

		private void put(JsonObject o) {
			lines.put(o.get("file").getAsString() + "\u0000" + o.get("plane").getAsInt(), o);
		}

		@Override
		public void close() throws IOException {
			AtomicFiles.write(file, out -> {
				for (JsonObject o : lines.values()) out.write((o + "\n").getBytes(StandardCharsets.UTF_8));
			});
		}
	}
}
