"""Benchmark: how well confident learning finds injected label errors, and what it buys.

Datasets: scikit-learn's bundled digits (10 classes), wine (3) and
breast_cancer (2); no download. For each seed, 30 % of the rows are held out
(stratified) with their clean labels for testing. The training labels are
corrupted with asymmetric class-conditional noise:
:func:`sklabels.datasets.make_noise_matrix` with ``avg_trace`` 0.8 ("20 %")
or 0.6 ("40 %") and half of the noise rates zero (pairs of classes never
confused), then :func:`sklabels.datasets.make_noisy_labels`, which flips an
exact number of rows per class. With two classes, half of the noise rates
zero means one-sided noise, which needs ``avg_trace > 0.75``: at 40 %
breast_cancer uses the closest valid setting, ``avg_trace=0.6`` with no zero
noise rate (both classes noisy, at different rates). The realised fraction
of flipped rows depends on the class sizes; the tables give it.

The model everywhere: ``make_pipeline(StandardScaler(),
LogisticRegression(max_iter=1000))``. Reported, as mean +- standard deviation
over the seeds (``ddof=1``):

1. Detection on the same out-of-fold probabilities (5 stratified folds,
   ``ConfidentLearningFilter.pred_probs_``): precision, recall and F1 of the
   flagged rows against the flipped rows, for sklabels' ``find_label_issues``
   and cleanlab's ``filter.find_label_issues`` (the script asserts that they
   flag the same rows, for each of the five methods).
2. Detection end to end, each library computing its own out-of-fold
   probabilities: ``ConfidentLearningFilter`` against cleanlab's
   ``CleanLearning``, first with the folds CleanLearning uses
   (``StratifiedKFold(5, shuffle=True, random_state=seed)``), then with the
   filter's default folds (``cv=5``, ``random_state=seed``), to show how much
   the fold assignment alone moves the figures.
3. Held-out accuracy on the clean test labels of the model trained on the
   clean training labels, on the noisy ones, by ``CleanLearning``, on the
   rows kept by ``ConfidentLearningFilter(action="remove")`` and on the
   labels fixed by ``action="relabel"``; and the share of the relabelled
   rows that got their true label back.

Target: F1 at least cleanlab's.

Run::

    .venv/bin/python benchmarks/bench_noise_quality.py
    .venv/bin/python benchmarks/bench_noise_quality.py --seeds 10
"""

import argparse
import shlex
import sys
import time
import warnings
from collections import defaultdict

import numpy as np
from cleanlab.classification import CleanLearning
from cleanlab.filter import find_label_issues as cleanlab_find
from sklearn.datasets import load_breast_cancer, load_digits, load_wine
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklabels.datasets import make_noise_matrix, make_noisy_labels
from sklabels.noise import ConfidentLearningFilter, find_label_issues

DATASETS = {
    "digits": load_digits,
    "wine": load_wine,
    "breast_cancer": load_breast_cancer,
}
NOISE = {"20 %": 0.8, "40 %": 0.6}  # name: avg_trace
FRAC_ZERO = 0.5
METHODS = (
    "prune_by_noise_rate",
    "prune_by_class",
    "both",
    "confident_learning",
    "predicted_neq_given",
)
TRAINED_ON = (
    "clean labels",
    "noisy labels",
    "cleanlab CleanLearning",
    "sklabels remove",
    "sklabels relabel",
    "sklabels remove, default folds",
)


def model():
    return make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))


def noise_matrix(n_classes, avg_trace, seed):
    """The requested matrix, or the closest valid setting: no zero noise rate."""
    try:
        matrix = make_noise_matrix(
            n_classes, avg_trace, frac_zero_noise_rates=FRAC_ZERO, random_state=seed
        )
        return matrix, FRAC_ZERO
    except ValueError:
        return make_noise_matrix(n_classes, avg_trace, random_state=seed), 0.0


def detection(flagged, flipped):
    """Precision, recall and F1 of ``flagged`` against ``flipped``."""
    hits = np.count_nonzero(flagged & flipped)
    precision = hits / max(np.count_nonzero(flagged), 1)
    recall = hits / max(np.count_nonzero(flipped), 1)
    f1 = 2 * precision * recall / max(precision + recall, 1e-12)
    return precision, recall, f1


