"""XGBoost tuned with a time budget, the peer of bench/automl: random search over the usual ranges with 3-fold CV on
the training split, the best refitted on the whole training split, scored on the test split.

Usage: /usr/bin/python3 bench/automl/xgb_tune.py train.csv test.csv target task seconds seed
Prints one JSON line: {"metric": ..., "value": ..., "trials": ..., "seconds": ...}.
"""
import json
import math
import sys
import time

import numpy as np
import pandas as pd
import xgboost as xgb
from sklearn.metrics import mean_squared_error, roc_auc_score
from sklearn.model_selection import KFold, StratifiedKFold

train_path, test_path, target, task, budget, seed = sys.argv[1:7]
budget = float(budget)
rng = np.random.default_rng(int(seed))
train = pd.read_csv(train_path)
test = pd.read_csv(test_path)


def encode(frame, columns):
    out = frame[columns].copy()
    for c in out.columns:
        if out[c].dtype == object:
            out[c] = out[c].astype("category")
    return out


features = [c for c in train.columns if c != target]
categories = {c: sorted(set(train[c].dropna().astype(str)) | set(test[c].dropna().astype(str)))
              for c in features if train[c].dtype == object}
for frame in (train, test):
    for c, levels in categories.items():
        frame[c] = pd.Categorical(frame[c].astype(str).where(frame[c].notna()), categories=levels)
if task == "classification":
    classes = sorted(train[target].dropna().astype(str).unique())
    positive = classes[-1]
    y = (train[target].astype(str) == positive).astype(int).to_numpy()
    y_test = (test[target].astype(str) == positive).astype(int).to_numpy()
else:
    y = train[target].to_numpy(dtype=float)
    y_test = test[target].to_numpy(dtype=float)
X = train[features]
X_test = test[features]


def sample():
    return {
        "n_estimators": int(round(math.exp(rng.uniform(math.log(50), math.log(800))))),
        "max_depth": int(rng.integers(2, 11)),
        "learning_rate": math.exp(rng.uniform(math.log(0.005), math.log(0.3))),
        "min_child_weight": math.exp(rng.uniform(math.log(0.1), math.log(50))),
        "subsample": rng.uniform(0.5, 1),
        "colsample_bytree": rng.uniform(0.3, 1),
        "reg_lambda": math.exp(rng.uniform(math.log(0.001), math.log(30))),
    }


def model(params):
    common = dict(tree_method="hist", enable_categorical=True, n_jobs=2, random_state=int(seed), **params)
    if task == "classification":
        return xgb.XGBClassifier(**common)
    return xgb.XGBRegressor(**common)


def score(truth, predicted):
    if task == "classification":
        return roc_auc_score(truth, predicted)
    return math.sqrt(mean_squared_error(truth, predicted))


def predict(m, data):
    return m.predict_proba(data)[:, 1] if task == "classification" else m.predict(data)


better = (lambda a, b: a > b) if task == "classification" else (lambda a, b: a < b)
folds = (StratifiedKFold if task == "classification" else KFold)(n_splits=3, shuffle=True, random_state=int(seed))
start = time.time()
best, best_params, trials = None, None, 0
# Keep time for the final refit: stop sampling once 90% of the budget is gone.
while time.time() - start < budget * 0.9:
    params = sample()
    values = []
    for fit_rows, held_rows in folds.split(X, y):
        m = model(params).fit(X.iloc[fit_rows], y[fit_rows])
        values.append(score(y[held_rows], predict(m, X.iloc[held_rows])))
    trials += 1
    mean = float(np.mean(values))
    if best is None or better(mean, best):
        best, best_params = mean, params
final = model(best_params).fit(X, y)
value = score(y_test, predict(final, X_test))
print(json.dumps({"metric": "auc" if task == "classification" else "rmse", "value": value, "cv": best,
                  "trials": trials, "seconds": time.time() - start, "params": best_params}))
