"""Benchmark: multi-label resampling (MLROS, MLRUS, MLSMOTE).

Part ``quality``: on imbalanced multi-label data, 5-fold cross-validation
(``MultilabelStratifiedKFold``, shuffled, one seed per repetition) of an
imbalanced-learn pipeline ``StandardScaler -> sampler ->
BinaryRelevance(LogisticRegression)``, against the same pipeline without a
sampler. MLSMOTE runs with the paper's label rule ("ranking"), with
"union", and with the rule chosen per training fold by an inner
``GridSearchCV`` (3-fold ``MultilabelStratifiedKFold`` of the training rows,
``scoring="f1_macro"``, over "ranking", "union" and "intersection"), as a
user would tune it; the rules chosen are counted. Reports, per data set and
sampler, MeanIR of the training data after resampling (mean over folds and
seeds), macro-F1 of the pooled out-of-fold predictions and the mean F1 of
the minority labels (IRLbl above MeanIR of the whole data set), as mean and
range over the seeds, and the number of seeds where the sampler's macro-F1
is at least that without it.
Data sets (offline only):

- ``synthetic``: ``make_multilabel_classification(n_samples=2000,
  n_features=20, n_classes=20, n_labels=3, random_state=0)``; label
  supports 12-513 rows, MeanIR 4.7.
- ``digits-tags``: scikit-learn's bundled handwritten digits, sub-sampled to
  a long tail (digit d kept with probability 0.75 ** d: 178 zeros down to
  13 nines), with 14 tags per image: "even", "greater than 5", "prime",
  "multiple of 3" and "is d" for each digit d. A multi-label set derived
  from real images; the rare tags are the rare digits.

Part ``speed``: MLSMOTE (k_neighbors=5) on 50,000 x 50 standard normal rows
with 100 labels (each a thresholded random linear score, prevalences
log-spaced from 30 % to 0.2 %), against imbalanced-learn's ``SMOTE``
(k_neighbors=5) on the same X with one binary label, interleaved in one
process, median of ``--repeats``. SMOTE's work depends on which label it
balances, so three are timed: the most frequent label, the median one and
the rarest; the ratio is reported against each, and the target (MLSMOTE
within 2 x SMOTE) is judged against the fastest SMOTE. The peak memory of
one MLSMOTE run (``tracemalloc``) is reported next to the size of its
output.

Run::

    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 .venv/bin/python \\
        benchmarks/bench_ml_resampling.py
    ... benchmarks/bench_ml_resampling.py --part quality --seeds 5
    ... benchmarks/bench_ml_resampling.py --part speed --repeats 5
"""

import argparse
import gc
import platform
import shlex
import statistics
import sys
import time
import tracemalloc
import warnings

import imblearn
import numpy as np
import sklearn
from imblearn.over_sampling import SMOTE
from imblearn.pipeline import make_pipeline
from sklearn.datasets import load_digits, make_multilabel_classification
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import GridSearchCV
from sklearn.preprocessing import StandardScaler

from sklabels.multilabel import (
    MLROS,
    MLRUS,
    MLSMOTE,
    BinaryRelevance,
    MultilabelStratifiedKFold,
    imbalance_ratio_per_label,
    mean_imbalance_ratio,
    scumble,
)

# --------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------


def synthetic():
    return make_multilabel_classification(
        n_samples=2000, n_features=20, n_classes=20, n_labels=3, random_state=0
    )


def digits_tags():
    digits = load_digits()
    rng = np.random.RandomState(0)
    keep = rng.random_sample(digits.target.size) < 0.75**digits.target
    X, d = digits.data[keep], digits.target[keep]
    tags = [d % 2 == 0, d > 5, np.isin(d, [2, 3, 5, 7]), d % 3 == 0]
    tags += [d == digit for digit in range(10)]
    return X, np.column_stack(tags).astype(int)


DATASETS = {"synthetic": synthetic, "digits-tags": digits_tags}

