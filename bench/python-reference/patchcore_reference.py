#!/usr/bin/python3
"""Reference PatchCore in PyTorch + faiss, built to be timed side by side with AnomalyJ (issue 6).

A benchmark tool, not part of the product. It reimplements, independently of the Java code, what
AnomalyJ computes by default, so that the two can be checked against each other and timed on the
same machine:

* backbone: Keras MobileNetV2 (alpha 1.0) up to block_10, with the BN-folded weights embedded in
  AnomalyJ (src/main/resources/org/anomalyj/backbone/mobilenetv2/mobilenet_v2_block10.safetensors), read here
  with numpy; stride-2 layers are zero-padded as Keras' correct_pad ((0, 1) on an even axis,
  (1, 1) on an odd one) and then convolved "valid"; ReLU6 except on the linear projections;
* preprocessing: 8-bit RGB (grey replicated) divided by 255, each channel resized to 256 x 256 with
  Pillow BILINEAR on the float ("F") image, input range 0..1;
* patch features: taps block_5_add (stride 8, 32 channels) and block_10_project_BN (stride 16,
  96 channels), each averaged over 3 x 3 (stride 1, zero padding counted), the deeper one bilinearly
  upsampled (align_corners=False) to the 32 x 32 grid, concatenated: 128 channels per patch;
* coreset: greedy k-center over 10 % of the training patches as anomalib's KCenterGreedy (random
  start, one full torch distance pass per selected centre), by default in the original feature space
  like AnomalyJ (--projection anomalib adds anomalib's sparse random projection, eps 0.9);
* scoring: faiss IndexFlatL2 over the bank, queries one batch of 8 images at a time; patch score =
  sqrt of the squared L2 distance to the nearest bank row, image score = largest patch score.

Subcommands (see README.md beside this file for the exact commands):
  check-tfjs   backbone against the TF.js fixtures in src/test/resources (independent of AnomalyJ)
  verify       scores with the memory bank of an AnomalyJ model and compares with its scores.csv
  compare-features   features against a dump written by DumpFeatures.java
  bench        training (features + coreset) and scoring timings, text and JSON
"""

import argparse
import csv
import glob
import json
import os
import sys
import time
import zipfile

# Debian's OpenBLAS must be told the core type before it is loaded (see README); thread counts too.
os.environ.setdefault("OPENBLAS_CORETYPE", "SkylakeX")

REPO = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
WEIGHTS = os.path.join(REPO, "src/main/resources/org/anomalyj/backbone/mobilenetv2/mobilenet_v2_block10.safetensors")
TFJS_FIXTURES = os.path.join(REPO, "src/test/resources/org/anomalyj/backbone/mobilenetv2")
IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp")

TAPS = ("block_5_add", "block_10_project_BN")
INPUT_SIZE = 256
POOL = 3
BATCH = 8


def parse_args():
	p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
	p.add_argument("--threads", type=int, default=2, help="torch, faiss and OpenBLAS threads (default 2)")
	sub = p.add_subparsers(dest="command", required=True)

	sub.add_parser("check-tfjs", help="backbone against AnomalyJ's TF.js test fixtures")

	v = sub.add_parser("verify", help="score with an AnomalyJ model's bank, compare with AnomalyJ's scores.csv")
	v.add_argument("--model", required=True, help="AnomalyJ model zip (PatchCore, default features)")
	v.add_argument("--scored", required=True, nargs=2, action="append", metavar=("IMAGE_DIR", "SCORES_CSV"),
		help="a folder scored by `anomalyj score` and the scores.csv it wrote; repeat for several folders")
	v.add_argument("--json", help="write the comparison here")

	c = sub.add_parser("compare-features", help="features against a DumpFeatures.java dump")
	c.add_argument("--dump", required=True, help="prefix given to DumpFeatures.java (reads PREFIX.json, .input.f32, .features.f32)")

	b = sub.add_parser("bench", help="time training and scoring")
	b.add_argument("--data", required=True, help="MVTec-layout category folder (train/good, test/*)")
	b.add_argument("--coreset-centres", type=int, default=500,
		help="stop the greedy selection after this many centres and extrapolate (0: full selection)")
	b.add_argument("--projection", choices=("none", "anomalib"), default="none",
		help="coreset space: the features (as AnomalyJ) or anomalib's sparse random projection")
	b.add_argument("--coreset-update", choices=("anomalib", "matvec"), default="anomalib",
		help="per-centre distance pass: anomalib's |x - c| or precomputed norms and a matrix-vector product")
	b.add_argument("--seed", type=int, default=0)
	b.add_argument("--repeats", type=int, default=3, help="timed passes over the test set after the warm-up")
	b.add_argument("--model", help="score with this AnomalyJ model's bank instead of the bank trained here")
	b.add_argument("--json", help="write the figures here")
	return p.parse_args()


