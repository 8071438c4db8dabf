"""Freezes scikit-learn's random-forest and extra-trees holdout figures for the forest reference tests.

Run with Debian's interpreter (python3-sklearn 1.2, python3-pandas):
    /usr/bin/python3 packages/engine/scripts/reference/make_forest_fixtures.py /work/shared/data
from the repository root. It fits RandomForest* and ExtraTrees* on our seeded holdout split (the Python port of
validation/holdout-split.ts in make_fixtures.py) with the parameters the test passes to trainForestModel and writes
src/forest/__fixtures__/sklearn-forest.json. scikit-learn 1.2 takes neither missing values nor categories, so numbers
are median-imputed and categories one-hot encoded (fitted on the training rows); our trees split categories natively
and learn where missing values go, so the figures agree in accuracy, not tree by tree.
"""
import json
import math
import os
import sys

import numpy as np
import pandas as pd
import sklearn
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import ExtraTreesClassifier, ExtraTreesRegressor, RandomForestClassifier, RandomForestRegressor
from sklearn.impute import SimpleImputer
from sklearn.metrics import mean_squared_error, roc_auc_score
from sklearn.preprocessing import OrdinalEncoder

sys.path.insert(0, os.path.dirname(__file__))
from make_fixtures import holdout_split  # noqa: E402

DATA = sys.argv[1] if len(sys.argv) > 1 else '/work/shared/data'
REPO = os.path.join(os.path.dirname(__file__), '..', '..', '..', '..')
OUT = os.path.join(os.path.dirname(__file__), '..', '..', 'src', 'forest', '__fixtures__')
CREDIT = {'nTrees': 50, 'testFraction': 0.2, 'seeds': [42, 1, 2]}
DIAMONDS = {'nTrees': 10, 'minSamplesLeaf': 5, 'testFraction': 0.2, 'seed': 42}
# scikit-learn's own seeds: each figure is the mean over these fits (a forest of 10-50 trees moves between seeds).
SK_SEEDS = [0, 1, 2]


def load(path, target, classification):
    frame = pd.read_csv(path)
    frame = frame[frame[target].notna()].reset_index(drop=True)
    if classification:
        classes = sorted(frame[target].unique())
        y = np.array([classes.index(v) for v in frame[target]], dtype=float)
    else:
        y = frame[target].to_numpy(dtype=float)
    return frame.drop(columns=[target]), y


def design(x, train, test):
    category = [c for c in x.columns if x[c].dtype == object]
    numeric = [c for c in x.columns if c not in category]
    transformer = ColumnTransformer([
        ('number', SimpleImputer(strategy='median'), numeric),
        ('category', OrdinalEncoder(handle_unknown='use_encoded_value', unknown_value=-1), category),
    ], sparse_threshold=0)
    xt = x.copy()
    for c in category:
        xt[c] = xt[c].fillna('')
    return transformer.fit_transform(xt.iloc[train]), transformer.transform(xt.iloc[test])


def credit():
    x, y = load(os.path.join(REPO, 'examples', 'data', 'credit_data.csv'), 'Status', True)
    runs = []
    for seed in CREDIT['seeds']:
        train, test = holdout_split(len(y), CREDIT['testFraction'], seed, stratify=[int(v) for v in y])
        xtr, xte = design(x, train, test)
        auc = {}
        for name, model in [('forest', RandomForestClassifier), ('extraTrees', ExtraTreesClassifier)]:
            values = []
            for sk_seed in SK_SEEDS:
                fitted = model(n_estimators=CREDIT['nTrees'], max_features='sqrt', n_jobs=1, random_state=sk_seed)
                fitted.fit(xtr, y[train])
                values.append(roc_auc_score(y[test], fitted.predict_proba(xte)[:, 1]))
            auc[name] = float(np.mean(values))
        runs.append({'seed': seed, 'testRows': len(test), 'testHead': test[:20], 'auc': auc})
    return {'data': 'examples/data/credit_data.csv', 'target': 'Status', 'params': CREDIT, 'runs': runs}


def diamonds():
    x, y = load(os.path.join(DATA, 'diamonds.csv'), 'price', False)
    train, test = holdout_split(len(y), DIAMONDS['testFraction'], DIAMONDS['seed'])
    xtr, xte = design(x, train, test)
    rmse = {}
    for name, model in [('forest', RandomForestRegressor), ('extraTrees', ExtraTreesRegressor)]:
        values = []
        for sk_seed in SK_SEEDS:
            fitted = model(n_estimators=DIAMONDS['nTrees'], min_samples_leaf=DIAMONDS['minSamplesLeaf'],
                           max_features=1.0, n_jobs=1, random_state=sk_seed)
            fitted.fit(xtr, y[train])
            values.append(math.sqrt(mean_squared_error(y[test], fitted.predict(xte))))
        rmse[name] = float(np.mean(values))
    return {'data': 'diamonds.csv (the shared data folder)', 'target': 'price', 'params': DIAMONDS,
            'testRows': len(test), 'testHead': test[:20], 'rmse': rmse}


if __name__ == '__main__':
    os.makedirs(OUT, exist_ok=True)
    payload = {'generator': 'packages/engine/scripts/reference/make_forest_fixtures.py',
               'sklearn': sklearn.__version__,
               'note': 'median imputation and one-hot categories for scikit-learn; means over random_state 0, 1, 2',
               'credit': credit(), 'diamonds': diamonds()}
    with open(os.path.join(OUT, 'sklearn-forest.json'), 'w') as f:
        json.dump(payload, f, indent=1)
        f.write('\n')
