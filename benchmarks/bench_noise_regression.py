"""Benchmark: wrong regression targets, sklabels against cleanlab.

Two parts, both run in this one process with the two libraries interleaved
(ours, cleanlab, ours, cleanlab, ...), so that the load of a shared machine
falls on both alike; ratios are sklabels / cleanlab.

``--part speed``
    :func:`sklabels.noise.regression_quality_scores` against cleanlab's
    ``regression.rank.get_label_quality_scores`` on the same synthetic
    targets (normal ``y``, predictions ``y`` + Student-t noise):

    - "outre" at ``--outre-rows`` rows (default 4,000): median wall and CPU
      time of ``--repeats`` interleaved calls, the ratio (target <= 0.2),
      the largest absolute difference of the scores, and the peak memory
      traced by ``tracemalloc`` during one call of each;
    - "residual" at ``--residual-rows`` rows (default 1,000,000): the same
      (target: ratio <= 1);
    - "outre" alone at ``--big-rows`` rows (default 200,000; cleanlab would
      need an n x n/2 matrix, 160 GB): time and peak traced memory, and the
      traced memory at a tenth of the rows, to show linear growth.

``--part detection``
    :class:`sklabels.noise.RegressionLabelFilter` (default threshold)
    against cleanlab's ``regression.learn.CleanLearning(model)
    .find_label_issues(X, y)`` with the same model, on real data sets
    bundled with scikit-learn, 10 % of the targets corrupted:

    - data: ``load_diabetes`` (disease progression, 442 rows),
      ``load_linnerud`` (weight from the three exercises, 20 rows),
      ``load_wine`` (alcohol from the 12 other measurements, 178 rows),
      ``load_breast_cancer`` ("mean texture" from the 29 other columns,
      569 rows);
    - corruption of ``round(0.1 n)`` rows drawn at random: "offset" adds
      +-U(1, 3) standard deviations of ``y``; "swap" gives each chosen row
      the target of another chosen row (a rotation). A swapped row whose
      target did not change (equal targets) does not count as corrupted;
    - models: the filter's default (``StandardScaler(with_mean=False)`` +
      ``RidgeCV``) and ``HistGradientBoostingRegressor(max_iter=100,
      random_state=0)``; both libraries get the same model;
    - ``--seeds`` corruptions per (data set, kind, model); F1 of the flags
      against the corrupted rows (0 when nothing is flagged), mean per kind
      and overall, and the ratio of the total wall times.

Run::

    .venv/bin/python benchmarks/bench_noise_regression.py
    .venv/bin/python benchmarks/bench_noise_regression.py --part speed
    .venv/bin/python benchmarks/bench_noise_regression.py --part detection --seeds 5
"""

import argparse
import statistics
import time
import tracemalloc
import warnings

import numpy as np
from sklearn.base import clone
from sklearn.datasets import load_breast_cancer, load_diabetes, load_linnerud, load_wine
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.metrics import f1_score

from sklabels.noise import RegressionLabelFilter, regression_quality_scores
from sklabels.noise._regression import _default_estimator

MIB = 2**20


# --------------------------------------------------------------------------
# Speed
# --------------------------------------------------------------------------


def _synthetic(n, seed=0):
    rng = np.random.default_rng(seed)
    y = rng.normal(size=n) * 10
    return y, y + rng.standard_t(3, size=n)


def _timed(fn):
    gc_wall, gc_cpu = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - gc_wall, time.process_time() - gc_cpu


def _peak_mib(fn):
    tracemalloc.start()
    tracemalloc.reset_peak()
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / MIB


def _compare(method, n, repeats):
    from cleanlab.regression.rank import get_label_quality_scores

    y, predictions = _synthetic(n)

    def ours():
        return regression_quality_scores(y, predictions, method=method)

    def theirs():
        return get_label_quality_scores(y, predictions, method=method)

    walls, cpus = {"ours": [], "cleanlab": []}, {"ours": [], "cleanlab": []}
    for _ in range(repeats):
        a, wall, cpu = _timed(ours)
        walls["ours"].append(wall)
        cpus["ours"].append(cpu)
        b, wall, cpu = _timed(theirs)
        walls["cleanlab"].append(wall)
        cpus["cleanlab"].append(cpu)
    diff = float(np.max(np.abs(a - b)))
    mem = {"ours": _peak_mib(ours), "cleanlab": _peak_mib(theirs)}
    med = {k: statistics.median(v) for k, v in walls.items()}
    med_cpu = {k: statistics.median(v) for k, v in cpus.items()}
    print(
        f"| {method} | {n:,} | {med['ours']:.4f} | {med['cleanlab']:.4f} | "
        f"{med['ours'] / med['cleanlab']:.3f} | "
        f"{med_cpu['ours'] / med_cpu['cleanlab']:.3f} | {diff:.1e} | "
        f"{mem['ours']:.1f} | {mem['cleanlab']:.1f} |",
        flush=True,
    )


