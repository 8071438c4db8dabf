"""Freezes scikit-learn's answers for every engine metric on small vectors with the awkward cases: ties, constant
predictions, one class (or one target value), zero targets, NaN and infinite inputs.

Run with Debian's interpreter (python3-sklearn 1.2, numpy 1.24) from the repository root:
    /usr/bin/python3 packages/engine/scripts/reference/make_metric_fixtures.py
It writes src/metrics/__fixtures__/sklearn-metric-cases.json, read by metrics/sklearn-cases.test.ts.

Each case names our metric, its arguments, the scikit-learn call that answers it, and either `value` or `error`.
`error.code` is the EngineError code we throw: `invalid_input` where scikit-learn rejects the values (NaN, infinity,
out-of-domain), `undefined_metric` where it raises because the metric is not defined, or returns NaN with a warning.
NaN is written as null (JSON has no NaN); infinities as the strings "Infinity" / "-Infinity".
"""
import json
import math
import os
import warnings

import numpy as np
import sklearn
from sklearn.calibration import calibration_curve
from sklearn.metrics import (accuracy_score, average_precision_score, balanced_accuracy_score, confusion_matrix,
                             f1_score, log_loss, mean_absolute_error, mean_absolute_percentage_error,
                             mean_poisson_deviance, mean_squared_error, precision_score, r2_score, recall_score,
                             roc_auc_score)

OUT = os.path.join(os.path.dirname(__file__), '..', '..', 'src', 'metrics', '__fixtures__',
                   'sklearn-metric-cases.json')
NAN = float('nan')
cases = []


def encode(values):
    out = []
    for v in np.asarray(values, dtype=float).ravel().tolist():
        out.append(None if math.isnan(v) else ('Infinity' if v == math.inf else '-Infinity' if v == -math.inf else v))
    return out


