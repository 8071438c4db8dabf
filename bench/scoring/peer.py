"""XGBoost peer for bench/scoring: inplace_predict throughput and JSON model loading, 2 threads.

Trains its own 100-tree model (depth 6, eta 0.1, 256 bins, lambda 1) on the same rows of bench/.data/synthetic-1m as
scoring.bench.ts, then times one-row inplace_predict calls, a batch inplace_predict and load_model of a 500-tree JSON
model. Sizes come as one JSON argument; prints one JSON line. Run with Debian's interpreter: /usr/bin/python3.
"""
import json
import os
import statistics
import sys
import time

os.environ.setdefault("OMP_NUM_THREADS", "2")

import numpy as np  # noqa: E402
import xgboost as xgb  # noqa: E402
from sklearn.metrics import roc_auc_score  # noqa: E402

sizes = json.loads(sys.argv[1]) if len(sys.argv) > 1 else {}
train_rows = sizes.get("train_rows", 200_000)
single_calls = sizes.get("single_calls", 20_000)
batch_rows = sizes.get("batch_rows", 100_000)
load_train_rows = sizes.get("load_train_rows", 20_000)

data = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".data", "synthetic-1m")
meta = json.load(open(os.path.join(data, "meta.json")))
score_from = sizes.get("score_from", meta["train_rows"])
X = np.fromfile(os.path.join(data, "X.f64"), dtype="<f8").reshape(meta["rows"], meta["features"])
y = np.fromfile(os.path.join(data, "y.f64"), dtype="<f8")
PARAMS = {
    "objective": "binary:logistic",
    "tree_method": "hist",
    "max_depth": 6,
    "eta": 0.1,
    "max_bin": 256,
    "lambda": 1.0,
    "nthread": 2,
}


def train(rows, n_trees):
    return xgb.train(PARAMS, xgb.DMatrix(X[:rows], label=y[:rows], nthread=2), num_boost_round=n_trees)


model = train(train_rows, 100)

# Single rows: a one-row array per call, as a serving endpoint would pass them.
rows = X[score_from : score_from + single_calls]
for i in range(min(2000, single_calls)):
    model.inplace_predict(rows[i : i + 1])
start = time.perf_counter()
for i in range(single_calls):
    model.inplace_predict(rows[i : i + 1])
single_us = (time.perf_counter() - start) * 1e6 / single_calls
# The same at one thread: per-call thread hand-offs dominate a one-row prediction, more so on a busy machine.
model.set_param({"nthread": 1})
start = time.perf_counter()
for i in range(single_calls):
    model.inplace_predict(rows[i : i + 1])
single_us_1thread = (time.perf_counter() - start) * 1e6 / single_calls
model.set_param({"nthread": 2})

batch = np.ascontiguousarray(X[score_from : score_from + batch_rows])
model.inplace_predict(batch)
times = []
for _ in range(5):
    start = time.perf_counter()
    model.inplace_predict(batch)
    times.append(time.perf_counter() - start)
batch_auc = roc_auc_score(y[score_from : score_from + batch_rows], model.inplace_predict(batch))

# Loading: the JSON bytes of a 500-tree model into a fresh Booster.
raw = train(load_train_rows, 500).save_raw("json")
nodes = sum(int(t["tree_param"]["num_nodes"]) for t in json.loads(raw)["learner"]["gradient_booster"]["model"]["trees"])
loads = []
for _ in range(11):
    start = time.perf_counter()
    booster = xgb.Booster()
    booster.load_model(bytearray(raw))
    loads.append(time.perf_counter() - start)

print(
    json.dumps(
        {
            "peer": f"xgboost {xgb.__version__} inplace_predict (2 threads)",
            "single_us": single_us,
            "single_us_1thread": single_us_1thread,
            "batch_s": statistics.median(times),
            "batch_auc": batch_auc,
            "load_ms": statistics.median(loads[1:]) * 1000,
            "load_nodes": nodes,
            "load_bytes": len(raw),
        }
    )
)