def run_one(X, y, avg_trace, seed, results):
    """One dataset, noise level and seed: fill ``results[key] -> list``."""
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.3, stratify=y, random_state=seed
    )
    n_classes = np.unique(y).size
    matrix, frac_zero = noise_matrix(n_classes, avg_trace, seed)
    noisy, flipped = make_noisy_labels(y_train, noise_matrix=matrix, random_state=seed)
    results["frac_zero"].append(frac_zero)
    results["n_train"].append(y_train.size)
    results["flipped"].append(flipped.mean())

    # cleanlab's CleanLearning splits with StratifiedKFold(5, shuffle=True,
    # random_state=seed); the filter is given the same folds, so that both
    # see the same out-of-fold probabilities
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=seed)
    start = time.process_time()
    cleanlearning = CleanLearning(
        model(), seed=seed, cv_n_folds=5, find_label_issues_kwargs={"n_jobs": 1}
    ).fit(X_train, noisy)
    results[("time", "CleanLearning")].append(time.process_time() - start)
    flagged_cleanlab = cleanlearning.label_issues_df["is_label_issue"].to_numpy()
    results[("e2e", "cleanlab")].append(detection(flagged_cleanlab, flipped))
    results[("acc", "cleanlab CleanLearning")].append(
        cleanlearning.score(X_test, y_test)
    )

    def accuracy(X_fit, y_fit):
        return model().fit(X_fit, y_fit).score(X_test, y_test)

    results[("acc", "clean labels")].append(accuracy(X_train, y_train))
    results[("acc", "noisy labels")].append(accuracy(X_train, noisy))
    for action in ("remove", "relabel"):
        start = time.process_time()
        cl_filter = ConfidentLearningFilter(model(), cv=folds, action=action)
        X_res, y_res = cl_filter.fit_resample(X_train, noisy)
        results[("acc", f"sklabels {action}")].append(accuracy(X_res, y_res))
        results[("time", f"sklabels {action}")].append(time.process_time() - start)
        if action == "relabel":
            fixed = cl_filter.label_issues_report_["action"].eq("relabeled")
            fixed = fixed.to_numpy()
            results["relabelled right"].append(
                np.mean(y_res[fixed] == y_train[fixed]) if fixed.any() else np.nan
            )
            continue
        flagged = cl_filter.label_issues_
        results[("e2e", "sklabels")].append(detection(flagged, flipped))
        results["same as CleanLearning"].append(
            np.array_equal(flagged, flagged_cleanlab)
        )
        # the functions of both libraries on the same probabilities
        pred_probs = cl_filter.pred_probs_
        for method in METHODS:
            ours = find_label_issues(noisy, pred_probs, method=method)
            theirs = cleanlab_find(noisy, pred_probs, filter_by=method, n_jobs=1)
            assert np.array_equal(ours, theirs), f"{method}: masks differ ({seed=})"
            results[("same", method, "sklabels")].append(detection(ours, flipped))
            results[("same", method, "cleanlab")].append(detection(theirs, flipped))

    # the filter with its default folds (cv=5 shuffled from random_state)
    cl_filter = ConfidentLearningFilter(model(), random_state=seed)
    X_res, y_res = cl_filter.fit_resample(X_train, noisy)
    results[("e2e", "sklabels default folds")].append(
        detection(cl_filter.label_issues_, flipped)
    )
    results[("acc", "sklabels remove, default folds")].append(accuracy(X_res, y_res))


def fmt(values, digits=3):
    values = np.asarray(values, dtype=float)
    std = values.std(ddof=1) if values.size > 1 else 0.0
    return f"{np.nanmean(values):.{digits}f} +- {std:.{digits}f}"