SAMPLERS = {
    "none": lambda seed: None,
    "MLROS(25)": lambda seed: MLROS(percentage=25, random_state=seed),
    "MLRUS(25)": lambda seed: MLRUS(percentage=25, random_state=seed),
    "MLSMOTE(k=5)": lambda seed: MLSMOTE(k_neighbors=5, random_state=seed),
    "MLSMOTE(k=5, union)": lambda seed: MLSMOTE(
        k_neighbors=5, label_combination="union", random_state=seed
    ),
}

# the label rule chosen by an inner cross-validation on the training rows
TUNED = "MLSMOTE(k=5), rule by inner CV"
SAMPLERS[TUNED] = SAMPLERS["MLSMOTE(k=5)"]
RULES = ["ranking", "union", "intersection"]


CHOSEN = {}


def _model(sampler):
    steps = [StandardScaler()]
    if sampler is not None:
        steps.append(sampler)
    steps.append(BinaryRelevance(LogisticRegression(max_iter=2000)))
    return make_pipeline(*steps)


def _cv_run(X, Y, sampler_name, seed):
    """Pooled out-of-fold predictions and the mean MeanIR of the fitted data.

    The MeanIR is that of the labels the classifier was fitted on: the same
    sampler and seed on the same scaled training rows as in the pipeline.
    """
    cv = MultilabelStratifiedKFold(n_splits=5, shuffle=True, random_state=seed)
    predicted = np.zeros_like(Y)
    mean_irs = []
    for train, test in cv.split(X, Y):
        model = _model(SAMPLERS[sampler_name](seed))
        if sampler_name == TUNED:
            inner = MultilabelStratifiedKFold(
                n_splits=3, shuffle=True, random_state=seed
            )
            model = GridSearchCV(
                model,
                {"mlsmote__label_combination": RULES},
                cv=inner,
                scoring="f1_macro",
            )
        model.fit(X[train], Y[train])
        predicted[test] = model.predict(X[test])
        sampler = SAMPLERS[sampler_name](seed)
        if sampler_name == TUNED:
            rule = model.best_params_["mlsmote__label_combination"]
            CHOSEN[rule] = CHOSEN.get(rule, 0) + 1
            sampler.set_params(label_combination=rule)
        Y_fit = Y[train]
        if sampler is not None:
            scaled = StandardScaler().fit_transform(X[train])
            _, Y_fit = sampler.fit_resample(scaled, Y_fit)
        mean_irs.append(mean_imbalance_ratio(Y_fit))
    return predicted, float(np.mean(mean_irs))


def quality(seeds):
    rows = []
    for data_name, load in DATASETS.items():
        X, Y = load()
        irlbl = imbalance_ratio_per_label(Y)
        minority = irlbl > irlbl.mean()
        print(
            f"\n{data_name}: {X.shape[0]} rows, {X.shape[1]} features, "
            f"{Y.shape[1]} labels (supports {Y.sum(0).min()}-{Y.sum(0).max()}), "
            f"MeanIR {mean_imbalance_ratio(Y):.2f}, SCUMBLE {scumble(Y):.3f}, "
            f"{minority.sum()} minority labels",
            flush=True,
        )
        base_macro = {}
        CHOSEN.clear()
        for sampler_name in SAMPLERS:
            macro, rare, mean_irs = [], [], []
            for seed in range(seeds):
                predicted, mean_ir = _cv_run(X, Y, sampler_name, seed)
                per_label = f1_score(Y, predicted, average=None, zero_division=0)
                macro.append(per_label.mean())
                rare.append(per_label[minority].mean())
                mean_irs.append(mean_ir)
            if sampler_name == "none":
                base_macro = macro
            wins = sum(m >= b - 1e-12 for m, b in zip(macro, base_macro, strict=True))
            rows.append(
                (data_name, sampler_name, np.mean(mean_irs), macro, rare, wins, seeds)
            )
            print(_quality_row(rows[-1]), flush=True)
        print(f"label rules chosen by the inner CV (folds): {CHOSEN}", flush=True)
    print(
        "\n| data | sampler | MeanIR of training data | macro-F1 mean [min, max] "
        "| minority-label F1 mean [min, max] | seeds with macro-F1 >= none |"
    )
    print("|---|---|---:|---:|---:|---:|")
    for row in rows:
        print(_quality_row(row))


