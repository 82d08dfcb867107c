"""Benchmark: label shift estimation and correction on real data sets.

Data sets: scikit-learn's bundled digits (10 classes), wine (3), iris (3) and
breast_cancer (2); no download. For each seed the rows are split in half
(stratified): a training half and a test half. The model is
``make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))``
(calibrated, see below), fitted on the training half; the source priors
are the class frequencies of the training labels.

Shifted test sets: for each seed, ``--shifts`` target priors are drawn from a
flat Dirichlet distribution; a shifted set of as many rows as the test half
is drawn from the test half with these priors (a multinomial number of rows
per class, each class's rows drawn with replacement). Its true priors are
the realised class shares.

EM assumes calibrated probabilities, and a logistic regression fitted on a
small, nearly separable data set is not (it is under-confident here): the
default model is therefore the logistic regression inside
``CalibratedClassifierCV(method="temperature", cv=5)``; ``--model logistic``
runs the uncalibrated pipeline instead.

On the same predicted probabilities of each shifted set, the script compares
the estimates of the new priors, by mean absolute error over the classes
(averaged over shifts and seeds):

- naive estimates: the training priors (no shift), the mean predicted
  probability, and the share of each argmax prediction;
- QuaPy's EMQ (``quapy.method.aggregative.EMQ.EM``, its defaults,
  given the same posteriors and training priors);
- ``sklabels.inspection.estimate_label_shift`` with ``method="em"``
  (defaults) and ``method="bbse"`` (validation predictions: 5-fold
  out-of-fold probabilities on the training half, as
  ``LabelShiftClassifier(method="bbse")`` computes them).

Then ``LabelShiftClassifier`` end to end: the mean log loss on the shifted
sets before and after ``adapt`` on each set (EM and BBSE). It also times
sklabels' EM against QuaPy's on the same input, interleaved (median of the
per-set ratios sklabels / QuaPy), and once more on 1,000,000 x 10 synthetic
posteriors.

Targets: EM's error no worse than QuaPy's EMQ (checked within 0.1 %: both
compute the same maximum-likelihood estimate and stop at different
tolerances); averaged over data sets,
closer to the true priors than the best naive estimate; after ``adapt``,
mean log loss lower than before on every data set.

Run (QuaPy installed next to scikit-learn)::

    PYTHONPATH=. python benchmarks/bench_inspection_shift.py
    PYTHONPATH=. python benchmarks/bench_inspection_shift.py --model logistic
"""

import argparse
import shlex
import sys
import time
import warnings

import numpy as np
from quapy.method.aggregative import EMQ
from sklearn.calibration import CalibratedClassifierCV
from sklearn.datasets import load_breast_cancer, load_digits, load_iris, load_wine
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import log_loss
from sklearn.model_selection import StratifiedKFold, cross_val_predict, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklabels.inspection import LabelShiftClassifier, estimate_label_shift

DATASETS = {
    "digits": load_digits,
    "wine": load_wine,
    "iris": load_iris,
    "breast_cancer": load_breast_cancer,
}
ESTIMATES = ["training priors", "mean probability", "argmax share", "bbse", "quapy em"]
ESTIMATES += ["sklabels em"]


def _logistic():
    return make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))


MODELS = {
    # EM assumes calibrated probabilities: temperature scaling on 5 folds
    "calibrated": lambda: CalibratedClassifierCV(
        _logistic(), method="temperature", cv=5
    ),
    "logistic": _logistic,
}


def _shifted_indices(y_test, priors, rng):
    """Rows of the test half drawn to match ``priors`` (with replacement)."""
    n_classes = priors.size
    counts = rng.multinomial(y_test.size, priors)
    parts = [
        rng.choice(np.flatnonzero(y_test == k), size=counts[k], replace=True)
        for k in range(n_classes)
    ]
    return np.concatenate(parts), counts / y_test.size


def _timed(function, *args):
    start = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - start