def column(rows, k):
    return [row[k] for row in rows]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    args = parser.parse_args()
    warnings.filterwarnings("ignore", category=ConvergenceWarning)

    start = time.perf_counter()
    all_results = {}
    for name, load in DATASETS.items():
        X, y = load(return_X_y=True)
        for noise, avg_trace in NOISE.items():
            results = defaultdict(list)
            for seed in range(args.seeds):
                run_one(X, y, avg_trace, seed, results)
            all_results[name, noise] = results
    elapsed = time.perf_counter() - start

    import cleanlab

    print(
        f"sklabels vs cleanlab {cleanlab.__version__}; {args.seeds} seeds, mean "
        "+- std; model StandardScaler + LogisticRegression(max_iter=1000); "
        "5-fold out-of-fold probabilities"
    )
    print(f"\nCommand: `.venv/bin/python {shlex.join(sys.argv)}`")

    print(
        "\n### Detection of the flipped training labels on the same out-of-fold "
        "probabilities, prune_by_noise_rate\n"
    )
    print(
        "Masks identical to cleanlab's for all five methods, every dataset, "
        "noise level and seed (asserted), so the F1 columns are equal.\n"
    )
    print(
        "| dataset | noise | train rows | flipped | zero noise rates "
        "| precision | recall | F1 sklabels | F1 cleanlab |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for (name, noise), res in all_results.items():
        ours = res[("same", "prune_by_noise_rate", "sklabels")]
        theirs = res[("same", "prune_by_noise_rate", "cleanlab")]
        zero = sorted(set(res["frac_zero"]))
        print(
            f"| {name} | {noise} | {res['n_train'][0]} | {fmt(res['flipped'], 2)} "
            f"| {', '.join(f'{z:.0%}' for z in zero)} "
            f"| {fmt(column(ours, 0))} | {fmt(column(ours, 1))} "
            f"| {fmt(column(ours, 2))} | {fmt(column(theirs, 2))} |"
        )

    print("\n### F1 (precision / recall) of each method, same probabilities\n")
    print("| dataset | noise | " + " | ".join(METHODS) + " |")
    print("|---|---|" + "---:|" * len(METHODS))
    for (name, noise), res in all_results.items():
        cells = []
        for method in METHODS:
            rows = res[("same", method, "sklabels")]
            p, r, f = (np.mean(column(rows, k)) for k in range(3))
            cells.append(f"{f:.3f} ({p:.2f} / {r:.2f})")
        print(f"| {name} | {noise} | " + " | ".join(cells) + " |")

    print(
        "\n### End to end: ConfidentLearningFilter vs cleanlab CleanLearning, "
        "each computing its own out-of-fold probabilities\n"
    )
    print(
        "`cv=StratifiedKFold(5, shuffle=True, random_state=seed)` is the split "
        "CleanLearning makes with `seed=seed`; the default is `cv=5` with "
        "`random_state=seed`, other folds of the same kind.\n"
    )
    print(
        "| dataset | noise | F1 CleanLearning | F1 filter, same folds "
        "| same rows flagged | precision / recall, same folds "
        "| F1 filter, default folds |"
    )
    print("|---|---|---:|---:|---:|---:|---:|")
    for (name, noise), res in all_results.items():
        ours, theirs = res[("e2e", "sklabels")], res[("e2e", "cleanlab")]
        default = res[("e2e", "sklabels default folds")]
        same = res["same as CleanLearning"]
        print(
            f"| {name} | {noise} | {fmt(column(theirs, 2))} "
            f"| {fmt(column(ours, 2))} | {sum(same)} of {len(same)} "
            f"| {np.mean(column(ours, 0)):.3f} / {np.mean(column(ours, 1)):.3f} "
            f"| {fmt(column(default, 2))} |"
        )

    print("\n### Test accuracy (clean test labels) of the model trained on\n")
    print(
        "| dataset | noise | "
        + " | ".join(TRAINED_ON)
        + " | relabelled rows given their true label |"
    )
    print("|---|---|" + "---:|" * (len(TRAINED_ON) + 1))
    for (name, noise), res in all_results.items():
        cells = [fmt(res[("acc", what)]) for what in TRAINED_ON]
        cells.append(fmt(res["relabelled right"], 2))
        print(f"| {name} | {noise} | " + " | ".join(cells) + " |")

    print("\n### Targets\n")
    n_runs = args.seeds * len(all_results)
    print(
        "- F1 at least cleanlab's on the same probabilities: met (identical "
        f"masks for the 5 methods in all {n_runs} runs)"
    )
    same = sum(sum(res["same as CleanLearning"]) for res in all_results.values())
    print(
        f"- ConfidentLearningFilter with CleanLearning's folds flags the same "
        f"rows as CleanLearning in {same} of {n_runs} runs"
    )
    gaps = [
        np.mean(column(res[("e2e", "sklabels default folds")], 2))
        - np.mean(column(res[("e2e", "cleanlab")], 2))
        for res in all_results.values()
    ]
    print(
        "- with its default folds, mean F1 minus CleanLearning's: from "
        f"{min(gaps):+.3f} to {max(gaps):+.3f} over the 6 settings (mean "
        f"{np.mean(gaps):+.3f})"
    )
    ours_time = sum(
        np.sum(res[("time", "sklabels remove")]) for res in all_results.values()
    )
    theirs_time = sum(
        np.sum(res[("time", "CleanLearning")]) for res in all_results.values()
    )
    print(
        "- CPU time of filter + final fit, same folds: ConfidentLearningFilter "
        f"(remove) {ours_time:.1f} s, CleanLearning {theirs_time:.1f} s in total"
    )
    print(f"\nTotal wall time: {elapsed:.0f} s")


if __name__ == "__main__":
    main()
