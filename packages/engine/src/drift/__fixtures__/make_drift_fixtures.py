"""Reference values for packages/engine/src/drift: SciPy's ks_2samp, chi2_contingency, chisquare, jensenshannon,
wasserstein_distance and norm.sf, and numpy's Sturges binning as Evidently uses it for PSI and Jensen-Shannon.

Run with Debian's interpreter (python3-scipy 1.10, python3-numpy 1.24):
    /usr/bin/python3 packages/engine/src/drift/__fixtures__/make_drift_fixtures.py > packages/engine/src/drift/__fixtures__/drift-reference.json

Samples are not stored: both sides regenerate them from a 32-bit LCG (drift-samples.ts is the TypeScript twin of
`sample` below); every value is an exact binary fraction, so both languages see the very same numbers.
"""
import json
import sys

import numpy as np
import scipy
from scipy import stats
from scipy.spatial import distance


def sample(seed, n, shape="normal", shift=0.0, scale=1.0, levels=0):
    x = seed & 0xFFFFFFFF
    out = []
    for _ in range(n):
        us = []
        for _ in range(12 if shape == "normal" else 1):
            x = (1664525 * x + 1013904223) & 0xFFFFFFFF
            us.append((x >> 8) / 16777216.0)
        if shape == "normal":
            v = sum(us) - 6.0
        elif shape == "uniform":
            v = us[0]
        elif shape == "skewed":
            v = us[0] * us[0]
        elif shape == "integer":
            v = float(int(us[0] * levels))
        else:
            raise ValueError(shape)
        out.append(v * scale + shift)
    return np.array(out)


def spec(seed, n, **kw):
    return {"seed": seed, "n": n, **kw}


def evidently_binned(ref, cur, fill):
    if len(np.unique(ref)) > 20:
        bins = np.histogram_bin_edges(np.concatenate([ref, cur]), bins="sturges")
        r = np.histogram(ref, bins)[0] / len(ref)
        c = np.histogram(cur, bins)[0] / len(cur)
    else:
        keys = sorted(set(np.unique(ref)) | set(np.unique(cur)))
        r = np.array([np.sum(ref == k) / len(ref) for k in keys])
        c = np.array([np.sum(cur == k) / len(cur) for k in keys])
    if fill:
        for arr in (r, c):
            m = min(arr[arr != 0])
            np.place(arr, arr == 0, m / 10**6 if m <= 0.0001 else 0.0001)
    return r, c, (len(bins) - 1 if len(np.unique(ref)) > 20 else None)


ks_cases = [
    ("exact, unequal sizes, no shift", spec(1, 50), spec(2, 70)),
    ("exact, unequal sizes, shifted", spec(3, 300), spec(4, 450, shift=0.25)),
    ("exact, equal sizes", spec(5, 200), spec(6, 200, shift=0.3)),
    ("exact, ties (integers)", spec(7, 400, shape="integer", levels=12), spec(8, 600, shape="integer", levels=13)),
    ("exact, largest sizes", spec(9, 1000), spec(10, 10000, shift=0.05)),
    ("exact, different shapes", spec(11, 2000, shape="uniform"), spec(12, 1500, shape="skewed")),
    ("asymptotic, no shift (Durbin)", spec(13, 12000), spec(14, 3000)),
    ("asymptotic, small shift", spec(15, 12000), spec(16, 3000, shift=0.04)),
    ("asymptotic, clear shift (Smirnov tail)", spec(17, 12000), spec(18, 3000, shift=0.12)),
    ("asymptotic, huge shift", spec(19, 11000), spec(20, 4000, shift=2.0)),
    ("asymptotic, n <= 140, Durbin", spec(21, 20), spec(22, 11000)),
    ("asymptotic, n <= 140, Pomeranz", spec(23, 60), spec(24, 10500, shift=0.25)),
    ("asymptotic, n <= 140, Smirnov", spec(25, 100), spec(26, 10200, shift=0.9)),
    ("asymptotic, Pelz-Good", spec(27, 100500), spec(28, 11000, shift=0.01)),
]
out = {"scipy": scipy.__version__, "numpy": np.__version__, "ks": [], "wasserstein": [], "chi2": [], "chisquare": [],
       "jensenshannon": [], "z": [], "binned": []}
