"""The peer for bench/glm/elastic-net.bench.ts: scikit-learn's elastic net on a design matrix written by the bench.

Run with Debian's interpreter (/usr/bin/python3, package python3-sklearn):
    sklearn_elastic_net.py DESIGN.csv gaussian|binomial LAMBDA ALPHA REPEATS
DESIGN.csv holds the engine's encoded columns (standardised numbers, one-hot blocks) and the target last, so both
libraries fit exactly the same matrix. The penalties match the engine's at the same (lambda, alpha):
  ElasticNet: 1/(2n)|y - Xw|^2 + a r |w|_1 + a (1-r)/2 |w|^2, with a = lambda, r = alpha;
  LogisticRegression: C sum(logloss) + r |w|_1 + (1-r)/2 |w|^2, with C = 1/(n lambda), l1_ratio = alpha.
Prints one JSON line: the median fit time in ms, the intercept and the coefficients.
"""
import json
import sys
import time
import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import ElasticNet, LogisticRegression


def main(path, family, lam, alpha, repeats):
    table = np.loadtxt(path, delimiter=',', skiprows=1)
    x, y = np.ascontiguousarray(table[:, :-1]), table[:, -1]
    n = len(y)
    times = []
    for _ in range(repeats):
        if family == 'gaussian':
            model = ElasticNet(alpha=lam, l1_ratio=alpha, tol=1e-12, max_iter=1_000_000)
        else:
            model = LogisticRegression(penalty='elasticnet', solver='saga', l1_ratio=alpha, C=1 / (n * lam),
                                       tol=1e-10, max_iter=1_000_000, random_state=0)
        start = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter('error', ConvergenceWarning)
            model.fit(x, y)
        times.append((time.perf_counter() - start) * 1000)
    coef = np.ravel(model.coef_)
    intercept = float(np.ravel(model.intercept_)[0])
    print(json.dumps({'ms': sorted(times)[len(times) // 2], 'intercept': intercept, 'coefficients': coef.tolist(),
                      'iterations': int(np.max(model.n_iter_))}))


if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5]))
