package org.anomalyj.training;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The seeded hold-out split of training items that belong to categories: each category gives its
 * share of the calibration items, in proportion to its size (largest remainders), and every category
 * with two or more items gives at least one while there are enough to go round, so the thresholds
 * are calibrated on every part a multi-class model knows. For one category the split is the
 * unstratified one training always drew: the items shuffled with the seed, the first ones held out.
 */
final class StratifiedHoldOut {

	private StratifiedHoldOut() {}

	/**
	 * @param category each item's category, 0 .. categories - 1
	 * @param held how many items to hold out in all
	 * @return whether each item is held out
	 */
	static boolean[] split(int[] category, int categories, int held, long seed) {
		int[] sizes = new int[categories];
		for (int c : category) sizes[c]++;
		int[] quota = quotas(sizes, held);
		boolean[] out = new boolean[category.length];
		for (int c = 0; c < categories; c++) {
			List<Integer> members = new ArrayList<>();
			for (int i = 0; i < category.length; i++) if (category[i] == c) members.add(i);
			Collections.shuffle(members, new Random(seed + c));
			for (int k = 0; k < quota[c]; k++) out[members.get(k)] = true;
		}
		return out;
	}

	/** Each category's share of {@code held}, proportional by largest remainders, at least one each while that fits. */
	static int[] quotas(int[] sizes, int held) {
		long total = 0;
		for (int s : sizes) total += s;
		int[] quota = new int[sizes.length];
		if (total == 0 || held <= 0) return quota;
		double[] remainder = new double[sizes.length];
		int given = 0;
		for (int c = 0; c < sizes.length; c++) {
			double exact = (double) held * sizes[c] / total;
			quota[c] = (int) Math.floor(exact);
			remainder[c] = exact - quota[c];
			given += quota[c];
		}
		while (given < held) {
			int best = -1;
			for (int c = 0; c < sizes.length; c++)
				if (quota[c] < sizes[c] && (best < 0 || remainder[c] > remainder[best])) best = c;
			if (best < 0) break;
			quota[best]++;
			remainder[best] = -1;
			given++;
		}
		// A category left without calibration items takes one from the category that gives the most.
		for (int c = 0; c < sizes.length; c++) {
			if (quota[c] > 0 || sizes[c] < 2) continue;
			int donor = -1;
			for (int d = 0; d < sizes.length; d++) if (quota[d] > 1 && (donor < 0 || quota[d] > quota[donor])) donor = d;
			if (donor < 0) break;
			quota[donor]--;
			quota[c]++;
		}
		return quota;
	}
}
