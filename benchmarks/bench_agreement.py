"""Benchmark: sklabels' ``krippendorff_alpha`` against the ``krippendorff`` package.

Both run in this one process on the same data, interleaved (ours, theirs,
ours, theirs, ...), for each level of measurement; the script prints the ratio
of median times (sklabels / krippendorff): below 1.0 means sklabels is faster.
Machines are noisy, so the ratio is the figure to read, not the absolute time.

Orientation: sklabels takes the label matrix ``L`` of shape
``(n_items, n_sources)`` (int, ``-1`` for a missing label); the package takes
``reliability_data`` of shape ``(n_coders, n_units)`` (float, NaN for a missing
value), that is ``L.T`` with NaN. Each library is timed on its own input format,
built once outside the timing; sklabels is also timed on the package's float
matrix (transposed back, NaN missing). The script first checks that both give
the same alpha (to 1e-9).

Run::

    .venv/bin/python benchmarks/bench_agreement.py          # 2,000 x 50, K = 2, 5, 20
    .venv/bin/python benchmarks/bench_agreement.py --n-items 20000 --repeats 10
"""

import argparse
import gc
import importlib.metadata
import os
import platform
import statistics
import sys
import time

import krippendorff
import numpy as np

from sklabels.metrics import krippendorff_alpha

LEVELS = ["nominal", "ordinal", "interval", "ratio"]


def _time(func):
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def _interleaved(ours, theirs, repeats):
    """Median times; the garbage collector is off while timing (calls take ms)."""
    ours(), theirs()  # warm-up
    gc.collect()
    gc.disable()
    try:
        times_ours, times_theirs = [], []
        for _ in range(repeats):
            times_ours.append(_time(ours))
            times_theirs.append(_time(theirs))
    finally:
        gc.enable()
    return statistics.median(times_ours), statistics.median(times_theirs)


def _label_matrix(n_items, n_sources, n_classes, missing, rng):
    """Annotators who agree with a per-item value most of the time."""
    truth = rng.integers(0, n_classes, size=n_items)
    noise = rng.integers(0, n_classes, size=(n_items, n_sources))
    L = np.where(rng.random((n_items, n_sources)) < 0.7, truth[:, np.newaxis], noise)
    L[rng.random(L.shape) < missing] = -1
    return L


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-items", type=int, default=2000)
    parser.add_argument("--n-sources", type=int, default=50)
    parser.add_argument("--n-classes", type=int, nargs="+", default=[2, 5, 20])
    parser.add_argument("--missing", type=float, default=0.3)
    parser.add_argument("--repeats", type=int, default=31)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--bootstrap",
        type=int,
        default=1000,
        help="also time sklabels' bootstrap interval with this many replicates "
        "(0 to skip; the package has no interval)",
    )
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)

    print(
        f"# {args.n_items} items x {args.n_sources} sources, "
        f"{args.missing:.0%} missing, median of {args.repeats} interleaved runs"
    )
    print(
        f"# Python {platform.python_version()}, numpy {np.__version__}, "
        f"krippendorff {importlib.metadata.version('krippendorff')}, "
        f"{os.cpu_count()} cores"
    )
    rows = []
    for n_classes in args.n_classes:
        L = _label_matrix(args.n_items, args.n_sources, n_classes, args.missing, rng)
        reliability_data = np.where(L < 0, np.nan, L).T.astype(np.float64)
        as_float = np.ascontiguousarray(reliability_data.T)  # (n_items, n_sources)
        for level in LEVELS:
            ours = krippendorff_alpha(L, level)
            theirs = krippendorff.alpha(reliability_data, level_of_measurement=level)
            if not abs(ours - theirs) <= 1e-9:
                sys.exit(f"alpha differs at K={n_classes}, {level}: {ours} vs {theirs}")
            if not abs(krippendorff_alpha(as_float, level) - theirs) <= 1e-9:
                sys.exit(f"alpha on the float matrix differs at K={n_classes}, {level}")
            for name, data in [
                ("int, -1 missing", L),
                ("float, NaN missing", as_float),
            ]:
                t_ours, t_theirs = _interleaved(
                    lambda data=data, level=level: krippendorff_alpha(data, level),
                    lambda level=level, data=reliability_data: krippendorff.alpha(
                        data, level_of_measurement=level
                    ),
                    args.repeats,
                )
                rows.append((n_classes, level, name, t_ours, t_theirs, ours))
                print(
                    f"K={n_classes:<3d} {level:8s} {name:18s} "
                    f"sklabels {t_ours * 1e3:7.2f} ms  krippendorff "
                    f"{t_theirs * 1e3:7.2f} ms  ratio {t_ours / t_theirs:.2f}",
                    flush=True,
                )

    ratios = [t_ours / t_theirs for *_, t_ours, t_theirs, _ in rows]
    worst = max(ratios)
    geomean = float(np.exp(np.mean(np.log(ratios))))
    print(
        f"\nTarget: ratio <= 1.0. Worst ratio {worst:.2f}, "
        f"geometric mean {geomean:.2f}."
    )

    command = " ".join(["python", "benchmarks/bench_agreement.py", *sys.argv[1:]])
    print("\nCommand:\n")
    print("```bash")
    print(f".venv/bin/{command}")
    print("```\n")
    print(
        "| K | level | sklabels input | alpha | sklabels (ms) | krippendorff (ms) "
        "| ratio |"
    )
    print("|---:|---|---|---:|---:|---:|---:|")
    for n_classes, level, name, t_ours, t_theirs, alpha in rows:
        print(
            f"| {n_classes} | {level} | {name} | {alpha:.4f} | {t_ours * 1e3:.2f} | "
            f"{t_theirs * 1e3:.2f} | {t_ours / t_theirs:.2f} |"
        )

    if args.bootstrap:
        n_classes = args.n_classes[len(args.n_classes) // 2]
        L = _label_matrix(args.n_items, args.n_sources, n_classes, args.missing, rng)
        print(
            f"\nsklabels bootstrap, {args.bootstrap} replicates, 95% interval "
            f"(K={n_classes}; the package has no interval):\n"
        )
        print("| level | alpha | interval | time (s) |")
        print("|---|---:|---|---:|")
        for level in LEVELS:
            start = time.perf_counter()
            alpha, (low, high) = krippendorff_alpha(
                L,
                level,
                confidence_level=0.95,
                n_bootstrap=args.bootstrap,
                random_state=0,
            )
            elapsed = time.perf_counter() - start
            print(
                f"| {level} | {alpha:.4f} | [{low:.4f}, {high:.4f}] | {elapsed:.2f} |"
            )


if __name__ == "__main__":
    main()
