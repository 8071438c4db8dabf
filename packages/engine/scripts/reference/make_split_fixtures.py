"""Freezes scikit-learn's cross-validation splits where ours must agree index for index: KFold and StratifiedKFold
without shuffling, GroupKFold (up to 16 groups, where NumPy's argsort is stable) and TimeSeriesSplit.

Run with Debian's interpreter (python3-sklearn 1.2, numpy 1.24) from the repository root:
    /usr/bin/python3 packages/engine/scripts/reference/make_split_fixtures.py
It writes src/validation/__fixtures__/sklearn-splits.json, read by validation/sklearn-splits.test.ts.
"""
import json
import os

import numpy as np
import sklearn
from sklearn.model_selection import GroupKFold, KFold, StratifiedKFold, TimeSeriesSplit

OUT = os.path.join(os.path.dirname(__file__), '..', '..', 'src', 'validation', '__fixtures__', 'sklearn-splits.json')


def folds(splitter, x, y=None, groups=None):
    return [{'train': sorted(train.tolist()), 'test': sorted(test.tolist())}
            for train, test in splitter.split(x, y, groups)]


def main():
    rng = np.random.default_rng(20261127)
    out = {'generator': 'packages/engine/scripts/reference/make_split_fixtures.py', 'sklearn': sklearn.__version__,
           'numpy': np.__version__, 'kFold': [], 'stratifiedKFold': [], 'groupKFold': [], 'timeSeriesSplit': []}
    for n, k in [(10, 2), (10, 3), (7, 7), (23, 5), (101, 10)]:
        out['kFold'].append({'n': n, 'k': k, 'call': f'KFold({k}).split(range({n}))',
                             'folds': folds(KFold(k), np.zeros(n))})
    label_sets = {
        'balanced': np.repeat([0, 1], 10),
        'imbalanced': (rng.random(37) < 0.2).astype(int),
        'three_classes_interleaved': rng.integers(0, 3, 29),
        'first_appearance_order': np.array([2, 2, 0, 1, 2, 0, 0, 1, 2, 2, 1, 0, 2, 0]),
        'rare_class': np.array([0] * 12 + [5, 5]),
    }
    for name, labels in label_sets.items():
        for k in [2, 3, 5]:
            if np.all(np.bincount(labels) [np.bincount(labels) > 0] < k):
                continue
            out['stratifiedKFold'].append({'case': name, 'labels': labels.tolist(), 'k': k,
                                           'call': f'StratifiedKFold({k}).split(x, labels)',
                                           'folds': folds(StratifiedKFold(k), np.zeros(len(labels)), labels)})
    group_sets = {
        'distinct_sizes': np.repeat(np.arange(6), [5, 1, 3, 8, 2, 4]),
        'tied_sizes': np.repeat(np.arange(8), [3, 3, 2, 3, 2, 2, 1, 3]),
        'shuffled_codes': rng.permutation(np.repeat([4, 9, 1, 7, 3, 12, 0], [2, 6, 2, 3, 3, 1, 6])),
        'sixteen_groups': rng.integers(0, 16, 80),
    }
    for name, groups in group_sets.items():
        for k in [2, 3, 4]:
            out['groupKFold'].append({'case': name, 'groups': groups.tolist(), 'k': k,
                                      'call': f'GroupKFold({k}).split(x, groups=groups)',
                                      'folds': folds(GroupKFold(k), np.zeros(len(groups)), groups=groups)})
    for n, k, gap, test_size, max_train in [(6, 5, 0, None, None), (10, 3, 0, None, None), (12, 2, 2, None, None),
                                            (20, 4, 1, 3, None), (20, 3, 0, 2, 5), (100, 5, 3, 10, 30),
                                            (7, 2, 0, 3, None)]:
        splitter = TimeSeriesSplit(k, gap=gap, test_size=test_size, max_train_size=max_train)
        out['timeSeriesSplit'].append({'n': n, 'k': k, 'gap': gap, 'testSize': test_size, 'maxTrainSize': max_train,
                                       'call': repr(splitter), 'folds': folds(splitter, np.zeros(n))})
    with open(OUT, 'w') as f:
        json.dump(out, f, indent=1)
        f.write('\n')


if __name__ == '__main__':
    main()
