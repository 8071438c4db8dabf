"""Freezes XGBoost's holdout figures for the GBDT reference tests.

Run with Debian's interpreter (python3-xgboost 1.7, python3-pandas, python3-sklearn):
    /usr/bin/python3 packages/engine/scripts/reference/make_gbdt_fixtures.py /work/shared/data
from the repository root. It trains XGBoost hist on our seeded holdout split (the Python port of
validation/holdout-split.ts in make_fixtures.py) with the parameters the test passes to trainGbdtModel, and writes
src/gbdt/__fixtures__/xgboost-reference.json. The tests read only that JSON, never Python.
"""
import json
import math
import os
import sys
import time

import numpy as np
import pandas as pd
import xgboost
from sklearn.metrics import log_loss, mean_absolute_error, mean_squared_error, roc_auc_score

sys.path.insert(0, os.path.dirname(__file__))
from make_fixtures import holdout_split  # noqa: E402

DATA = sys.argv[1] if len(sys.argv) > 1 else '/work/shared/data'
REPO = os.path.join(os.path.dirname(__file__), '..', '..', '..', '..')
OUT = os.path.join(os.path.dirname(__file__), '..', '..', 'src', 'gbdt', '__fixtures__')
PARAMS = {'nTrees': 100, 'maxDepth': 6, 'learningRate': 0.1, 'lambda': 1, 'maxBins': 256, 'seed': 42,
          'testFraction': 0.2}
CREDIT_SEEDS = [42, 1, 2, 3, 4, 5, 6, 7]
JOB_SEEDS = [42, 1, 2]


def load(path, target, classification):
    frame = pd.read_csv(path)
    for name in frame.columns:
        if name != target and frame[name].dtype == object:
            frame[name] = frame[name].astype('category')
    frame = frame[frame[target].notna()].reset_index(drop=True)
    if classification:
        classes = sorted(frame[target].unique())
        y = np.array([classes.index(v) for v in frame[target]], dtype=float)
    else:
        classes = None
        y = frame[target].to_numpy(dtype=float)
    return frame.drop(columns=[target]), y, classes


def fit(x, y, train, base_score, objective):
    model = xgboost.XGBClassifier if objective == 'binary:logistic' else xgboost.XGBRegressor
    booster = model(n_estimators=PARAMS['nTrees'], max_depth=PARAMS['maxDepth'],
                    learning_rate=PARAMS['learningRate'], reg_lambda=PARAMS['lambda'], reg_alpha=0,
                    min_child_weight=1, max_bin=PARAMS['maxBins'], tree_method='hist', enable_categorical=True,
                    max_cat_to_onehot=1, base_score=base_score, objective=objective, n_jobs=1, random_state=0)
    start = time.perf_counter()
    booster.fit(x.iloc[train], y[train])
    return booster, time.perf_counter() - start


def credit():
    """One fit per split seed: 891 test rows make a single AUC noisy (XGBoost itself moves by 0.003-0.01 between
    max_bin 255 and 256), so the test compares means over the seeds."""
    x, y, classes = load(os.path.join(REPO, 'examples', 'data', 'credit_data.csv'), 'Status', True)
    runs = []
    for seed in CREDIT_SEEDS:
        train, test = holdout_split(len(y), PARAMS['testFraction'], seed, stratify=[int(v) for v in y])
        booster, seconds = fit(x, y, train, float(np.mean(y[train])), 'binary:logistic')
        p = booster.predict_proba(x.iloc[test])[:, 1]
        runs.append({'seed': seed, 'testRows': len(test), 'testHead': test[:20], 'seconds': seconds,
                     'metrics': {'auc': roc_auc_score(y[test], p), 'logloss': log_loss(y[test], p)}})
    return {'data': 'examples/data/credit_data.csv', 'target': 'Status', 'classes': classes, 'runs': runs}


def job():
    """Multiclass: Job (4 classes) from the other credit columns, softmax from log class priors on three splits."""
    x, y, classes = load(os.path.join(REPO, 'examples', 'data', 'credit_data.csv'), 'Job', True)
    k = len(classes)
    runs = []
    for seed in JOB_SEEDS:
        train, test = holdout_split(len(y), PARAMS['testFraction'], seed, stratify=[int(v) for v in y])
        priors = np.log(np.bincount(y[train].astype(int), minlength=k) / len(train))
        booster = xgboost.XGBClassifier(n_estimators=PARAMS['nTrees'], max_depth=PARAMS['maxDepth'],
                                        learning_rate=PARAMS['learningRate'], reg_lambda=PARAMS['lambda'],
                                        min_child_weight=1, max_bin=PARAMS['maxBins'], tree_method='hist',
                                        enable_categorical=True, max_cat_to_onehot=1, objective='multi:softprob',
                                        n_jobs=1, random_state=0)
        booster.fit(x.iloc[train], y[train], base_margin=np.tile(priors, (len(train), 1)))
        p = booster.predict_proba(x.iloc[test], base_margin=np.tile(priors, (len(test), 1)))
        runs.append({'seed': seed, 'testRows': len(test), 'testHead': test[:20],
                     'metrics': {'auc_ovr': roc_auc_score(y[test], p, multi_class='ovr'),
                                 'logloss': log_loss(y[test], p, labels=list(range(k)))}})
    return {'data': 'examples/data/credit_data.csv', 'target': 'Job', 'classes': classes, 'runs': runs}


def diamonds():
    x, y, _ = load(os.path.join(DATA, 'diamonds.csv'), 'price', False)
    train, test = holdout_split(len(y), PARAMS['testFraction'], PARAMS['seed'])
    booster, seconds = fit(x, y, train, float(np.mean(y[train])), 'reg:squarederror')
    pred = booster.predict(x.iloc[test])
    return {'data': 'diamonds.csv (the shared data folder)', 'target': 'price', 'testRows': len(test),
            'testHead': test[:20], 'seconds': seconds,
            'metrics': {'rmse': math.sqrt(mean_squared_error(y[test], pred)),
                        'mae': mean_absolute_error(y[test], pred)}}


if __name__ == '__main__':
    os.makedirs(OUT, exist_ok=True)
    payload = {'generator': 'packages/engine/scripts/reference/make_gbdt_fixtures.py',
               'xgboost': xgboost.__version__, 'params': PARAMS,
               'note': 'hist, nthread 1, base_score = training mean, native categorical splits (partition)',
               'credit': credit(), 'job': job(), 'diamonds': diamonds()}
    with open(os.path.join(OUT, 'xgboost-reference.json'), 'w') as f:
        json.dump(payload, f, indent=1)
        f.write('\n')
