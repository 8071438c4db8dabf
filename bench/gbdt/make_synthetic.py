"""Generates the 1,000,000 x 28 synthetic binary benchmark set once (scikit-learn make_classification, seed 0).

Writes bench/.data/synthetic-1m/{X.f64,y.f64,meta.json}: raw little-endian float64, row-major X. Run with Debian's
interpreter: /usr/bin/python3 bench/gbdt/make_synthetic.py
"""
import json
import os
import sys

import numpy as np
from sklearn.datasets import make_classification

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".data", "synthetic-1m")
n_rows = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
os.makedirs(out, exist_ok=True)
X, y = make_classification(n_samples=n_rows, n_features=28, n_informative=12, random_state=0)
np.ascontiguousarray(X, dtype="<f8").tofile(os.path.join(out, "X.f64"))
np.ascontiguousarray(y, dtype="<f8").tofile(os.path.join(out, "y.f64"))
with open(os.path.join(out, "meta.json"), "w") as f:
    json.dump({"rows": n_rows, "features": 28, "train_rows": int(n_rows * 0.8)}, f)
print(f"wrote {n_rows} x 28 to {out}")
