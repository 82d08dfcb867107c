"""Benchmark: label aggregation, sklabels vs crowd-kit (and Snorkel when installed).

Two parts, each on simulated data whose true labels are known:

1. Crowds: 10,000 and 100,000 items, K = 4 classes, 30 annotators (honest
   ones with their own confusion matrices, spammers and adversaries), 3 to 5
   annotations per item. For DawidSkene, GLAD and MACE (and MajorityVote)
   the accuracy and the wall time of sklabels and crowd-kit on the same long
   table, sklabels' time *including* ``to_label_matrix``; targets: accuracy
   >= crowd-kit's, time <= 0.1 x crowd-kit's.
2. Sparse crowds: many annotators with few answers each, the shape of the
   TREC relevance set of Zheng et al. (2017): 20,232 items, 766 annotators,
   about 97,000 answers (0.6 % of the matrix), K = 4, simulated (the real
   set is not shipped). MajorityVote, WeightedMajorityVote and DawidSkene
   against crowd-kit's MajorityVote, Wawa and DawidSkene; sklabels' time
   includes ``to_label_matrix(..., sparse_output=True)``; target: accuracy
   >= crowd-kit's and time <= 1 x.
3. Labeling functions: 20,000 items, K = 3 imbalanced classes
   (70 / 20 / 10 %), 15 LFs of varied coverage and accuracy, mostly
   unipolar (they vote one class), one block of four correlated LFs (three
   near-copies of a noisy one) and one multipolar LF. Accuracy and time of
   sklabels' LabelModel, majority vote and, when ``snorkel`` is installed,
   Snorkel's LabelModel with default settings; target: LabelModel accuracy
   >= both, time <= 0.5 x Snorkel's.

Runs are interleaved (ours, theirs, ours, theirs, ...) and the median time of
``--repeats`` runs is reported (a crowd-kit method that took more than two
minutes in total is not repeated; its GLAD is not run above 10,000 items by
default, as it needs minutes there already). Accuracy is over the items with
at least one vote (every method predicts -1 or abstains elsewhere); a tie of
the majority vote is broken at random. Prints markdown tables for
``docs/benchmarks.md``.

Run::

    .venv/bin/python benchmarks/bench_aggregation.py
    .venv/bin/python benchmarks/bench_aggregation.py --sizes 10000 --repeats 1
    .venv/bin/python benchmarks/bench_aggregation.py --skip-crowd \\
        --lf-sizes 20000 200000 1000000
    .venv/bin/python benchmarks/bench_aggregation.py --skip-crowd --skip-lfs

Snorkel needs torch, which sklabels does not: run the labeling-function part
from a separate environment with ``pip install torch==2.13.0 snorkel`` and
sklabels installed (see docs/benchmarks.md).
"""

import argparse
import itertools
import statistics
import time
import warnings

import numpy as np
import pandas as pd
from sklearn.exceptions import ConvergenceWarning

from sklabels.aggregation import (
    GLAD,
    MACE,
    DawidSkene,
    LabelModel,
    MajorityVote,
    WeightedMajorityVote,
    to_label_matrix,
)

K_CROWD = 4
N_ANNOTATORS = 30


# ---------------------------------------------------------------------------
# Simulated data
# ---------------------------------------------------------------------------