ARGS = parse_args()
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
	os.environ[var] = str(ARGS.threads)

import numpy as np  # noqa: E402  (after the environment is set)
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from PIL import Image  # noqa: E402

torch.set_num_threads(ARGS.threads)
torch.set_grad_enabled(False)


# ---------------------------------------------------------------- safetensors and model files

SAFETENSORS_DTYPES = {"F32": np.float32, "F16": np.float16, "F64": np.float64, "I64": np.int64, "I32": np.int32, "U8": np.uint8, "I8": np.int8}


def read_safetensors(data):
	"""bytes -> (metadata dict, {name: numpy array}); format: u64 LE header length, JSON header, raw data."""
	n = int.from_bytes(data[:8], "little")
	header = json.loads(data[8:8 + n].decode("utf-8"))
	body = memoryview(data)[8 + n:]
	meta = header.pop("__metadata__", {})
	tensors = {}
	for name, t in header.items():
		begin, end = t["data_offsets"]
		a = np.frombuffer(body[begin:end], dtype=np.dtype(SAFETENSORS_DTYPES[t["dtype"]]).newbyteorder("<"))
		tensors[name] = a.reshape(t["shape"])
	return meta, tensors


def read_anomalyj_model(path):
	"""AnomalyJ model zip -> (manifest, tensors)."""
	with zipfile.ZipFile(path) as z:
		manifest = json.loads(z.read("manifest.json"))
		_, tensors = read_safetensors(z.read("tensors.safetensors"))
	return manifest, tensors


def check_default_features(manifest, path):
	"""The reference implements AnomalyJ's default features only; refuse anything else."""
	f = manifest["features"]
	found = (manifest["backbone"]["id"], manifest["input_size"], f["normalization"], tuple(f["taps"]), f["pool"])
	wanted = ("mobilenet_v2-nsfwjs-4.4.0", INPUT_SIZE, "unit", TAPS, POOL)
	if found != wanted:
		sys.exit(f"{path}: model uses {found}; this reference implements {wanted} only")
	if manifest["method"] != "patchcore" or manifest["patchcore"].get("reweight"):
		sys.exit(f"{path}: not a plain PatchCore model (method {manifest['method']}, reweight)")


# ---------------------------------------------------------------- backbone

# (prefix, expansion t, input channels, output channels, stride): Keras MobileNetV2 alpha 1.0 to block_10.
BLOCKS = [
	("expanded_conv", 1, 32, 16, 1),
	("block_1", 6, 16, 24, 2), ("block_2", 6, 24, 24, 1),
	("block_3", 6, 24, 32, 2), ("block_4", 6, 32, 32, 1), ("block_5", 6, 32, 32, 1),
	("block_6", 6, 32, 64, 2), ("block_7", 6, 64, 64, 1), ("block_8", 6, 64, 64, 1), ("block_9", 6, 64, 64, 1),
	("block_10", 6, 64, 96, 1),
]


def correct_pad(size):
	"""Keras' correct_pad for a 3x3 stride-2 conv along an axis: TF 'same' puts the odd pixel after."""
	return (0, 1) if size % 2 == 0 else (1, 1)


