"""XGBoost peer for bench/flights: hist, 2 threads, native categoricals for origin and destination.

Reads the columns and the split that flights.bench.ts wrote to bench/.data/flights (raw little-endian arrays and
meta.json) and prints one JSON line. Run with Debian's interpreter: /usr/bin/python3 bench/flights/peer.py
"""
import json
import os
import time

os.environ.setdefault("OMP_NUM_THREADS", "2")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import xgboost as xgb  # noqa: E402

data = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".data", "flights")
meta = json.load(open(os.path.join(data, "meta.json")))
params = meta["params"]
columns = {name: np.fromfile(os.path.join(data, f"{name}.f64"), dtype="<f8") for name in meta["numbers"]}
for name in meta["categories"]:
    codes = np.fromfile(os.path.join(data, f"{name}.i32"), dtype="<i4")
    # The same codes and dictionary as the engine's frame; -1 is missing in both.
    columns[name] = pd.Categorical.from_codes(codes, categories=meta["dictionaries"][name])
frame = pd.DataFrame(columns)
is_test = np.fromfile(os.path.join(data, "is_test.u8"), dtype="u1").astype(bool)
features = ["hour", "dow", "month", "distance", "origin", "destination"]
train, test = frame[~is_test], frame[is_test]
y_train, y_test = train["delay"].to_numpy(), test["delay"].to_numpy()
n_categories = max(len(d) for d in meta["dictionaries"].values())

start = time.perf_counter()
dtrain = xgb.DMatrix(train[features], label=y_train, enable_categorical=True, nthread=2)
model = xgb.train(
    {
        "objective": "reg:squarederror",
        "tree_method": "hist",
        "max_depth": params["maxDepth"],
        "eta": params["learningRate"],
        "max_bin": params["maxBins"],
        "lambda": params["lambda"],
        "min_child_weight": 1,
        # The engine starts from the training mean (XGBoost 1.7 would start from 0.5).
        "base_score": float(y_train.mean()),
        # The engine always partitions categories (sorted by gradient ratio, every prefix tried) with no cap on the
        # left set: the same here.
        "max_cat_to_onehot": 1,
        "max_cat_threshold": n_categories,
        "nthread": 2,
    },
    dtrain,
    num_boost_round=params["nTrees"],
)
seconds = time.perf_counter() - start
predictions = model.inplace_predict(test[features])
rmse = float(np.sqrt(np.mean((predictions - y_test) ** 2)))
print(
    json.dumps(
        {
            "peer": f"xgboost {xgb.__version__} hist (2 threads)",
            "train_s": seconds,
            "rmse": rmse,
            "train_rows": int(len(train)),
            "test_rows": int(len(test)),
        }
    )
)
