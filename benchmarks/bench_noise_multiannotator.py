"""Benchmark: CROWDLAB, sklabels' multiannotator_label_quality against cleanlab's.

Data: ``n`` items (default 20,000), ``M`` annotators (default 10), ``K``
classes; each item's true class uniform, each annotator labels an item with
probability ``coverage`` (at least one annotator per item, every annotator
some item) and is right with its own accuracy (0.55-0.95, else a uniform
class); ``pred_probs`` a Dirichlet draw sharpened towards the true class (a
model right about 80 % of the time). cleanlab gets the same labels as a
DataFrame with NaN for no label (its format), sklabels the integer label
matrix with -1.

Each repeat runs cleanlab's ``get_label_quality_multiannotator(labels,
pred_probs, verbose=False)`` (defaults otherwise) and sklabels'
``multiannotator_label_quality(L, pred_probs)`` one after the other, in the
same process, alternating which goes first; reported: the median wall and
CPU time of each and the median of the per-repeat ratios. Then one more call
of each under ``tracemalloc`` (numpy's allocations are traced): the peak of
the memory allocated during the call, outputs included, against the size of
the inputs (label matrix + pred_probs). The script checks that the
consensus labels are identical and every score allclose (atol 1e-6).

Target: sklabels' time <= 0.5 x cleanlab's; extra memory <= 2 x the inputs.

``--part accuracy`` measures instead how well the ``CrowdLab`` aggregator
recovers the true labels of scikit-learn's bundled data sets from simulated
crowds (``make_crowd_labels``: 5 annotators of accuracy 0.9, 0.8, 0.6, 0.5
and 0.4, 3 labels per item), against ``MajorityVote`` and ``DawidSkene``,
over several seeds; the model is ``make_pipeline(StandardScaler(),
LogisticRegression(max_iter=1000))``, cross-fitted on the features.

Run::

    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 PYTHONPATH=. \\
        .venv/bin/python benchmarks/bench_noise_multiannotator.py
    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 PYTHONPATH=. \\
        .venv/bin/python benchmarks/bench_noise_multiannotator.py --part accuracy
"""

import argparse
import contextlib
import io
import time
import tracemalloc
import warnings

import numpy as np
import pandas as pd
from cleanlab.multiannotator import get_label_quality_multiannotator

from sklabels.noise import multiannotator_label_quality


def make_data(n, M, K, coverage, seed):
    rng = np.random.RandomState(seed)
    y = rng.randint(K, size=n)
    accuracy = rng.uniform(0.55, 0.95, size=M)
    full = np.where(rng.rand(n, M) < accuracy, y[:, None], rng.randint(K, size=(n, M)))
    labeled = rng.rand(n, M) < coverage
    labeled[np.arange(n), rng.randint(M, size=n)] = True  # every item
    labeled[np.arange(M), np.arange(M)] = True  # every annotator
    L = np.where(labeled, full, -1)
    alpha = np.ones((n, K))
    alpha[np.arange(n), y] = 6.0  # a model right about 80 % of the time
    P = rng.gamma(alpha)
    P /= P.sum(axis=1, keepdims=True)
    return L, P


def run_cleanlab(frame, P):
    with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return get_label_quality_multiannotator(frame, P, verbose=False)


def run_ours(L, P):
    return multiannotator_label_quality(L, P)


def timed(fn, *args):
    wall, cpu = time.perf_counter(), time.process_time()
    out = fn(*args)
    return out, time.perf_counter() - wall, time.process_time() - cpu


def peak_memory(fn, *args):
    tracemalloc.start()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    out = fn(*args)
    peak = tracemalloc.get_traced_memory()[1] - base
    tracemalloc.stop()
    del out
    return peak


def check_same(ours, theirs):
    items, annotators = ours
    ref = theirs["label_quality"]
    ref_stats = theirs["annotator_stats"].sort_index()
    assert np.array_equal(items["consensus_label"], ref["consensus_label"])
    for col in ["consensus_quality_score", "annotator_agreement"]:
        assert np.allclose(items[col], ref[col], rtol=0, atol=1e-6), col
    for col in ["annotator_quality", "agreement_with_consensus"]:
        assert np.allclose(annotators[col], ref_stats[col], rtol=0, atol=1e-6), col
    assert np.array_equal(annotators["worst_class"], ref_stats["worst_class"])


