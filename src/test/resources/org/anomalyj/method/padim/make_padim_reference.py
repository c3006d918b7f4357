"""Reference for PadimTest: per-position Gaussian fit and Mahalanobis distances with numpy.

Features are (N, D, h, w); the large common offset checks that the fit does not lose precision
to cancellation. Run with /usr/bin/python3 (numpy) from this folder; writes padim_reference.json.
"""
import json
import numpy as np

rng = np.random.default_rng(7)
D, h, w, eps = 5, 2, 3, 0.01
cases = {}
for name, n in (("many", 12), ("one", 1)):
    # Correlated channels around a large offset, in float32 as the network gives them.
    mix = rng.normal(size=(D, D))
    train = (rng.normal(size=(n, h, w, D)) @ mix + 1000.0).astype(np.float32)
    test = (rng.normal(size=(3, h, w, D)) @ mix * 1.5 + 1000.0).astype(np.float32)
    t64 = train.astype(np.float64)
    dist = np.zeros((3, h, w))
    for y in range(h):
        for x in range(w):
            v = t64[:, y, x, :]
            mu = v.mean(axis=0)
            cov = np.cov(v, rowvar=False, ddof=1) if n > 1 else np.zeros((D, D))
            inv = np.linalg.inv(cov + eps * np.eye(D))
            for i in range(3):
                d = test[i, y, x, :].astype(np.float64) - mu
                dist[i, y, x] = np.sqrt(d @ inv @ d)
    cases[name] = {
        "train": train.transpose(0, 3, 1, 2).ravel().tolist(),  # NCHW
        "test": test.transpose(0, 3, 1, 2).ravel().tolist(),
        "images": n,
        "distances": dist.ravel().tolist(),
    }
json.dump({"channels": D, "height": h, "width": w, "regularisation": eps, "cases": cases}, open("padim_reference.json", "w"))
