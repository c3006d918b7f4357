#!/usr/bin/python3
"""Rebuilds sample-data/ball_screw from the full BSData ball_screw copy in ../shared.

Run from the repository root:  /usr/bin/python3 sample-data/make_subset.py [SOURCE]
SOURCE defaults to ../shared/datasets/bsdata/ball_screw. Files are copied byte for byte.

Selection (deterministic, no randomness):
- only images of 565x230 pixels, the crop geometry of almost all training images, so that the
  subset is one consistent inspection setup;
- train/good: 40 images spread evenly over the name-sorted list (names start with a timestamp,
  so this spreads them over the whole recording period);
- test/good: 6 images chosen the same way from test/good;
- test/pitting: the spindle position and angle are part of the name (..._<position>_<angle>_crop_2);
  for every position/angle the image with the largest pitting mask is taken, and the 8 positions
  whose largest pitting is largest are kept: 8 clearly visible pittings at 8 different places.
"""
import os
import shutil
import sys

import numpy as np
from PIL import Image

SIZE = (565, 230)
N_TRAIN, N_TEST_GOOD, N_PITTING = 40, 6, 8


def images_of_size(folder):
	names = sorted(n for n in os.listdir(folder) if n.endswith(".jpg"))
	return [n for n in names if Image.open(os.path.join(folder, n)).size == SIZE]


def spread(names, k):
	"""k names at evenly spaced positions of the sorted list."""
	return [names[(i * len(names)) // k] for i in range(k)]


def mask_name(image_name):
	return image_name[:-len(".jpg")] + "_mask.png"


def main():
	src = sys.argv[1] if len(sys.argv) > 1 else "../shared/datasets/bsdata/ball_screw"
	dst = os.path.join(os.path.dirname(os.path.abspath(__file__)), "ball_screw")
	if os.path.exists(dst):
		shutil.rmtree(dst)

	chosen = {
		"train/good": spread(images_of_size(os.path.join(src, "train/good")), N_TRAIN),
		"test/good": spread(images_of_size(os.path.join(src, "test/good")), N_TEST_GOOD),
	}
	best = {}
	for name in images_of_size(os.path.join(src, "test/pitting")):
		mask = np.array(Image.open(os.path.join(src, "ground_truth/pitting", mask_name(name))))
		area = int((mask > 0).sum())
		place = "_".join(name.split("_")[2:4])
		if place not in best or area > best[place][0]:
			best[place] = (area, name)
	top = sorted(best.values(), key=lambda an: (-an[0], an[1]))[:N_PITTING]
	chosen["test/pitting"] = sorted(name for _, name in top)
	for area, name in top:
		print(f"pitting {name}: {area} mask pixels")

	for sub, names in chosen.items():
		os.makedirs(os.path.join(dst, sub))
		for n in names:
			shutil.copyfile(os.path.join(src, sub, n), os.path.join(dst, sub, n))
	os.makedirs(os.path.join(dst, "ground_truth/pitting"))
	for n in chosen["test/pitting"]:
		shutil.copyfile(os.path.join(src, "ground_truth/pitting", mask_name(n)),
			os.path.join(dst, "ground_truth/pitting", mask_name(n)))
	shutil.copyfile(os.path.join(src, "..", "LICENSE"), os.path.join(os.path.dirname(dst), "LICENSE"))


if __name__ == "__main__":
	main()