def accuracy(seeds):
    from sklearn.datasets import load_breast_cancer, load_digits, load_iris, load_wine
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from sklabels.aggregation import CrowdLab, DawidSkene, MajorityVote
    from sklabels.datasets import make_crowd_labels

    def noise_digits(return_X_y):
        X, y = load_digits(return_X_y=True)
        return np.random.RandomState(0).standard_normal(X.shape), y

    noise_digits.__name__ = "load_digits, features replaced by noise"
    print(
        "| data set | items | majority vote | Dawid-Skene | CrowdLab "
        "| model weight | annotator weights (best to worst) |"
    )
    print("|---|---:|---:|---:|---:|---:|---|")
    for load in (load_iris, load_wine, load_breast_cancer, load_digits, noise_digits):
        X, y = load(return_X_y=True)
        scores, weights = [], []
        for seed in range(seeds):
            L = make_crowd_labels(
                y,
                n_sources=5,
                accuracy=[0.9, 0.8, 0.6, 0.5, 0.4],
                labels_per_item=3,
                random_state=seed,
            )
            model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                crowdlab = CrowdLab(model)
                labels = [
                    MajorityVote(random_state=seed).fit(L).predict(L),
                    DawidSkene().fit(L).predict(L),
                    crowdlab.fit_predict(L, X=X),
                ]
            scores.append([np.mean(lab == y) for lab in labels])
            weights.append([crowdlab.model_weight_, *crowdlab.annotator_weights_])
        mean, std = np.mean(scores, axis=0), np.std(scores, axis=0, ddof=1)
        cells = " | ".join(
            f"{m:.3f} +- {sd:.3f}" for m, sd in zip(mean, std, strict=True)
        )
        w = np.mean(weights, axis=0)
        annotators = ", ".join(f"{v:.2f}" for v in w[1:])
        print(
            f"| {load.__name__[5:]} | {len(y)} | {cells} | {w[0]:.2f} | {annotators} |"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--part", choices=["speed", "accuracy"], default="speed")
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--n", type=int, default=20_000)
    parser.add_argument("--annotators", type=int, default=10)
    parser.add_argument("--classes", type=int, nargs="+", default=[3, 10])
    parser.add_argument("--coverage", type=float, default=0.3)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    if args.part == "accuracy":
        accuracy(args.seeds)
        return
    print(
        "| K | labels per item | cleanlab wall (s) | sklabels wall (s) | ratio wall "
        "| ratio CPU | same answers | sklabels peak (MB) | inputs (MB) | peak / inputs "
        "| cleanlab peak (MB) |"
    )
    print("|---:" * 11 + "|")
    for K in args.classes:
        L, P = make_data(args.n, args.annotators, K, args.coverage, seed=K)
        frame = pd.DataFrame(np.where(L < 0, np.nan, L))
        walls, cpus, ratios, cpu_ratios = [], [], [], []
        for r in range(args.repeats):
            order = [("cl", run_cleanlab, frame), ("sk", run_ours, L)]
            if r % 2:
                order.reverse()
            got = {}
            for name, fn, labels in order:
                got[name] = timed(fn, labels, P)
            if r == 0:
                check_same(got["sk"][0], got["cl"][0])
            walls.append((got["cl"][1], got["sk"][1]))
            cpus.append((got["cl"][2], got["sk"][2]))
            ratios.append(got["sk"][1] / got["cl"][1])
            cpu_ratios.append(got["sk"][2] / got["cl"][2])
        walls = np.median(walls, axis=0)
        ours_peak = peak_memory(run_ours, L, P)
        theirs_peak = peak_memory(run_cleanlab, frame, P)
        inputs = L.nbytes + P.nbytes
        per_item = (L >= 0).sum() / args.n
        print(
            f"| {K} | {per_item:.2f} | {walls[0]:.3f} | {walls[1]:.3f} | "
            f"{np.median(ratios):.2f} | {np.median(cpu_ratios):.2f} | yes | "
            f"{ours_peak / 2**20:.1f} | {inputs / 2**20:.1f} | "
            f"{ours_peak / inputs:.2f} | {theirs_peak / 2**20:.1f} |"
        )


if __name__ == "__main__":
    main()
