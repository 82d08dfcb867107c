"""Benchmark: sklabels' label encoders against scikit-learn's, side by side.

Both libraries run in this one process on the same data, interleaved (ours,
theirs, ours, theirs, ...), and the script prints the ratio of median times
(ours / scikit-learn): below 1.0 means sklabels is faster. Machines are noisy,
so the ratio is the figure to read, not the absolute seconds.

Run::

    .venv/bin/python benchmarks/bench_encoding.py            # 5,000,000 labels
    .venv/bin/python benchmarks/bench_encoding.py --n-samples 200000 --repeats 3
"""

import argparse
import gc
import statistics
import time

import numpy as np
import pandas as pd
from sklearn import preprocessing as skp

from sklabels.encoding import LabelEncoder, MultiLabelEncoder, OneHotLabelEncoder


def _time(func):
    gc.collect()
    start = time.perf_counter()
    out = func()
    elapsed = time.perf_counter() - start
    del out
    return elapsed


def _interleaved(ours, theirs, repeats):
    times_ours, times_theirs = [], []
    for _ in range(repeats):
        times_ours.append(_time(ours))
        times_theirs.append(_time(theirs))
    return statistics.median(times_ours), statistics.median(times_theirs)


def _containers(n_samples, n_classes, rng):
    classes = np.array([f"class_{i:05d}" for i in range(n_classes)])
    y_str = classes[rng.integers(0, n_classes, n_samples)]
    y_obj = y_str.astype(object)
    return {
        "object ndarray": y_obj,
        "str ndarray (<U)": y_str,
        "list": y_obj.tolist(),
        "pandas Series": pd.Series(y_obj),
        "pandas categorical": pd.Series(y_obj, dtype="category"),
    }


def _label_encoder_cases(y):
    ours_fitted, theirs_fitted = LabelEncoder().fit(y), skp.LabelEncoder().fit(y)
    codes = ours_fitted.transform(y)
    return {
        "fit": (lambda: LabelEncoder().fit(y), lambda: skp.LabelEncoder().fit(y)),
        "transform": (
            lambda: ours_fitted.transform(y),
            lambda: theirs_fitted.transform(y),
        ),
        "fit_transform": (
            lambda: LabelEncoder().fit_transform(y),
            lambda: skp.LabelEncoder().fit_transform(y),
        ),
        "inverse_transform": (
            lambda: ours_fitted.inverse_transform(codes),
            lambda: theirs_fitted.inverse_transform(codes),
        ),
    }


def _check_same(y):
    ours, theirs = LabelEncoder().fit(y), skp.LabelEncoder().fit(y)
    assert np.array_equal(ours.classes_, theirs.classes_)
    assert np.array_equal(ours.transform(y), theirs.transform(y))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-samples", type=int, default=5_000_000)
    parser.add_argument("--n-classes", type=int, default=1_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    rows = []

    def record(encoder, container, op, t_ours, t_theirs):
        rows.append((encoder, container, op, t_ours, t_theirs, t_ours / t_theirs))
        print(
            f"{encoder:20s} {container:20s} {op:18s} ours {t_ours:7.3f}s  "
            f"sklearn {t_theirs:7.3f}s  ratio {t_ours / t_theirs:5.2f}",
            flush=True,
        )

    containers = _containers(args.n_samples, args.n_classes, rng)
    for container, y in containers.items():
        _check_same(y)
        for op, (ours, theirs) in _label_encoder_cases(y).items():
            record(
                "LabelEncoder", container, op, *_interleaved(ours, theirs, args.repeats)
            )

    # One-hot: sparse on both sides (a dense 5e6 x 1e3 int64 matrix is 40 GB).
    y = containers["object ndarray"]
    ours_oh = OneHotLabelEncoder(sparse_output=True).fit(y)
    theirs_lb = skp.LabelBinarizer(sparse_output=True).fit(y)
    Y = ours_oh.transform(y)
    assert (Y != theirs_lb.transform(y)).nnz == 0
    cases = {
        "fit_transform": (
            lambda: OneHotLabelEncoder(sparse_output=True).fit_transform(y),
            lambda: skp.LabelBinarizer(sparse_output=True).fit_transform(y),
        ),
        "inverse_transform": (
            lambda: ours_oh.inverse_transform(Y),
            lambda: theirs_lb.inverse_transform(Y),
        ),
    }
    for op, (ours, theirs) in cases.items():
        record(
            "OneHotLabelEncoder",
            "object ndarray",
            op,
            *_interleaved(ours, theirs, args.repeats),
        )

    # Multi-label: the same number of labels, two per row.
    flat = containers["object ndarray"]
    sets = list(zip(flat[0::2].tolist(), flat[1::2].tolist(), strict=True))
    ours_ml = MultiLabelEncoder(sparse_output=True).fit(sets)
    theirs_ml = skp.MultiLabelBinarizer(sparse_output=True).fit(sets)
    M = ours_ml.transform(sets)
    assert (M != theirs_ml.transform(sets)).nnz == 0
    cases = {
        "fit_transform": (
            lambda: MultiLabelEncoder(sparse_output=True).fit_transform(sets),
            lambda: skp.MultiLabelBinarizer(sparse_output=True).fit_transform(sets),
        ),
        "transform": (
            lambda: ours_ml.transform(sets),
            lambda: theirs_ml.transform(sets),
        ),
        "inverse_transform": (
            lambda: ours_ml.inverse_transform(M),
            lambda: theirs_ml.inverse_transform(M),
        ),
    }
    for op, (ours, theirs) in cases.items():
        record(
            "MultiLabelEncoder",
            "list of 2-tuples",
            op,
            *_interleaved(ours, theirs, args.repeats),
        )

    ratios = [r[-1] for r in rows]
    print(
        f"\n{len(rows)} cases, {args.n_samples:,} labels, {args.n_classes:,} classes, "
        f"median of {args.repeats} interleaved runs each"
    )
    print(
        f"worst ratio {max(ratios):.2f}, "
        f"geometric mean {statistics.geometric_mean(ratios):.2f}"
    )
    print("\n| encoder | input | operation | sklabels (s) | scikit-learn (s) | ratio |")
    print("|---|---|---|---:|---:|---:|")
    for encoder, container, op, t_ours, t_theirs, ratio in rows:
        print(
            f"| {encoder} | {container} | {op} | {t_ours:.3f} | {t_theirs:.3f} | "
            f"{ratio:.2f} |"
        )


if __name__ == "__main__":
    main()
