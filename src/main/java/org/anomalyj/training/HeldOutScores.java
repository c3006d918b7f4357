package org.anomalyj.training;

import org.anomalyj.features.FeatureSession;
import org.anomalyj.method.AnomalyMethod;
import org.anomalyj.method.AnomalyMethodPlugin;
import org.anomalyj.method.DefectPatches;
import org.anomalyj.method.TrainingSet;
import org.anomalyj.model.AnomalyModel;
import org.anomalyj.model.Categories;
import org.anomalyj.model.Thresholds;
import org.anomalyj.task.Progress;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Image scores and anomaly-map maxima of good images, each scored by a model that did not train on
 * it: what the conformal thresholds are calibrated on; with each image's pooled features, which
 * tell the part it shows in a model of several ({@link Categories}). Computed
 * from stored features, so the backbone runs once per image.
 */
public record HeldOutScores(float[] imageScores, float[] mapMaxima, float[][] pooled) {

	/** The image scores, map maxima and pooled features of one scored batch. */
	public static HeldOutScores of(AnomalyModel.Scored s) {
		int n = s.imageScores().length;
		float[] maxima = new float[n];
		for (int i = 0; i < n; i++) {
			float max = Float.NEGATIVE_INFINITY;
			for (float v : s.maps()[i]) max = Math.max(max, v);
			maxima[i] = max;
		}
		return new HeldOutScores(s.imageScores().clone(), maxima, s.pooled().clone());
	}

	/** Each image's part among {@code categories}, the nearest by pooled features, or {@code forced} (an index) for all when it is not -1. */
	public int[] assign(Categories categories, int forced) {
		int[] out = new int[imageScores.length];
		for (int i = 0; i < out.length; i++) out[i] = forced >= 0 ? forced : categories.nearest(pooled[i]);
		return out;
	}

	/** Scores of {@code held}'s images by {@code method}. */
	public static HeldOutScores of(AnomalyMethod method, FeatureSession session, FeatureSession.Extracted held, int batchSize, Progress progress) {
		List<HeldOutScores> parts = new ArrayList<>();
		session.score(method, held, batchSize, progress, (from, scored) -> parts.add(of(scored)));
		return concat(parts);
	}

	/** The scores of several sets of images, in order. */
	public static HeldOutScores concat(List<HeldOutScores> parts) {
		int n = 0;
		for (HeldOutScores p : parts) n += p.imageScores.length;
		float[] scores = new float[n], maxima = new float[n];
		float[][] pooled = new float[n][];
		int at = 0;
		for (HeldOutScores p : parts) {
			System.arraycopy(p.imageScores, 0, scores, at, p.imageScores.length);
			System.arraycopy(p.mapMaxima, 0, maxima, at, p.mapMaxima.length);
			System.arraycopy(p.pooled, 0, pooled, at, p.pooled.length);
			at += p.imageScores.length;
		}
		return new HeldOutScores(scores, maxima, pooled);
	}

	/**
	 * Out-of-fold scores of every image of {@code all}: the images are dealt to {@code folds} folds
	 * in a seeded random order, and each fold is scored by a method fitted on the other folds (with
	 * fewer images than folds, leave-one-out). Needs at least two images.
	 */
	public static HeldOutScores crossfit(AnomalyMethodPlugin plugin, JsonObject methodSettings, long seed, FeatureSession session,
		FeatureSession.Extracted all, int folds, int batchSize, Progress progress) {
		return crossfit(plugin, methodSettings, seed, session, all, DefectPatches.NONE, folds, batchSize, progress, "calibration folds");
	}

	/**
	 * As above, every fold's method also given the labelled defect patches the model itself trains
	 * with, and progress reported as {@code stage}.
	 */
	public static HeldOutScores crossfit(AnomalyMethodPlugin plugin, JsonObject methodSettings, long seed, FeatureSession session,
		FeatureSession.Extracted all, DefectPatches defects, int folds, int batchSize, Progress progress, String stage) {
		int n = all.rows().images();
		if (n < 2) throw new IllegalArgumentException("cross-fitting needs at least 2 images, got " + n);
		int k = Math.min(folds, n);
		int[][] parts = folds(n, k, seed);
		float[] scores = new float[n], maxima = new float[n];
		float[][] pooled = new float[n][];
		for (int j = 0; j < k; j++) {
			progress.update(stage, j, k);
			int[] held = parts[j];
			int[] rest = new int[n - held.length];
			for (int f = 0, r = 0; f < k; f++)
				if (f != j) for (int i : parts[f]) rest[r++] = i;
			Arrays.sort(rest);
			HeldOutScores s;
			try (AnomalyMethod foldMethod = plugin.train(TrainingSet.withDefects(session.trainingSet(all.subset(rest), batchSize, progress), defects), methodSettings,
				seed, progress)) {
				s = of(foldMethod, session, all.subset(held), batchSize, progress);
			}
			for (int i = 0; i < held.length; i++) {
				scores[held[i]] = s.imageScores()[i];
				maxima[held[i]] = s.mapMaxima()[i];
				pooled[held[i]] = s.pooled()[i];
			}
		}
		progress.update(stage, k, k);
		return new HeldOutScores(scores, maxima, pooled);
	}

	/** {@code k} folds of {@code 0..n-1}: a seeded shuffle dealt round-robin, each fold sorted. */
	static int[][] folds(int n, int k, long seed) {
		List<Integer> order = new ArrayList<>();
		for (int i = 0; i < n; i++) order.add(i);
		Collections.shuffle(order, new Random(seed));
		int[][] folds = new int[k][];
		for (int j = 0; j < k; j++) {
			int size = n / k + (j < n % k ? 1 : 0);
			folds[j] = new int[size];
			for (int i = 0; i < size; i++) folds[j][i] = order.get(j + i * k);
			Arrays.sort(folds[j]);
		}
		return folds;
	}

	public Thresholds thresholds(double alpha, String calibration) {
		return Thresholds.calibrate(imageScores, mapMaxima, alpha, calibration);
	}
}
