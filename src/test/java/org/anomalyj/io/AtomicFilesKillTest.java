package org.anomalyj.io;

import org.anomalyj.testing.JavaProcess;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A process writing a file through {@link AtomicFiles} is killed outright at random moments: the
 * file is always one complete version, a temporary file is all that may be left, and the next
 * write into the directory by a live process removes it.
 */
class AtomicFilesKillTest {

	static final int BYTES = 8 << 20;

	@TempDir
	Path dir;

	@Test
	void aWriterKilledAtAnyMomentLeavesOneCompleteVersion() throws Exception {
		Path target = dir.resolve("model.bin");
		Random random = new Random(7);
		int leftovers = 0;
		for (int round = 0; round < 4; round++) {
			long pid;
			try (JavaProcess p = JavaProcess.start(dir, AtomicWriteLoop.class, target.toString(), Integer.toString(BYTES))) {
				pid = p.pid();
				p.awaitLine(l -> l.startsWith("committed"), Duration.ofSeconds(60));
				Thread.sleep(random.nextInt(250));
				p.kill();
			}
			assertTrue(AtomicWriteLoop.check(target, BYTES) > 0);
			for (Path p : others(target)) {
				Matcher m = AtomicFiles.TEMP_NAME.matcher(p.getFileName().toString());
				assertTrue(m.matches(), "unexpected file " + p);
				if (Long.parseLong(m.group(1)) == pid) leftovers++;
			}
		}
		System.out.printf("atomic write kill: %d of 4 kills left a temporary file (killed mid-write)%n", leftovers);
		AtomicFiles.write(dir.resolve("next.csv"), out -> out.write('x'));
		assertEquals(List.of(dir.resolve("next.csv")), others(target), "leftovers of killed writers are swept");
	}

	private List<Path> others(Path target) throws IOException {
		try (Stream<Path> s = Files.list(dir)) {
			return s.filter(p -> !p.equals(target)).sorted().toList();
		}
	}
}