for name, a, b in ks_cases:
    r = stats.ks_2samp(sample(**a), sample(**b))
    out["ks"].append({"name": name, "a": a, "b": b, "statistic": float(r.statistic), "pValue": float(r.pvalue)})

for name, a, b in [
    ("normal vs shifted normal", spec(31, 5000), spec(32, 7000, shift=0.3, scale=1.5)),
    ("uniform vs skewed", spec(33, 3000, shape="uniform"), spec(34, 2500, shape="skewed")),
    ("integers with ties", spec(35, 800, shape="integer", levels=7), spec(36, 900, shape="integer", levels=9)),
    ("one value each", spec(37, 1), spec(38, 1, shift=3.0)),
]:
    u, v = sample(**a), sample(**b)
    out["wasserstein"].append({"name": name, "a": a, "b": b, "distance": float(stats.wasserstein_distance(u, v)),
                               "referenceStd": float(np.std(u))})

for table in [
    [[10, 20], [30, 25]],
    [[1, 0], [0, 1]],
    [[120, 90, 40, 3], [110, 105, 30, 9]],
    [[5000, 4000, 1000], [480, 420, 95]],
    [[12, 7, 3, 1, 9], [2, 14, 6, 8, 1], [4, 4, 4, 4, 4]],
    [[100000, 2], [99990, 12]],
]:
    chi2, p, dof, expected = stats.chi2_contingency(np.array(table))
    out["chi2"].append({"table": table, "statistic": float(chi2), "pValue": float(p), "dof": int(dof),
                        "expected": np.asarray(expected).tolist()})

for observed, expected in [([16, 18, 16, 14, 12, 12], [16, 16, 16, 16, 16, 8]), ([50, 40, 10], [45.5, 45.5, 9.0])]:
    r = stats.chisquare(observed, expected)
    out["chisquare"].append({"observed": observed, "expected": expected, "statistic": float(r.statistic),
                             "pValue": float(r.pvalue)})

for p, q, base in [
    ([0.1, 0.2, 0.7], [0.3, 0.3, 0.4], None),
    ([1.0, 0.0], [0.5, 0.5], 2),
    ([3, 0, 5, 9, 1], [2, 6, 0, 9, 4], 2),
    ([0.25, 0.25, 0.25, 0.25], [0.25, 0.25, 0.25, 0.25], 2),
]:
    out["jensenshannon"].append({"p": p, "q": q, "base": base,
                                 "distance": float(distance.jensenshannon(p, q, base))})

for n1, x1, n2, x2 in [(1000, 120, 1500, 210), (400, 399, 600, 590), (100000, 50000, 20000, 10300)]:
    p1, p2 = x1 / n1, x2 / n2
    pooled = (p1 * n1 + p2 * n2) / (n1 + n2)
    z = (p1 - p2) / np.sqrt(pooled * (1 - pooled) * (1.0 / n1 + 1.0 / n2))
    out["z"].append({"n1": n1, "x1": x1, "n2": n2, "x2": x2, "z": float(z),
                     "pValue": float(2 * stats.norm.sf(abs(z)))})

for name, a, b in [
    ("continuous, shifted", spec(41, 20000), spec(42, 50000, shift=0.2)),
    ("continuous, same", spec(43, 5000, shape="skewed"), spec(44, 9000, shape="skewed")),
    ("few values", spec(45, 3000, shape="integer", levels=4), spec(46, 4000, shape="integer", levels=5)),
    ("empty bins", spec(47, 3000, shape="uniform"), spec(48, 2000, shape="uniform", scale=0.3)),
]:
    ref, cur = sample(**a), sample(**b)
    r, c, bins = evidently_binned(ref, cur, fill=True)
    psi = float(np.sum((r - c) * np.log(r / c)))
    r2, c2, _ = evidently_binned(ref, cur, fill=False)
    js = float(distance.jensenshannon(r2, c2, 2))
    out["binned"].append({"name": name, "a": a, "b": b, "bins": bins, "psi": psi, "jensenshannon": js})

json.dump(out, sys.stdout, indent=1)
sys.stdout.write("\n")
