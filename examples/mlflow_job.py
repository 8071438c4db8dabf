#!/usr/bin/env python3
"""Trains scikit-learn on the credit data and logs to Modelyard through the MLflow REST protocol.

Only the standard library talks to the server (urllib), so no `mlflow` package is needed:

    MLFLOW_TRACKING_URI=http://127.0.0.1:7420 MLFLOW_TRACKING_TOKEN=myd_... python3 examples/mlflow_job.py

MLFLOW_RUN_ID logs into an existing run (as a Modelyard job sets it); without it a run is created in
MLFLOW_EXPERIMENT_NAME (default "credit-sklearn"). MLFLOW_TRACKING_USERNAME/PASSWORD work instead of the token.
"""

import base64
import csv
import json
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

from sklearn.ensemble import GradientBoostingClassifier
from sklearn.feature_extraction import DictVectorizer
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.environ.get("CREDIT_DATA", os.path.join(HERE, "data", "credit_data.csv"))
TRACKING_URI = os.environ.get("MLFLOW_TRACKING_URI", "http://127.0.0.1:7420").rstrip("/")


def auth_header():
    token = os.environ.get("MLFLOW_TRACKING_TOKEN")
    if token:
        return "Bearer " + token
    user, password = os.environ.get("MLFLOW_TRACKING_USERNAME"), os.environ.get("MLFLOW_TRACKING_PASSWORD")
    if user and password:
        return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
    return None


def request(method, path, body=None, query=None, data=None, content_type="application/json"):
    """One MLflow REST call; MLflow's error body is printed and raised."""
    url = TRACKING_URI + path + ("?" + urllib.parse.urlencode(query) if query else "")
    payload = data if data is not None else (json.dumps(body).encode() if body is not None else None)
    req = urllib.request.Request(url, data=payload, method=method)
    if payload is not None:
        req.add_header("Content-Type", content_type)
    header = auth_header()
    if header:
        req.add_header("Authorization", header)
    try:
        with urllib.request.urlopen(req, timeout=60) as response:
            text = response.read().decode()
            return json.loads(text) if text else {}
    except urllib.error.HTTPError as error:
        raise RuntimeError(f"{method} {path} -> {error.code}: {error.read().decode()}") from None


def api(method, endpoint, body=None, query=None):
    return request(method, "/api/2.0/mlflow/" + endpoint, body=body, query=query)


def start_run():
    run_id = os.environ.get("MLFLOW_RUN_ID")
    if run_id:
        return api("GET", "runs/get", query={"run_id": run_id})["run"]["info"]
    name = os.environ.get("MLFLOW_EXPERIMENT_NAME", "credit-sklearn")
    try:
        experiment_id = api("GET", "experiments/get-by-name", query={"experiment_name": name})["experiment"][
            "experiment_id"
        ]
    except RuntimeError as error:
        if "RESOURCE_DOES_NOT_EXIST" not in str(error):
            raise
        experiment_id = api("POST", "experiments/create", {"name": name})["experiment_id"]
    tags = [{"key": "mlflow.source.name", "value": "mlflow_job.py"}, {"key": "mlflow.source.type", "value": "LOCAL"}]
    created = api(
        "POST",
        "runs/create",
        {"experiment_id": experiment_id, "run_name": "sklearn-gbm", "start_time": int(time.time() * 1000), "tags": tags},
    )
    return created["run"]["info"]


def load_credit():
    with open(DATA, newline="") as handle:
        rows = list(csv.DictReader(handle))
    target = [1 if row.pop("Status") == "bad" else 0 for row in rows]
    records = [
        {key: (float(value) if value not in ("", "NA") and key not in CATEGORICAL else value) for key, value in row.items()}
        for row in rows
    ]
    # Missing numbers become 0 with an indicator, so every model sees the same columns.
    for record in records:
        for key in list(record):
            if record[key] in ("", "NA"):
                record[key] = 0.0 if key not in CATEGORICAL else "missing"
                record[key + "_missing"] = 1.0
    return records, target


CATEGORICAL = {"Home", "Marital", "Records", "Job"}


def main():
    info = start_run()
    run_id = info["run_id"]
    print(f"logging to run {run_id} at {TRACKING_URI}")
    records, target = load_credit()
    train_x, test_x, train_y, test_y = train_test_split(records, target, test_size=0.25, random_state=7, stratify=target)
    vectorizer = DictVectorizer(sparse=False)
    train_m = vectorizer.fit_transform(train_x)
    test_m = vectorizer.transform(test_x)
    params = {"n_estimators": 120, "learning_rate": 0.1, "max_depth": 3, "random_state": 7}
    api(
        "POST",
        "runs/log-batch",
        {
            "run_id": run_id,
            "params": [{"key": k, "value": str(v)} for k, v in params.items()]
            + [{"key": "model", "value": "GradientBoostingClassifier"}, {"key": "rows", "value": str(len(records))}],
            "tags": [{"key": "framework", "value": "scikit-learn"}],
        },
    )
    model = GradientBoostingClassifier(**params).fit(train_m, train_y)
    # The test AUC every 20 trees, as metric steps (one batch keeps it to a single request).
    now = int(time.time() * 1000)
    points = []
    for i, proba in enumerate(model.staged_predict_proba(test_m), start=1):
        if i % 20 == 0 or i == params["n_estimators"]:
            points.append({"key": "test_auc", "value": roc_auc_score(test_y, proba[:, 1]), "timestamp": now, "step": i})
    api("POST", "runs/log-batch", {"run_id": run_id, "metrics": points})
    auc = points[-1]["value"]
    api("POST", "runs/log-metric", {"run_id": run_id, "key": "train_auc", "value": roc_auc_score(
        train_y, model.predict_proba(train_m)[:, 1]), "timestamp": int(time.time() * 1000), "step": 0})
    summary = {
        "model": "GradientBoostingClassifier",
        "params": params,
        "features": list(vectorizer.get_feature_names_out()),
        "test_auc": auc,
    }
    artifact = json.dumps(summary, indent=2).encode()
    experiment_id = info["experiment_id"]
    request(
        "PUT",
        f"/api/2.0/mlflow-artifacts/artifacts/{experiment_id}/{run_id}/artifacts/model/summary.json",
        data=artifact,
        content_type="application/octet-stream",
    )
    api("POST", "runs/update", {"run_id": run_id, "status": "FINISHED", "end_time": int(time.time() * 1000)})
    print(f"test AUC {auc:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
