"""Peers for bench/gbdt on the synthetic set: XGBoost hist and scikit-learn HistGradientBoosting, 2 threads.

Same rows as ours: the first 80 % train, the rest test (make_classification already shuffles). Prints JSON lines.
"""
import json
import os
import sys
import time

os.environ.setdefault("OMP_NUM_THREADS", "2")

import numpy as np  # noqa: E402
from sklearn.metrics import roc_auc_score  # noqa: E402

data = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".data", "synthetic-1m")
meta = json.load(open(os.path.join(data, "meta.json")))
X = np.fromfile(os.path.join(data, "X.f64"), dtype="<f8").reshape(meta["rows"], meta["features"])
y = np.fromfile(os.path.join(data, "y.f64"), dtype="<f8")
n = meta["train_rows"]
X_train, X_test, y_train, y_test = X[:n], X[n:], y[:n], y[n:]
which = sys.argv[1:] or ["xgboost", "sklearn"]

if "xgboost" in which:
    import xgboost as xgb

    start = time.perf_counter()
    dtrain = xgb.DMatrix(X_train, label=y_train, nthread=2)
    model = xgb.train(
        {
            "objective": "binary:logistic",
            "tree_method": "hist",
            "max_depth": 6,
            "eta": 0.1,
            "max_bin": 256,
            "lambda": 1.0,
            "nthread": 2,
        },
        dtrain,
        num_boost_round=100,
    )
    seconds = time.perf_counter() - start
    auc = roc_auc_score(y_test, model.inplace_predict(X_test))
    print(json.dumps({"peer": f"xgboost {xgb.__version__} hist", "train_s": seconds, "auc": auc}))

if "sklearn" in which:
    import sklearn
    from sklearn.ensemble import HistGradientBoostingClassifier

    start = time.perf_counter()
    model = HistGradientBoostingClassifier(
        max_iter=100, max_depth=6, learning_rate=0.1, max_bins=255, early_stopping=False, random_state=0
    ).fit(X_train, y_train)
    seconds = time.perf_counter() - start
    auc = roc_auc_score(y_test, model.predict_proba(X_test)[:, 1])
    print(json.dumps({"peer": f"sklearn {sklearn.__version__} HistGradientBoosting", "train_s": seconds, "auc": auc}))