def simulate_crowd(n_items, random_state=0):
    """Long table (task, worker, label) of a crowd, and the true labels.

    30 annotators: 20 honest ones whose confusion matrix puts accuracy
    U(0.55, 0.9) on the diagonal and spreads the rest unevenly (Dirichlet),
    6 spammers (3 answer uniformly at random, 3 always answer the same
    class) and 4 adversaries (they give the true class shifted by one, 85 %
    of the time). Each item gets 3, 4 or 5 annotators chosen at random,
    annotators being picked with unequal frequencies.
    """
    rng = np.random.RandomState(random_state)
    K = K_CROWD
    y = rng.choice(K, size=n_items, p=[0.4, 0.3, 0.2, 0.1])
    confusion = np.empty((N_ANNOTATORS, K, K))
    for s in range(20):
        acc = rng.uniform(0.55, 0.9)
        for k in range(K):
            off = rng.dirichlet(np.ones(K - 1)) * (1 - acc)
            confusion[s, k] = np.insert(off, k, acc)
    confusion[20:23] = 1.0 / K
    for s in range(23, 26):
        confusion[s] = 0.0
        confusion[s, :, rng.randint(K)] = 1.0
    for s in range(26, 30):
        confusion[s] = 0.05
        for k in range(K):
            confusion[s, k, (k + 1) % K] = 0.85
    confusion /= confusion.sum(axis=2, keepdims=True)

    n_votes = rng.randint(3, 6, size=n_items)
    popularity = rng.dirichlet(np.full(N_ANNOTATORS, 2.0))
    keys = rng.random_sample((n_items, N_ANNOTATORS)) ** (1.0 / popularity)
    order = np.argsort(-keys, axis=1)  # weighted sampling without replacement
    items = np.repeat(np.arange(n_items), n_votes)
    rank = np.arange(items.size) - np.repeat(np.cumsum(n_votes) - n_votes, n_votes)
    workers = order[items, rank]
    cum = confusion[workers, y[items]].cumsum(axis=1)
    labels = (rng.random_sample(items.size)[:, None] > cum).sum(axis=1)
    labels = np.minimum(labels, K - 1)
    perm = rng.permutation(items.size)  # a long table is rarely sorted
    data = pd.DataFrame(
        {
            "task": np.char.add("t", items[perm].astype(str)),
            "worker": np.char.add("w", workers[perm].astype(str)),
            "label": labels[perm],
        }
    )
    return data, pd.Series(y, index=np.char.add("t", np.arange(n_items).astype(str)))


def simulate_sparse_crowd(
    n_items=20_232,
    n_workers=766,
    votes_per_item=4.8,
    mix=(0.3, 0.4, 0.2, 0.1),
    random_state=0,
):
    """Long table of a sparse crowd (many workers, few answers each), true labels.

    K = 4 classes (40 / 30 / 20 / 10 %). Workers (shares ``mix``): 30 %
    skilled (right with probability U(0.65, 0.95)), 40 % mediocre
    (U(0.3, 0.65)), 20 % answering at random and 10 % always giving the same
    class; a wrong answer is
    uniform over the other classes. Each item gets 1 + Poisson(3.8) answers
    (at most 20) from workers drawn without replacement with log-normal
    activity (sigma 1.5): a few workers answer thousands of items, most a
    handful.
    """
    rng = np.random.RandomState(random_state)
    K = K_CROWD
    y = rng.choice(K, size=n_items, p=[0.4, 0.3, 0.2, 0.1])
    kind = rng.choice(4, size=n_workers, p=mix)
    acc = np.select(
        [kind == 0, kind == 1],
        [rng.uniform(0.65, 0.95, n_workers), rng.uniform(0.3, 0.65, n_workers)],
        1.0 / K,
    )
    constant = rng.randint(K, size=n_workers)
    activity = rng.lognormal(0.0, 1.5, size=n_workers)
    n_votes = np.clip(rng.poisson(votes_per_item - 1, n_items) + 1, 1, 20)
    items, workers = [], []
    for start in range(0, n_items, 2000):  # blocks: bounded memory
        stop = min(start + 2000, n_items)
        keys = np.log(rng.random_sample((stop - start, n_workers))) / activity
        order = np.argsort(-keys, axis=1)[:, :20]  # weighted, no replacement
        counts = n_votes[start:stop]
        rows = np.repeat(np.arange(stop - start), counts)
        rank = np.arange(rows.size) - np.repeat(np.cumsum(counts) - counts, counts)
        items.append(rows + start)
        workers.append(order[rows, rank])
    items, workers = np.concatenate(items), np.concatenate(workers)
    right = rng.random_sample(items.size) < acc[workers]
    wrong = (y[items] + rng.randint(1, K, items.size)) % K
    labels = np.where(right, y[items], wrong)
    labels = np.where(kind[workers] == 3, constant[workers], labels)
    perm = rng.permutation(items.size)
    data = pd.DataFrame(
        {
            "task": np.char.add("t", items[perm].astype(str)),
            "worker": np.char.add("w", workers[perm].astype(str)),
            "label": labels[perm],
        }
    )
    return data, pd.Series(y, index=np.char.add("t", np.arange(n_items).astype(str)))


