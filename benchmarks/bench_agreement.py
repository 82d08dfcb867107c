"""Benchmark: sklabels' agreement metrics against their peers.

1. ``krippendorff_alpha`` against the ``krippendorff`` package.
2. ``fleiss_kappa`` against statsmodels (``aggregate_raters`` +
   ``fleiss_kappa`` of ``statsmodels.stats.inter_rater``), on a simulated
   sparse crowd and on a dense matrix; and ``krippendorff_alpha`` against the
   package on the sparse crowd (section 2 is skipped without statsmodels).

Both libraries run in this one process on the same data, interleaved (ours,
theirs, ours, theirs, ...); the script prints the ratio of median times
(sklabels / peer): below 1.0 means sklabels is faster. Machines are noisy, so
the ratio is the figure to read, not the absolute time.

Orientation: sklabels takes the label matrix ``L`` of shape
``(n_items, n_sources)`` (int, ``-1`` for a missing label); the package takes
``reliability_data`` of shape ``(n_coders, n_units)`` (float, NaN for a missing
value), that is ``L.T`` with NaN. Each library is timed on its own input format,
built once outside the timing; sklabels is also timed on the package's float
matrix (transposed back, NaN missing). The script first checks that both give
the same alpha (to 1e-9).

Section 2. The sparse crowd is simulated (the shape of the TREC 2011
crowdsourcing relevance set, which is not shipped): 20,232 items x 766
workers, 5 votes per item from 5 distinct random workers (101,160 votes,
0.65 % of the cells), 2 classes, workers right 80 % of the time. statsmodels'
``fleiss_kappa`` needs the same number of votes on every item, hence exactly
5. The dense case is 100,000 items x 30 sources, complete, 5 classes. Inputs
are built once, outside the timing; each row says what is timed on each side:

- "API path": each library from the same data through its own functions.
  sparse crowd, from the long table (three int arrays item, worker, label):
  sklabels ``fleiss_kappa(scipy.sparse.coo_array((label + 1, (item, worker))))``
  (a sparse label matrix stores the class code plus one);
  statsmodels sorts the votes by item into the (items, 5) ratings matrix that
  ``aggregate_raters`` takes, then ``aggregate_raters`` + ``fleiss_kappa``.
  dense: both from the (n_items, 30) label matrix, sklabels
  ``fleiss_kappa(L)``, statsmodels ``aggregate_raters(L)`` + ``fleiss_kappa``.
- "count table given": statsmodels gets the (n_items, K) count table built
  beforehand, and times ``fleiss_kappa(table)`` alone; sklabels gets its label
  matrix built beforehand (CSR for the crowd, dense otherwise) and counts the
  labels inside its timing. This favours statsmodels.
- "counted with np.bincount": statsmodels' table counted by hand from the long
  table (``np.bincount(item * K + label)``, the fastest user code) inside the
  timing; sklabels as in the API path.

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
from scipy import sparse

from sklabels.metrics import fleiss_kappa, krippendorff_alpha

try:
    from statsmodels.stats import inter_rater
except ImportError:  # section 2 needs statsmodels
    inter_rater = None

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


def _crowd_votes(n_items, n_workers, votes_per_item, n_classes, rng):
    """Long table of a sparse crowd: each item labelled by a few random workers."""
    truth = rng.integers(0, n_classes, size=n_items)
    item = np.repeat(np.arange(n_items), votes_per_item)
    # votes_per_item distinct workers per item: the first columns of a
    # random permutation of the workers, drawn by argsort of random keys.
    keys = rng.random((n_items, n_workers))
    worker = np.argpartition(keys, votes_per_item, axis=1)[:, :votes_per_item]
    worker = worker.ravel()
    noise = rng.integers(0, n_classes, size=item.size)
    label = np.where(rng.random(item.size) < 0.8, truth[item], noise)
    order = rng.permutation(item.size)  # a long table in no particular order
    return item[order], worker[order], label[order]


def _ratio_row(case, path, t_ours, t_theirs, peer):
    print(
        f"{case:14s} {path:26s} sklabels {t_ours * 1e3:8.2f} ms  {peer} "
        f"{t_theirs * 1e3:8.2f} ms  ratio {t_ours / t_theirs:.2f}",
        flush=True,
    )
    return case, path, t_ours, t_theirs, peer


def _peer_section(args, rng):
    """Fleiss' kappa vs statsmodels; alpha vs the package on the sparse crowd."""
    fleiss = inter_rater.fleiss_kappa
    aggregate = inter_rater.aggregate_raters
    rows = []
    n_items, n_workers, per_item, k = 20232, 766, 5, 2
    item, worker, label = _crowd_votes(n_items, n_workers, per_item, k, rng)
    shape = (n_items, n_workers)
    # A sparse label matrix stores the class code plus one (absent: no label).
    csr = sparse.csr_array((label + 1, (item, worker)), shape=shape)
    table = np.bincount(item * k + label, minlength=n_items * k).reshape(n_items, k)
    ours = fleiss_kappa(csr)
    if not abs(ours - fleiss(table)) <= 1e-9:
        sys.exit(f"fleiss_kappa differs on the crowd: {ours} vs {fleiss(table)}")
    print(
        f"\n# Sparse crowd (simulated): {n_items} items x {n_workers} workers, "
        f"{item.size} votes ({item.size / (n_items * n_workers):.2%} filled), "
        f"K={k}; kappa {ours:.4f}"
    )

    def ours_long():
        return fleiss_kappa(sparse.coo_array((label + 1, (item, worker)), shape=shape))

    def theirs_long():
        ratings = label[np.argsort(item, kind="stable")].reshape(n_items, per_item)
        return fleiss(aggregate(ratings, n_cat=k)[0])

    def theirs_bincount():
        counts = np.bincount(item * k + label, minlength=n_items * k)
        return fleiss(counts.reshape(n_items, k))

    for path, mine, theirs in [
        ("API path", ours_long, theirs_long),
        ("count table given", lambda: fleiss_kappa(csr), lambda: fleiss(table)),
        ("counted with np.bincount", ours_long, theirs_bincount),
    ]:
        rows.append(
            _ratio_row(
                "crowd fleiss",
                path,
                *_interleaved(mine, theirs, args.peer_repeats),
                "statsmodels",
            )
        )
    # Krippendorff's alpha on the crowd: the package takes its dense
    # (n_workers, n_items) float matrix, NaN for a missing value.
    reliability = np.full((n_workers, n_items), np.nan)
    reliability[worker, item] = label
    alpha = krippendorff_alpha(csr)
    theirs_alpha = krippendorff.alpha(reliability, level_of_measurement="nominal")
    if not abs(alpha - theirs_alpha) <= 1e-9:
        sys.exit(f"alpha differs on the crowd: {alpha} vs {theirs_alpha}")
    for level in ["nominal", "ordinal"]:
        rows.append(
            _ratio_row(
                "crowd alpha",
                f"{level}, CSR vs dense NaN",
                *_interleaved(
                    lambda level=level: krippendorff_alpha(csr, level),
                    lambda level=level, data=reliability: krippendorff.alpha(
                        data, level_of_measurement=level
                    ),
                    max(3, args.peer_repeats // 4),
                ),
                "krippendorff",
            )
        )
    del reliability

    n_items, n_sources, k = 100_000, 30, 5
    truth = rng.integers(0, k, size=n_items)
    noise = rng.integers(0, k, size=(n_items, n_sources))
    L = np.where(rng.random(noise.shape) < 0.7, truth[:, np.newaxis], noise)
    item = np.repeat(np.arange(n_items), n_sources)
    table = np.bincount(item * k + L.ravel(), minlength=n_items * k).reshape(n_items, k)
    ours = fleiss_kappa(L)
    if not abs(ours - fleiss(table)) <= 1e-9:
        sys.exit(f"fleiss_kappa differs on the dense case: {ours} vs {fleiss(table)}")
    print(
        f"\n# Dense: {n_items} items x {n_sources} sources, complete, K={k}; "
        f"kappa {ours:.4f}"
    )
    flat = L.ravel()

    def theirs_bincount_dense():
        counts = np.bincount(item * k + flat, minlength=n_items * k)
        return fleiss(counts.reshape(n_items, k))

    for path, mine, theirs in [
        ("API path", lambda: fleiss_kappa(L), lambda: fleiss(aggregate(L)[0])),
        ("count table given", lambda: fleiss_kappa(L), lambda: fleiss(table)),
        ("counted with np.bincount", lambda: fleiss_kappa(L), theirs_bincount_dense),
    ]:
        rows.append(
            _ratio_row(
                "dense fleiss",
                path,
                *_interleaved(mine, theirs, args.peer_repeats),
                "statsmodels",
            )
        )
    print("\n| case | what is timed | sklabels (ms) | peer | peer (ms) | ratio |")
    print("|---|---|---:|---|---:|---:|")
    for case, path, t_ours, t_theirs, peer in rows:
        print(
            f"| {case} | {path} | {t_ours * 1e3:.2f} | {peer} | "
            f"{t_theirs * 1e3:.2f} | {t_ours / t_theirs:.2f} |"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-items", type=int, default=2000)
    parser.add_argument("--n-sources", type=int, default=50)
    parser.add_argument("--n-classes", type=int, nargs="+", default=[2, 5, 20])
    parser.add_argument("--missing", type=float, default=0.3)
    parser.add_argument("--repeats", type=int, default=31)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--peer-repeats",
        type=int,
        default=11,
        help="repeats of section 2 (statsmodels, sparse crowd, dense 100k x 30)",
    )
    parser.add_argument(
        "--only-peers",
        action="store_true",
        help="run section 2 alone",
    )
    parser.add_argument(
        "--bootstrap",
        type=int,
        default=1000,
        help="also time sklabels' bootstrap interval with this many replicates "
        "(0 to skip; the package has no interval)",
    )
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    if args.only_peers:
        if inter_rater is None:
            sys.exit("section 2 needs statsmodels")
        _peer_section(args, rng)
        return

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

    if inter_rater is None:
        print("\nstatsmodels is not installed: section 2 skipped.")
    else:
        _peer_section(args, rng)


if __name__ == "__main__":
    main()
