"""The peer for bench/glm: scikit-learn's imputer + scaler + one-hot + (logistic) regression on the same data.

Run with Debian's interpreter (/usr/bin/python3, package python3-sklearn). Prints one JSON line per data set.
"""
import csv
import json
import sys
import time

import numpy as np
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.metrics import mean_squared_error, roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler


def load(path, target):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    columns = list(zip(*body))
    numeric, categorical, y = {}, {}, None
    for name, values in zip(header, columns):
        if name == target:
            y = values
            continue
        try:
            numeric[name] = np.array([float(v) if v != "" else np.nan for v in values])
        except ValueError:
            categorical[name] = np.array([v if v != "" else "__missing__" for v in values], dtype=object)
    return numeric, categorical, y


def main(path, target, task, lam, repeats):
    numeric, categorical, y_raw = load(path, target)
    names = list(numeric) + list(categorical)
    X = np.empty((len(y_raw), len(names)), dtype=object)
    for j, name in enumerate(names):
        X[:, j] = numeric[name] if name in numeric else categorical[name]
    num_idx = list(range(len(numeric)))
    cat_idx = list(range(len(numeric), len(names)))
    pre = ColumnTransformer(
        [
            ("num", make_pipeline(SimpleImputer(strategy="mean"), StandardScaler()), num_idx),
            ("cat", OneHotEncoder(handle_unknown="ignore"), cat_idx),
        ]
    )
    if task == "classification":
        classes = sorted(set(y_raw))
        y = np.array([classes.index(v) for v in y_raw])
        n_train = int(round(len(y) * 0.8))
        model = LogisticRegression(C=1.0 / (n_train * lam), tol=1e-9, max_iter=10_000)
        stratify = y
    else:
        y = np.array([float(v) for v in y_raw])
        n_train = int(round(len(y) * 0.8))
        model = Ridge(alpha=n_train * lam, tol=1e-9)
        stratify = None
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42, stratify=stratify)
    times = []
    for _ in range(repeats):
        pipe = make_pipeline(pre, model)
        start = time.perf_counter()
        pipe.fit(X_train, y_train)
        if task == "classification":
            score = roc_auc_score(y_test, pipe.predict_proba(X_test)[:, 1])
        else:
            score = mean_squared_error(y_test, pipe.predict(X_test)) ** 0.5
        times.append((time.perf_counter() - start) * 1000)
    print(json.dumps({"ms": sorted(times)[len(times) // 2], "score": score}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4]), int(sys.argv[5]))
