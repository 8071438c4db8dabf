"""Freezes target-encoding reference values for preprocess/target-encoding-reference.test.ts.

Run with Debian's interpreter (python3-pandas):
    /usr/bin/python3 packages/engine/scripts/reference/make_target_encoding_fixtures.py
from the repository root. scikit-learn 1.2 has no TargetEncoder (it arrived in 1.3), so the values are computed here
independently with pandas group-bys from the formulas scikit-learn 1.3 documents: smooth=m gives
(sum + m * prior) / (count + m); smooth="auto" gives l * mean + (1 - l) * prior with
l = count * var(y) / (count * var(y) + var(y | category)), population variances. Unlike scikit-learn, a missing
category encodes to the prior (scikit-learn treats missing as a category of its own). Out-of-fold values use the
fold assignment stored in the fixture: each row gets the mapping fitted on the other folds' rows, and a category (or a
missing value) not among them gets those rows' mean.
"""
import json
import os

import numpy as np
import pandas as pd

OUT = os.path.join(os.path.dirname(__file__), '..', '..', 'src', 'preprocess', '__fixtures__', 'target-encoding.json')
SMOOTHINGS = ['auto', 0, 1, 10]


def mapping(cats, y, categories, smooth):
    """Per-category encodings and the prior over the given rows (cats: category label or None)."""
    prior = float(np.mean(y))
    frame = pd.DataFrame({'c': cats, 'y': y})
    stats = frame.dropna(subset=['c']).groupby('c')['y'].agg(['count', 'sum', 'mean'])
    within = frame.dropna(subset=['c']).groupby('c')['y'].var(ddof=0)
    variance = float(np.var(y))
    values = []
    for c in categories:
        if c not in stats.index:
            values.append(prior)
            continue
        n, s, mean = stats.loc[c, 'count'], stats.loc[c, 'sum'], stats.loc[c, 'mean']
        if smooth == 'auto':
            denominator = variance * n + within[c]
            lam = variance * n / denominator if denominator > 0 else float('nan')
            values.append(prior if np.isnan(lam) else lam * mean + (1 - lam) * prior)
        else:
            values.append(prior if n + smooth == 0 else (s + smooth * prior) / (n + smooth))
    return prior, [float(v) for v in values]


def out_of_fold(cats, y, categories, folds, smooth):
    out = np.zeros(len(y))
    for f in sorted(set(folds)):
        train = folds != f
        prior, values = mapping(cats[train], y[train], categories, smooth)
        lookup = dict(zip(categories, values))
        for i in np.where(folds == f)[0]:
            out[i] = lookup.get(cats[i], prior) if cats[i] is not None else prior
    return [float(v) for v in out]


def main():
    rng = np.random.default_rng(7)
    n = 60
    categories = ['a', 'b', 'c', 'd', 'e', 'rare']
    weights = np.array([0.3, 0.25, 0.2, 0.1, 0.1, 0.0])
    cats = np.array(rng.choice(categories[:5], size=n, p=weights[:5] / weights[:5].sum()), dtype=object)
    cats[rng.choice(n, size=6, replace=False)] = None
    cats[11] = 'rare'  # one row: unseen whenever its own fold is held out
    effect = {'a': 0.0, 'b': 1.0, 'c': -1.0, 'd': 2.0, 'e': 0.5, 'rare': 3.0, None: 0.0}
    regression = np.array([effect[c] + rng.normal() for c in cats])
    binary = np.array([1.0 if effect[c] + rng.normal() > 0.5 else 0.0 for c in cats])
    multiclass = np.array([float(min(2, max(0, round(effect[c] + rng.normal() * 0.8)))) for c in cats])
    folds = rng.integers(0, 5, size=n)
    cases = []
    targets = {
        'regression': [regression],
        'binary': [binary],
        'multiclass': [(multiclass == k).astype(float) for k in range(3)],
    }
    for name, outputs in targets.items():
        for smooth in SMOOTHINGS:
            encoded = []
            for y in outputs:
                prior, values = mapping(cats, y, categories, smooth)
                encoded.append({'prior': prior, 'values': values,
                                'outOfFold': out_of_fold(cats, y, categories, folds, smooth)})
            cases.append({'target': name, 'smoothing': smooth, 'outputs': encoded})
    fixture = {
        'source': 'scripts/reference/make_target_encoding_fixtures.py (pandas ' + pd.__version__ + ')',
        'categories': categories,
        'rows': [c for c in cats],
        'y': {'regression': regression.tolist(), 'binary': binary.tolist(), 'multiclass': multiclass.tolist()},
        'folds': folds.tolist(),
        'cases': cases,
    }
    with open(OUT, 'w') as f:
        json.dump(fixture, f, indent=1)
        f.write('\n')


if __name__ == '__main__':
    main()