def _quapy_em(pred_probs, source):
    """QuaPy's EMQ on given posteriors; its priors and whether it converged."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        priors, _ = EMQ.EM(source, pred_probs)
    return priors, not any("maximum number" in str(w.message) for w in caught)


def run_dataset(name, seeds, shifts, model):
    X, y = DATASETS[name](return_X_y=True)
    n_classes = np.unique(y).size
    errors = {key: [] for key in ESTIMATES}
    loss = {"before": [], "em": [], "bbse": []}
    time_ratios, quapy_unconverged = [], 0
    max_gap = 0.0
    for seed in range(seeds):
        rng = np.random.default_rng(seed)
        X_train, X_test, y_train, y_test = train_test_split(
            X, y, test_size=0.5, stratify=y, random_state=seed
        )
        em = LabelShiftClassifier(model()).fit(X_train, y_train)
        bbse = LabelShiftClassifier(model(), method="bbse").fit(X_train, y_train)
        source = em.source_priors_
        oof = cross_val_predict(
            model(), X_train, y_train, cv=StratifiedKFold(5), method="predict_proba"
        )
        proba_test = em.predict_proba(X_test)
        for _ in range(shifts):
            target = rng.dirichlet(np.ones(n_classes))
            rows, truth = _shifted_indices(y_test, target, rng)
            P = proba_test[rows]
            ours, t_ours = _timed(estimate_label_shift, P, source)
            (theirs, converged), t_theirs = _timed(_quapy_em, P, source)
            quapy_unconverged += not converged
            _, t_again = _timed(estimate_label_shift, P, source)
            time_ratios.append(0.5 * (t_ours + t_again) / t_theirs)
            max_gap = max(max_gap, np.abs(ours - theirs).max())
            estimates = {
                "training priors": source,
                "mean probability": P.mean(axis=0),
                "argmax share": np.bincount(P.argmax(axis=1), minlength=n_classes)
                / P.shape[0],
                "bbse": estimate_label_shift(
                    P, source, "bbse", y_val=y_train, pred_probs_val=oof
                ),
                "quapy em": theirs,
                "sklabels em": ours,
            }
            for key, estimate in estimates.items():
                errors[key].append(np.abs(estimate - truth).mean())
            labels = np.arange(n_classes)
            loss["before"].append(log_loss(y_test[rows], P, labels=labels))
            X_new = X_test[rows]
            for method, clf in (("em", em), ("bbse", bbse)):
                clf.adapt(X_new)
                loss[method].append(
                    log_loss(y_test[rows], clf.predict_proba(X_new), labels=labels)
                )
                clf.reset()
    return {
        "errors": {key: float(np.mean(v)) for key, v in errors.items()},
        "loss": {key: float(np.mean(v)) for key, v in loss.items()},
        "time_ratio": float(np.median(time_ratios)),
        "quapy_unconverged": quapy_unconverged,
        "max_gap": float(max_gap),
        "n_sets": seeds * shifts,
    }


def large_input_timing(n_rows, n_classes, repeats):
    """EM on synthetic posteriors (flat Dirichlet rows, uniform source
    priors), sklabels and QuaPy interleaved; median seconds of each."""
    rng = np.random.default_rng(0)
    P = rng.dirichlet(np.full(n_classes, 0.3), size=n_rows)
    source = np.full(n_classes, 1 / n_classes)
    ours_t, theirs_t = [], []
    for _ in range(repeats):
        ours, t = _timed(estimate_label_shift, P, source)
        ours_t.append(t)
        (theirs, _), t = _timed(_quapy_em, P, source)
        theirs_t.append(t)
    return float(np.median(ours_t)), float(np.median(theirs_t)), ours, theirs


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--shifts", type=int, default=20)
    parser.add_argument("--datasets", nargs="+", default=list(DATASETS))
    parser.add_argument("--model", choices=list(MODELS), default="calibrated")
    parser.add_argument("--large-rows", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    print("Command:", shlex.join(["python", *sys.argv]))
    model = MODELS[args.model]
    results = {
        name: run_dataset(name, args.seeds, args.shifts, model)
        for name in args.datasets
    }

    print("\nMean absolute error of the estimated priors (lower is better):\n")
    header = ["data set", *ESTIMATES, "sklabels em / quapy em"]
    print("| " + " | ".join(header) + " |")
    print("|---|" + "---:|" * (len(header) - 1))
    for name, res in results.items():
        e = res["errors"]
        cells = [f"{e[key]:.4f}" for key in ESTIMATES]
        cells.append(f"{e['sklabels em'] / e['quapy em']:.4f}")
        print(f"| {name} | " + " | ".join(cells) + " |")
    mean = {k: np.mean([r["errors"][k] for r in results.values()]) for k in ESTIMATES}
    naive = ["training priors", "mean probability", "argmax share"]
    best_naive = min(naive, key=mean.get)
    cells = [f"{mean[key]:.4f}" for key in ESTIMATES]
    cells.append(f"{mean['sklabels em'] / mean['quapy em']:.4f}")
    print("| **mean** | " + " | ".join(cells) + " |")
    print(
        f"\nBest naive estimate on average: {best_naive} ({mean[best_naive]:.4f}); "
        f"sklabels EM {mean['sklabels em']:.4f} "
        f"({mean['sklabels em'] / mean[best_naive]:.2f} x), "
        f"BBSE {mean['bbse']:.4f}."
    )

    print("\nMean log loss on the shifted sets, LabelShiftClassifier:\n")
    print("| data set | before adapt | after adapt (em) | after adapt (bbse) |")
    print("|---|---:|---:|---:|")
    for name, res in results.items():
        lo = res["loss"]
        print(f"| {name} | {lo['before']:.4f} | {lo['em']:.4f} | {lo['bbse']:.4f} |")

    print("\nsklabels EM vs QuaPy EMQ.EM on the same input:\n")
    print("| data set | shifted sets | max abs difference | QuaPy not converged |")
    print("|---|---:|---:|---:|")
    for name, res in results.items():
        print(
            f"| {name} | {res['n_sets']} | {res['max_gap']:.2e} | "
            f"{res['quapy_unconverged']} |"
        )
    print("\nMedian time ratio sklabels / QuaPy (interleaved, per shifted set):")
    for name, res in results.items():
        print(f"- {name}: {res['time_ratio']:.2f}")

    ours_s, theirs_s, ours, theirs = large_input_timing(
        args.large_rows, 10, args.repeats
    )
    print(
        f"\nLarge input, {args.large_rows:,} x 10 synthetic posteriors, median of "
        f"{args.repeats} interleaved runs: sklabels {ours_s:.3f} s (validation "
        f"included), QuaPy {theirs_s:.3f} s, ratio {ours_s / theirs_s:.2f}; "
        f"largest difference of the priors {np.abs(ours - theirs).max():.1e}."
    )

    ok_quapy = all(
        r["errors"]["sklabels em"] <= r["errors"]["quapy em"] * (1 + 1e-3)
        for r in results.values()
    )
    ok_naive = mean["sklabels em"] < mean[best_naive]
    ok_loss = all(r["loss"]["em"] < r["loss"]["before"] for r in results.values())
    print(
        f"\nTargets: EM no worse than QuaPy (within 0.1 %) on every data set: "
        f"{ok_quapy}; "
        f"EM better than the best naive estimate on average: {ok_naive}; "
        f"log loss lower after adapt (em) on every data set: {ok_loss}."
    )


if __name__ == "__main__":
    main()
