package org.anomalyj.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class AtomicFilesTest {

	@TempDir
	Path dir;

	private List<String> listing() throws IOException {
		try (Stream<Path> s = Files.list(dir)) {
			return s.map(p -> p.getFileName().toString()).sorted().toList();
		}
	}

	@Test
	void writesANewFileAndReplacesAnOldOne() throws IOException {
		Path target = dir.resolve("report.csv");
		AtomicFiles.write(target, out -> out.write("first".getBytes(StandardCharsets.UTF_8)));
		assertEquals("first", Files.readString(target));
		AtomicFiles.write(target, out -> out.write("second, longer".getBytes(StandardCharsets.UTF_8)));
		assertEquals("second, longer", Files.readString(target));
		assertEquals(List.of("report.csv"), listing());
	}

	@Test
	void aWriterFailingMidwayLeavesTheOldFileAndNoTemporaryFile() throws IOException {
		Path target = dir.resolve("model.zip");
		Files.writeString(target, "old content");
		IOException failure = new IOException("disk full (simulated)");
		AtomicReference<Path> seen = new AtomicReference<>();
		IOException thrown = assertThrows(IOException.class, () -> AtomicFiles.write(target, out -> {
			// Enough bytes to pass the buffer, so part of the new content really reached the temp file.
			out.write(new byte[300_000]);
			try (Stream<Path> s = Files.list(dir)) {
				seen.set(s.filter(p -> !p.equals(target)).findFirst().orElseThrow());
			}
			throw failure;
		}));
		assertSame(failure, thrown);
		assertTrue(seen.get().getFileName().toString().startsWith(".model.zip.tmp-"), seen.get().toString());
		assertEquals("old content", Files.readString(target));
		assertEquals(List.of("model.zip"), listing());
	}

	@Test
	void uncheckedFailuresAlsoCleanUp() throws IOException {
		Path target = dir.resolve("a.bin");
		Files.writeString(target, "keep");
		assertThrows(IllegalStateException.class, () -> AtomicFiles.write(target, out -> {
			out.write(1);
			throw new IllegalStateException("bug in writer");
		}));
		assertEquals("keep", Files.readString(target));
		assertEquals(List.of("a.bin"), listing());
	}

	@Test
	void writersMayCloseTheStream() throws IOException {
		Path target = dir.resolve("x.zip");
		AtomicFiles.write(target, out -> {
			try (ZipOutputStream zip = new ZipOutputStream(out)) {
				zip.putNextEntry(new ZipEntry("a.txt"));
				zip.write("hello".getBytes(StandardCharsets.UTF_8));
			}
		});
		try (var zf = new java.util.zip.ZipFile(target.toFile())) {
			assertEquals("hello", new String(zf.getInputStream(zf.getEntry("a.txt")).readAllBytes(), StandardCharsets.UTF_8));
		}
	}

	@Test
	void writeViaGivesAPathWithTheTargetsExtension() throws IOException {
		Path target = dir.resolve("mask.tif");
		Files.writeString(target, "old");
		AtomicReference<Path> tmp = new AtomicReference<>();
		AtomicFiles.writeVia(target, p -> {
			tmp.set(p);
			assertTrue(Files.exists(p));
			Files.writeString(p, "new image");
		});
		assertEquals(dir, tmp.get().getParent());
		assertTrue(tmp.get().getFileName().toString().matches("\\.mask\\.tif\\.tmp-" + ProcessHandle.current().pid() + "-[0-9a-f]+\\.tif"), tmp.get().toString());
		assertEquals("new image", Files.readString(target));
		assertEquals(List.of("mask.tif"), listing());
	}

	@Test
	void writeViaFailureLeavesTheOldFile() throws IOException {
		Path target = dir.resolve("mask.tif");
		Files.writeString(target, "old");
		assertThrows(IOException.class, () -> AtomicFiles.writeVia(target, p -> {
			Files.writeString(p, "half an ima");
			throw new IOException("FileSaver returned false");
		}));
		assertEquals("old", Files.readString(target));
		assertEquals(List.of("mask.tif"), listing());
	}

	@Test
	void writeViaNoticesAWriterThatLeftNoFile() throws IOException {
		Path target = dir.resolve("mask.tif");
		IOException e = assertThrows(IOException.class, () -> AtomicFiles.writeVia(target, Files::delete));
		assertTrue(e.getMessage().contains("did not leave a file"), e.getMessage());
		assertEquals(List.of(), listing());
	}

	@Test
	void refusesImpossibleTargets() throws IOException {
		IOException noDir = assertThrows(IOException.class,
			() -> AtomicFiles.write(dir.resolve("missing/out.txt"), out -> out.write(1)));
		assertTrue(noDir.getMessage().contains("does not exist"), noDir.getMessage());
		Files.createDirectory(dir.resolve("sub"));
		IOException isDir = assertThrows(IOException.class, () -> AtomicFiles.write(dir.resolve("sub"), out -> out.write(1)));
		assertTrue(isDir.getMessage().contains("is a directory"), isDir.getMessage());
		assertTrue(Files.isDirectory(dir.resolve("sub")));
	}

	@Test
	void requireNotSameSeesThroughDifferentSpellings() throws IOException {
		Path input = dir.resolve("in.tif");
		Files.writeString(input, "image");
		Path sameFile = dir.resolve("sub/../in.tif");
		Files.createDirectory(dir.resolve("sub"));
		IOException e = assertThrows(IOException.class, () -> AtomicFiles.requireNotSame(sameFile, dir.resolve("other.tif"), input));
		assertTrue(e.getMessage().contains("refusing to overwrite"), e.getMessage());
		Path link = dir.resolve("link.tif");
		try {
			Files.createSymbolicLink(link, input);
			assertThrows(IOException.class, () -> AtomicFiles.requireNotSame(link, input));
		} catch (UnsupportedOperationException | IOException noLinks) {
			// Symbolic links need privileges on Windows; the spelling case above still ran.
		}
		assertDoesNotThrow(() -> AtomicFiles.requireNotSame(dir.resolve("out.tif"), input));
		Files.writeString(dir.resolve("out2.tif"), "x");
		assertDoesNotThrow(() -> AtomicFiles.requireNotSame(dir.resolve("out2.tif"), input, null));
	}

	@Test
	void replacingKeepsPosixPermissions() throws IOException {
		assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
		Path target = dir.resolve("shared.csv");
		Files.writeString(target, "a");
		Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-rw-r--"));
		AtomicFiles.write(target, (OutputStream out) -> out.write('b'));
		assertEquals("rw-rw-r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
	}

	@Test
	void leftoversOfKilledProcessesAreSweptOnTheNextWriteIntoTheirDirectory() throws Exception {
		// A process that has ended stands for a JVM killed in the middle of a write.
		Process ended = new ProcessBuilder("java", "-version").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
		ended.waitFor();
		long live = ProcessHandle.current().parent().map(ProcessHandle::pid).orElseThrow();
		List<String> dead = List.of(".model.zip.tmp-" + ended.pid() + "-1f2e", ".map.tif.tmp-" + ended.pid() + "-abc.tif");
		List<String> kept = List.of(".model.zip.tmp-" + live + "-77", ".model.zip.tmp-0123abc", "notes.tmp-1-2", "model.zip");
		for (String n : dead) Files.writeString(dir.resolve(n), "half a model");
		for (String n : kept) Files.writeString(dir.resolve(n), "not ours to delete");
		AtomicFiles.write(dir.resolve("scores.csv"), out -> out.write('x'));
		List<String> expected = new java.util.ArrayList<>(kept);
		expected.add("scores.csv");
		assertEquals(expected.stream().sorted().toList(), listing());
	}

	@Test
	void temporaryNamesMatchTheSweptPattern() throws IOException {
		AtomicReference<String> name = new AtomicReference<>();
		AtomicFiles.writeVia(dir.resolve("a.b.overlay.png"), p -> name.set(p.getFileName().toString()));
		assertTrue(AtomicFiles.TEMP_NAME.matcher(name.get()).matches(), name.get());
		AtomicFiles.write(dir.resolve("model.zip"), out -> {
			try (Stream<Path> s = Files.list(dir)) {
				name.set(s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".model.zip")).findFirst().orElseThrow());
			}
		});
		assertTrue(AtomicFiles.TEMP_NAME.matcher(name.get()).matches(), name.get());
	}
}
