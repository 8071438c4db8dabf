"""Freezes scikit-learn references for the multinomial GLM and the elastic-net benchmark designs into test fixtures.

Run with Debian's interpreter (python3-sklearn 1.2, numpy 1.24), from the repository root:
    /usr/bin/python3 packages/engine/scripts/reference/make_glm_fixtures.py /work/shared/data
It reuses make_fixtures.py's CSV reader and design (mean imputation, population-std standardisation, one-hot over
sorted categories), so scikit-learn sees exactly the encoded columns the engine builds. The tests read only the JSON.
"""
import json
import os
import sys

import numpy as np
import sklearn
from sklearn.linear_model import ElasticNet, LogisticRegression

sys.path.insert(0, os.path.dirname(__file__))
from make_fixtures import DATA, ROOT, columns_json, design, read_csv  # noqa: E402

GENERATOR = 'packages/engine/scripts/reference/make_glm_fixtures.py'


def write(name, payload):
    folder = os.path.join(ROOT, 'glm', '__fixtures__')
    payload = {'generator': GENERATOR, 'sklearn': sklearn.__version__, **payload}
    with open(os.path.join(folder, name), 'w') as f:
        json.dump(payload, f, indent=1)
        f.write('\n')


def multinomial_case(x, y, lam, alpha):
    """scikit-learn's multinomial LogisticRegression: C * sum(loss) + penalty equals ours times n * C, C = 1/(n lam).
    Ridge by newton-cg (its tolerance bounds the gradient, where lbfgs stops on a relative objective change), elastic
    net by saga (the only solver that takes it; seeded, as it visits rows in random order), both run to a tight
    tolerance."""
    n = len(y)
    if alpha == 0:
        model = LogisticRegression(multi_class='multinomial', solver='newton-cg', C=1 / (n * lam), tol=1e-12,
                                   max_iter=100_000)
    else:
        model = LogisticRegression(multi_class='multinomial', penalty='elasticnet', solver='saga', l1_ratio=alpha,
                                   C=1 / (n * lam), tol=1e-13, max_iter=2_000_000, random_state=0)
    model.fit(x, y)
    # Softmax cannot tell the intercepts from a common shift: centre them, as the engine does.
    intercepts = model.intercept_ - model.intercept_.mean()
    return {'params': {'lambda': lam, 'alpha': alpha}, 'solver': model.solver, 'iterations': int(model.n_iter_[0]),
            'intercepts': intercepts.tolist(), 'coefficients': model.coef_.tolist(),
            'probabilities': model.predict_proba(x).tolist()}


def multinomial_fixture():
    """Telco churn, every 20th row: predict the contract type (three classes) from charges, tenure and services."""
    features = ['tenure', 'monthly_charges', 'total_charges', 'senior_citizen', 'partner', 'internet_service',
                'paperless_billing', 'payment_method']
    data = read_csv(os.path.join(DATA, 'wa_churn.csv'), ['contract'] + features, every=20)
    x, encodings = design(data, features)
    classes = sorted(set(data['contract']))
    y = np.array([classes.index(v) for v in data['contract']])
    cases = [multinomial_case(x, y, 1e-3, 0.0), multinomial_case(x, y, 1e-2, 0.5)]
    write('sklearn-multinomial-churn.json', {
        'source': 'wa_churn.csv, every 20th row', 'target': 'contract', 'classes': classes,
        'columns': columns_json(data), 'encodings': encodings, 'cases': cases})


def elastic_net_fixture():
    """Small copies of the bench/glm elastic-net designs: diamonds (gaussian, ElasticNet) and churn (binomial, saga)."""
    features = ['carat', 'cut', 'color', 'clarity', 'depth', 'table', 'x', 'y', 'z']
    data = read_csv(os.path.join(DATA, 'diamonds.csv'), ['price'] + features, every=100)
    x, encodings = design(data, features)
    y = np.array(data['price'])
    cases = []
    for lam in [1e-3, 1e-2]:
        model = ElasticNet(alpha=lam, l1_ratio=0.5, tol=1e-14, max_iter=10_000_000).fit(x, y)
        cases.append({'params': {'lambda': lam, 'alpha': 0.5}, 'intercept': float(model.intercept_),
                      'coefficients': model.coef_.tolist()})
    diamonds = {'source': 'diamonds.csv, every 100th row', 'target': 'price', 'columns': columns_json(data),
                'encodings': encodings, 'cases': cases}

    with open(os.path.join(DATA, 'wa_churn.csv')) as f:
        header = [h.strip('"') for h in f.readline().strip().split(',')]
    features = header[1:]
    data = read_csv(os.path.join(DATA, 'wa_churn.csv'), header, every=20)
    x, encodings = design(data, features)
    y = np.array([1 if s == 'Yes' else 0 for s in data['churn']])
    cases = []
    for lam in [1e-3, 1e-2]:
        model = LogisticRegression(penalty='elasticnet', solver='saga', l1_ratio=0.5, C=1 / (len(y) * lam),
                                   tol=1e-13, max_iter=2_000_000, random_state=0).fit(x, y)
        cases.append({'params': {'lambda': lam, 'alpha': 0.5}, 'intercept': float(model.intercept_[0]),
                      'coefficients': model.coef_[0].tolist()})
    churn = {'source': 'wa_churn.csv, every 20th row', 'target': 'churn', 'classes': ['No', 'Yes'],
             'columns': columns_json(data), 'encodings': encodings, 'cases': cases}
    write('sklearn-elastic-net.json', {'gaussian': diamonds, 'binomial': churn})


if __name__ == '__main__':
    multinomial_fixture()
    elastic_net_fixture()
