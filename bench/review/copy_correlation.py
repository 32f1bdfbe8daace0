"""Are the review's near copies copies? For every pair in each near group of a review JSON
(`wavebench review --json`, or bench/review/run.mjs --keep-json), the largest normalised
cross-correlation of the two waveforms over lags up to +-100 ms (scipy.signal.correlate): a copy of
one take at another gain and offset is near 1, two takes of one speaker well below (0.4-0.9), two
noise clips near 0. Prints one line a pair with the check(s) that found its group, then counts.
Run: python3 bench/review/copy_correlation.py REVIEW.json [--min 0.95]
"""
import json
import sys

import numpy as np
import soundfile as sf
from scipy.signal import correlate

MAX_LAG_S = 0.1
review = json.load(open(sys.argv[1]))
cut = float(sys.argv[sys.argv.index("--min") + 1]) if "--min" in sys.argv else 0.95
folder = review["folder"].rstrip("/") + "/"
counts = {}
for g in review["duplicates"]:
    if g["kind"] != "near":
        continue
    how = "+".join(g.get("found", ["embedding"]))
    paths = g["paths"]
    for i in range(len(paths)):
        for j in range(i + 1, len(paths)):
            x, rx = sf.read(paths[i], dtype="float64")
            y, ry = sf.read(paths[j], dtype="float64")
            if x.ndim > 1:
                x = x.mean(axis=1)
            if y.ndim > 1:
                y = y.mean(axis=1)
            lag = int(MAX_LAG_S * rx)
            c = correlate(x, y, mode="full", method="fft")
            mid = len(y) - 1
            window = np.abs(c[max(0, mid - lag) : mid + lag + 1])
            norm = np.sqrt((x * x).sum() * (y * y).sum())
            r = float(window.max() / norm) if norm > 0 else 0.0
            k = counts.setdefault(how, [0, 0])
            k[0] += 1
            k[1] += r >= cut
            print(f"{how:16s} {r:.3f}  {paths[i].replace(folder, '')}  {paths[j].replace(folder, '')}")
for how, (n, hit) in sorted(counts.items()):
    print(f"{how}: {n} pairs, {hit} with correlation >= {cut}")
