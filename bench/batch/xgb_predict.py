"""Peer for bench/batch: XGBoost predicting flights-3m in memory (no Parquet read or write), as a floor for the GBDT.

Usage: /usr/bin/python3 xgb_predict.py SAMPLE.csv FULL.csv RUNS  — prints one JSON line:
{"train_s": …, "predict_s": [DMatrix + predict per run, 2 threads], "rows": …}
Same model shape as the bench's GBDT: 100 trees, depth 6, eta 0.1, `hist`, native categorical splits.
"""
import json
import sys
import time

import pandas as pd
import xgboost as xgb

sample_path, full_path, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
sample = pd.read_csv(sample_path)
full = pd.read_csv(full_path)
for frame in (sample, full):
    frame["date"] = pd.to_datetime(frame["date"]).astype("int64") // 10**6
for column in ("origin", "destination"):
    sample[column] = sample[column].astype("category")
    full[column] = pd.Categorical(full[column], categories=sample[column].cat.categories)
started = time.perf_counter()
model = xgb.XGBRegressor(
    n_estimators=100, max_depth=6, learning_rate=0.1, tree_method="hist",
    enable_categorical=True, max_cat_to_onehot=1, nthread=2,
)
model.fit(sample.drop(columns=["delay"]), sample["delay"])
train_s = time.perf_counter() - started
features = full.drop(columns=["delay"])
booster = model.get_booster()
times = []
for _ in range(runs):
    started = time.perf_counter()
    booster.predict(xgb.DMatrix(features, enable_categorical=True))
    times.append(time.perf_counter() - started)
print(json.dumps({"train_s": train_s, "predict_s": times, "rows": len(features)}))
