"""Peer for bench/drift: the same per-column tests with SciPy and numpy, as Evidently computes them.

Usage: /usr/bin/python3 drift_peer.py DIR REFERENCE_ROWS CURRENT_ROWS COLUMNS FIRST_CATEGORY ROUNDS
Reads DIR/reference.f64 and DIR/current.f64 (column-major float64, NaN = missing) and prints one JSON line:
{"ms": [per round], "drifted": n}. Columns from FIRST_CATEGORY on are category codes.
"""
import json
import sys
import time

import numpy as np
from scipy import stats
from scipy.spatial import distance

folder, n_ref, n_cur, columns, first_category, rounds = sys.argv[1], *map(int, sys.argv[2:])
ref = np.fromfile(f"{folder}/reference.f64").reshape(columns, n_ref)
cur = np.fromfile(f"{folder}/current.f64").reshape(columns, n_cur)


def binned(r, c):
    if len(np.unique(r)) > 20:
        bins = np.histogram_bin_edges(np.concatenate([r, c]), bins="sturges")
        return np.histogram(r, bins)[0] / len(r), np.histogram(c, bins)[0] / len(c)
    keys = np.union1d(np.unique(r), np.unique(c))
    rv, rc = np.unique(r, return_counts=True)
    cv, cc = np.unique(c, return_counts=True)
    rp = np.zeros(len(keys)); rp[np.searchsorted(keys, rv)] = rc / len(r)
    cp = np.zeros(len(keys)); cp[np.searchsorted(keys, cv)] = cc / len(c)
    return rp, cp


times = []
drifted = 0
for _ in range(rounds):
    started = time.perf_counter()
    drifted = 0
    for j in range(columns):
        r = ref[j][~np.isnan(ref[j])]
        c = cur[j][~np.isnan(cur[j])]
        n_values = len(np.union1d(np.unique(r), np.unique(c)))
        if j < first_category and n_values > 5:
            score = stats.wasserstein_distance(r, c) / max(np.std(r), 0.001)
        else:
            rp, cp = binned(r, c)
            score = distance.jensenshannon(rp, cp, 2)
        drifted += score >= 0.1
    times.append((time.perf_counter() - started) * 1000)
print(json.dumps({"ms": times, "drifted": int(drifted)}))
