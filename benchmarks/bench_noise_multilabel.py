"""Benchmark: multi-label label issues and scores against cleanlab 2.9.

Data: 100,000 examples x 20 labels (default), synthetic: each label present
with probability 0.05-0.4, noisy per-label probabilities ``clip(0.6 y + 0.4
u + N(0, 0.15))`` (float64), and 1 % of the label entries flipped after the
probabilities were drawn (the errors to find).

Timed, interleaved in one process (ours, then cleanlab, ``--repeats``
times; the median of each is reported, with the ratio ours / cleanlab):

1. ``find_multilabel_issues(labels, pred_probs)`` (default method
   "prune_by_noise_rate") against cleanlab's
   ``multilabel_classification.filter.find_label_issues(labels_lists,
   pred_probs)``, with cleanlab's default ``n_jobs`` (its processes) and with
   ``n_jobs=1``;
2. ``multilabel_quality_scores(labels, pred_probs)`` against
   ``multilabel_classification.rank.get_label_quality_scores``.

cleanlab takes its labels as a list of label lists only; ours are timed on
the dense 0/1 indicator (uint8) and on the same list of label lists (which
adds the conversion). The script asserts that the masks are identical and
the scores equal (allclose 1e-6).

Peak extra memory: ``tracemalloc`` (numpy reports its allocations to it),
peak traced bytes during one call minus the bytes traced before it, the
inputs already built; compared with the input's size (pred_probs plus the
indicator matrix). cleanlab's figure is measured the same way (its worker
processes, if any, are not traced: it is given with ``n_jobs=1``).

Run::

    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 \\
        .venv/bin/python benchmarks/bench_noise_multilabel.py
"""

import argparse
import gc
import shlex
import sys
import time
import tracemalloc
import warnings

import numpy as np
from cleanlab.multilabel_classification.filter import find_label_issues as cl_find
from cleanlab.multilabel_classification.rank import (
    get_label_quality_scores as cl_scores,
)

from sklabels.noise import find_multilabel_issues, multilabel_quality_scores


def make_data(n_samples, n_labels, seed):
    rng = np.random.default_rng(seed)
    rates = rng.uniform(0.05, 0.4, size=n_labels)
    truth = rng.random((n_samples, n_labels)) < rates
    pred_probs = 0.6 * truth + 0.4 * rng.random((n_samples, n_labels))
    pred_probs += rng.normal(0, 0.15, size=pred_probs.shape)
    np.clip(pred_probs, 0, 1, out=pred_probs)
    flips = rng.random((n_samples, n_labels)) < 0.01
    given = (truth ^ flips).astype(np.uint8)
    return given, pred_probs, flips.any(axis=1)


def timed(func):
    gc.collect()
    start = time.perf_counter()
    result = func()
    return time.perf_counter() - start, result


def peak_extra(func):
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    func()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak - before


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n-samples", type=int, default=100_000)
    parser.add_argument("--n-labels", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    print("command:", shlex.join([sys.executable, *sys.argv]))
    warnings.simplefilter("ignore")

    given, pred_probs, _ = make_data(args.n_samples, args.n_labels, args.seed)
    lists = [np.flatnonzero(row).tolist() for row in given]
    input_bytes = pred_probs.nbytes + given.nbytes
    print(
        f"{args.n_samples} x {args.n_labels} labels; input: pred_probs "
        f"{pred_probs.nbytes / 1e6:.1f} MB + indicator {given.nbytes / 1e6:.1f} MB"
    )

    cases = {
        "find (default method)": (
            {
                "ours, indicator": lambda: find_multilabel_issues(given, pred_probs),
                "ours, label lists": lambda: find_multilabel_issues(lists, pred_probs),
            },
            {
                "cleanlab, n_jobs default": lambda: cl_find(lists, pred_probs),
                "cleanlab, n_jobs=1": lambda: cl_find(lists, pred_probs, n_jobs=1),
            },
        ),
        "scores (self_confidence, EMA)": (
            {
                "ours, indicator": lambda: multilabel_quality_scores(given, pred_probs),
                "ours, label lists": lambda: multilabel_quality_scores(
                    lists, pred_probs
                ),
            },
            {"cleanlab": lambda: cl_scores(lists, pred_probs)},
        ),
    }
    for name, (ours, theirs) in cases.items():
        times = {key: [] for key in (*ours, *theirs)}
        results = {}
        for _ in range(args.repeats):
            for group in (ours, theirs):
                for key, func in group.items():
                    seconds, results[key] = timed(func)
                    times[key].append(seconds)
        reference = next(iter(theirs))
        for key in ours:
            if name.startswith("find"):
                assert np.array_equal(results[key], results[reference]), key
            else:
                assert np.allclose(results[key], results[reference], atol=1e-6), key
        print(f"\n{name}: median of {args.repeats}, seconds")
        medians = {key: float(np.median(value)) for key, value in times.items()}
        for key, value in medians.items():
            print(f"  {key:28s} {value:8.3f}")
        for key in ours:
            ratios = ", ".join(
                f"{medians[key] / medians[other]:.2f} x {other}" for other in theirs
            )
            print(f"  ratio {key}: {ratios}")
        if name.startswith("find"):
            print(f"  rows flagged: {int(results[reference].sum())}")

    print("\npeak extra memory (tracemalloc), MB and multiple of the input's size")
    memory = {
        "ours find, indicator": lambda: find_multilabel_issues(given, pred_probs),
        "ours scores, indicator": lambda: multilabel_quality_scores(given, pred_probs),
        "ours find, label lists": lambda: find_multilabel_issues(lists, pred_probs),
        "cleanlab find, n_jobs=1": lambda: cl_find(lists, pred_probs, n_jobs=1),
        "cleanlab scores": lambda: cl_scores(lists, pred_probs),
    }
    for key, func in memory.items():
        extra = peak_extra(func)
        print(f"  {key:28s} {extra / 1e6:8.1f} MB  {extra / input_bytes:5.2f} x input")


if __name__ == "__main__":
    main()