def simulate_lfs(n_items=20_000, priors=(0.7, 0.2, 0.1), rho=0.9, random_state=0):
    """Label matrix of 15 LFs and the true labels.

    14 unipolar LFs, each voting its class with probability ``tpr`` on items
    of that class and ``fpr`` on the others, and abstaining otherwise: 4 for
    class 0, 4 for class 1, 3 for class 2, plus 3 near-copies of the 4th
    class-1 LF (a noisy one): each copies its firing decision with
    probability ``rho``. One multipolar LF votes on 40 % of the items,
    right 60 % of the time.
    """
    rng = np.random.RandomState(random_state)
    K = len(priors)
    y = rng.choice(K, size=n_items, p=priors)
    specs = [  # (class, tpr, fpr, parent)
        (0, 0.40, 0.05, None),
        (0, 0.30, 0.03, None),
        (0, 0.50, 0.15, None),
        (0, 0.20, 0.02, None),
        (1, 0.45, 0.03, None),
        (1, 0.30, 0.02, None),
        (1, 0.50, 0.08, None),
        (2, 0.40, 0.02, None),
        (2, 0.30, 0.01, None),
        (2, 0.55, 0.05, None),
        (1, 0.35, 0.10, None),
        (1, 0.35, 0.10, 10),
        (1, 0.35, 0.10, 10),
        (1, 0.35, 0.10, 10),
    ]
    L = np.full((n_items, len(specs) + 1), -1)
    fired = []
    for j, (k, tpr, fpr, parent) in enumerate(specs):
        fires = rng.random_sample(n_items) < np.where(y == k, tpr, fpr)
        if parent is not None:
            fires = np.where(rng.random_sample(n_items) < rho, fired[parent], fires)
        fired.append(fires)
        L[fires, j] = k
    votes = rng.random_sample(n_items) < 0.4
    right = rng.random_sample(n_items) < 0.6
    other = (y + rng.randint(1, K, n_items)) % K
    L[votes, -1] = np.where(right, y, other)[votes]
    return L, y


# ---------------------------------------------------------------------------
# Runners
# ---------------------------------------------------------------------------


def _ours(model, sparse_output=False):
    def run(data):
        L, items, _, classes = to_label_matrix(
            data,
            item="task",
            source="worker",
            label="label",
            sparse_output=sparse_output,
        )
        pred = model().fit(L).predict(L)
        return pd.Series(np.where(pred >= 0, classes[np.maximum(pred, 0)], -1), items)

    return run


def _crowdkit(name):
    import crowdkit.aggregation as ck

    makers = {
        "MajorityVote": lambda: ck.MajorityVote(),
        "DawidSkene": lambda: ck.DawidSkene(n_iter=100, tol=1e-5),
        "GLAD": lambda: ck.GLAD(n_iter=100, tol=1e-5),
        "MACE": lambda: ck.MACE(random_state=0),
        "Wawa": None,  # run below
    }

    def run(data):
        if name == "Wawa":
            # Wawa.predict fails under scikit-learn >= 1.6 (check_is_fitted on
            # a class without __sklearn_tags__): its own _apply, spelled out.
            skills = ck.Wawa().fit(data).skills_
            return ck.MajorityVote().fit(data, skills=skills).labels_
        return makers[name]().fit_predict(data)

    return run


def _time(run, data):
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        out = run(data)
    return time.perf_counter() - start, out


def _accuracy(pred, y):
    pred = pred.reindex(y.index)
    covered = pred.notna() & (pred != -1)
    return float((pred[covered].astype(int) == y[covered]).mean())


