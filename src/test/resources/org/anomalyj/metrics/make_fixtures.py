# Reference values for the org.anomalyj.metrics tests.
#   binary_cases.json: roc_auc_score, average_precision_score and the F1 maximum of
#                      precision_recall_curve (anomalib's F1Max) from scikit-learn.
#   pixel_cases.json:  pixel AUROC/AP from scikit-learn and AUPRO from a faithful copy of the MVTec AD
#                      evaluation code (compute_pro + trapezoid of mvtec_ad_evaluation), plus
#                      image-level values with image score = max of the map.
# Scores are float32 so Java and Python see identical values; many are rounded to create ties.
# Run with Debian's python3 (numpy, scipy, sklearn): /usr/bin/python3 make_fixtures.py
import json
import os
from bisect import bisect

import numpy as np
from scipy.ndimage import gaussian_filter, label
from sklearn.metrics import average_precision_score, precision_recall_curve, roc_auc_score, roc_curve

HERE = os.path.dirname(os.path.abspath(__file__))


def f1_max(labels, scores):
    precision, recall, thresholds = precision_recall_curve(labels, scores)
    with np.errstate(invalid="ignore", divide="ignore"):
        f1 = 2 * precision * recall / (precision + recall)
    f1 = np.nan_to_num(f1, nan=0.0)
    i = int(np.argmax(f1))  # first maximum = lowest threshold (thresholds ascend)
    assert i < len(thresholds)
    return float(f1[i]), float(thresholds[i])


def f32(values):
    """Shortest float32 repr: Java's Float.parseFloat reads back the identical float."""
    return [float(str(np.float32(v))) for v in values]


def binary_expected(labels, scores):
    scores = scores.astype(np.float32).astype(np.float64)
    f1, threshold = f1_max(labels, scores)
    expected = {"auroc": roc_auc_score(labels, scores), "ap": average_precision_score(labels, scores),
                "f1Max": f1, "f1Threshold": threshold}
    if len(scores) <= 1000:
        # Every distinct threshold's point, to check the Java curve's (thinned) points against.
        fpr, tpr, _ = roc_curve(labels, scores, drop_intermediate=False)
        expected.update(rocFpr=fpr.tolist(), rocTpr=tpr.tolist())
    return expected


# ---- MVTec AD evaluation: compute_pro and trapezoid, kept as in the original ----

def compute_pro(anomaly_maps, ground_truth_maps):
    structure = np.ones((3, 3), dtype=int)
    num_ok_pixels = 0
    num_gt_regions = 0
    shape = (len(anomaly_maps), anomaly_maps[0].shape[0], anomaly_maps[0].shape[1])
    fp_changes = np.zeros(shape, dtype=np.uint32)
    pro_changes = np.zeros(shape, dtype=np.float64)
    for gt_ind, gt_map in enumerate(ground_truth_maps):
        labeled, n_components = label(gt_map, structure)
        num_gt_regions += n_components
        ok_mask = labeled == 0
        num_ok_pixels += np.sum(ok_mask)
        fp_change = np.zeros_like(gt_map, dtype=fp_changes.dtype)
        fp_change[ok_mask] = 1
        pro_change = np.zeros_like(gt_map, dtype=np.float64)
        for k in range(n_components):
            region_mask = labeled == (k + 1)
            pro_change[region_mask] = 1. / np.sum(region_mask)
        fp_changes[gt_ind, :, :] = fp_change
        pro_changes[gt_ind, :, :] = pro_change
    anomaly_scores_flat = np.array(anomaly_maps).ravel()
    fp_changes_flat = fp_changes.ravel()
    pro_changes_flat = pro_changes.ravel()
    sort_idxs = np.argsort(anomaly_scores_flat).astype(np.uint32)[::-1]
    np.take(anomaly_scores_flat, sort_idxs, out=anomaly_scores_flat)
    anomaly_scores_sorted = anomaly_scores_flat
    np.take(fp_changes_flat, sort_idxs, out=fp_changes_flat)
    fp_changes_sorted = fp_changes_flat
    np.take(pro_changes_flat, sort_idxs, out=pro_changes_flat)
    pro_changes_sorted = pro_changes_flat
    np.cumsum(fp_changes_sorted, out=fp_changes_sorted)
    fp_changes_sorted = fp_changes_sorted.astype(np.float32, copy=False)
    np.divide(fp_changes_sorted, num_ok_pixels, out=fp_changes_sorted)
    fprs = fp_changes_sorted
    np.cumsum(pro_changes_sorted, out=pro_changes_sorted)
    np.divide(pro_changes_sorted, num_gt_regions, out=pro_changes_sorted)
    pros = pro_changes_sorted
    # Merge (FPR, PRO) points that occur together at the same threshold: keep the last one.
    keep_mask = np.append(np.diff(anomaly_scores_sorted) != 0, np.True_)
    fprs = fprs[keep_mask]
    pros = pros[keep_mask]
    np.clip(fprs, a_min=None, a_max=1., out=fprs)
    np.clip(pros, a_min=None, a_max=1., out=pros)
    zero = np.array([0.])
    one = np.array([1.])
    return np.concatenate((zero, fprs, one)), np.concatenate((zero, pros, one))