class MobileNetV2Taps:
	"""Forward pass to the deepest requested tap, returning {tap: NCHW tensor}."""

	def __init__(self, path=WEIGHTS):
		with open(path, "rb") as fh:
			meta, tensors = read_safetensors(fh.read())
		self.meta = meta
		self.w = {k: torch.from_numpy(np.array(v, dtype=np.float32)) for k, v in tensors.items()}
		self.layers = []  # (conv name, stride, depthwise, relu6, tap emitted after it or None)
		self.layers.append(("Conv1", 2, False, True))
		self.blocks = []
		for prefix, t, cin, cout, s in BLOCKS:
			convs = []
			if t != 1:
				convs.append((prefix + "_expand", 1, False, True))
			convs.append((prefix + "_depthwise", s, True, True))
			convs.append((prefix + "_project", 1, False, False))
			self.blocks.append((prefix, convs, s == 1 and cin == cout))
		expected = 2 * (1 + sum(len(c) for _, c, _ in self.blocks))
		if len(self.w) != expected:
			raise ValueError(f"{path}: expected {expected} tensors, found {len(self.w)}")

	def conv(self, x, name, stride, depthwise, relu6):
		w, b = self.w[name + ".weight"], self.w[name + ".bias"]
		if stride == 2:
			ph, pw = correct_pad(x.shape[2]), correct_pad(x.shape[3])
			x = F.pad(x, (pw[0], pw[1], ph[0], ph[1]))
			pad = 0
		else:
			pad = w.shape[2] // 2
		y = F.conv2d(x, w, b, stride=stride, padding=pad, groups=x.shape[1] if depthwise else 1)
		return torch.clamp(y, 0.0, 6.0) if relu6 else y

	def forward(self, x, taps=TAPS):
		wanted, out = set(taps), {}
		x = self.conv(x, "Conv1", 2, False, True)
		for prefix, convs, residual in self.blocks:
			block_input = x
			for name, s, dw, relu in convs:
				x = self.conv(x, name, s, dw, relu)
				tap = name + ("_relu" if relu else "_BN")
				if tap in wanted:
					out[tap] = x
			if residual:
				x = block_input + x
				if prefix + "_add" in wanted:
					out[prefix + "_add"] = x
			if len(out) == len(wanted):
				return out
		raise ValueError(f"taps not reached: {wanted - set(out)}")


