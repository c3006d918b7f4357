package org.anomalyj.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Damages a valid model file in thousands of seeded ways and checks that reading always ends in
 * either the original content or an IOException: never another exception, a wrong model, an
 * out-of-memory error or a hang.
 */
class ModelArchiveFuzzTest {

	static final int CASES = 3000;
	static final long SEED = 20260417L;

	@TempDir
	Path dir;

	@Test
	void damagedZipFilesEndInTheOriginalModelOrAnIOException() throws IOException {
		// ~100 KB: a 390 x 64 float bank plus small tensors.
		ModelArchive original = new ModelArchive(ModelArchiveTest.manifest(), ModelArchiveTest.tensors(5, 64 * 390));
		Path valid = dir.resolve("valid.zip");
		original.write(valid);
		byte[] pristine = Files.readAllBytes(valid);
		assertTrue(pristine.length > 90_000 && pristine.length < 120_000, "size " + pristine.length);
		// Half of the positions in the first 2 KB (local headers, deflated manifest, safetensors
		// header) and the last 256 bytes (central directory); the rest anywhere, mostly tensor data.
		Map<String, Integer> outcomes = run("whole-file", CASES, new Random(SEED), original,
			r -> ByteMutations.mutateRepeatedly(pristine, r, new ByteMutations.Region(0, 2048), new ByteMutations.Region(pristine.length - 256, 256)),
			mutated -> (byte[]) mutated, false);
		assertEquals(CASES, outcomes.values().stream().mapToInt(Integer::intValue).sum());
	}

	/**
	 * Damage that the zip's CRCs would catch says little about the parsers behind them, so here
	 * the entries themselves are damaged and packed into a well-formed zip with correct CRCs:
	 * every case reaches the manifest and safetensors validation.
	 */
	@Test
	void damagedEntriesInAWellFormedZipEndInTheOriginalModelOrAnIOException() throws IOException {
		ModelArchive original = new ModelArchive(ModelArchiveTest.manifest(), ModelArchiveTest.tensors(6, 64 * 100));
		byte[] manifest = ModelArchiveTest.utf8(original.manifest().toString());
		byte[] tensors = Safetensors.toBytes(original.tensors(), null);
		int header = 8 + (int) ByteBuffer.wrap(tensors).order(ByteOrder.LITTLE_ENDIAN).getLong();
		Random random = new Random(SEED + 1);
		Map<String, Integer> outcomes = run("entry-content", CASES, random, original, r -> {
			boolean inManifest = r.nextBoolean();
			byte[] m = inManifest ? ByteMutations.mutateRepeatedly(manifest, r, new ByteMutations.Region(0, manifest.length)) : manifest;
			byte[] t = inManifest ? tensors : ByteMutations.mutateRepeatedly(tensors, r, new ByteMutations.Region(0, header));
			return new byte[][] {m, t};
		}, entries -> {
			byte[][] e = (byte[][]) entries;
			return new HandmadeZip().add(HandmadeZip.deflated(ModelArchive.MANIFEST_ENTRY, e[0]))
				.add(HandmadeZip.stored(ModelArchive.TENSORS_ENTRY, e[1])).build();
		}, true);
		assertEquals(CASES, outcomes.values().stream().mapToInt(Integer::intValue).sum());
	}

	interface Mutator {
		Object next(Random r);
	}

	interface Packer {
		byte[] pack(Object mutated);
	}

	private Map<String, Integer> run(String label, int cases, Random random, ModelArchive original, Mutator mutator,
			Packer packer, boolean crcsAreCorrect) {
		Map<String, Integer> outcomes = new TreeMap<>();
		long t0 = System.nanoTime();
		assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
			for (int i = 0; i < cases; i++) {
				byte[] mutant = packer.pack(mutator.next(random));
				// A fresh file each time: rewriting one file in place is slow on ext4 (auto_da_alloc).
				Path file = dir.resolve(label + "-" + i + ".zip");
				Files.write(file, mutant);
				String outcome;
				try {
					ModelArchive read = ModelArchive.read(file);
					if (sameContent(original, read)) outcome = "valid, same content";
					else {
						// Only possible when the damage came with correct CRCs; the result must then
						// be a model in its own right: a valid manifest and tensors that serialize
						// back to themselves (checked in memory: a file write would fsync).
						assertTrue(crcsAreCorrect, "zip damage changed the content undetected");
						ModelArchive copy = new ModelArchive(read.manifest(), read.tensors());
						byte[] bytes = Safetensors.toBytes(copy.tensors(), null);
						ModelArchiveTest.assertSameContent(copy, new ModelArchive(copy.manifest(),
							Safetensors.read(new ByteArrayInputStream(bytes), bytes.length).tensors()));
						outcome = "valid, other content (damage with correct CRCs)";
					}
				} catch (ModelFormatException e) {
					assertFalse(e.getMessage().contains("\n"), e.getMessage());
					outcome = "ModelFormatException: " + category(e.problem());
				} catch (IOException e) {
					outcome = "other IOException: " + e.getClass().getSimpleName();
				} catch (Throwable t) {
					throw new AssertionError(label + " case " + i + " threw " + t, t);
				}
				Files.delete(file);
				outcomes.merge(outcome, 1, Integer::sum);
			}
		});
		System.out.printf("fuzz %s: %d cases in %.1f s%n", label, cases, (System.nanoTime() - t0) / 1e9);
		outcomes.forEach((k, v) -> System.out.printf("  %5d  %s%n", v, k));
		return outcomes;
	}

	private static boolean sameContent(ModelArchive a, ModelArchive b) {
		try {
			ModelArchiveTest.assertSameContent(a, b);
			return true;
		} catch (AssertionError e) {
			return false;
		}
	}

	/** The problem text without numbers and quoted values, so similar failures group together. */
	static String category(String problem) {
		String p = problem.replaceAll("'[^']*'", "'…'").replaceAll("\\(.*\\)", "(…)").replaceAll("\\d+", "N");
		return p.length() > 90 ? p.substring(0, 90) + "…" : p;
	}
}
