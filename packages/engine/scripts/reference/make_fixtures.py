"""Freezes scikit-learn reference values into the engine's test fixtures.

Run with Debian's interpreter (python3-sklearn 1.2, numpy 1.24):
    /usr/bin/python3 packages/engine/scripts/reference/make_fixtures.py /work/shared/data
from the repository root. The tests read only the JSON it writes, never Python.
"""
import csv
import json
import math
import os
import sys

import numpy as np
import sklearn
from sklearn.linear_model import ElasticNet, LogisticRegression, Ridge
from sklearn.metrics import (accuracy_score, average_precision_score, log_loss, mean_absolute_error,
                             mean_squared_error, r2_score, roc_auc_score)

DATA = sys.argv[1] if len(sys.argv) > 1 else '/work/shared/data'
ROOT = os.path.join(os.path.dirname(__file__), '..', '..', 'src')


def write(room, name, payload):
    folder = os.path.join(ROOT, room, '__fixtures__')
    os.makedirs(folder, exist_ok=True)
    payload = {'generator': 'packages/engine/scripts/reference/make_fixtures.py',
               'sklearn': sklearn.__version__, **payload}
    with open(os.path.join(folder, name), 'w') as f:
        json.dump(payload, f, indent=1)
        f.write('\n')


def read_csv(path, columns, every):
    """Every `every`-th row of the named columns; numbers as float (NaN missing), text as str (None missing)."""
    with open(path, newline='') as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1::every]
    out = {}
    for name in columns:
        j = header.index(name)
        cells = [r[j] for r in body]
        numeric = all(c.strip() == '' or is_number(c) for c in cells)
        out[name] = ([float(c) if c.strip() != '' else math.nan for c in cells] if numeric
                     else [c if c != '' else None for c in cells])
    return out


def is_number(text):
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


def design(data, features):
    """Mean imputation, population-std standardisation, one-hot over sorted seen categories (missing = all zero)."""
    blocks, encodings = [], []
    for name in features:
        values = data[name]
        if isinstance(values[0], float) or all(isinstance(v, float) for v in values):
            x = np.array(values, dtype=float)
            mean = np.nanmean(x)
            x = np.where(np.isnan(x), mean, x)
            std = x.std()
            scale = std if std > 0 else 1.0
            blocks.append(((x - mean) / scale)[:, None])
            encodings.append({'name': name, 'type': 'number', 'impute': mean, 'center': mean, 'scale': scale})
        else:
            cats = sorted({v for v in values if v is not None})
            blocks.append(np.array([[1.0 if v == c else 0.0 for c in cats] for v in values]))
            encodings.append({'name': name, 'type': 'category', 'categories': cats})
    return np.hstack(blocks), encodings


def columns_json(data):
    cols = []
    for name, values in data.items():
        if all(isinstance(v, float) for v in values):
            cols.append({'name': name, 'kind': 'number', 'values': [None if math.isnan(v) else v for v in values]})
        else:
            cols.append({'name': name, 'kind': 'category', 'values': values})
    return cols


def metric_fixtures():
    rng = np.random.default_rng(20261125)
    cases = []
    for n, decimals in [(200, 1), (200, 3), (57, 2)]:
        y = (rng.random(n) < 0.35).astype(int)
        # Informative but noisy scores, rounded so that many of them tie.
        p = np.clip(np.round(1 / (1 + np.exp(-(1.2 * y - 0.6 + rng.normal(0, 1.2, n)))), decimals), 0.001, 0.999)
        cases.append({
            'yTrue': y.tolist(), 'yPred': p.tolist(),
            'roc_auc': roc_auc_score(y, p), 'average_precision': average_precision_score(y, p),
            'log_loss': log_loss(y, p), 'accuracy': accuracy_score(y, (p > 0.5).astype(int)),
        })
    reg = []
    for n in [150, 31]:
        y = rng.normal(100, 25, n).round(2)
        pred = (y + rng.normal(0, 10, n)).round(2)
        reg.append({'yTrue': y.tolist(), 'yPred': pred.tolist(), 'rmse': math.sqrt(mean_squared_error(y, pred)),
                    'mae': mean_absolute_error(y, pred), 'r2': r2_score(y, pred)})
    write('metrics', 'sklearn-metrics.json', {'classification': cases, 'regression': reg})


