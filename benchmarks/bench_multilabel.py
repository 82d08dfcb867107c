"""Benchmark: BinaryRelevance vs MultiOutputClassifier vs scikit-multilearn.

Fits and predicts with one ``LogisticRegression`` per label on
``make_multilabel_classification`` data (5,000 samples, 50 features, 20 labels
by default), for

- ``sklabels.multilabel.BinaryRelevance`` with ``n_jobs=1`` and ``n_jobs=2``,
- ``sklearn.multioutput.MultiOutputClassifier`` with ``n_jobs=1`` and ``2``,
- scikit-multilearn's ``BinaryRelevance`` (no ``n_jobs``), when installed
  (``pip install scikit-multilearn``, part of the ``bench`` extra),

interleaved in one process (one untimed warm-up round first, which also
starts the joblib workers). It asserts that every model predicts exactly
what ``MultiOutputClassifier`` predicts, then prints a markdown table of
median times and the targets:

- fit + predict time of ``BinaryRelevance`` <= 1.1 x that of
  ``MultiOutputClassifier`` with ``n_jobs=1``,
- ``BinaryRelevance`` faster with ``n_jobs=2`` than with ``n_jobs=1``.

Run::

    .venv/bin/python benchmarks/bench_multilabel.py
    .venv/bin/python benchmarks/bench_multilabel.py --repeats 21
    .venv/bin/python benchmarks/bench_multilabel.py --blas-threads 1

``--blas-threads`` limits the BLAS threads of the main process (joblib's
workers already get ``n_cpus / n_jobs`` each): on a busy machine, BLAS
threads fighting over the cores can make the ``n_jobs=1`` runs of every
library many times slower, which would show as a spurious ``n_jobs=2``
speed-up.
"""

import argparse
import gc
import os
import platform
import shlex
import statistics
import sys
import time
import warnings

import numpy as np
import sklearn
from scipy import sparse
from sklearn.datasets import make_multilabel_classification
from sklearn.linear_model import LogisticRegression
from sklearn.multioutput import MultiOutputClassifier
from threadpoolctl import threadpool_info, threadpool_limits

from sklabels.multilabel import BinaryRelevance


def _skmultilearn():
    """scikit-multilearn's BinaryRelevance factory, or None and the reason."""
    try:
        from skmultilearn.problem_transform import BinaryRelevance as SkmlBR
    except ImportError as exc:
        return None, f"not installed ({exc})"
    try:  # smoke test: it is barely maintained
        X, Y = make_multilabel_classification(n_samples=30, n_classes=3, random_state=0)
        SkmlBR(LogisticRegression(), require_dense=[True, True]).fit(X, Y).predict(X)
    except Exception as exc:
        return None, f"fails with scikit-learn {sklearn.__version__}: {exc!r}"

    def make(estimator):
        return SkmlBR(classifier=estimator, require_dense=[True, True])

    return make, None


def _dense(pred):
    return pred.toarray() if sparse.issparse(pred) else np.asarray(pred)


