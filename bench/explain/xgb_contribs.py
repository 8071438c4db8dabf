"""XGBoost peer for bench/explain: per-row pred_contribs (path-dependent TreeSHAP) on credit_data.

Trains a binary GBDT of the same shape as explain.bench.ts (100 trees, depth 6, eta 0.1, 256 bins, lambda 1, native
categorical splits) on every row of credit_data.csv (target Status), then times pred_contribs one row per call (a
one-row DMatrix built outside the timed part) and once over all rows, at one thread. Prints one JSON line. Run with
Debian's interpreter: /usr/bin/python3 bench/explain/xgb_contribs.py <credit_data.csv> [single_calls]
"""
import json
import os
import sys
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import xgboost as xgb  # noqa: E402

path = sys.argv[1]
single_calls = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
frame = pd.read_csv(path)
y = (frame.pop("Status") == "good").astype(np.float64).to_numpy()
for name in frame.columns:
    if frame[name].dtype == object:
        frame[name] = frame[name].astype("category")
params = {
    "objective": "binary:logistic",
    "tree_method": "hist",
    "max_depth": 6,
    "eta": 0.1,
    "max_bin": 256,
    "lambda": 1.0,
    "nthread": 1,
}
model = xgb.train(params, xgb.DMatrix(frame, label=y, enable_categorical=True, nthread=1), num_boost_round=100)

rows = min(single_calls, len(frame))
matrices = [xgb.DMatrix(frame.iloc[i : i + 1], enable_categorical=True, nthread=1) for i in range(rows)]
for m in matrices[:200]:
    model.predict(m, pred_contribs=True)
times = []
for m in matrices:
    started = time.perf_counter()
    model.predict(m, pred_contribs=True)
    times.append((time.perf_counter() - started) * 1e6)
times.sort()

everything = xgb.DMatrix(frame, enable_categorical=True, nthread=1)
started = time.perf_counter()
contribs = model.predict(everything, pred_contribs=True)
batch_us = (time.perf_counter() - started) * 1e6 / len(frame)
margin = model.predict(everything, output_margin=True)
additivity = float(np.max(np.abs(contribs.sum(axis=1) - margin)))
print(
    json.dumps(
        {
            "rows": rows,
            "p50_us": times[len(times) // 2],
            "p99_us": times[min(len(times) - 1, int(len(times) * 0.99))],
            "batch_us_per_row": batch_us,
            "additivity_error": additivity,
            "nodes": int(sum(len(t.splitlines()) for t in model.get_dump())),
        }
    )
)
