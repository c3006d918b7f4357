#!/usr/bin/python3
"""Generates the reference fixtures for org.anomalyj.image tests with Pillow (and numpy).

Run from this folder:  /usr/bin/python3 make_fixtures.py
Tested with Pillow 9.4.0 and numpy 1.24 (Debian 12 packages). Deterministic (fixed seeds).

Outputs
- pil_resize.json: float images (mode "F") resized by Image.resize with BILINEAR and NEAREST, and
  the source index NEAREST picks for a few size pairs.
- preprocess.json: whole preprocessing cases: raw pixels -> scale to [0,1] with an intensity range
  (clip, NaN -> 0) -> float32 -> Image.resize(BILINEAR) per channel -> optional x*2-1, as CHW.
- small image files whose pixel values follow formulas the Java tests recompute (see each writer).
"""
import json

import numpy as np
from PIL import Image


def f32list(a):
	# Shortest decimal that parses back to the same float32 (Java: Float.parseFloat), keeps the JSON small.
	return [float(np.format_float_positional(v, unique=True)) if np.isfinite(v) else None
		for v in np.asarray(a, dtype=np.float32).ravel()]


def resize_f(arr, w, h, method):
	return np.asarray(Image.fromarray(arr.astype(np.float32), mode="F").resize((w, h), method), dtype=np.float32)


def resize_cases():
	rng = np.random.default_rng(20261128)
	sizes = [((7, 5), (3, 2)), ((13, 11), (4, 6)), ((5, 4), (12, 9)), ((1, 1), (4, 4)), ((1, 1), (7, 5)),
		((10, 3), (4, 7)), ((37, 23), (8, 8)), ((30, 20), (7, 9)), ((8, 8), (8, 8)), ((2, 3), (16, 10)),
		((45, 19), (16, 16)), ((10, 10), (3, 3)), ((40, 30), (10, 8))]
	cases = []
	for (sw, sh), (dw, dh) in sizes:
		src = rng.uniform(-1.0, 2.0, size=(sh, sw)).astype(np.float32)
		cases.append({"srcW": sw, "srcH": sh, "dstW": dw, "dstH": dh, "src": f32list(src),
			"bilinear": f32list(resize_f(src, dw, dh, Image.BILINEAR)),
			"nearest": f32list(resize_f(src, dw, dh, Image.NEAREST))})
	# Source index of NEAREST along one axis: resize an image whose value is its x index.
	index_cases = []
	for src_n, dst_n in [(10, 3), (3, 10), (565, 256), (256, 565), (230, 256), (900, 256), (256, 900), (7, 7), (1, 5), (5, 1), (49, 7), (7, 49)]:
		ramp = np.tile(np.arange(src_n, dtype=np.float32), (1, 1))
		out = resize_f(ramp, dst_n, 1, Image.NEAREST)
		index_cases.append({"src": src_n, "dst": dst_n, "index": [int(v) for v in out.ravel()]})
	return {"resize": cases, "nearestIndex": index_cases}


def scale(raw, lo, hi):
	t = (raw.astype(np.float64) - lo) / (hi - lo)
	t = np.where(np.isnan(t), 0.0, t)
	return np.clip(t, 0.0, 1.0).astype(np.float32)


def pipeline(raw_chw, lo, hi, size, symmetric):
	out = []
	for ch in raw_chw:
		r = resize_f(scale(ch, lo, hi), size, size, Image.BILINEAR)
		if symmetric:
			r = r * np.float32(2) - np.float32(1)
		out.append(r)
	if len(out) == 1:
		out = out * 3
	return np.stack(out)


def preprocess_cases():
	rng = np.random.default_rng(7)
	cases = []
	u16 = rng.integers(0, 65536, size=(15, 20)).astype(np.uint16)
	cases.append({"name": "uint16 grey, range [1000, 50000], symmetric", "type": "uint16", "w": 20, "h": 15, "channels": 1,
		"raw": [int(v) for v in u16.ravel()], "lo": 1000.0, "hi": 50000.0, "size": 8, "normalization": "SYMMETRIC",
		"expected": f32list(pipeline([u16], 1000.0, 50000.0, 8, True))})
	rgb = rng.integers(0, 256, size=(3, 7, 9)).astype(np.uint8)
	cases.append({"name": "uint8 RGB, /255, unit", "type": "uint8", "w": 9, "h": 7, "channels": 3,
		"raw": [int(v) for v in rgb.ravel()], "lo": 0.0, "hi": 255.0, "size": 4, "normalization": "UNIT",
		"expected": f32list(pipeline(list(rgb), 0.0, 255.0, 4, False))})
	f = rng.uniform(-1.5, 2.5, size=(5, 6)).astype(np.float32)
	f[0, 0] = np.nan
	f[1, 2] = np.inf
	f[3, 4] = -np.inf
	f[4, 5] = np.nan
	cases.append({"name": "float grey with NaN and infinities, range [-1, 2], unit, upscaled", "type": "float32", "w": 6, "h": 5,
		"channels": 1, "raw": [None if np.isnan(v) else (float("inf") if v == np.inf else (float("-inf") if v == -np.inf else float(v))) for v in f.ravel()],
		"lo": -1.0, "hi": 2.0, "size": 9, "normalization": "UNIT",
		"expected": f32list(pipeline([f], -1.0, 2.0, 9, False))})
	g8 = rng.integers(0, 256, size=(23, 57)).astype(np.uint8)
	cases.append({"name": "uint8 grey, downscaled 57x23 to 16", "type": "uint8", "w": 57, "h": 23, "channels": 1,
		"raw": [int(v) for v in g8.ravel()], "lo": 0.0, "hi": 255.0, "size": 16, "normalization": "UNIT",
		"expected": f32list(pipeline([g8], 0.0, 255.0, 16, False))})
	return cases


