"""Benchmark: OneCoinDawidSkene, ZeroBasedSkill, Wawa, KOS and MMSR against
crowd-kit's methods of the same names.

A realistic crowd, simulated: ``--items`` items (default 20,000), 50 workers
(35 honest ones with one-coin accuracy U(0.6, 0.95), 10 spammers at chance,
5 adversaries at accuracy 0.2), 3 to 5 answers per item from workers drawn
at random, K = 4 classes (2 for KOS, which is binary). For each method, the
wall time of sklabels (``to_label_matrix`` included, so both start from the
same long table) and of crowd-kit, interleaved (ours, theirs, ours, ...),
the median of ``--repeats`` runs, their ratio (and the ratio of the fastest
run of each, less sensitive to a loaded machine), both accuracies, and the
share of items on which the two give the same label. Target: time <= 0.1 x
crowd-kit's.

crowd-kit's Wawa and ZeroBasedSkill ``predict`` fail under scikit-learn >=
1.6; their labels are computed as their ``_apply`` does (a majority vote
weighted by ``skills_``), timed. MMSR's labels come from the same weighted
vote. KOS and MMSR are seeded with crowd-kit's default seed 0.

Run (crowd-kit is not a dependency of sklabels; use an environment with
``pip install crowd-kit`` and sklabels on the path)::

    python benchmarks/bench_aggregation_breadth.py
    python benchmarks/bench_aggregation_breadth.py --items 20000 --repeats 3

Prints a markdown table for ``docs/benchmarks.md``.
"""

import argparse
import statistics
import time
import warnings

import numpy as np
import pandas as pd

from sklabels.aggregation import (
    KOS,
    MMSR,
    OneCoinDawidSkene,
    Wawa,
    ZeroBasedSkill,
    to_label_matrix,
)

N_WORKERS = 50


def simulate(n_items, n_classes, random_state=0):
    """Long table (task, worker, label) and the true labels."""
    rng = np.random.RandomState(random_state)
    accuracy = np.r_[
        rng.uniform(0.6, 0.95, 35), np.full(10, 1.0 / n_classes), np.full(5, 0.2)
    ]
    y = rng.randint(0, n_classes, n_items)
    n_answers = rng.randint(3, 6, n_items)
    # workers of each item: the first n_answers of a random permutation
    keys = rng.random_sample((n_items, N_WORKERS))
    order = np.argsort(keys, axis=1)
    take = np.arange(N_WORKERS)[None, :] < n_answers[:, None]
    items = np.repeat(np.arange(n_items), n_answers)
    workers = order[take]
    right = rng.random_sample(items.size) < accuracy[workers]
    wrong = (y[items] + rng.randint(1, n_classes, items.size)) % n_classes
    labels = np.where(right, y[items], wrong)
    data = pd.DataFrame(
        {"task": items, "worker": [f"w{w:02d}" for w in workers], "label": labels}
    )
    return data, y


def ours(model, data):
    L, items, _, classes = to_label_matrix(
        data, "task", "worker", "label", sparse_output=True
    )
    pred = model.fit_predict(L)
    return pd.Series(classes[pred], index=items)


def theirs(name, data):
    import crowdkit.aggregation as ck

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = getattr(ck, name)()
        model.fit(data)
        if name in ("Wawa", "ZeroBasedSkill", "MMSR"):
            return ck.MajorityVote().fit(data, skills=model.skills_).labels_
        return model.labels_


MODELS = {
    "OneCoinDawidSkene": (OneCoinDawidSkene, 4),
    "ZeroBasedSkill": (ZeroBasedSkill, 4),
    "Wawa": (Wawa, 4),
    "KOS": (lambda: KOS(random_state=0), 2),
    "MMSR": (lambda: MMSR(random_state=0), 4),
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=20000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--methods", nargs="+", default=list(MODELS))
    args = parser.parse_args()
    print(
        "| method | sklabels (s) | crowd-kit (s) | ratio | ratio of fastest runs "
        "| sklabels accuracy | crowd-kit accuracy | same label |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name in args.methods:
        make, n_classes = MODELS[name]
        data, y = simulate(args.items, n_classes)
        times_ours, times_theirs = [], []
        for _ in range(args.repeats):
            start = time.perf_counter()
            pred_ours = ours(make(), data)
            times_ours.append(time.perf_counter() - start)
            start = time.perf_counter()
            pred_theirs = theirs(name, data)
            times_theirs.append(time.perf_counter() - start)
        pred_theirs = pred_theirs.reindex(pred_ours.index)
        truth = y[pred_ours.index.to_numpy()]
        t_ours = statistics.median(times_ours)
        t_theirs = statistics.median(times_theirs)
        fastest = min(times_ours) / min(times_theirs)
        print(
            f"| {name} | {t_ours:.4f} | {t_theirs:.3f} | {t_ours / t_theirs:.3f} "
            f"| {fastest:.3f} "
            f"| {np.mean(pred_ours.to_numpy() == truth):.4f} "
            f"| {np.mean(pred_theirs.to_numpy() == truth):.4f} "
            f"| {np.mean(pred_ours.to_numpy() == pred_theirs.to_numpy()):.4f} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
