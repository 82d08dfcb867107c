"""Benchmark: sklabels' label-health functions against cleanlab 2.9's.

Both libraries run in this one process on the same synthetic data,
interleaved (ours, cleanlab, ours, cleanlab, ...), cleanlab quiet
(``verbose=False``) and with ``n_jobs=1`` where it takes one, sklabels with
its defaults (one thread). The data are those of ``bench_noise.py``: true
labels from a random class prior, about 20 % of them flipped along a random
noise matrix, and ``pred_probs`` rows from a Dirichlet with most of its mass
on the true class (float64).

For each function the script checks that both give the same answer (equal
DataFrames, numbers, arrays or masks), then reports the median wall time
(``time.perf_counter``) and CPU time (``time.process_time``) of
``--repeats`` interleaved calls, and the ratios sklabels / cleanlab.

Run (from the repository root)::

    .venv/bin/python benchmarks/bench_noise_health.py
    .venv/bin/python benchmarks/bench_noise_health.py --rows 1000000 --classes 10
"""

import argparse
import contextlib
import gc
import io
import statistics
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_noise import make_labels, make_pred_probs

from sklabels import noise


def _cleanlab():
    import cleanlab.count
    import cleanlab.dataset
    import cleanlab.filter

    return cleanlab


def cases(labels, pred_probs):
    """(name, ours, cleanlab's) pairs of zero-argument calls."""
    cl = _cleanlab()
    quiet = {"verbose": False}
    pairs = [
        (
            "rank_classes_by_label_quality",
            lambda: noise.rank_classes_by_label_quality(labels, pred_probs),
            lambda: cl.dataset.rank_classes_by_label_quality(labels, pred_probs),
        ),
        (
            "find_overlapping_classes",
            lambda: noise.find_overlapping_classes(labels, pred_probs),
            lambda: cl.dataset.find_overlapping_classes(labels, pred_probs),
        ),
        (
            "overall_label_health_score",
            lambda: noise.overall_label_health_score(labels, pred_probs),
            lambda: cl.dataset.overall_label_health_score(labels, pred_probs, **quiet),
        ),
        (
            "health_summary",
            lambda: noise.health_summary(labels, pred_probs),
            lambda: cl.dataset.health_summary(labels, pred_probs, **quiet),
        ),
    ]
    for method in ("off_diagonal", "off_diagonal_calibrated"):
        pairs.append(
            (
                f"num_label_issues ({method})",
                lambda m=method: noise.num_label_issues(
                    labels, pred_probs, estimation_method=m
                ),
                lambda m=method: cl.count.num_label_issues(
                    labels, pred_probs, estimation_method=m
                ),
            )
        )
    for method in ("low_self_confidence", "low_normalized_margin"):
        pairs.append(
            (
                f"find_label_issues ({method})",
                lambda m=method: noise.find_label_issues(labels, pred_probs, method=m),
                lambda m=method: cl.filter.find_label_issues(
                    labels, pred_probs, filter_by=m, n_jobs=1
                ),
            )
        )
    return pairs


def same(ours, theirs):
    """Whether two answers are equal (DataFrames, dicts, arrays, numbers)."""
    if isinstance(ours, dict):
        return list(ours) == list(theirs) and all(
            same(ours[key], theirs[key]) for key in ours
        )
    if isinstance(ours, pd.DataFrame):
        try:
            pd.testing.assert_frame_equal(ours, theirs)
        except AssertionError:
            return False
        return True
    if isinstance(ours, np.ndarray):
        return np.array_equal(ours, theirs)
    return ours == theirs


def timed(func):
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = func()
    return time.perf_counter() - wall, time.process_time() - cpu, out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--classes", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    y_true, labels, _ = make_labels(args.rows, args.classes, args.seed)
    pred_probs = make_pred_probs(
        y_true, args.classes, np.random.default_rng(args.seed + 1)
    )
    print(
        f"{args.rows:,} x {args.classes} float64, median of {args.repeats} "
        "interleaved calls\n"
    )
    print(
        "| function | sklabels wall (s) | cleanlab wall (s) | ratio wall "
        "| ratio CPU | same answer |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    for name, ours, theirs in cases(labels, pred_probs):
        times = {"ours": ([], []), "theirs": ([], [])}
        answers = {}
        for _ in range(args.repeats):
            for key, func in (("ours", ours), ("theirs", theirs)):
                wall, cpu, answers[key] = timed(func)
                times[key][0].append(wall)
                times[key][1].append(cpu)
        ours_wall, ours_cpu = (statistics.median(t) for t in times["ours"])
        theirs_wall, theirs_cpu = (statistics.median(t) for t in times["theirs"])
        agree = "yes" if same(answers["ours"], answers["theirs"]) else "NO"
        print(
            f"| `{name}` | {ours_wall:.4f} | {theirs_wall:.4f} "
            f"| {ours_wall / theirs_wall:.3f} | {ours_cpu / theirs_cpu:.3f} "
            f"| {agree} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