def _quality_row(row):
    data_name, sampler_name, mean_ir, macro, rare, wins, seeds = row
    return (
        f"| {data_name} | {sampler_name} | {mean_ir:.2f} | "
        f"{np.mean(macro):.4f} [{min(macro):.4f}, {max(macro):.4f}] | "
        f"{np.mean(rare):.4f} [{min(rare):.4f}, {max(rare):.4f}] | "
        f"{'-' if sampler_name == 'none' else f'{wins}/{seeds}'} |"
    )


# --------------------------------------------------------------------------
# Speed
# --------------------------------------------------------------------------


def speed_data(n_samples=50_000, n_features=50, n_labels=100, seed=0):
    rng = np.random.RandomState(seed)
    X = rng.normal(size=(n_samples, n_features))
    scores = X @ rng.normal(size=(n_features, n_labels))
    rates = np.geomspace(0.3, 0.002, n_labels)
    thresholds = np.array(
        [np.quantile(scores[:, j], 1 - rates[j]) for j in range(n_labels)]
    )
    return X, (scores > thresholds).astype(np.int8)


def _timed(func):
    gc.collect()
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def speed(repeats):
    X, Y = speed_data()
    counts = Y.sum(axis=0)
    irlbl = imbalance_ratio_per_label(Y)
    minority = irlbl > irlbl.mean()
    order = np.argsort(-counts)
    labels = {
        "most frequent": order[0],
        "median": order[len(order) // 2],
        "rarest": order[-1],
    }
    print(
        f"\nspeed: X {X.shape}, {Y.shape[1]} labels, supports "
        f"{counts.min()}-{counts.max()}, MeanIR {irlbl.mean():.2f}, "
        f"{minority.sum()} minority labels holding {counts[minority].sum()} "
        "seeds in all",
        flush=True,
    )
    runs = {
        "MLSMOTE": lambda r: MLSMOTE(k_neighbors=5, random_state=r).fit_resample(X, Y)
    }
    for name, j in labels.items():
        y = Y[:, j]
        runs[f"SMOTE, {name} label ({y.sum()} of {y.size})"] = lambda r, y=y: SMOTE(
            k_neighbors=5, random_state=r
        ).fit_resample(X, y)
    for run in runs.values():  # warm-up, untimed
        run(0)
    times = {name: [] for name in runs}
    for r in range(repeats):
        for name, run in runs.items():
            times[name].append(_timed(lambda run=run, r=r: run(r)))
    med = {name: statistics.median(t) for name, t in times.items()}
    print("\n| run | median time (s) | MLSMOTE / this |")
    print("|---|---:|---:|")
    for name, t in med.items():
        print(f"| {name} | {t:.3f} | {med['MLSMOTE'] / t:.2f} |")
    fastest_smote = min(t for name, t in med.items() if name != "MLSMOTE")
    ratio = med["MLSMOTE"] / fastest_smote
    print(
        f"\ntarget: MLSMOTE <= 2 x the fastest SMOTE: ratio {ratio:.2f} -> "
        f"{'met' if ratio <= 2 else 'NOT met'}"
    )
    tracemalloc.start()
    X_res, Y_res = MLSMOTE(k_neighbors=5, random_state=0).fit_resample(X, Y)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    out = X_res.nbytes + Y_res.nbytes
    print(
        f"memory: peak {peak / 2**20:.0f} MiB traced for an output of "
        f"{out / 2**20:.0f} MiB ({X_res.shape[0]} rows; input "
        f"{(X.nbytes + Y.nbytes) / 2**20:.0f} MiB)"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--part", choices=["quality", "speed", "all"], default="all")
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    print("command:", shlex.join([sys.executable, *sys.argv]))
    print(
        f"python {platform.python_version()}, numpy {np.__version__}, "
        f"scikit-learn {sklearn.__version__}, imbalanced-learn "
        f"{imblearn.__version__}, {platform.machine()}"
    )
    warnings.simplefilter("ignore", ConvergenceWarning)
    if args.part in ("quality", "all"):
        quality(args.seeds)
    if args.part in ("speed", "all"):
        speed(args.repeats)


if __name__ == "__main__":
    main()
