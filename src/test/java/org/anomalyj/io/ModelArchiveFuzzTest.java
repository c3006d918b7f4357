package org.anomalyj.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
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
			r -> mutateRepeatedly(pristine, r, new Region(0, 2048), new Region(pristine.length - 256, 256)),
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
			byte[] m = inManifest ? mutateRepeatedly(manifest, r, new Region(0, manifest.length)) : manifest;
			byte[] t = inManifest ? tensors : mutateRepeatedly(tensors, r, new Region(0, header));
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

	record Region(int start, int length) {}

	static byte[] mutateRepeatedly(byte[] in, Random r, Region... hot) {
		byte[] out = in;
		for (int k = 1 + r.nextInt(3); k > 0; k--) out = mutate(out, r, hot);
		return out;
	}

	/** The problem text without numbers and quoted values, so similar failures group together. */
	static String category(String problem) {
		String p = problem.replaceAll("'[^']*'", "'…'").replaceAll("\\(.*\\)", "(…)").replaceAll("\\d+", "N");
		return p.length() > 90 ? p.substring(0, 90) + "…" : p;
	}

	/** One random mutation: bit flips, truncation, random runs, duplicated or deleted ranges, inserts, extreme integers. */
	static byte[] mutate(byte[] in, Random r, Region... hot) {
		if (in.length == 0) return new byte[] {(byte) r.nextInt()};
		int kind = r.nextInt(7);
		int pos = position(in.length, r, hot);
		byte[] out;
		switch (kind) {
			case 0 -> { // flip bits in 1-4 bytes
				out = in.clone();
				int n = 1 + r.nextInt(4);
				for (int i = 0; i < n; i++) out[position(in.length, r, hot)] ^= (byte) (1 + r.nextInt(255));
			}
			case 1 -> { // truncate
				out = Arrays.copyOf(in, r.nextInt(in.length));
			}
			case 2 -> { // overwrite a run with random bytes
				out = in.clone();
				int len = Math.min(1 + r.nextInt(64), in.length - pos);
				for (int i = 0; i < len; i++) out[pos + i] = randomByte(r);
			}
			case 3 -> { // duplicate a range and insert it elsewhere
				int len = Math.min(1 + r.nextInt(512), in.length - pos);
				int at = position(in.length, r, hot);
				out = new byte[in.length + len];
				System.arraycopy(in, 0, out, 0, at);
				System.arraycopy(in, pos, out, at, len);
				System.arraycopy(in, at, out, at + len, in.length - at);
			}
			case 4 -> { // delete a range
				int len = Math.min(1 + r.nextInt(256), in.length - pos);
				out = new byte[in.length - len];
				System.arraycopy(in, 0, out, 0, pos);
				System.arraycopy(in, pos + len, out, pos, in.length - pos - len);
			}
			case 5 -> { // insert random bytes
				int len = 1 + r.nextInt(32);
				out = new byte[in.length + len];
				System.arraycopy(in, 0, out, 0, pos);
				for (int i = 0; i < len; i++) out[pos + i] = randomByte(r);
				System.arraycopy(in, pos, out, pos + len, in.length - pos);
			}
			default -> { // an extreme value where a size, offset or count field might be
				out = in.clone();
				int[] extremes = {0, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, 1 << 30, 0xffff, 1};
				int v = extremes[r.nextInt(extremes.length)];
				int width = r.nextBoolean() ? 2 : 4;
				if (pos + width <= out.length) {
					ByteBuffer b = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
					if (width == 2) b.putShort(pos, (short) v);
					else b.putInt(pos, v);
				}
			}
		}
		return out;
	}

	private static final byte[] JSON_ALPHABET = "{}[]\":,0123456789-+.eE truefalsnul_abcxyz\\".getBytes(StandardCharsets.US_ASCII);

	/** Half the time a character JSON cares about, so damaged text still gets past the UTF-8 check. */
	private static byte randomByte(Random r) {
		return r.nextBoolean() ? (byte) r.nextInt() : JSON_ALPHABET[r.nextInt(JSON_ALPHABET.length)];
	}

	/** Half the time anywhere, half the time in one of the hot regions (clipped to the data). */
	private static int position(int length, Random r, Region... hot) {
		if (hot.length == 0 || r.nextBoolean()) return r.nextInt(length);
		Region h = hot[r.nextInt(hot.length)];
		int start = Math.max(0, Math.min(h.start, length - 1));
		int end = Math.max(start + 1, Math.min(h.start + h.length, length));
		return start + r.nextInt(end - start);
	}
}