def write_images():
	# 8-bit RGB: r = (40x + 7y) % 256, g = (3x + 50y) % 256, b = (11xy + 5) % 256
	w, h = 5, 4
	y, x = np.mgrid[0:h, 0:w]
	rgb = np.stack([(40 * x + 7 * y) % 256, (3 * x + 50 * y) % 256, (11 * x * y + 5) % 256], axis=-1).astype(np.uint8)
	Image.fromarray(rgb, "RGB").save("rgb_8bit.png")
	Image.fromarray(rgb, "RGB").save("rgb_8bit.bmp")
	Image.fromarray(rgb, "RGB").save("rgb_lzw.tif", compression="tiff_lzw")
	# same RGB with an alpha channel that must be dropped: a = 17x + 3y
	rgba = np.dstack([rgb, (17 * x + 3 * y).astype(np.uint8)])
	Image.fromarray(rgba, "RGBA").save("rgba.png")
	# 8-bit grey: v = 30x + 9y
	grey = (30 * x + 9 * y).astype(np.uint8)
	Image.fromarray(grey, "L").save("grey_8bit.bmp")
	Image.fromarray(grey, "L").save("grey_8bit.gif")
	# palette GIF with colours: index i = (x + y) % 4, palette i -> (60i, 255 - 50i, 20 + 30i)
	p = Image.fromarray(((x + y) % 4).astype(np.uint8), "P")
	pal = []
	for i in range(256):
		pal += [min(255, 60 * i), max(0, 255 - 50 * i), min(255, 20 + 30 * i)]
	p.putpalette(pal)
	p.save("palette.gif")
	# 16-bit grey: v = 10000x + 123y  (6x3)
	w16, h16 = 6, 3
	y16, x16 = np.mgrid[0:h16, 0:w16]
	g16 = (10000 * x16 + 123 * y16).astype(np.uint16)
	Image.fromarray(g16, "I;16").save("grey_16bit.png")
	Image.fromarray(g16, "I;16").save("grey_16bit.tif")
	Image.fromarray(g16, "I;16").save("grey_16bit_lzw.tif", compression="tiff_lzw")
	# 32-bit float: v = 0.5x - 1.25y, with NaN at (0,0), +inf at (1,1), -inf at (2,2)  (4x3)
	yf, xf = np.mgrid[0:3, 0:4]
	f = (0.5 * xf - 1.25 * yf).astype(np.float32)
	f[0, 0], f[1, 1], f[2, 2] = np.nan, np.inf, -np.inf
	Image.fromarray(f, "F").save("float_nan.tif")
	# multi-page 8-bit: page k, v = 10k + x + 4y  (4x4, 3 pages)
	ys, xs = np.mgrid[0:4, 0:4]
	pages = [Image.fromarray((10 * k + xs + 4 * ys).astype(np.uint8), "L") for k in range(3)]
	pages[0].save("stack_3pages.tif", save_all=True, append_images=pages[1:])
	# calibrated TIFF: 300 dpi
	Image.fromarray(grey, "L").save("grey_300dpi.tif", dpi=(300, 300))


def jpeg_reference():
	# Mean per channel of a sample-data JPEG as Pillow decodes it; decoders differ slightly, means barely.
	path = "../../../../../../sample-data/ball_screw/test/good/01_200828110014_277500_315_crop_2.jpg"
	a = np.asarray(Image.open(path).convert("RGB"), dtype=np.float64)
	return {"file": "sample-data/ball_screw/test/good/01_200828110014_277500_315_crop_2.jpg",
		"width": a.shape[1], "height": a.shape[0], "mean": [float(a[..., c].mean()) for c in range(3)]}


if __name__ == "__main__":
	with open("pil_resize.json", "w") as fp:
		json.dump(resize_cases(), fp)
	with open("preprocess.json", "w") as fp:
		json.dump({"cases": preprocess_cases(), "jpeg": jpeg_reference()}, fp)
	write_images()