def trapezoid(x, y, x_max=None):
    x = np.array(x)
    y = np.array(y)
    finite_mask = np.logical_and(np.isfinite(x), np.isfinite(y))
    x = x[finite_mask]
    y = y[finite_mask]
    correction = 0.
    if x_max is not None:
        if x_max not in x:
            ins = bisect(x, x_max)
            assert 0 < ins < len(x)
            y_interp = y[ins - 1] + ((y[ins] - y[ins - 1]) * (x_max - x[ins - 1]) / (x[ins] - x[ins - 1]))
            correction = 0.5 * (y_interp + y[ins - 1]) * (x_max - x[ins - 1])
        mask = x <= x_max
        x = x[mask]
        y = y[mask]
    return np.sum(0.5 * (y[1:] + y[:-1]) * (x[1:] - x[:-1])) + correction


def calculate_au_pro(gts, predictions, integration_limit):
    fprs, pros = compute_pro(anomaly_maps=predictions, ground_truth_maps=gts)
    return trapezoid(fprs, pros, x_max=integration_limit) / integration_limit


# ---- cases ----

def binary_cases():
    cases = []
    rng = np.random.default_rng(7)

    labels = rng.random(1000) < 0.3
    scores = np.round(rng.normal(size=1000) + 1.2 * labels, 1).astype(np.float32)
    cases.append(("rounded_1000", labels, scores))

    labels = rng.random(300) < 0.5
    scores = np.clip(rng.integers(0, 8, 300) + 2 * labels, 0, 9).astype(np.float32)
    cases.append(("integers_300", labels, scores))

    labels = rng.random(5000) < 0.1
    scores = (rng.normal(size=5000) + 1.5 * labels).astype(np.float32)
    cases.append(("continuous_5000", labels, scores))

    # sklearn's documentation example: AUROC 0.75, AP 0.8333.
    cases.append(("sklearn_doc", np.array([0, 0, 1, 1], bool), np.array([0.1, 0.4, 0.35, 0.8], np.float32)))

    labels = rng.random(40) < 0.4
    cases.append(("all_tied", labels, np.full(40, 0.5, np.float32)))

    # -0.0 and 0.0 must tie (numpy's diff says they are equal).
    labels = rng.random(200) < 0.5
    scores = rng.choice(np.array([-1.0, -0.0, 0.0, 0.5, 2.0], np.float32), 200)
    cases.append(("signed_zeros", labels, scores))

    out = []
    for name, labels, scores in cases:
        out.append({"name": name, "scores": f32(scores), "labels": [int(b) for b in labels],
                    "expected": binary_expected(labels, scores)})
    return out


def blob_mask(rng, h, w, n_blobs):
    mask = np.zeros((h, w), np.uint8)
    yy, xx = np.mgrid[0:h, 0:w]
    for _ in range(n_blobs):
        cy, cx = rng.uniform(0, h), rng.uniform(0, w)
        ry, rx = rng.uniform(1.0, 5.0), rng.uniform(1.0, 6.0)
        mask[((yy - cy) / ry) ** 2 + ((xx - cx) / rx) ** 2 <= 1] = 1
    return mask


def pixel_case(name, seed, n_images, h, w, decimals):
    rng = np.random.default_rng(seed)
    masks = []
    for i in range(n_images):
        masks.append(np.zeros((h, w), np.uint8) if i % 3 == 0 else blob_mask(rng, h, w, int(rng.integers(1, 4))))
    # Two single pixels touching only diagonally: one region under 8-connectivity.
    masks[1][2, 2] = 1
    masks[1][3, 3] = 1
    maps = []
    for m in masks:
        s = gaussian_filter(rng.normal(size=(h, w)) * 1.5 + 0.5 * m, sigma=1.0)
        if decimals is not None:
            s = np.round(s, decimals)
        maps.append(s.astype(np.float32))
    image_scores = np.array([m.max() for m in maps], np.float32)
    image_labels = np.array([bool(m.any()) for m in masks])

    pixel_scores = np.concatenate([m.ravel() for m in maps]).astype(np.float64)
    pixel_labels = np.concatenate([m.ravel() for m in masks]).astype(bool)
    gts = [m.astype(bool) for m in masks]
    preds = [m.astype(np.float32) for m in maps]
    aupro = {str(limit): float(calculate_au_pro(gts, [p.copy() for p in preds], limit))
             for limit in (0.3, 0.1, 0.05, 1.0)}
    image = binary_expected(image_labels, image_scores)
    return {
        "name": name, "width": w, "height": h,
        "images": [{"scores": f32(m.ravel()), "mask": [int(v) for v in k.ravel()],
                    "imageScore": f32([s])[0], "anomalous": bool(a)}
                   for m, k, s, a in zip(maps, masks, image_scores, image_labels)],
        "expected": {
            "regionsPerImage": [int(label(m, np.ones((3, 3), int))[1]) for m in masks],
            "pixelAuroc": roc_auc_score(pixel_labels, pixel_scores),
            "pixelAp": average_precision_score(pixel_labels, pixel_scores),
            "aupro": aupro,
            "imageAuroc": image["auroc"], "imageF1Max": image["f1Max"], "imageF1Threshold": image["f1Threshold"],
        },
    }


if __name__ == "__main__":
    with open(os.path.join(HERE, "binary_cases.json"), "w") as f:
        json.dump(binary_cases(), f)
    with open(os.path.join(HERE, "pixel_cases.json"), "w") as f:
        json.dump([pixel_case("blobs_rounded", 11, 12, 24, 32, 2),
                   pixel_case("blobs_continuous", 12, 9, 20, 28, None)], f)