def embed(net, x):
	"""(N, 3, 256, 256) in 0..1 -> (N, 128, 32, 32) locally aware patch features."""
	maps = net.forward(x, TAPS)
	parts = [F.avg_pool2d(maps[t], POOL, stride=1, padding=POOL // 2, count_include_pad=True) for t in TAPS]
	grid = parts[0].shape[-2:]
	parts = [p if p.shape[-2:] == grid else F.interpolate(p, size=grid, mode="bilinear", align_corners=False) for p in parts]
	return torch.cat(parts, 1)


def as_rows(features):
	"""(N, D, h, w) -> (N*h*w, D), row-major grid order per image."""
	n, d, h, w = features.shape
	return features.permute(0, 2, 3, 1).reshape(n * h * w, d)


# ---------------------------------------------------------------- images


def load_input(path, size=INPUT_SIZE):
	"""Image file -> (3, size, size) float32 in 0..1, as AnomalyJ's Preprocessor for 8-bit images."""
	img = Image.open(path)
	if img.mode == "RGBA":
		img = img.convert("RGB")
	if img.mode not in ("RGB", "L"):
		raise ValueError(f"{path}: image mode {img.mode}; this reference reads 8-bit grey and RGB only")
	a = np.asarray(img)
	channels = [a] if a.ndim == 2 else [a[:, :, c] for c in range(3)]
	out = np.empty((3, size, size), np.float32)
	for c, ch in enumerate(channels):
		f = Image.fromarray(ch.astype(np.float32) / np.float32(255), mode="F")
		out[c] = np.asarray(f.resize((size, size), Image.BILINEAR))
	if len(channels) == 1:
		out[1] = out[0]
		out[2] = out[0]
	return out


def image_files(folder):
	return sorted(p for p in glob.glob(os.path.join(folder, "*")) if p.lower().endswith(IMAGE_EXTENSIONS))


def test_files(category):
	files = []
	for sub in sorted(os.listdir(os.path.join(category, "test"))):
		files += image_files(os.path.join(category, "test", sub))
	return files


# ---------------------------------------------------------------- coreset


def sparse_random_projection(x, eps=0.9, seed=0):
	"""anomalib's SparseRandomProjection: JL target dimension (may exceed the input's), density 1/sqrt(d)."""
	n, d = x.shape
	k = int(4 * np.log(n) / (eps ** 2 / 2 - eps ** 3 / 3))
	rng = np.random.default_rng(seed)
	density = 1 / np.sqrt(d)
	m = np.zeros((k, d), np.float32)
	for i in range(k):
		cols = rng.choice(d, size=rng.binomial(d, density), replace=False)
		m[i, cols] = rng.integers(0, 2, size=len(cols)) * 2 - 1
	m *= np.sqrt(1 / density) / np.sqrt(k)
	return x @ torch.from_numpy(m).T


def java_splittable_random_first_int(seed, bound):
	"""java.util.SplittableRandom(seed).nextInt(bound): AnomalyJ's coreset start, to compare selections."""
	mask = (1 << 64) - 1
	state = seed & mask

	def next_int():
		nonlocal state
		state = (state + 0x9E3779B97F4A7C15) & mask
		z = ((state ^ (state >> 33)) * 0x62A9D9ED799705F5) & mask
		r = (((z ^ (z >> 28)) * 0xCB24D0A5C88C35B3) & mask) >> 32
		return r - (1 << 32) if r >= 1 << 31 else r

	r, m = next_int(), bound - 1
	if bound & m == 0:
		return r & m
	u = (r & 0xFFFFFFFF) >> 1
	while True:
		r = u % bound
		if u + m - r < 1 << 31:
			return r
		u = (next_int() & 0xFFFFFFFF) >> 1


def greedy_coreset(features, k, seed=0, max_centres=0, progress=None, start=None, update="anomalib", block=50):
	"""
	anomalib's KCenterGreedy loop: a random start, then per centre one full pass over all points,
	min_d = min(min_d, d(x, c)), and the next centre = argmax min_d. update="anomalib" computes
	d = |x - c| as anomalib does (a fresh n x dim temporary per centre); update="matvec" computes
	d^2 = |x|^2 - 2 x.c + |c|^2 from precomputed norms into preallocated buffers (same loop, less
	memory traffic). With max_centres > 0 the loop stops after that many centres so that the full
	time can be extrapolated: every centre costs the same full pass.
	Returns (indices selected, loop seconds, centres timed, seconds of each block of `block` centres).
	"""
	n = features.shape[0]
	idx = int(torch.randint(n, (1,), generator=torch.Generator().manual_seed(seed))) if start is None else start
	selected = [idx]
	stop = k if max_centres <= 0 else min(k, max_centres)
	if update == "anomalib":
		state = {"min_d": None}

		def distances(c):
			d = torch.linalg.norm(features - features[c], ord=2, dim=1, keepdim=True)
			state["min_d"] = d if state["min_d"] is None else torch.minimum(state["min_d"], d)
			return state["min_d"]
	else:
		norms = (features * features).sum(1)
		buf = torch.empty_like(norms)
		min_d = torch.full_like(norms, float("inf"))

		def distances(c):
			centre = features[c]
			torch.mv(features, centre, out=buf)
			buf.mul_(-2).add_(norms).add_(float(centre @ centre))
			return torch.minimum(min_d, buf, out=min_d)
	blocks = []
	t0 = tb = time.perf_counter()
	for i in range(1, stop):
		min_d = distances(idx)
		idx = int(torch.argmax(min_d))
		min_d[idx] = 0
		selected.append(idx)
		if i % block == 0:
			t = time.perf_counter()
			blocks.append(t - tb)
			tb = t
		if progress and i % 1000 == 0:
			progress(f"coreset {i}/{k}")
	return selected, time.perf_counter() - t0, stop - 1, blocks


# ---------------------------------------------------------------- scoring


def faiss_index(bank):
	import faiss
	faiss.omp_set_num_threads(ARGS.threads)
	index = faiss.IndexFlatL2(bank.shape[1])
	index.add(np.ascontiguousarray(bank, dtype=np.float32))
	return index


def search(index, rows, n_images):
	"""Rows of one batch -> (patch scores (N, h*w), image scores (N))."""
	d2, _ = index.search(np.ascontiguousarray(rows.numpy()), 1)
	patch = np.sqrt(np.maximum(d2[:, 0], 0)).reshape(n_images, -1)
	return patch, patch.max(1)


def score_files(net, index, files):
	scores = []
	for i in range(0, len(files), BATCH):
		chunk = files[i:i + BATCH]
		x = torch.from_numpy(np.stack([load_input(f) for f in chunk]))
		_, s = search(index, as_rows(embed(net, x)), len(chunk))
		scores += list(s)
	return scores


# ---------------------------------------------------------------- subcommands


def cmd_check_tfjs():
	net = MobileNetV2Taps()
	x = np.fromfile(os.path.join(TFJS_FIXTURES, "nsfw_mnv2.input.f32"), "<f4").reshape(1, 224, 224, 3)
	out = net.forward(torch.from_numpy(x).permute(0, 3, 1, 2).contiguous(), TAPS)
	result = {}
	for tap in TAPS:
		ours = out[tap].permute(0, 2, 3, 1).numpy().ravel()
		ref = np.fromfile(os.path.join(TFJS_FIXTURES, f"nsfw_mnv2.{tap}.f32"), "<f4")
		diff = float(np.abs(ours - ref).max())
		result[tap] = {"max_abs_diff": diff, "max_abs_value": float(np.abs(ref).max())}
		print(f"{tap}: max |ours - TF.js| = {diff:.3g} (largest |value| {np.abs(ref).max():.3g})")
	if max(r["max_abs_diff"] for r in result.values()) > 1e-4:
		sys.exit("backbone differs from TF.js by more than 1e-4")
	return result


def cmd_verify():
	manifest, tensors = read_anomalyj_model(ARGS.model)
	check_default_features(manifest, ARGS.model)
	bank = tensors["memory_bank"].astype(np.float32)
	print(f"bank {bank.shape[0]} x {bank.shape[1]} from {ARGS.model}")
	rows = []
	for folder, csv_path in ARGS.scored:
		with open(csv_path, newline="") as fh:
			for r in csv.DictReader(fh):
				if r["status"] == "ok":
					rows.append((os.path.join(folder, r["file"]), float(r["score"])))
	net, index = MobileNetV2Taps(), faiss_index(bank)
	ours = score_files(net, index, [f for f, _ in rows])
	rel = [abs(o - a) / abs(a) for o, (_, a) in zip(ours, rows)]
	worst = int(np.argmax(rel))
	report = {
		"images": len(rows), "max_rel_diff": float(max(rel)), "mean_rel_diff": float(np.mean(rel)),
		"max_abs_diff": float(max(abs(o - a) for o, (_, a) in zip(ours, rows))),
		"worst": {"file": rows[worst][0], "anomalyj": rows[worst][1], "reference": float(ours[worst])},
	}
	print(json.dumps(report, indent=1))
	if ARGS.json:
		with open(ARGS.json, "w") as fh:
			json.dump(report, fh, indent=1)
	if report["max_rel_diff"] > 1e-3:
		sys.exit("image scores differ by more than 1e-3 relative")


def cmd_compare_features():
	with open(ARGS.dump + ".json") as fh:
		info = json.load(fh)
	files, shape = info["files"], info["feature_shape"]
	theirs_in = np.fromfile(ARGS.dump + ".input.f32", "<f4").reshape(len(files), 3, INPUT_SIZE, INPUT_SIZE)
	theirs = np.fromfile(ARGS.dump + ".features.f32", "<f4").reshape(shape)
	x = np.stack([load_input(f) for f in files])
	ours = embed(MobileNetV2Taps(), torch.from_numpy(x)).numpy()
	# Same input into our network isolates the network + aggregation from the preprocessing.
	ours_same_input = embed(MobileNetV2Taps(), torch.from_numpy(np.ascontiguousarray(theirs_in))).numpy()
	scale = float(np.abs(theirs).max())
	report = {
		"images": len(files), "feature_shape": shape,
		"input_max_abs_diff": float(np.abs(x - theirs_in).max()),
		"features_max_abs_diff": float(np.abs(ours - theirs).max()),
		"features_max_abs_diff_relative_to_max": float(np.abs(ours - theirs).max()) / scale,
		"features_rel_frobenius": float(np.linalg.norm(ours - theirs) / np.linalg.norm(theirs)),
		"patch_vectors_max_rel_l2": float((np.linalg.norm(as_rows(torch.from_numpy(ours - theirs)).numpy(), axis=1)
			/ np.linalg.norm(as_rows(torch.from_numpy(theirs)).numpy(), axis=1)).max()),
		"same_input_features_max_abs_diff": float(np.abs(ours_same_input - theirs).max()),
		"largest_feature_value": scale,
	}
	print(json.dumps(report, indent=1))


def cmd_bench():
	import faiss
	env = {
		"python": sys.version.split()[0], "torch": torch.__version__, "faiss": faiss.__version__,
		"threads": ARGS.threads, "torch_threads": torch.get_num_threads(),
		"OPENBLAS_CORETYPE": os.environ.get("OPENBLAS_CORETYPE"), "openblas_core": openblas_core(),
		"load_average_start": os.getloadavg(),
	}
	result = {"environment": env, "gemm_2048_gflops": gemm_rate()}
	print(f"torch {env['torch']}, faiss {env['faiss']}, {ARGS.threads} threads, OpenBLAS core {env['openblas_core']}; "
		f"2048^3 matmul {result['gemm_2048_gflops']:.0f} GFLOP/s")
	net = MobileNetV2Taps()
	warm = torch.from_numpy(np.stack([load_input(f) for f in image_files(os.path.join(ARGS.data, "train", "good"))[:BATCH]]))
	for _ in range(2):
		embed(net, warm)

	# Training: features of every training image, then the coreset.
	train = image_files(os.path.join(ARGS.data, "train", "good"))
	t_decode = t_embed = 0.0
	cpu0 = time.process_time()
	feats = []
	for i in range(0, len(train), BATCH):
		t0 = time.perf_counter()
		x = torch.from_numpy(np.stack([load_input(f) for f in train[i:i + BATCH]]))
		t1 = time.perf_counter()
		feats.append(as_rows(embed(net, x)).contiguous())
		t2 = time.perf_counter()
		t_decode += t1 - t0
		t_embed += t2 - t1
	features = torch.cat(feats)
	cpu_features = time.process_time() - cpu0
	n, dim = features.shape
	k = int(n * 0.1)
	cpu0 = time.process_time()
	t0 = time.perf_counter()
	space = sparse_random_projection(features, seed=ARGS.seed) if ARGS.projection == "anomalib" else features
	t_setup = time.perf_counter() - t0
	# With an AnomalyJ model, start where AnomalyJ started so that the selections can be compared.
	start = java_splittable_random_first_int(ARGS.seed, n) if ARGS.model else None
	selected, t_loop, timed, blocks = greedy_coreset(space, k, ARGS.seed, ARGS.coreset_centres, progress=lambda s: print(s, flush=True), start=start,
		update=ARGS.coreset_update)
	cpu_coreset = time.process_time() - cpu0
	full = len(selected) == k
	coreset_s = t_setup + (t_loop if full else t_loop / timed * (k - 1))
	# The fastest block of 50 centres estimates what a quiet machine would take (no other jobs).
	best_block_ms = 1e3 * min(blocks) / 50 if blocks else float("nan")
	result["training"] = {
		"images": len(train), "patches": n, "dim": dim, "coreset_size": k,
		"decode_resize_s": t_decode, "embedding_s": t_embed, "feature_extraction_s": t_decode + t_embed,
		"coreset_space_dim": int(space.shape[1]), "coreset_projection": ARGS.projection, "coreset_update": ARGS.coreset_update,
		"coreset_s": coreset_s, "coreset_measured": full,
		"coreset_centres_timed": timed, "coreset_ms_per_centre": 1e3 * t_loop / max(timed, 1),
		"coreset_ms_per_centre_best_block_of_50": best_block_ms,
		"coreset_s_at_best_block_rate": t_setup + best_block_ms / 1e3 * (k - 1),
		"training_s": t_decode + t_embed + coreset_s,
		"cpu_s": {"feature_extraction": cpu_features, "coreset_timed_part": cpu_coreset},
	}
	tr = result["training"]
	print(f"training: {len(train)} images, {n} patches x {dim}; decode+resize {t_decode:.2f} s, embedding {t_embed:.2f} s "
		f"(features {t_decode + t_embed:.2f} s); coreset ({ARGS.coreset_update}) {k} of {n} in {space.shape[1]}-d: {coreset_s:.1f} s "
		+ ("measured" if full else f"extrapolated from {timed} centres at {tr['coreset_ms_per_centre']:.2f} ms each")
		+ f" (fastest 50: {best_block_ms:.2f} ms each, {tr['coreset_s_at_best_block_rate']:.0f} s at that rate)"
		+ f"; process CPU {cpu_features:.1f} s for the features")

	# Scoring: the bank trained here if complete, else (or on request) an AnomalyJ model's bank.
	if ARGS.model:
		manifest, tensors = read_anomalyj_model(ARGS.model)
		check_default_features(manifest, ARGS.model)
		bank, bank_source = tensors["memory_bank"].astype(np.float32), ARGS.model
		if manifest["training"]["patches"] == n and ARGS.projection == "none":
			# AnomalyJ's start is a virtual centre, not in its bank; its bank lists the picks in order.
			ours = features[selected[1:]].numpy()
			same = np.abs(ours - bank[:len(ours)]).max(1) <= 1e-4 * np.abs(bank[:len(ours)]).max()
			agree = len(ours) if same.all() else int(np.argmin(same))
			tr["coreset_first_centres_equal_to_anomalyj"] = {"compared": len(ours), "identical_prefix": agree}
			print(f"coreset: the first {agree} of {len(ours)} centres selected here are AnomalyJ's first {agree}")
	elif full:
		bank, bank_source = features[selected].numpy(), "trained here"
	else:
		# A partial coreset would make the search cheaper than the real one: pad with random rows to size k.
		g = np.random.default_rng(ARGS.seed)
		rest = g.choice(np.setdiff1d(np.arange(n), selected), size=k - len(selected), replace=False)
		bank, bank_source = features[np.concatenate([selected, rest])].numpy(), "partial coreset padded with random patches to full size"
	index = faiss_index(bank)
	test = test_files(ARGS.data)
	search(index, as_rows(embed(net, warm)), len(warm))  # warm-up of faiss too
	passes = []
	for _ in range(ARGS.repeats):
		t_dec = t_emb = t_srch = 0.0
		cpu0 = time.process_time()
		for i in range(0, len(test), BATCH):
			chunk = test[i:i + BATCH]
			t0 = time.perf_counter()
			x = torch.from_numpy(np.stack([load_input(f) for f in chunk]))
			t1 = time.perf_counter()
			rows = as_rows(embed(net, x)).contiguous()
			t2 = time.perf_counter()
			search(index, rows, len(chunk))
			t3 = time.perf_counter()
			t_dec += t1 - t0
			t_emb += t2 - t1
			t_srch += t3 - t2
		m = len(test)
		passes.append({"decode_resize_ms": 1e3 * t_dec / m, "embedding_ms": 1e3 * t_emb / m, "search_ms": 1e3 * t_srch / m,
			"total_ms": 1e3 * (t_dec + t_emb + t_srch) / m, "cpu_ms": 1e3 * (time.process_time() - cpu0) / m})
	best = min(passes, key=lambda p: p["total_ms"])
	result["scoring"] = {"images": len(test), "batch": BATCH, "bank_size": int(bank.shape[0]), "bank_source": bank_source,
		"search_gflop_per_image": 2.0 * (INPUT_SIZE // 8) ** 2 * bank.shape[0] * bank.shape[1] / 1e9,
		"per_image_best_pass": best, "passes": passes}
	print(f"scoring: {len(test)} test images, batch {BATCH}, bank {bank.shape[0]} ({bank_source}); per image, best of {len(passes)} passes: "
		f"decode+resize {best['decode_resize_ms']:.1f} ms, embedding {best['embedding_ms']:.1f} ms, "
		f"search {best['search_ms']:.1f} ms, total {best['total_ms']:.1f} ms (process CPU {best['cpu_ms']:.1f} ms)")
	env["load_average_end"] = os.getloadavg()
	if ARGS.json:
		with open(ARGS.json, "w") as fh:
			json.dump(result, fh, indent=1)
		print(f"figures in {ARGS.json}")


def gemm_rate(size=2048, repeats=5):
	a, b = torch.randn(size, size), torch.randn(size, size)
	a @ b
	best = min(timed(lambda: a @ b) for _ in range(repeats))
	return 2.0 * size ** 3 / best / 1e9


def timed(f):
	t0 = time.perf_counter()
	f()
	return time.perf_counter() - t0


def openblas_core():
	try:
		import ctypes
		lib = ctypes.CDLL("libopenblas.so.0")
		lib.openblas_get_corename.restype = ctypes.c_char_p
		return lib.openblas_get_corename().decode()
	except OSError:
		return None


if __name__ == "__main__":
	{"check-tfjs": cmd_check_tfjs, "verify": cmd_verify, "compare-features": cmd_compare_features, "bench": cmd_bench}[ARGS.command]()
