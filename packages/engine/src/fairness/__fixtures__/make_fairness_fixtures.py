"""Reference numbers for the fairness slices, computed as fairlearn defines them (fairlearn itself is not installed):
per group scikit-learn's confusion_matrix(normalize='true') for the true and false positive rates (fairlearn's
true_positive_rate / false_positive_rate), the share of predicted positives (selection_rate), accuracy_score and
roc_auc_score; disparity between the groups with at least MIN rows: max - min and min / max (fairlearn's
demographic_parity_difference / _ratio, equal opportunity on the TPR) and equalized_odds_difference = the larger of
the TPR and FPR differences. Numeric columns are cut by pandas.qcut(q=4, duplicates='drop').

Run with Debian's python3 (numpy, pandas, scikit-learn 1.2), then format the output with prettier:
  python3 make_fairness_fixtures.py > fairness-reference.json && npx prettier --write fairness-reference.json
"""
import json

import numpy as np
import pandas as pd
from sklearn.metrics import accuracy_score, confusion_matrix, mean_absolute_error, mean_squared_error, roc_auc_score

MIN = 30
rng = np.random.default_rng(7)
n = 400
region = rng.choice(["north", "south", "east", "west"], size=n, p=[0.4, 0.3, 0.26, 0.04])
sex = rng.choice(["f", "m"], size=n, p=[0.45, 0.55])
age = np.round(rng.normal(40, 12, size=n), 1)
# Scores depend on the groups, so the rates differ between them.
logit = -0.3 + 0.8 * (region == "north") - 0.6 * (sex == "f") + 0.03 * (age - 40)
truth = rng.random(n) < 1 / (1 + np.exp(-logit))
score = np.clip(1 / (1 + np.exp(-(logit + rng.normal(0, 1.2, size=n)))), 0.001, 0.999)
score = np.round(score, 4)
y = np.where(truth, "bad", "good")  # positive class "good" is the second of two, as the default picks it
p_good = 1 - score  # P(good)
pred = np.where(p_good > 1 - p_good, "good", "bad")
value = np.round(age * 1.5 + rng.normal(0, 5, size=n), 3)
value_pred = np.round(value + rng.normal(0, 3, size=n) + 2 * (sex == "f"), 3)


def group_metrics(idx, task):
    g = {"count": int(len(idx)), "share": len(idx) / n}
    if task == "regression":
        g["selectionRate"] = float(np.mean(value_pred[idx]))
        g["rmse"] = float(np.sqrt(mean_squared_error(value[idx], value_pred[idx])))
        g["mae"] = float(mean_absolute_error(value[idx], value_pred[idx]))
        return g
    yt, yp = y[idx], pred[idx]
    tn, fp, fn, tp = confusion_matrix(yt, yp, labels=["bad", "good"], normalize="true").ravel()
    g["positives"] = int(np.sum(yt == "good"))
    g["selectionRate"] = float(np.mean(yp == "good"))
    g["truePositiveRate"] = float(tp)
    g["falsePositiveRate"] = float(fp)
    g["accuracy"] = float(accuracy_score(yt, yp))
    g["auc"] = float(roc_auc_score(yt == "good", p_good[idx])) if len(set(yt)) == 2 else None
    return g


def disparity(groups, task):
    big = [g for g in groups if g["count"] >= MIN]
    sel = [g["selectionRate"] for g in big]
    out = {
        "groups": len(big),
        "demographicParityRatio": min(sel) / max(sel),
        "demographicParityDifference": max(sel) - min(sel),
    }
    if task == "classification":
        tpr = [g["truePositiveRate"] for g in big]
        fpr = [g["falsePositiveRate"] for g in big]
        out["equalOpportunityRatio"] = min(tpr) / max(tpr)
        out["equalOpportunityDifference"] = max(tpr) - min(tpr)
        out["equalizedOddsDifference"] = max(max(tpr) - min(tpr), max(fpr) - min(fpr))
    return out


def table(frame, columns, task):
    groups = []
    for key, part in frame.groupby(columns, observed=True, sort=True):
        key = key if isinstance(key, tuple) else (key,)
        g = group_metrics(part.index.to_numpy(), task)
        g["values"] = [str(k) for k in key]
        g["small"] = g["count"] < MIN
        groups.append(g)
    return {"columns": columns, "groups": groups, "disparity": disparity(groups, task)}


age_bins, edges = pd.qcut(age, 4, retbins=True, duplicates="drop")
frame = pd.DataFrame({"region": region, "sex": sex, "age": age_bins.codes})
cases = {
    "inputs": {
        "region": region.tolist(),
        "sex": sex.tolist(),
        "age": age.tolist(),
        "y": y.tolist(),
        "pGood": p_good.tolist(),
        "value": value.tolist(),
        "valuePred": value_pred.tolist(),
    },
    "ageEdges": edges.tolist(),
    "classification": {
        "overall": group_metrics(np.arange(n), "classification"),
        "tables": [
            table(frame, ["region"], "classification"),
            table(frame, ["sex"], "classification"),
            table(frame, ["region", "sex"], "classification"),
        ],
    },
    "age": table(frame, ["age"], "classification"),
    "regression": {"tables": [table(frame, ["sex"], "regression"), table(frame, ["region"], "regression")]},
}
print(json.dumps(cases))
