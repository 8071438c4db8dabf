"""The peer for bench/serving: an XGBoost model behind Flask, the way MLflow's scoring server serves it.

Model: XGBoost binary classifier on credit_data.csv (target Status, positive class "bad"), 100 trees, max_depth 6,
tree_method hist, eta 0.1, max_bin 256, lambda 1, trained on all 4,454 rows. The five string columns (Home, Marital,
Records, Job; Status is the target) are pandas categoricals with the categories seen in training, split natively by
XGBoost (enable_categorical, max_cat_to_onehot 1) as Modelyard's GBDT splits them natively too; missing cells are
NaN. The model is trained once and cached as JSON under bench/.data/serving/ (with its category lists).

Request path, as mlflow.pyfunc.scoring_server does it for `{"dataframe_records": ...}` (here the body is
`{"records": [...]}`, Modelyard's shape): json.loads -> pandas.DataFrame(records) -> column order and dtypes
from the training schema -> xgboost.DMatrix(enable_categorical=True) -> Booster.predict -> JSON
`{"predictions": [p, ...]}` (probability of "bad").

Usage (run by Debian's /usr/bin/python3; needs python3-flask python3-xgboost python3-pandas):
  /usr/bin/python3 bench/serving/flask_xgb_server.py --port 5001                      # Flask threaded dev server
  /usr/bin/python3 bench/serving/flask_xgb_server.py --port 5001 --server waitress    # waitress, 4 threads
  /usr/bin/python3 bench/serving/flask_xgb_server.py --port 5001 --server gunicorn   # 2 gthread workers x 4 threads
  /usr/bin/python3 bench/serving/flask_xgb_server.py --train-only                     # just (re)train the cache
Environment: XGB_NTHREAD (threads per predict call, default 1: a one-row predict gains nothing from more, and the
server's own threads/workers use the cores).
"""
import argparse
import json
import logging
import os
import sys

import numpy as np
import pandas as pd
import xgboost as xgb
from flask import Flask, Response, request

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.environ.get("CREDIT_CSV", "/work/shared/data/credit_data.csv")
CACHE = os.path.join(HERE, "..", ".data", "serving")
MODEL = os.path.join(CACHE, "xgb-credit.json")
SCHEMA = os.path.join(CACHE, "xgb-credit.schema.json")
TARGET = "Status"
NTHREAD = int(os.environ.get("XGB_NTHREAD", "1"))


def train() -> None:
    frame = pd.read_csv(DATA)
    y = (frame.pop(TARGET) == "bad").astype(np.float64)
    categories = {c: sorted(frame[c].dropna().unique().tolist()) for c in frame.columns if frame[c].dtype == object}
    for c, cats in categories.items():
        frame[c] = pd.Categorical(frame[c], categories=cats)
    dtrain = xgb.DMatrix(frame, label=y, enable_categorical=True, nthread=2)
    booster = xgb.train(
        {
            "objective": "binary:logistic",
            "tree_method": "hist",
            "max_depth": 6,
            "eta": 0.1,
            "max_bin": 256,
            "lambda": 1.0,
            "max_cat_to_onehot": 1,
            "nthread": 2,
        },
        dtrain,
        num_boost_round=100,
    )
    os.makedirs(CACHE, exist_ok=True)
    booster.save_model(MODEL)
    with open(SCHEMA, "w") as f:
        json.dump({"columns": list(frame.columns), "categories": categories}, f)


def load():
    if not (os.path.exists(MODEL) and os.path.exists(SCHEMA)):
        train()
    booster = xgb.Booster(model_file=MODEL)
    booster.set_param({"nthread": NTHREAD})
    with open(SCHEMA) as f:
        schema = json.load(f)
    return booster, schema


def create_app() -> Flask:
    booster, schema = load()
    columns = schema["columns"]
    dtypes = {c: pd.CategoricalDtype(categories=cats) for c, cats in schema["categories"].items()}
    numeric = [c for c in columns if c not in dtypes]
    app = Flask(__name__)

    @app.get("/ping")
    def ping():
        return Response("\n", status=200, mimetype="application/json")

    @app.post("/predict")
    def predict():
        body = json.loads(request.get_data())
        records = body.get("records") if isinstance(body, dict) else None
        if not isinstance(records, list) or not records:
            return Response(json.dumps({"error": "records: a non-empty list"}), 400, mimetype="application/json")
        frame = pd.DataFrame.from_records(records)
        missing = [c for c in columns if c not in frame.columns]
        if missing:
            return Response(json.dumps({"error": f"missing columns {missing}"}), 400, mimetype="application/json")
        frame = frame[columns]
        for c in numeric:
            frame[c] = pd.to_numeric(frame[c], errors="coerce")
        for c, dtype in dtypes.items():
            frame[c] = frame[c].astype(dtype)
        matrix = xgb.DMatrix(frame, enable_categorical=True, nthread=NTHREAD)
        out = booster.predict(matrix)
        return Response(json.dumps({"predictions": out.tolist()}), 200, mimetype="application/json")

    return app


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5001)
    parser.add_argument("--server", choices=["flask", "waitress", "gunicorn"], default="flask")
    parser.add_argument("--threads", type=int, default=4, help="waitress threads, gunicorn threads per worker")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--train-only", action="store_true")
    args = parser.parse_args()
    if args.train_only:
        train()
        print(json.dumps({"model": os.path.abspath(MODEL)}))
        return
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no access log line per request
    if args.server == "flask":
        create_app().run(host=args.host, port=args.port, threaded=True)
    elif args.server == "waitress":
        import waitress

        logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # "Task queue depth is N" under load
        waitress.serve(create_app(), host=args.host, port=args.port, threads=args.threads, _quiet=True)
    else:
        # `mlflow models serve` runs gunicorn; sync workers close every connection, so threaded workers (gthread)
        # keep connections alive as the other servers do. Started through gunicorn's Python entry point.
        from gunicorn.app.wsgiapp import run

        sys.argv = [
            "gunicorn",
            "--bind", f"{args.host}:{args.port}",
            "--workers", str(args.workers),
            "--worker-class", "gthread",
            "--threads", str(args.threads),
            "--timeout", "60",
            "--preload",
            "--log-level", "warning",
            "--chdir", HERE,
            "flask_xgb_server:create_app()",
        ]
        run()


if __name__ == "__main__":
    main()
