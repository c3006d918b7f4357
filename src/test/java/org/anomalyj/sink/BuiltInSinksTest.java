package org.anomalyj.sink;

import org.anomalyj.image.TiffBytes;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Resuming with the built-in sinks, on a three-image TIFF stack: an input is done for the CSV when
 * each of its planes has an ok row, for a file sink when each plane's file exists; the catalog
 * finds the built-in sinks by name.
 */
class BuiltInSinksTest {

	@TempDir
	Path dir;

	private SinkInput stack() throws IOException {
		Path file = dir.resolve("in").resolve("h_stack.tif");
		Files.createDirectories(file.getParent());
		try (InputStream in = TiffBytes.class.getResourceAsStream("stack_3pages.tif")) {
			Files.copy(in, file);
		}
		return new SinkInput(file, "h_stack");
	}

	private SinkContext context(SinkInput input) throws IOException {
		return new SinkContext(Files.createDirectories(dir.resolve("out")), null, 0.5, List.of(input.file()));
	}

	private static ResultRow ok(int plane) {
		return new ResultRow("h_stack.tif", plane, "ok", 1f, 0.4f, 0.5, "good", 0, 0, "");
	}

	@Test
	void theCsvHoldsAStackWhenEveryPlaneHasAnOkRow() throws IOException {
		SinkInput input = stack();
		SinkContext context = context(input);
		Path csv = context.folder().resolve(ScoresCsv.FILE_NAME);
		ResultSinkPlugin plugin = SinkCatalog.get(CsvSinkPlugin.NAME);

		ScoresCsv.write(csv, List.of(ok(0), ResultRow.skipped("h_stack.tif", 1, "out of memory"), ok(2)));
		try (ResultSink sink = plugin.open(context)) {
			assertFalse(sink.isDone(input), "a skipped plane is redone");
		}
		ScoresCsv.write(csv, List.of(ok(0), ok(1)));
		try (ResultSink sink = plugin.open(context)) {
			assertFalse(sink.isDone(input), "a plane without a row is redone");
		}
		ScoresCsv.write(csv, List.of(ok(0), ok(1), ok(2), ok(0)));
		try (ResultSink sink = plugin.open(context)) {
			assertTrue(sink.isDone(input));
			sink.resumed(input);
		}
		assertEquals(List.of(ok(0), ok(1), ok(2)), ScoresCsv.read(csv), "the resumed rows are kept, once each");
		Files.writeString(csv, "file,plane,status\nh_stack.tif,0,ok\n");
		try (ResultSink sink = plugin.open(context)) {
			assertFalse(sink.isDone(input), "a file that is not ours is not trusted");
		}
		assertEquals(List.of(), ScoresCsv.read(csv), "and is replaced");
	}

	@Test
	void aFileSinkHoldsAStackWhenEveryPlanesFileExists() throws IOException {
		SinkInput input = stack();
		SinkContext context = context(input);
		try (ResultSink sink = SinkCatalog.get(MaskSinkPlugin.NAME).open(context)) {
			assertFalse(sink.isDone(input));
			for (String name : List.of("h_stack_p001.mask.png", "h_stack_p002.mask.png")) Files.writeString(context.folder().resolve(name), "x");
			assertFalse(sink.isDone(input));
			Files.writeString(context.folder().resolve("h_stack_p003.mask.png"), "x");
			assertTrue(sink.isDone(input));
		}
	}

	@Test
	void noOutputIsWrittenOverAnInput() throws IOException {
		SinkInput input = stack();
		SinkContext context = new SinkContext(input.file().getParent(), null, 0.5, List.of(input.file()));
		IOException e = assertThrows(IOException.class, () -> context.requireNotInput(input.file().getParent().resolve("./h_stack.tif")));
		assertTrue(e.getMessage().contains("refusing to overwrite the input file"), e.getMessage());
		assertDoesNotThrow(() -> context.requireNotInput(input.file().resolveSibling("h_stack.mask.png")));
	}

	@Test
	void theCatalogListsTheBuiltInSinks() {
		assertTrue(SinkCatalog.names().containsAll(SinkCatalog.DEFAULTS), SinkCatalog.names().toString());
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SinkCatalog.get("cvs"));
		assertTrue(e.getMessage().contains("unknown sink 'cvs'") && e.getMessage().contains("csv"), e.getMessage());
	}
}
