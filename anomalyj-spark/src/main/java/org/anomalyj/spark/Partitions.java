package org.anomalyj.spark;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a run of files into contiguous tasks by count and bytes. Enough tasks that every slot
 * stays busy to the end and the progress line moves (at least {@link #TASKS_PER_SLOT} per slot),
 * few enough that Spark's per-task cost (milliseconds) stays small against the images' (a task
 * holds at most {@link #MAX_FILES} files); cut where the bytes, a proxy for decoding time, are even.
 * Cuts fall on multiples of {@code align} files, so that batches of that many images form as in
 * one process.
 */
final class Partitions {

	static final int TASKS_PER_SLOT = 3;
	static final int MAX_FILES = 256;

	private Partitions() {}

	/** {@code [from, to)} index ranges covering {@code 0..sizes.length}, in order. */
	static List<int[]> split(long[] sizes, int slots, int align) {
		int n = sizes.length;
		List<int[]> out = new ArrayList<>();
		if (n == 0) return out;
		int units = (n + align - 1) / align;
		int tasks = Math.min(units, Math.max(slots * TASKS_PER_SLOT, (n + MAX_FILES - 1) / MAX_FILES));
		long total = 0;
		for (long s : sizes) total += Math.max(1, s);
		double per = (double) total / tasks;
		int maxUnits = Math.max(1, Math.max(MAX_FILES / align, (units + tasks - 1) / tasks * 2));
		int from = 0;
		long bytes = 0;
		for (int u = 0; u < units; u++) {
			int end = Math.min(n, (u + 1) * align);
			for (int i = u * align; i < end; i++) bytes += Math.max(1, sizes[i]);
			int left = tasks - out.size() - 1;
			boolean full = bytes >= per * (out.size() + 1) || (end - from) / align >= maxUnits;
			if (end == n || (full && left > 0)) {
				out.add(new int[] {from, end});
				from = end;
			}
		}
		return out;
	}
}
