# Generates anomaly-map fixtures with SciPy: bilinear upsampling (half-pixel centres, as PyTorch's
# align_corners=False) followed by a Gaussian blur with mirror ("reflect" in kornia) borders.
# Run with Debian's python3 (numpy, scipy): /usr/bin/python3 make_fixtures.py
import json
import numpy as np
from scipy import ndimage

rng = np.random.default_rng(42)
grid = rng.random((8, 8)).astype(np.float64)
out, sigma = 64, 2.0

def bilinear_1d(n_in, n_out):
    m = np.zeros((n_out, n_in))
    scale = n_in / n_out
    for o in range(n_out):
        src = max(0.0, (o + 0.5) * scale - 0.5)
        i0 = min(int(np.floor(src)), n_in - 1)
        i1 = min(i0 + 1, n_in - 1)
        lam = src - i0
        m[o, i0] += 1 - lam
        m[o, i1] += lam
    return m

# The upsampling is checked independently against scipy's zoom-free formulation: map_coordinates
# with order=1 at the half-pixel source coordinates, clamped at the borders.
coords = np.clip((np.arange(out) + 0.5) * (8 / out) - 0.5, 0, 7)
yy, xx = np.meshgrid(coords, coords, indexing="ij")
up = ndimage.map_coordinates(grid, [yy, xx], order=1, mode="nearest")
assert np.allclose(up, bilinear_1d(8, out) @ grid @ bilinear_1d(8, out).T)
blurred = ndimage.gaussian_filter(up, sigma=sigma, mode="mirror", truncate=4.0)
json.dump({"grid": grid.ravel().tolist(), "out": out, "sigma": sigma,
           "upsampled": up.ravel().tolist(), "blurred": blurred.ravel().tolist()},
          open("anomaly_map_fixture.json", "w"))
