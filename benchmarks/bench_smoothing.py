"""Benchmark: label smoothing on top of LogisticRegression, cost in time and memory.

Fits ``LabelSmoothingClassifier(LogisticRegression())`` and a plain
``LogisticRegression`` on the same synthetic data (200,000 x 20, 10 classes by
default), interleaved in one process, and prints

- the ratio of median fit times (smoothing / plain; target <= K + 1),
- the peak memory each fit allocates on top of its input, measured with
  ``tracemalloc`` (numpy reports its buffers to it), relative to the size of X
  (target < 2).

The "expand" method (one weighted copy of each row per class, the generic
mechanism used for any classifier) is timed too, for reference.

Run::

    .venv/bin/python benchmarks/bench_smoothing.py
    .venv/bin/python benchmarks/bench_smoothing.py --n-samples 20000 --repeats 3
"""

import argparse
import gc
import statistics
import time
import tracemalloc

import numpy as np
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression

from sklabels.smoothing import LabelSmoothingClassifier


def _measure(make, X, y):
    """Wall time and peak extra traced memory of ``make().fit(X, y)``."""
    gc.collect()
    tracemalloc.start()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    start = time.perf_counter()
    model = make().fit(X, y)
    elapsed = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1] - base
    tracemalloc.stop()
    return elapsed, peak, model


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-samples", type=int, default=200_000)
    parser.add_argument("--n-features", type=int, default=20)
    parser.add_argument("--n-classes", type=int, default=10)
    parser.add_argument("--alpha", type=float, default=0.1)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--no-expand", action="store_true", help="skip 'expand'")
    args = parser.parse_args()

    X, y = make_classification(
        n_samples=args.n_samples,
        n_features=args.n_features,
        n_informative=min(args.n_features, 15),
        n_redundant=0,
        n_classes=args.n_classes,
        n_clusters_per_class=1,
        random_state=0,
    )
    K = args.n_classes
    models = {
        "LogisticRegression": lambda: LogisticRegression(max_iter=1000),
        "LabelSmoothing (auto)": lambda: LabelSmoothingClassifier(
            LogisticRegression(max_iter=1000), alpha=args.alpha
        ),
    }
    if not args.no_expand:
        models["LabelSmoothing (expand)"] = lambda: LabelSmoothingClassifier(
            LogisticRegression(max_iter=1000), alpha=args.alpha, method="expand"
        )
    times = {name: [] for name in models}
    peaks = {name: [] for name in models}
    fitted = {}
    for _ in range(args.repeats):
        for name, make in models.items():  # interleaved
            elapsed, peak, fitted[name] = _measure(make, X, y)
            times[name].append(elapsed)
            peaks[name].append(peak)

    plain = statistics.median(times["LogisticRegression"])
    x_mb = X.nbytes / 2**20
    print(
        f"X: {X.shape[0]:,} x {X.shape[1]} float64 = {x_mb:.1f} MiB, K = {K}, "
        f"alpha = {args.alpha}, median of {args.repeats} interleaved fits"
    )
    print(
        "\n| model | method | fit (s) | time ratio | peak extra memory (MiB) "
        "| / size of X |"
    )
    print("|---|---|---:|---:|---:|---:|")
    for name in models:
        t = statistics.median(times[name])
        peak = max(peaks[name]) / 2**20
        method = getattr(fitted[name], "method_", "-")
        print(
            f"| {name} | {method} | {t:.2f} | {t / plain:.2f} | {peak:.1f} | "
            f"{peak / x_mb:.2f} |"
        )
    ours = fitted["LabelSmoothing (auto)"]
    print(
        f"\ntraining accuracy: plain {fitted['LogisticRegression'].score(X, y):.4f}, "
        f"smoothed {ours.score(X, y):.4f}; "
        f"iterations: plain {fitted['LogisticRegression'].n_iter_[0]}, "
        f"smoothed {ours.estimator_.n_iter_[0]}"
    )
    if "LabelSmoothing (expand)" in fitted:
        diff = np.abs(
            ours.predict_proba(X[:1000])
            - fitted["LabelSmoothing (expand)"].predict_proba(X[:1000])
        ).max()
        print(f"max |proba(auto) - proba(expand)| on 1000 rows: {diff:.2e}")
    print(f"targets: time ratio <= {K + 1}, peak extra memory < 2 x size of X")


if __name__ == "__main__":
    main()
