"""Benchmark of ``sklabels.report.audit``: what it finds, its time, its memory.

(a) The planted-problem table: the demo data of ``sklabels audit --demo``
    (wine data with flipped labels, copies of rows with another label, an
    undeclared id column, a column computed from the label, a shifted test
    set and a spamming annotator), audited with the defaults; for each
    planted problem, whether (and how completely) the audit reports it.
(b) Time on a synthetic table (numeric and categorical columns): the whole
    audit against the out-of-fold probabilities alone (the same default
    model and folds through ``cross_val_predict``), interleaved.
(c) Peak memory of the audit (``tracemalloc``, n_jobs=1 so that every fold
    runs in this process) over the size of the input table.

Run:  OMP_NUM_THREADS=1 python benchmarks/bench_audit.py --part all \
          --rows 100000 --features 50 --n-jobs 2 --repeats 2
"""

import argparse
import os
import time
import tracemalloc

import numpy as np
import pandas as pd
from sklearn.datasets import make_classification
from sklearn.model_selection import StratifiedKFold, cross_val_predict

from sklabels.report import audit
from sklabels.report._context import default_model, model_frame
from sklabels.report._demo import make_demo


def planted_table():
    data = make_demo()
    train = data["train"].set_index(data["id"])
    test = data["test"].set_index(data["id"])
    start = time.perf_counter()
    result = audit(
        train,
        data["target"],
        groups=data["groups"],
        X_test=test,
        annotations=data["annotations"],
    )
    seconds = time.perf_counter() - start
    planted, issues, summary = data["planted"], result.issues_, result.summary_
    flipped = issues.loc[planted["flipped"], "label_issue"]
    n_flagged = int(issues["label_issue"].sum())
    conflicting = issues.loc[planted["conflicting"], "duplicate_score"] == 1.0
    annotators = result.details_["annotator_quality"]["Annotators"]
    flagged_annotators = annotators.loc[annotators["flagged"], "annotator"].tolist()
    rows = [
        (
            f"flipped labels ({len(flipped)})",
            f"{int(flipped.sum())}/{len(flipped)} flagged "
            f"({n_flagged} rows flagged in all)",
            bool(flipped.all()),
        ),
        (
            f"copies with another label ({len(conflicting)} rows)",
            f"{int(conflicting.sum())}/{len(conflicting)} in a conflicting group",
            bool(conflicting.all()),
        ),
        (
            f"undeclared id column {planted['id_column']!r}",
            "reported and left out of the model"
            if planted["id_column"] in result.excluded_features_
            else "missed",
            planted["id_column"] in result.excluded_features_
            and planted["id_column"] in summary.loc["leakage", "message"],
        ),
        (
            f"leak column {planted['leak_column']!r}",
            "leak suspect, left out of the model"
            if result.excluded_features_.get(planted["leak_column"]) == "a leak suspect"
            else "missed",
            result.excluded_features_.get(planted["leak_column"]) == "a leak suspect",
        ),
        (
            f"test set shifted towards {planted['shifted_class']!r}",
            f"{summary.loc['label_shift', 'flagged']} classes shifted, severity "
            f"{summary.loc['label_shift', 'severity']:.2f}",
            summary.loc["label_shift", "flagged"] > 0
            and planted["shifted_class"] in summary.loc["label_shift", "message"],
        ),
        (
            f"spamming annotator {planted['spammer']!r}",
            f"flagged: {flagged_annotators}",
            flagged_annotators == [planted["spammer"]],
        ),
    ]
    print(f"(a) planted problems, demo data, audit defaults ({seconds:.1f} s)")
    print("| planted problem | what the audit reports | found |")
    print("|---|---|---|")
    for problem, what, found in rows:
        print(f"| {problem} | {what} | {'yes' if found else 'NO'} |")
    return all(found for _, _, found in rows)


def synthetic_table(n_rows, n_features, random_state=0):
    """A table of numeric and categorical columns (one in five categorical)."""
    n_cat = n_features // 5
    X, y = make_classification(
        n_samples=n_rows,
        n_features=n_features - n_cat,
        n_informative=10,
        n_redundant=5,
        n_classes=3,
        flip_y=0.05,
        random_state=random_state,
    )
    frame = pd.DataFrame(X, columns=[f"num_{j}" for j in range(X.shape[1])])
    rng = np.random.RandomState(random_state)
    letters = np.array(list("abcdefghijklmnopqrstuvwxyz"), dtype=object)
    for j in range(n_cat):
        n_levels = [5, 26, 200][j % 3]
        source = X[:, j % X.shape[1]]
        codes = np.digitize(source, np.quantile(source, np.linspace(0, 1, 9)[1:-1]))
        codes = (codes * 7 + rng.randint(0, n_levels, n_rows)) % n_levels
        if n_levels <= 26:
            values = letters[codes]
        else:
            values = np.array([f"level_{c}" for c in range(n_levels)], dtype=object)[
                codes
            ]
        frame[f"cat_{j}"] = pd.Series(values, dtype="str")
    labels = np.array(["red", "green", "blue"], dtype=object)[y]
    return frame, pd.Series(labels, name="colour")


def oof_alone(X, y, n_jobs):
    Xm = model_frame(X)
    model = default_model(Xm, "classification", 0)
    return cross_val_predict(
        model, Xm, y, cv=StratifiedKFold(5), method="predict_proba", n_jobs=n_jobs
    )


def timing(n_rows, n_features, n_jobs, repeats):
    X, y = synthetic_table(n_rows, n_features)
    size = X.memory_usage(deep=True).sum() / 1e6
    print(
        f"(b) time, {n_rows} rows x {n_features} features ({size:.0f} MB), "
        f"n_jobs={n_jobs}, load average before: {os.getloadavg()[0]:.1f}"
    )
    times = {"oof": [], "audit": []}
    for _ in range(repeats):
        for name in ("oof", "audit"):
            start = time.perf_counter()
            if name == "oof":
                oof_alone(X, y, n_jobs)
            else:
                result = audit(X, y, n_jobs=n_jobs, verbose=1)
            times[name].append(time.perf_counter() - start)
            print(
                f"  {name}: {times[name][-1]:.1f} s (load {os.getloadavg()[0]:.1f})",
                flush=True,
            )
    best = {k: min(v) for k, v in times.items()}
    print(
        f"  best: out-of-fold alone {best['oof']:.1f} s, audit {best['audit']:.1f} s, "
        f"ratio {best['audit'] / best['oof']:.2f}"
    )
    print(result.summary_[["flagged", "unit", "severity"]].to_string())
    return best


def memory(n_rows, n_features):
    X, y = synthetic_table(n_rows, n_features)
    size = X.memory_usage(deep=True).sum()
    tracemalloc.start()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    audit(X, y, n_jobs=1)
    peak = tracemalloc.get_traced_memory()[1] - base
    tracemalloc.stop()
    print(
        f"(c) memory, {n_rows} x {n_features}, n_jobs=1: input table "
        f"{size / 1e6:.0f} MB (pandas deep size), peak allocated during audit "
        f"{peak / 1e6:.0f} MB = {peak / size:.2f} x the table"
    )
    return peak / size


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--part", choices=["planted", "time", "memory", "all"], default="all"
    )
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--features", type=int, default=50)
    parser.add_argument("--n-jobs", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=1)
    args = parser.parse_args()
    if args.part in ("planted", "all"):
        planted_table()
    if args.part in ("time", "all"):
        timing(args.rows, args.features, args.n_jobs, args.repeats)
    if args.part in ("memory", "all"):
        memory(args.rows, args.features)


if __name__ == "__main__":
    main()
