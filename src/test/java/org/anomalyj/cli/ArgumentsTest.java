package org.anomalyj.cli;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class ArgumentsTest {

	private static Arguments parse(String... args) {
		String[] all = new String[args.length + 1];
		all[0] = "train";
		System.arraycopy(args, 0, all, 1, args.length);
		return new Arguments("train", all, 1, Set.of("data", "out"), Set.of("quiet"));
	}

	@Test
	void aRepeatedOptionKeepsEveryValueInOrder() {
		Arguments a = parse("--data", "a", "--out", "m.zip", "--data=b", "--quiet", "--data", "c");
		assertEquals(List.of("a", "b", "c"), a.strings("data"));
		assertEquals(List.of(Path.of("a"), Path.of("b"), Path.of("c")), a.paths("data"));
		assertEquals("c", a.string("data", null), "single-value readers take the last value");
		assertEquals(List.of("m.zip"), a.strings("out"));
		assertTrue(a.flag("quiet"));
	}

	@Test
	void anAbsentOptionHasNoValues() {
		Arguments a = parse("--out", "m.zip");
		assertEquals(List.of(), a.strings("data"));
		Arguments.UsageException e = assertThrows(Arguments.UsageException.class, () -> a.paths("data"));
		assertEquals("train: option --data is required", e.getMessage());
	}
}
