"""Freezes XGBoost 1.7's pred_contribs (path-dependent TreeSHAP) for xgboost-shap.test.ts.

Trains a small binary:logistic model (12 trees, depth 4, hist) on the numeric columns of credit_data.csv, dumps its
trees as JSON with node covers, and stores 120 rows (every 7th value of the last 60 set missing, so default
directions are exercised) with XGBoost's contributions and margins. All inputs are integers, so XGBoost's float32
inputs and thresholds compare exactly as the engine's float64 ones do.

    /usr/bin/python3 packages/engine/src/explain/__fixtures__/make_xgboost_shap.py /work/shared/data
"""
import json
import os
import sys

import numpy as np
import pandas as pd
import xgboost as xgb

data = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/data"
frame = pd.read_csv(os.path.join(data, "credit_data.csv"))
features = ["Seniority", "Time", "Age", "Expenses", "Income", "Assets", "Debt", "Amount", "Price"]
X = frame[features].to_numpy(dtype=np.float64)
y = (frame["Status"] == "good").to_numpy(dtype=np.float64)
params = {"objective": "binary:logistic", "tree_method": "hist", "max_depth": 4, "eta": 0.3, "base_score": 0.5,
          "nthread": 1, "seed": 0}
model = xgb.train(params, xgb.DMatrix(X, label=y, missing=np.nan), num_boost_round=12)

rows = X[:120].copy()
for i in range(60, 120):
    for j in range(len(features)):
        if (i + j) % 7 == 0:
            rows[i, j] = np.nan
matrix = xgb.DMatrix(rows, missing=np.nan)
contribs = model.predict(matrix, pred_contribs=True)
margins = model.predict(matrix, output_margin=True)


def strip(node):
    """The fields the test reads: gain and depth are left out."""
    kept = {k: v for k, v in node.items() if k not in ("gain", "depth")}
    if "children" in node:
        kept["children"] = [strip(c) for c in node["children"]]
    return kept


payload = {
    "generator": "packages/engine/src/explain/__fixtures__/make_xgboost_shap.py",
    "xgboost": xgb.__version__,
    "features": features,
    "trees": [strip(json.loads(t)) for t in model.get_dump(dump_format="json", with_stats=True)],
    "rows": [[None if np.isnan(v) else float(v) for v in row] for row in rows],
    "contribs": [[float(v) for v in row] for row in contribs],
    "margins": [float(v) for v in margins],
}
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "xgboost-shap.json"), "w") as out:
    json.dump(payload, out, separators=(",", ":"))