def answer(call):
    """scikit-learn's return value (and warnings), or the exception it raised."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        try:
            result = call()
        except ValueError as e:
            return None, str(e), []
    return result, None, sorted({str(w.message).split('.')[0] for w in caught})


def has_nan(result):
    parts = result if isinstance(result, tuple) else (result,)
    return any(np.isnan(np.asarray(part, dtype=float)).any() for part in parts)


def add(metric, name, args, sklearn_call, call, expect_error=None):
    """expect_error: the code we throw; the script fails unless scikit-learn raised (or returned NaN) there."""
    result, raised, warned = answer(call)
    case = {'metric': metric, 'case': name, 'args': args, 'sklearn': sklearn_call}
    if warned:
        case['warnings'] = warned
    undefined = raised is not None or has_nan(result)
    if expect_error is not None:
        assert undefined, f'{metric}/{name}: scikit-learn answered {result}, expected an error'
        case['error'] = {'code': expect_error, 'sklearn': raised or f'returns NaN ({"; ".join(warned) or "no warning"})'}
    else:
        assert not undefined, f'{metric}/{name}: scikit-learn raised {raised or result}'
        if isinstance(result, tuple):
            case['value'] = {'probTrue': np.asarray(result[0]).tolist(), 'probPred': np.asarray(result[1]).tolist()}
        elif isinstance(result, np.ndarray):
            case['value'] = result.ravel().tolist()
        else:
            case['value'] = float(result)
    cases.append(case)


def binary_cases(rng):
    n = 40
    y = (rng.random(n) < 0.4).astype(float)
    ties = np.round(np.clip(1 / (1 + np.exp(-(1.5 * y - 0.7 + rng.normal(0, 1, n)))), 0.01, 0.99), 1)
    out = {
        'ties': (y, ties),
        'constant_prediction': (y, np.full(n, 0.3)),
        'threshold_exactly_half': (y, np.where(np.arange(n) % 3 == 0, 0.5, ties)),
        'hard_labels': (y, (ties > 0.5).astype(float)),
        'one_class_positive': (np.ones(12), ties[:12]),
        'one_class_negative': (np.zeros(12), ties[:12]),
        'nan_in_prediction': (y[:10], np.where(np.arange(10) == 4, NAN, ties[:10])),
        'nan_in_truth': (np.where(np.arange(10) == 2, NAN, y[:10]), ties[:10]),
        'infinite_prediction': (y[:10], np.where(np.arange(10) == 7, math.inf, ties[:10])),
    }
    for name, (yt, p) in out.items():
        bad = bool(np.isnan(yt).any() or not np.isfinite(p).all())
        one_class = len(np.unique(yt)) == 1
        lab = np.where(np.isfinite(p), p > 0.5, p)  # keep NaN/inf so scikit-learn sees them
        args = {'yTrue': encode(yt), 'yPred': encode(p)}
        code = 'invalid_input' if bad else None
        add('rocAuc', name, args, 'roc_auc_score(y, p)', lambda: roc_auc_score(yt, p),
            code or ('undefined_metric' if one_class else None))
        add('prAuc', name, args, 'average_precision_score(y, p)', lambda: average_precision_score(yt, p), code)
        add('logLoss', name, args, 'log_loss(y, p, labels=[0, 1])', lambda: log_loss(yt, p, labels=[0, 1]), code)
        add('accuracy', name, args, 'accuracy_score(y, p > 0.5)', lambda: accuracy_score(yt, lab), code)
        add('balancedAccuracy', name, args, 'balanced_accuracy_score(y, p > 0.5)',
            lambda: balanced_accuracy_score(yt, lab), code)
        for metric, fn in [('precision', precision_score), ('recall', recall_score), ('f1', f1_score)]:
            add(metric, name, args, f'{fn.__name__}(y, p > 0.5)', lambda: fn(yt, lab), code)
        for strategy in ['uniform', 'quantile']:
            for bins in [3, 5, 10]:
                add('calibrationCurve', f'{name}/{strategy}/{bins}', {**args, 'nBins': bins, 'strategy': strategy},
                    f'calibration_curve(y, p, n_bins={bins}, strategy={strategy!r})',
                    lambda: calibration_curve(yt, p, n_bins=bins, strategy=strategy), code)


def multiclass_cases(rng):
    n, k = 45, 4
    y = rng.integers(0, k, n)
    y[y == 3] = rng.integers(0, 3, (y == 3).sum())  # class 3 rarely present: set only a few
    y[:3] = 3
    wrong = rng.random(n) < 0.35
    pred = np.where(wrong, rng.integers(0, k, n), y)
    out = {
        'mixed': (y, pred, None),
        'class_never_predicted': (y, np.where(pred == 2, 1, pred), None),
        'constant_prediction': (y, np.full(n, 1), None),
        'one_class': (np.zeros(10, dtype=int), pred[:10], None),
        'one_class_all_right': (np.full(6, 2), np.full(6, 2), None),
        'absent_class_listed': (y[y != 3], pred[y != 3] % 3, 5),
        'nan_in_prediction': (y[:10], np.where(np.arange(10) == 1, NAN, pred[:10]), None),
    }
    for name, (yt, yp, n_classes) in out.items():
        bad = bool(np.isnan(np.asarray(yp, dtype=float)).any())
        code = 'invalid_input' if bad else None
        args = {'yTrue': encode(yt), 'yPred': encode(yp)}
        if n_classes is not None:
            args['nClasses'] = n_classes
        labels = list(range(n_classes)) if n_classes is not None else None
        lab_text = f', labels=range({n_classes})' if n_classes is not None else ''
        for average in ['macro', 'weighted', 'micro']:
            for metric, fn in [('precision', precision_score), ('recall', recall_score), ('f1', f1_score)]:
                add(metric, f'{name}/{average}', {**args, 'average': average},
                    f'{fn.__name__}(y, pred, average={average!r}{lab_text})',
                    lambda: fn(yt, yp, average=average, labels=labels), code)
        if n_classes is None:
            add('balancedAccuracy', f'{name}/multiclass', {**args, 'multiclass': True},
                'balanced_accuracy_score(y, pred)', lambda: balanced_accuracy_score(yt, yp), code)
        kk = n_classes or k
        add('confusionMatrix', name, {**args, 'nClasses': kk}, f'confusion_matrix(y, pred, labels=range({kk}))',
            lambda: confusion_matrix(yt, yp, labels=list(range(kk))), code)


def probability_cases(rng):
    n, k = 30, 3
    y = rng.integers(0, k, n)
    logits = rng.normal(0, 1, (n, k))
    logits[np.arange(n), y] += 1.2
    probs = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    ties = np.round(probs, 1)
    ties[:, 2] = 1 - ties[:, 0] - ties[:, 1]  # rows still sum to 1 (within rounding)
    uniform = np.full((n, k), 1 / 3)
    hard = np.eye(k)[np.where(rng.random(n) < 0.8, y, (y + 1) % k)]
    unnormalised = probs * 1.7
    nan_probs = probs.copy()
    nan_probs[3, 1] = NAN
    out = {
        'smooth': (y, probs),
        'ties': (y, ties),
        'constant_prediction': (y, uniform),
        'hard_zero_one': (y, hard),
        'rows_not_summing_to_one': (y, unnormalised),
        'class_absent_from_truth': (np.where(y == 2, 0, y), probs),
        'one_class': (np.zeros(n, dtype=int), probs),
        'nan_in_probabilities': (y, nan_probs),
    }
    for name, (yt, p) in out.items():
        args = {'yTrue': encode(yt), 'probs': encode(p), 'k': k}
        bad = bool(np.isnan(p).any())
        add('multiclassLogLoss', name, args, f'log_loss(y, probs, labels=range({k}))',
            lambda: log_loss(yt, p, labels=list(range(k))), 'invalid_input' if bad else None)
        undefined = len(np.unique(yt)) < k
        not_probabilities = not np.allclose(1, p.sum(axis=1)) if not bad else False
        add('rocAucOvr', name, args, f"roc_auc_score(y, probs, multi_class='ovr', labels=range({k}))",
            lambda: roc_auc_score(yt, p, multi_class='ovr', labels=list(range(k))),
            'invalid_input' if bad or not_probabilities else ('undefined_metric' if undefined else None))


def regression_cases(rng):
    n = 30
    counts = rng.poisson(3, n).astype(float)
    pred = np.round(np.maximum(0.2, counts + rng.normal(0, 1.5, n)), 1)
    out = {
        'typical': (counts, pred),
        'ties': (np.round(counts / 2), np.maximum(0.5, np.round(pred / 2))),
        'constant_prediction': (counts, np.full(n, 3.0)),
        'constant_target': (np.full(n, 4.0), pred),
        'constant_target_exact': (np.full(5, 4.0), np.full(5, 4.0)),
        'zero_targets': (np.where(np.arange(n) % 4 == 0, 0.0, counts + 1), pred),
        'single_row': (np.array([2.0]), np.array([3.5])),
        'negative_target': (np.where(np.arange(n) == 5, -1.0, counts), pred),
        'zero_prediction': (counts, np.where(np.arange(n) == 8, 0.0, pred)),
        'nan_in_prediction': (counts, np.where(np.arange(n) == 3, NAN, pred)),
        'nan_in_truth': (np.where(np.arange(n) == 9, NAN, counts), pred),
        'infinite_truth': (np.where(np.arange(n) == 0, -math.inf, counts), pred),
    }
    for name, (yt, p) in out.items():
        args = {'yTrue': encode(yt), 'yPred': encode(p)}
        bad = bool(not np.isfinite(yt).all() or not np.isfinite(p).all())
        code = 'invalid_input' if bad else None
        add('rmse', name, args, 'sqrt(mean_squared_error(y, p))', lambda: math.sqrt(mean_squared_error(yt, p)), code)
        add('mae', name, args, 'mean_absolute_error(y, p)', lambda: mean_absolute_error(yt, p), code)
        add('r2', name, args, 'r2_score(y, p)', lambda: r2_score(yt, p),
            code or ('undefined_metric' if len(yt) < 2 else None))
        add('mape', name, args, 'mean_absolute_percentage_error(y, p)',
            lambda: mean_absolute_percentage_error(yt, p), code)
        domain = bad or (yt < 0).any() or (p <= 0).any()
        add('poissonDeviance', name, args, 'mean_poisson_deviance(y, p)', lambda: mean_poisson_deviance(yt, p),
            'invalid_input' if domain else None)


if __name__ == '__main__':
    generator = np.random.default_rng(20261126)
    binary_cases(generator)
    multiclass_cases(generator)
    probability_cases(generator)
    regression_cases(generator)
    with open(OUT, 'w') as f:
        json.dump({'generator': 'packages/engine/scripts/reference/make_metric_fixtures.py',
                   'sklearn': sklearn.__version__, 'numpy': np.__version__, 'cases': cases}, f, indent=1)
        f.write('\n')
    print(f'{len(cases)} cases -> {OUT}')