def logistic_fixture():
    features = ['Seniority', 'Home', 'Time', 'Age', 'Marital', 'Records', 'Job', 'Expenses', 'Income', 'Assets',
                'Debt', 'Amount', 'Price']
    data = read_csv(os.path.join(DATA, 'credit_data.csv'), ['Status'] + features, every=11)
    x, encodings = design(data, features)
    y = np.array([1 if s == 'good' else 0 for s in data['Status']])  # classes sort as ['bad', 'good']
    cases = []
    for lam in [1e-4, 1e-2]:
        n = len(y)
        model = LogisticRegression(penalty='l2', C=1 / (n * lam), solver='newton-cholesky', tol=1e-14,
                                   max_iter=1000).fit(x, y)
        cases.append({'params': {'lambda': lam, 'alpha': 0}, 'solver': 'newton-cholesky',
                      'intercept': float(model.intercept_[0]), 'coefficients': model.coef_[0].tolist(),
                      'probabilities': model.predict_proba(x)[:, 1].tolist()})
    # Elastic net: only saga supports it; it converges slowly, hence the long run.
    lam, mix = 1e-2, 0.7
    model = LogisticRegression(penalty='elasticnet', l1_ratio=mix, C=1 / (len(y) * lam), solver='saga', tol=1e-12,
                               max_iter=200_000).fit(x, y)
    cases.append({'params': {'lambda': lam, 'alpha': mix}, 'solver': 'saga', 'intercept': float(model.intercept_[0]),
                  'coefficients': model.coef_[0].tolist(), 'probabilities': model.predict_proba(x)[:, 1].tolist()})
    write('glm', 'sklearn-logistic-credit.json', {
        'source': 'credit_data.csv, every 11th row', 'target': 'Status', 'classes': ['bad', 'good'],
        'columns': columns_json(data), 'encodings': encodings, 'cases': cases})


def churn_fixture():
    """Telco churn: 'No internet service' repeats across six category blocks (exactly collinear indicators) and
    phone_service duplicates a level of multiple_lines: the hardest case for coordinate descent."""
    with open(os.path.join(DATA, 'wa_churn.csv'), newline='') as f:
        header = next(csv.reader(f))
    features = header[1:]
    data = read_csv(os.path.join(DATA, 'wa_churn.csv'), header, every=20)
    x, encodings = design(data, features)
    y = np.array([1 if s == 'Yes' else 0 for s in data['churn']])  # classes sort as ['No', 'Yes']
    lam = 1e-4
    model = LogisticRegression(C=1 / (len(y) * lam), solver='newton-cholesky', tol=1e-14, max_iter=1000).fit(x, y)
    write('glm', 'sklearn-logistic-churn.json', {
        'source': 'wa_churn.csv, every 20th row', 'target': 'churn', 'classes': ['No', 'Yes'],
        'columns': columns_json(data), 'encodings': encodings,
        'cases': [{'params': {'lambda': lam, 'alpha': 0}, 'solver': 'newton-cholesky',
                   'intercept': float(model.intercept_[0]), 'coefficients': model.coef_[0].tolist(),
                   'probabilities': model.predict_proba(x)[:, 1].tolist()}]})


def gaussian_fixture():
    features = ['Lot_Frontage', 'Lot_Area', 'Year_Built', 'Gr_Liv_Area', 'Total_Bsmt_SF', 'Garage_Cars',
                'Bldg_Type', 'Central_Air', 'Overall_Cond', 'MS_Zoning']
    data = read_csv(os.path.join(DATA, 'ames.csv'), ['Sale_Price'] + features, every=10)
    x, encodings = design(data, features)
    y = np.array(data['Sale_Price'])
    n = len(y)
    cases = []
    for lam, alpha in [(1e-4, 0.0), (50.0, 0.5), (2000.0, 1.0)]:
        if alpha == 0:
            model = Ridge(alpha=n * lam, solver='cholesky').fit(x, y)
        else:
            model = ElasticNet(alpha=lam, l1_ratio=alpha, tol=1e-14, max_iter=1_000_000).fit(x, y)
        cases.append({'params': {'lambda': lam, 'alpha': alpha}, 'model': type(model).__name__,
                      'intercept': float(model.intercept_), 'coefficients': model.coef_.tolist(),
                      'predictions': model.predict(x).tolist()})
    write('glm', 'sklearn-gaussian-ames.json', {
        'source': 'ames.csv, every 10th row', 'target': 'Sale_Price', 'columns': columns_json(data),
        'encodings': encodings, 'cases': cases})


def mulberry32(seed):
    """Port of validation/random.ts; uint32 arithmetic reproduces JavaScript's int32 bit patterns."""
    state = seed & 0xFFFFFFFF
    mask = 0xFFFFFFFF

    def imul(a, b):
        return (a * b) & mask

    def next_float():
        nonlocal state
        state = (state + 0x6D2B79F5) & mask
        t = state
        t = imul(t ^ (t >> 15), t | 1)
        t = (t ^ ((t + imul(t ^ (t >> 7), t | 61)) & mask)) & mask
        return ((t ^ (t >> 14)) & mask) / 4294967296
    return next_float