def bench_crowd(sizes, repeats, methods, max_items, slow=120.0):
    try:
        import crowdkit  # noqa: F401

        have_ck = True
    except ImportError:
        have_ck = False
        print("crowd-kit is not installed: only sklabels is timed.\n")
    ours = {
        "MajorityVote": lambda: MajorityVote(random_state=0),
        "DawidSkene": DawidSkene,
        "GLAD": GLAD,
        "MACE": lambda: MACE(random_state=0),
    }
    rows, skipped = [], []
    for n in sizes:
        data, y = simulate_crowd(n)
        for name in methods:
            runners = {"sklabels": _ours(ours[name])}
            if have_ck:
                runners["crowd-kit"] = _crowdkit(name)
            if have_ck and n > max_items.get(name, np.inf):
                del runners["crowd-kit"]
                skipped.append((n, name))
            times = {k: [] for k in runners}
            acc = {}
            for _ in range(repeats):
                for who, run in runners.items():  # interleaved
                    if who == "crowd-kit" and sum(times[who]) > slow:
                        continue  # one run of a very slow peer is enough
                    t, pred = _time(run, data)
                    times[who].append(t)
                    acc[who] = _accuracy(pred, y)
            t_ours = statistics.median(times["sklabels"])
            row = [f"{n:,}", f"{len(data):,}", name, f"{acc['sklabels']:.4f}"]
            if "crowd-kit" in runners:
                t_ck = statistics.median(times["crowd-kit"])
                row += [f"{acc['crowd-kit']:.4f}", f"{t_ours:.3f}", f"{t_ck:.3f}"]
                row.append(f"{t_ours / t_ck:.4f}")
            else:
                row += ["not run", f"{t_ours:.3f}", "not run", "-"]
            rows.append(row)
            print("  done:", row, flush=True)
    print(
        "\n| items | annotations | method | accuracy sklabels | accuracy crowd-kit "
        "| time sklabels (s) | time crowd-kit (s) | time ratio |"
    )
    print("|---:|---:|---|---:|---:|---:|---:|---:|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    for n, name in skipped:
        print(
            f"\ncrowd-kit's {name} was not run on {n:,} items (--crowdkit-max-items "
            f"{name}={max_items[name]}): too slow, see the smaller size."
        )


def bench_sparse_crowd(repeats, mix, slow=120.0):
    """Sparse crowd of the TREC shape: ours on a sparse L vs crowd-kit."""
    try:
        import crowdkit  # noqa: F401

        have_ck = True
    except ImportError:
        have_ck = False
        print("crowd-kit is not installed: only sklabels is timed.\n")
    data, y = simulate_sparse_crowd(mix=mix)
    pairs = [  # (ours, model, crowd-kit's)
        ("MajorityVote", lambda: MajorityVote(random_state=0), "MajorityVote"),
        ("WeightedMajorityVote", WeightedMajorityVote, "Wawa"),
        ("DawidSkene", DawidSkene, "DawidSkene"),
    ]
    n_items, n_workers = data.task.nunique(), data.worker.nunique()
    print(
        f"\nSparse crowd: {n_items:,} items, {n_workers} workers, {len(data):,} "
        f"answers ({len(data) / (n_items * n_workers):.2%} of the matrix); "
        f"skilled / mediocre / random / constant workers: {list(mix)}"
    )
    rows = []
    for name, model, theirs in pairs:
        runners = {
            "sklabels": _ours(model, sparse_output=True),
            "sklabels (dense L)": _ours(model),
        }
        if have_ck:
            runners["crowd-kit"] = _crowdkit(theirs)
        times = {k: [] for k in runners}
        acc = {}
        for _ in range(repeats):
            for who, run in runners.items():
                if sum(times[who]) > slow:
                    continue
                t, pred = _time(run, data)
                times[who].append(t)
                acc[who] = _accuracy(pred, y)
        t_ours = statistics.median(times["sklabels"])
        t_dense = statistics.median(times["sklabels (dense L)"])
        row = [name, theirs, f"{acc['sklabels']:.4f}"]
        if have_ck:
            t_ck = statistics.median(times["crowd-kit"])
            row += [f"{acc['crowd-kit']:.4f}", f"{t_ours:.3f}", f"{t_dense:.3f}"]
            row += [f"{t_ck:.3f}", f"{t_ours / t_ck:.2f}", f"{t_dense / t_ck:.2f}"]
        else:
            row += ["not run", f"{t_ours:.3f}", f"{t_dense:.3f}", "-", "-", "-"]
        rows.append(row)
        print("  done:", row, flush=True)
    print(
        "\n| sklabels | crowd-kit | accuracy sklabels | accuracy crowd-kit "
        "| time sklabels, sparse L (s) | time sklabels, dense L (s) "
        "| time crowd-kit (s) | ratio (sparse L) | ratio (dense L) |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


def _snorkel_runner(class_balance=None):
    try:
        from snorkel.labeling.model import LabelModel as SnorkelLabelModel
    except ImportError:
        return None

    def run(L):
        model = SnorkelLabelModel(cardinality=int(L.max()) + 1, verbose=False)
        model.fit(L, class_balance=class_balance, progress_bar=False, seed=0)
        return model.predict(L, tie_break_policy="random")

    return run


def bench_lfs(repeats, sizes):
    runners = {
        "sklabels LabelModel": lambda L: LabelModel().fit(L).predict(L),
        "sklabels LabelModel (dependencies='ignore')": lambda L: (
            LabelModel(dependencies="ignore").fit(L).predict(L)
        ),
        "sklabels MajorityVote": lambda L: (
            MajorityVote(random_state=0).fit(L).predict(L)
        ),
        "sklabels WeightedMajorityVote": lambda L: (
            WeightedMajorityVote().fit(L).predict(L)
        ),
    }
    snorkel = _snorkel_runner()
    if snorkel is not None:
        runners["Snorkel LabelModel (defaults)"] = snorkel
        # For reference only: Snorkel told the true class balance, which
        # none of the others is given.
        runners["Snorkel LabelModel (true class_balance given)"] = _snorkel_runner(
            class_balance=[0.7, 0.2, 0.1]
        )
    scenarios = {
        "correlated block (rho=0.9)": 0.9,
        "correlated block (rho=0.5)": 0.5,
        "independent LFs (rho=0)": 0.0,
    }
    rows = []
    for n_items, (scenario, rho) in itertools.product(sizes, scenarios.items()):
        if n_items != sizes[0] and rho != 0.5:
            continue  # larger sizes: one scenario is enough to see the scaling
        L, y = simulate_lfs(n_items=n_items, rho=rho)
        covered = (L >= 0).any(axis=1)
        times = {k: [] for k in runners}
        acc = {}
        for _ in range(repeats):
            for name, run in runners.items():
                t, pred = _time(run, L)
                times[name].append(t)
                acc[name] = float((pred == y)[covered].mean())
        reference = statistics.median(
            times.get("Snorkel LabelModel (defaults)", [np.nan])
        )
        for name in runners:
            t = statistics.median(times[name])
            rows.append(
                f"| {n_items:,} | {scenario}, {covered.mean():.1%} covered | {name} | "
                f"{acc[name]:.4f} | {t:.3f} | {t / reference:.2f} |"
            )
    print(
        f"\n{L.shape[1]} LFs, class balance "
        f"{np.round(np.bincount(y) / y.size, 3).tolist()}; accuracy on the items "
        "covered by at least one LF"
    )
    if snorkel is None:
        print(
            "snorkel is not installed (it requires torch): Snorkel's LabelModel "
            "was not run."
        )
    print(
        "\n| items | LFs | model | accuracy (covered items) | fit + predict (s) "
        "| time / Snorkel's |"
    )
    print("|---:|---|---|---:|---:|---:|")
    print("\n".join(rows))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--methods",
        nargs="+",
        default=["MajorityVote", "DawidSkene", "GLAD", "MACE"],
    )
    parser.add_argument(
        "--crowdkit-max-items",
        nargs="*",
        default=["GLAD=10000"],
        help="METHOD=N: do not run crowd-kit's METHOD above N items "
        "(its GLAD takes minutes on 10,000 items)",
    )
    parser.add_argument(
        "--lf-sizes",
        type=int,
        nargs="+",
        default=[20_000],
        help="items in the labeling-function part (sizes after the first run "
        "the rho=0.5 scenario only)",
    )
    parser.add_argument("--skip-crowd", action="store_true")
    parser.add_argument("--skip-sparse", action="store_true")
    parser.add_argument(
        "--sparse-mix",
        type=float,
        nargs=4,
        default=[0.3, 0.4, 0.2, 0.1],
        help="shares of skilled, mediocre, random and constant workers in the "
        "sparse crowd",
    )
    parser.add_argument("--skip-lfs", action="store_true")
    args = parser.parse_args()
    if not args.skip_crowd:
        max_items = {
            k: int(v) for k, v in (item.split("=") for item in args.crowdkit_max_items)
        }
        bench_crowd(args.sizes, args.repeats, args.methods, max_items)
    if not args.skip_sparse:
        bench_sparse_crowd(args.repeats, args.sparse_mix)
    if not args.skip_lfs:
        bench_lfs(args.repeats, args.lf_sizes)


if __name__ == "__main__":
    main()