def _run(make, X, Y):
    """Wall times of ``fit`` and ``predict`` and the predictions."""
    gc.collect()
    model = make()
    start = time.perf_counter()
    model.fit(X, Y)
    fitted = time.perf_counter()
    pred = model.predict(X)
    done = time.perf_counter()
    return fitted - start, done - fitted, _dense(pred)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-samples", type=int, default=5000)
    parser.add_argument("--n-features", type=int, default=50)
    parser.add_argument("--n-labels", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=11)
    parser.add_argument(
        "--blas-threads",
        type=int,
        default=None,
        help="limit the BLAS threads of the main process (default: no limit)",
    )
    args = parser.parse_args()
    if args.blas_threads is not None:
        threadpool_limits(args.blas_threads, user_api="blas")
    blas = ", ".join(
        f"{info['internal_api']} {info['num_threads']} thread(s)"
        for info in threadpool_info()
        if info["user_api"] == "blas"
    )

    X, Y = make_multilabel_classification(
        n_samples=args.n_samples,
        n_features=args.n_features,
        n_classes=args.n_labels,
        random_state=0,
    )
    base = LogisticRegression(max_iter=1000)
    models = {
        ("sklabels BinaryRelevance", 1): lambda: BinaryRelevance(base, n_jobs=1),
        ("MultiOutputClassifier", 1): lambda: MultiOutputClassifier(base, n_jobs=1),
        ("sklabels BinaryRelevance", 2): lambda: BinaryRelevance(base, n_jobs=2),
        ("MultiOutputClassifier", 2): lambda: MultiOutputClassifier(base, n_jobs=2),
    }
    skml, reason = _skmultilearn()
    if skml is None:
        print(f"scikit-multilearn skipped: {reason}\n", file=sys.stderr)
    else:
        models[("scikit-multilearn BinaryRelevance", 1)] = lambda: skml(base)

    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    fit_times = {key: [] for key in models}
    predict_times = {key: [] for key in models}
    reference = None
    with warnings.catch_warnings():
        # scikit-multilearn uses deprecated scipy/numpy idioms
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.simplefilter("ignore", FutureWarning)
        for repeat in range(args.repeats + 1):  # round 0: untimed warm-up
            for key, make in models.items():  # interleaved
                fit_t, predict_t, pred = _run(make, X, Y)
                if reference is None:
                    reference = MultiOutputClassifier(base).fit(X, Y).predict(X)
                if not np.array_equal(pred, reference):
                    raise AssertionError(
                        f"{key[0]} (n_jobs={key[1]}) predicts "
                        "differently from MultiOutputClassifier"
                    )
                if repeat:
                    fit_times[key].append(fit_t)
                    predict_times[key].append(predict_t)

    def median(times, key):
        return statistics.median(times[key])

    def total(key):
        return statistics.median(
            f + p for f, p in zip(fit_times[key], predict_times[key], strict=True)
        )

    print(
        f"Command: .venv/bin/python {shlex.join(sys.argv)}\n"
        f"Data: make_multilabel_classification({args.n_samples} samples, "
        f"{args.n_features} features, {args.n_labels} labels), "
        "LogisticRegression(max_iter=1000); fit on all rows, predict all rows; "
        f"median of {args.repeats} interleaved runs after one warm-up round.\n"
        f"Python {platform.python_version()}, numpy {np.__version__}, "
        f"scikit-learn {sklearn.__version__}, {os.cpu_count()} CPUs, BLAS: "
        f"{blas or 'none found'}; load average before the runs: {load}.\n"
        "Every model's predictions are identical to MultiOutputClassifier's.\n"
    )
    print(
        "| model | n_jobs | fit (s) | predict (s) | fit + predict (s) "
        "| / MultiOutputClassifier |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    for key in models:
        name, n_jobs = key
        ratio = total(key) / total(("MultiOutputClassifier", n_jobs))
        print(
            f"| {name} | {n_jobs} | {median(fit_times, key):.3f} | "
            f"{median(predict_times, key):.4f} | {total(key):.3f} | {ratio:.2f} |"
        )
    ours1 = total(("sklabels BinaryRelevance", 1))
    ratio = ours1 / total(("MultiOutputClassifier", 1))
    speedup = ours1 / total(("sklabels BinaryRelevance", 2))
    print(
        f"\nTarget 1: BinaryRelevance / MultiOutputClassifier (n_jobs=1) = "
        f"{ratio:.2f} (<= 1.10: {'met' if ratio <= 1.1 else 'NOT met'})\n"
        f"Target 2: BinaryRelevance speed-up n_jobs=1 -> n_jobs=2 = {speedup:.2f}x "
        f"(> 1: {'met' if speedup > 1 else 'NOT met'})"
    )


if __name__ == "__main__":
    main()