def holdout_split(n, test_fraction, seed, stratify=None):
    """Port of validation/holdout-split.ts (JavaScript's Math.round rounds halves up)."""
    rnd = mulberry32(seed)
    strata = {}
    for row in range(n):
        strata.setdefault(0 if stratify is None else stratify[row], []).append(row)
    test = set()
    for key in sorted(strata):
        rows = list(strata[key])
        for i in range(len(rows) - 1, 0, -1):
            j = math.floor(rnd() * (i + 1))
            rows[i], rows[j] = rows[j], rows[i]
        test.update(rows[:math.floor(len(rows) * test_fraction + 0.5)])
    return [r for r in range(n) if r not in test], sorted(test)


def pipeline_design(data, features, train):
    """scikit-learn's own preprocessing, fitted on the training rows: SimpleImputer(mean) + StandardScaler for numbers,
    OneHotEncoder(handle_unknown='ignore') over the categories seen in training (missing → unknown → all zeros)."""
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler
    numeric = [f for f in features if all(isinstance(v, float) for v in data[f])]
    category = [f for f in features if f not in numeric]
    rows = len(data[features[0]])
    table = np.empty((rows, len(features)), dtype=object)
    for j, f in enumerate(features):
        table[:, j] = [('\0missing' if v is None else v) for v in data[f]] if f in category else data[f]
    seen = [sorted({data[f][i] for i in train if data[f][i] is not None}) for f in category]
    transformer = ColumnTransformer([
        ('num', make_pipeline(SimpleImputer(strategy='mean'), StandardScaler()), [features.index(f) for f in numeric]),
        ('cat', OneHotEncoder(categories=seen, handle_unknown='ignore', sparse_output=False),
         [features.index(f) for f in category]),
    ])
    transformer.fit(table[train])
    return transformer.transform(table).astype(float)


def pipeline_fixtures():
    """End to end: our seeded split, scikit-learn's preprocessing and model on the training rows, metrics on the rest."""
    features = ['Seniority', 'Home', 'Time', 'Age', 'Marital', 'Records', 'Job', 'Expenses', 'Income', 'Assets',
                'Debt', 'Amount', 'Price']
    data = read_csv(os.path.join(DATA, 'credit_data.csv'), ['Status'] + features, every=1)
    keep = [i for i, s in enumerate(data['Status']) if s is not None]
    data = {k: [v[i] for i in keep] for k, v in data.items()}
    y = np.array([1 if s == 'good' else 0 for s in data['Status']])
    train, test = holdout_split(len(y), 0.2, 42, stratify=y.tolist())
    x = pipeline_design(data, features, train)
    lam = 1e-4
    model = LogisticRegression(C=1 / (len(train) * lam), solver='newton-cholesky', tol=1e-14, max_iter=1000)
    model.fit(x[train], y[train])
    p = model.predict_proba(x[test])[:, 1]
    write('glm', 'sklearn-pipeline-credit.json', {
        'source': 'examples/data/credit_data.csv (all rows), seed 42, testFraction 0.2, stratified',
        'params': {'lambda': lam}, 'test': test, 'probabilities': p.tolist(),
        'metrics': {'auc': roc_auc_score(y[test], p), 'pr_auc': average_precision_score(y[test], p),
                    'logloss': log_loss(y[test], p), 'accuracy': accuracy_score(y[test], (p > 0.5).astype(int))}})

    features = ['Lot_Frontage', 'Lot_Area', 'Year_Built', 'Gr_Liv_Area', 'Total_Bsmt_SF', 'Garage_Cars',
                'Bldg_Type', 'Central_Air', 'Overall_Cond', 'MS_Zoning']
    data = read_csv(os.path.join(DATA, 'ames.csv'), ['Sale_Price'] + features, every=10)
    y = np.array(data['Sale_Price'])
    train, test = holdout_split(len(y), 0.3, 7)
    x = pipeline_design(data, features, train)
    lam = 1e-2
    model = Ridge(alpha=len(train) * lam, solver='cholesky').fit(x[train], y[train])
    pred = model.predict(x[test])
    write('glm', 'sklearn-pipeline-ames.json', {
        'source': 'sklearn-gaussian-ames.json data, seed 7, testFraction 0.3', 'params': {'lambda': lam},
        'test': test, 'predictions': pred.tolist(),
        'metrics': {'rmse': math.sqrt(mean_squared_error(y[test], pred)), 'mae': mean_absolute_error(y[test], pred),
                    'r2': r2_score(y[test], pred)}})


if __name__ == '__main__':
    metric_fixtures()
    logistic_fixture()
    churn_fixture()
    gaussian_fixture()
    pipeline_fixtures()