def speed(args):
    print(
        "| method | rows | sklabels wall (s) | cleanlab wall (s) | ratio wall | "
        "ratio CPU | max abs diff | sklabels peak (MiB) | cleanlab peak (MiB) |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    _compare("outre", args.outre_rows, args.repeats)
    _compare("residual", args.residual_rows, max(args.repeats, 10))

    print()
    print("| outre, sklabels only: rows | wall (s) | CPU (s) | peak traced (MiB) |")
    print("|---:|---:|---:|---:|")
    for n in (args.big_rows // 10, args.big_rows):
        y, predictions = _synthetic(n)
        tracemalloc.start()
        tracemalloc.reset_peak()
        _, wall, cpu = _timed(
            lambda y=y, p=predictions: regression_quality_scores(y, p)
        )
        peak = tracemalloc.get_traced_memory()[1] / MIB
        tracemalloc.stop()
        print(f"| {n:,} | {wall:.1f} | {cpu:.1f} | {peak:.1f} |", flush=True)


# --------------------------------------------------------------------------
# Detection
# --------------------------------------------------------------------------


def _datasets():
    X, y = load_diabetes(return_X_y=True)
    yield "diabetes", X, y
    data = load_linnerud()
    yield "linnerud (weight)", data.data, data.target[:, 0]
    X = load_wine().data
    yield "wine (alcohol)", X[:, 1:], X[:, 0]
    X = load_breast_cancer().data
    yield "breast cancer (mean texture)", np.delete(X, 1, axis=1), X[:, 1]


def _corrupt(y, kind, seed, frac=0.1):
    rng = np.random.default_rng(seed)
    n = y.size
    rows = rng.choice(n, max(2, round(frac * n)), replace=False)
    noisy = y.astype(np.float64).copy()
    if kind == "offset":
        signs = rng.choice([-1.0, 1.0], rows.size)
        noisy[rows] += signs * rng.uniform(1, 3, rows.size) * y.std()
    else:
        noisy[rows] = y[np.roll(rows, 1)]
    return noisy, noisy != y


def _models():
    yield "ridge (filter default)", _default_estimator()
    yield (
        "HistGradientBoosting",
        HistGradientBoostingRegressor(max_iter=100, random_state=0),
    )


def detection(args):
    from cleanlab.regression.learn import CleanLearning

    rows = []
    time_ours = time_theirs = 0.0
    print("| model | data | kind | sklabels F1 | cleanlab F1 |")
    print("|---|---|---|---:|---:|")
    for model_name, model in _models():
        for data_name, X, y in _datasets():
            for kind in ("offset", "swap"):
                f1 = {"ours": [], "cleanlab": []}
                for seed in range(args.seeds):
                    noisy, truth = _corrupt(y, kind, seed)
                    flt = RegressionLabelFilter(clone(model))
                    _, wall, _ = _timed(
                        lambda flt=flt, X=X, noisy=noisy: flt.fit(X, noisy)
                    )
                    time_ours += wall
                    flags = flt.label_issues_
                    f1["ours"].append(f1_score(truth, flags, zero_division=0))
                    cl = CleanLearning(clone(model), seed=seed)
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")
                        issues, wall, _ = _timed(
                            lambda cl=cl, X=X, noisy=noisy: cl.find_label_issues(
                                X, noisy
                            )
                        )
                    time_theirs += wall
                    f1["cleanlab"].append(
                        f1_score(
                            truth, issues["is_label_issue"].to_numpy(), zero_division=0
                        )
                    )
                means = {k: float(np.mean(v)) for k, v in f1.items()}
                rows.append((model_name, data_name, kind, means))
                print(
                    f"| {model_name} | {data_name} | {kind} | {means['ours']:.3f} | "
                    f"{means['cleanlab']:.3f} |",
                    flush=True,
                )
    print()
    print("| kind | sklabels mean F1 | cleanlab mean F1 |")
    print("|---|---:|---:|")
    for kind in ("offset", "swap", None):
        sel = [m for (_, _, k, m) in rows if kind is None or k == kind]
        ours = np.mean([m["ours"] for m in sel])
        theirs = np.mean([m["cleanlab"] for m in sel])
        print(f"| {kind or 'all'} | {ours:.3f} | {theirs:.3f} |")
    print()
    print(
        f"Total wall time: sklabels {time_ours:.1f} s, cleanlab {time_theirs:.1f} s, "
        f"ratio {time_ours / time_theirs:.3f}."
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=["speed", "detection", "all"], default="all")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--outre-rows", type=int, default=4_000)
    parser.add_argument("--residual-rows", type=int, default=1_000_000)
    parser.add_argument("--big-rows", type=int, default=200_000)
    parser.add_argument("--seeds", type=int, default=5)
    args = parser.parse_args()
    if args.part in ("speed", "all"):
        speed(args)
        print()
    if args.part in ("detection", "all"):
        detection(args)


if __name__ == "__main__":
    main()
