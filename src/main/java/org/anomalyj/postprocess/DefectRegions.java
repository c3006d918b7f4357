package org.anomalyj.postprocess;

import org.anomalyj.metrics.ConnectedRegions;


import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The defects of one image: the anomaly map thresholded into a mask, split into 8-connected
 * regions, regions smaller than a minimum area dropped, the rest described and ordered by peak
 * score (worst first).
 */
public final class DefectRegions {

	private final byte[] mask;
	private final int[] labels;
	private final List<DefectRegion> regions;
	private final int width, height;

	private DefectRegions(byte[] mask, int[] labels, List<DefectRegion> regions, int width, int height) {
		this.mask = mask;
		this.labels = labels;
		this.regions = regions;
		this.width = width;
		this.height = height;
	}

	/**
	 * @param map anomaly map, row-major {@code width x height}
	 * @param threshold pixels strictly above it are defective
	 * @param minArea regions with fewer pixels are ignored (0 keeps all)
	 */
	public static DefectRegions find(float[] map, int width, int height, float threshold, long minArea) {
		int n = width * height;
		if (map.length != n) throw new IllegalArgumentException("map has " + map.length + " values, expected " + n);
		byte[] raw = new byte[n];
		for (int i = 0; i < n; i++) raw[i] = (byte) (map[i] > threshold ? 1 : 0);
		ConnectedRegions cr = ConnectedRegions.of(raw, width, height);
		int count = cr.count();
		int[] sizes = new int[count + 1];
		for (int l = 1; l <= count; l++) sizes[l] = cr.size(l);
		// Relabelled in place below, and the mask written over the thresholded map, so that a huge
		// image holds two per-pixel arrays here rather than five.
		int[] labels = cr.labels();
		cr = null;
		int[] minX = new int[count + 1], minY = new int[count + 1], maxX = new int[count + 1], maxY = new int[count + 1];
		int[] peakAt = new int[count + 1];
		java.util.Arrays.fill(minX, Integer.MAX_VALUE);
		java.util.Arrays.fill(minY, Integer.MAX_VALUE);
		java.util.Arrays.fill(peakAt, -1);
		for (int i = 0; i < n; i++) {
			int l = labels[i];
			if (l == 0) continue;
			int x = i % width, y = i / width;
			minX[l] = Math.min(minX[l], x);
			minY[l] = Math.min(minY[l], y);
			maxX[l] = Math.max(maxX[l], x);
			maxY[l] = Math.max(maxY[l], y);
			if (peakAt[l] < 0 || map[i] > map[peakAt[l]]) peakAt[l] = i;
		}
		List<DefectRegion> kept = new ArrayList<>();
		for (int l = 1; l <= count; l++) {
			if (sizes[l] < minArea) continue;
			int p = peakAt[l];
			kept.add(new DefectRegion(l, sizes[l], map[p], p % width, p / width, minX[l], minY[l], maxX[l], maxY[l]));
		}
		kept.sort(Comparator.comparing(DefectRegion::peak).reversed().thenComparingInt(DefectRegion::label));
		// Relabel 1..k in that order; dropped regions leave the mask.
		int[] newLabel = new int[count + 1];
		List<DefectRegion> regions = new ArrayList<>();
		for (int i = 0; i < kept.size(); i++) {
			DefectRegion r = kept.get(i);
			newLabel[r.label()] = i + 1;
			regions.add(new DefectRegion(i + 1, r.area(), r.peak(), r.peakX(), r.peakY(), r.minX(), r.minY(), r.maxX(), r.maxY()));
		}
		byte[] mask = raw;
		for (int i = 0; i < n; i++) {
			int l = newLabel[labels[i]];
			labels[i] = l;
			mask[i] = l != 0 ? (byte) 255 : 0;
		}
		return new DefectRegions(mask, labels, List.copyOf(regions), width, height);
	}

	/** Defect mask: 255 on defects, 0 elsewhere. */
	public byte[] mask() {
		return mask;
	}

	/** Region label per pixel, 0 outside defects, {@code i + 1} for {@code regions().get(i)}. */
	public int[] labels() {
		return labels;
	}

	public List<DefectRegion> regions() {
		return regions;
	}

	public long totalArea() {
		return regions.stream().mapToLong(DefectRegion::area).sum();
	}

	public int width() {
		return width;
	}

	public int height() {
		return height;
	}
}
