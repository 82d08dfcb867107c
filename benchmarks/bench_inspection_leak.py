"""Leaking features: planted leaks found, a filter in a pipeline, and speed.

Three parts, each printed as a Markdown table (docs/benchmarks.md,
"Inspection: leaking features"):

1. Detection. On scikit-learn's bundled real data sets (breast cancer, wine,
   digits, iris; diabetes for regression), rows shuffled with each seed, four
   columns are planted: a row id numbered after sorting the rows by the
   target, the target plus small noise, a deterministic function of the
   target, and a random column. ``leakage_report(X, y, random_state=seed)``
   should flag the first three every time, the random column never, and at
   most 10 % of the real features.
2. ``LeakageFilter`` in a pipeline (filter -> scaler -> logistic regression;
   ridge for diabetes): cross-validated log loss (mean squared error for
   diabetes) on the leaky data with the filter, against the same model on
   the data without the planted columns and on the leaky data without the
   filter; how often each fold's filter dropped the planted columns and kept
   the harmless ones.
3. Speed: ``leakage_report`` on 50,000 x 100 (n_jobs=2 and 1), and the same
   report with scikit-learn's ``DecisionTreeClassifier`` as the estimator on
   10 of the features, interleaved, as a ratio per feature.

Run from the repository root::

    python benchmarks/bench_inspection_leak.py --seeds 10 --repeats 3
"""

import argparse
import time
import warnings

import numpy as np
import pandas as pd
from sklearn.datasets import (
    load_breast_cancer,
    load_diabetes,
    load_digits,
    load_iris,
    load_wine,
)
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.model_selection import KFold, StratifiedKFold, cross_validate
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier

from sklabels.inspection import LeakageFilter, leakage_report

DATASETS = {
    "breast_cancer": load_breast_cancer,
    "wine": load_wine,
    "digits": load_digits,
    "iris": load_iris,
    "diabetes": load_diabetes,
}
PLANTED = ["planted_id", "planted_noisy_target", "planted_function", "planted_random"]
LEAKS = PLANTED[:3]


def planted(name, seed):
    """The data set, rows shuffled, with the four planted columns."""
    X, y = DATASETS[name](return_X_y=True, as_frame=True)
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(y))
    X = X.iloc[order].reset_index(drop=True)
    y = y.iloc[order].reset_index(drop=True)
    target = y.to_numpy(dtype=float)
    regression = name == "diabetes"
    ids = np.empty(len(y))
    ids[np.lexsort((rng.random(len(y)), target))] = np.arange(len(y))
    X["planted_id"] = ids
    scale = 0.1 * target.std() if regression else 0.1  # classes are 1 apart
    X["planted_noisy_target"] = target + rng.normal(0, scale, len(y))
    if regression:
        X["planted_function"] = np.log(target)
    else:  # a code per class, in no order
        X["planted_function"] = (
            rng.permutation(np.unique(target).size)[target.astype(int)] * 7.0 + 3.0
        )
    X["planted_random"] = rng.normal(size=len(y))
    return X, y


def detection(seeds):
    rows = []
    for name in DATASETS:
        hits = dict.fromkeys(PLANTED, 0)
        real_flagged = real_total = 0
        worst_real = 0.0
        for seed in range(seeds):
            X, y = planted(name, seed)
            report = leakage_report(X, y, random_state=seed)
            for col in PLANTED:
                hits[col] += bool(report.loc[col, "leak_suspect"])
            real = report.drop(index=PLANTED)
            real_flagged += int(real["leak_suspect"].sum())
            real_total += len(real)
            worst_real = max(worst_real, real["leak_suspect"].mean())
        rows.append(
            {
                "data set": name,
                "task": report.attrs["task"],
                "features": len(real),
                **{col: f"{hits[col]}/{seeds}" for col in PLANTED},
                "real flagged": f"{real_flagged}/{real_total}",
                "worst seed": f"{100 * worst_real:.0f} %",
            }
        )
    return pd.DataFrame(rows)


