package org.anomalyj.method.patchcore;

import org.anomalyj.features.FeatureGrid;
import org.anomalyj.features.FeatureRows;
import org.anomalyj.method.InMemoryFeatures;
import org.anomalyj.task.Progress;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

/** {@code update}: PatchCore's bank continues its greedy selection over the new patches. */
class PatchCoreUpdateTest {

	private static final int DIM = 8;

	@Test
	void theBankKeepsItsEntriesAndAddsTheRatioOfNewPatchesFarthestFirst() {
		try (NDManager m = NDManager.newBaseManager()) {
			// Old patches: blobs; new patches: the same blobs and one new, far blob the bank does not cover.
			int nOld = 600, nNew = 400;
			float[] old = CoresetSamplerTest.blobs(nOld, DIM, 4, 1);
			float[] fresh = CoresetSamplerTest.blobs(nNew, DIM, 4, 2);
			for (int i = 0; i < 50; i++) for (int j = 0; j < DIM; j++) fresh[i * DIM + j] += 100;
			PatchCore.Settings s = new PatchCore.Settings(0.1, 5, false, 9, 0);
			try (PatchCore first = PatchCore.fit(m, old, nOld, DIM, s, Progress.NONE)) {
				float[] bank = first.tensors().get(PatchCore.BANK).toFloats();
				FeatureRows rows = new FeatureRows(fresh, nNew, new FeatureGrid(DIM, 1, 1));
				try (PatchCore updated = (PatchCore) new PatchCorePlugin().update(first, InMemoryFeatures.of(m, rows), 5, Progress.NONE)) {
					float[] grown = updated.tensors().get(PatchCore.BANK).toFloats();
					// floor(0.1 * 400) = 40 entries added after the 60 it had.
					assertEquals(first.bankSize() + 40, updated.bankSize());
					assertArrayEquals(bank, Arrays.copyOf(grown, bank.length), "the old entries stay, in order");
					// The first entry added is the new patch farthest from the old bank (the greedy rule), in the far blob.
					int farthest = -1;
					float best = -1;
					for (int i = 0; i < nNew; i++) {
						float d = Float.POSITIVE_INFINITY;
						for (int b = 0; b < first.bankSize(); b++) d = Math.min(d, SquaredDistance.between(fresh, i * DIM, bank, b * DIM, DIM));
						if (d > best) {
							best = d;
							farthest = i;
						}
					}
					assertTrue(farthest < 50);
					assertArrayEquals(Arrays.copyOfRange(fresh, farthest * DIM, (farthest + 1) * DIM),
						Arrays.copyOfRange(grown, bank.length, bank.length + DIM));
					// Every new entry is a new patch.
					for (int e = first.bankSize(); e < updated.bankSize(); e++) {
						float[] entry = Arrays.copyOfRange(grown, e * DIM, (e + 1) * DIM);
						boolean found = false;
						for (int i = 0; i < nNew && !found; i++) found = Arrays.equals(entry, Arrays.copyOfRange(fresh, i * DIM, (i + 1) * DIM));
						assertTrue(found, "entry " + e);
					}
				}
			}
		}
	}
}