def pipeline_losses(seeds):
    rows = []
    for name in DATASETS:
        regression = name == "diabetes"
        losses = {"clean": [], "leaky, no filter": [], "leaky, LeakageFilter": []}
        dropped = kept_random = kept_real = folds = n_real = 0
        for seed in range(seeds):
            X, y = planted(name, seed)
            if regression:
                model = Ridge
                cv = KFold(5, shuffle=True, random_state=seed)
                scoring = "neg_mean_squared_error"
            else:
                model = LogisticRegression
                cv = StratifiedKFold(5, shuffle=True, random_state=seed)
                scoring = "neg_log_loss"

            def pipe(with_filter, model=model, seed=seed):
                steps = [StandardScaler()]
                steps.append(Ridge() if model is Ridge else model(max_iter=5000))
                if with_filter:
                    steps.insert(0, LeakageFilter(random_state=seed))
                return make_pipeline(*steps)

            clean = X.drop(columns=PLANTED)
            n_real = clean.shape[1]
            for key, data, with_filter in [
                ("clean", clean, False),
                ("leaky, no filter", X, False),
                ("leaky, LeakageFilter", X, True),
            ]:
                result = cross_validate(
                    pipe(with_filter),
                    data,
                    y,
                    cv=cv,
                    scoring=scoring,
                    return_estimator=with_filter,
                )
                losses[key].append(-result["test_score"].mean())
                if with_filter:
                    for est in result["estimator"]:
                        suspects = set(est[0].suspects_)
                        folds += 1
                        dropped += set(LEAKS) <= suspects
                        kept_random += "planted_random" not in suspects
                        kept_real += n_real - len(suspects - set(PLANTED))
        ratio = np.mean(losses["leaky, LeakageFilter"]) / np.mean(losses["clean"])
        rows.append(
            {
                "data set": name,
                "metric": "MSE" if regression else "log loss",
                **{key: f"{np.mean(v):.4g}" for key, v in losses.items()},
                "filtered / clean": f"{ratio:.3f}",
                "3 leaks dropped": f"{dropped}/{folds}",
                "random kept": f"{kept_random}/{folds}",
                "real kept": f"{kept_real}/{folds * n_real}",
            }
        )
    return pd.DataFrame(rows)


def speed(repeats):
    rng = np.random.default_rng(0)
    n, p = 50_000, 100
    X = rng.normal(size=(n, p))
    signal = X[:, :5].sum(axis=1)
    targets = {
        "binary": (signal + rng.normal(size=n) > 0).astype(int),
        "3 classes": np.digitize(signal + rng.normal(size=n), [-1.0, 1.0]),
        "regression": signal + rng.normal(size=n),
    }
    rows = []
    leakage_report(X[:1000, :4], targets["binary"][:1000], n_jobs=2)  # warm-up
    for label, y in targets.items():
        times = {1: [], 2: []}
        for _ in range(repeats):
            for n_jobs in (2, 1):
                start = time.perf_counter()
                leakage_report(X, y, n_jobs=n_jobs)
                times[n_jobs].append(time.perf_counter() - start)
        rows.append(
            {
                "target": label,
                "n_jobs=2 (s)": f"{np.median(times[2]):.1f}",
                "n_jobs=1 (s)": f"{np.median(times[1]):.1f}",
            }
        )
    # against scikit-learn's tree as the estimator, per feature, interleaved
    y = targets["binary"]
    tree = DecisionTreeClassifier(max_leaf_nodes=16, min_samples_leaf=5, random_state=0)
    ours, theirs = [], []
    for _ in range(repeats):
        start = time.perf_counter()
        leakage_report(X[:, :10], y)
        ours.append((time.perf_counter() - start) / 10)
        start = time.perf_counter()
        leakage_report(X[:, :10], y, estimator=tree)
        theirs.append((time.perf_counter() - start) / 10)
    per_feature = pd.DataFrame(
        [
            {
                "per feature, n_jobs=1": "binary, 50,000 rows, 21 label vectors",
                "histogram tree (s)": f"{np.median(ours):.3f}",
                "DecisionTreeClassifier (s)": f"{np.median(theirs):.3f}",
                "ratio": f"{np.median(ours) / np.median(theirs):.3f}",
            }
        ]
    )
    return pd.DataFrame(rows), per_feature


def markdown(frame):
    """A Markdown table (no dependency on tabulate)."""
    lines = ["| " + " | ".join(map(str, frame.columns)) + " |"]
    lines.append("|" + "---|" * frame.shape[1])
    for row in frame.itertuples(index=False):
        lines.append("| " + " | ".join(map(str, row)) + " |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--skip-speed", action="store_true")
    parser.add_argument("--only-speed", action="store_true")
    args = parser.parse_args()
    warnings.simplefilter("ignore", UserWarning)  # rare classes in some folds
    pd.set_option("display.width", 250)
    if not args.only_speed:
        print("## Detection\n")
        print(markdown(detection(args.seeds)))
        print("\n## LeakageFilter in a pipeline\n")
        print(markdown(pipeline_losses(args.seeds)))
    if not args.skip_speed:
        totals, per_feature = speed(args.repeats)
        print("\n## Speed, 50,000 x 100\n")
        print(markdown(totals))
        print()
        print(markdown(per_feature))


if __name__ == "__main__":
    main()
