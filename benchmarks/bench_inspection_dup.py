"""Benchmark: duplicates, conflicting labels and train/test overlap.

Four parts (``--part``, default all):

``quality``
    scikit-learn's bundled real data sets (iris, wine, breast_cancer,
    digits), standardised, several seeds. Copies of 5 % of the rows (at
    least 5) are appended: half exact copies, half near copies (the row
    plus noise in a random direction, of norm uniform in [0, 0.9 t)), and
    half of all copies carry another label than their source. ``t`` is
    0.1 times the median distance from a row to its nearest other row in
    the data before planting. ``find_duplicates(X, y, threshold=t)`` is
    scored against the truth: the planted copies and their sources, plus
    the rows that are exact duplicates in the data as shipped (iris has
    some); a near pair already in the data counts as a false positive.
    ``conflicting_label`` is scored the same way against the copies with
    another label, their sources and the sources' exact twins as shipped.
    cleanlab's ``Datalab`` near-duplicate check at its defaults is scored on
    the same data when cleanlab is importable.
``overlap``
    The same data sets, split 70/30 (shuffled, seeded); 10 % of the test
    size (at least 5) training rows are copied into the test set, half
    exactly, half with noise as above, half with another label.
    ``train_test_overlap(..., threshold=t)`` is scored against the planted
    test rows plus the test rows identical to a training row as shipped;
    "matched source" is the share of planted rows whose ``train_index`` is
    the row they were copied from.
``speed``
    100,000 x 20 standard normal rows with 1 % exact and 1 % near copies
    (noise uniform in [-0.01, 0.01] per feature): ``find_duplicates(X,
    threshold=r)`` against a plain scikit-learn radius query on the same
    data, ``NearestNeighbors(radius=r, algorithm="kd_tree").fit(X)
    .radius_neighbors(X)``, interleaved, median of ``--repeats`` calls, wall
    and CPU time (``time.process_time``), for several radii. The groups are
    checked against the connected components of the kd-tree's pairs.
``cleanlab``
    20,000 x 20 rows of the same kind: the time of cleanlab's ``Datalab``
    near-duplicate check at its defaults, and of ``find_duplicates`` with
    threshold 0.1 on the same rows.

Run (cleanlab needs its ``datalab`` extra, which pulls in ``datasets``)::

    PYTHONPATH=. OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 \\
        python benchmarks/bench_inspection_dup.py
    python benchmarks/bench_inspection_dup.py --part speed --repeats 3
"""

import argparse
import statistics
import time
import warnings

import numpy as np
import pandas as pd
from scipy.sparse.csgraph import connected_components
from sklearn.datasets import load_breast_cancer, load_digits, load_iris, load_wine
from sklearn.neighbors import NearestNeighbors
from sklearn.preprocessing import StandardScaler

from sklabels.inspection import find_duplicates, train_test_overlap

try:
    from cleanlab import Datalab
except ImportError:  # cleanlab or its datalab extra is not installed
    Datalab = None

DATASETS = {
    "iris": load_iris,
    "wine": load_wine,
    "breast_cancer": load_breast_cancer,
    "digits": load_digits,
}


# --------------------------------------------------------------------------
# Planting
# --------------------------------------------------------------------------


def _load(name):
    X, y = DATASETS[name](return_X_y=True)
    return StandardScaler().fit_transform(X), y


def _threshold(X):
    """0.1 x the median distance from a row to its nearest other row."""
    distances = NearestNeighbors(n_neighbors=2).fit(X).kneighbors(X)[0][:, 1]
    return 0.1 * float(np.median(distances))


def _noise(rng, n, n_features, threshold):
    """Random directions with norms uniform in [0, 0.9 threshold)."""
    direction = rng.standard_normal((n, n_features))
    direction /= np.linalg.norm(direction, axis=1, keepdims=True)
    return direction * rng.uniform(0, 0.9 * threshold, (n, 1))


def _copies(rng, X, y, sources, threshold):
    """Copies of ``X[sources]``: half exact, half near; half relabeled."""
    n = sources.size
    copies = X[sources].copy()
    near = rng.permutation(n) < n // 2
    copies[near] += _noise(rng, int(near.sum()), X.shape[1], threshold)
    labels = y[sources].copy()
    classes = np.unique(y)
    flipped = rng.permutation(n) < n // 2
    shift = rng.integers(1, classes.size, int(flipped.sum()))
    position = np.searchsorted(classes, labels[flipped])
    labels[flipped] = classes[(position + shift) % classes.size]
    return copies, labels, flipped


def _exact_duplicate_rows(X):
    """Rows that are identical to another row (the data as shipped)."""
    return find_duplicates(X)["duplicate_group"].to_numpy() >= 0


def _precision_recall(flagged, truth):
    tp = np.sum(flagged & truth)
    precision = tp / max(np.sum(flagged), 1)
    recall = tp / max(np.sum(truth), 1)
    return float(precision), float(recall)


# --------------------------------------------------------------------------
# Parts
# --------------------------------------------------------------------------


def _datalab_flags(X, y):
    lab = Datalab(data={"label": y}, label_name="label", verbosity=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        lab.find_issues(features=X, issue_types={"near_duplicate": {}})
    return lab.get_issues("near_duplicate")["is_near_duplicate_issue"].to_numpy()


def part_quality(seeds):
    rows = []
    for name in DATASETS:
        X0, y0 = _load(name)
        t = _threshold(X0)
        natural = _exact_duplicate_rows(X0)
        natural_near = find_duplicates(X0, threshold=t)["duplicate_group"] >= 0
        for seed in seeds:
            rng = np.random.default_rng(seed)
            n_copies = max(5, round(0.05 * len(y0)))
            sources = rng.choice(len(y0), n_copies, replace=False)
            copies, labels, flipped = _copies(rng, X0, y0, sources, t)
            X = np.vstack([X0, copies])
            y = np.r_[y0, labels]
            n0 = len(y0)
            truth = np.r_[natural, np.ones(n_copies, dtype=bool)]
            truth[sources] = True
            conflict_truth = np.zeros(len(y), dtype=bool)
            conflict_truth[sources[flipped]] = True
            conflict_truth[n0 + np.flatnonzero(flipped)] = True
            # exact duplicates as shipped: conflicting already, or the twins of
            # a source whose copy has another label
            natural_dups = find_duplicates(X0, y0)
            conflict_truth[:n0] |= natural_dups["conflicting_label"].to_numpy()
            twin_group = natural_dups["duplicate_group"].to_numpy()
            flipped_groups = twin_group[sources[flipped]]
            flipped_groups = flipped_groups[flipped_groups >= 0]
            conflict_truth[:n0] |= np.isin(twin_group, flipped_groups)

            result = find_duplicates(X, y, threshold=t)
            flagged = result["duplicate_group"].to_numpy() >= 0
            conflicting = result["conflicting_label"].to_numpy()
            p, r = _precision_recall(flagged, truth)
            cp, cr = _precision_recall(conflicting, conflict_truth)
            row = {
                "data": name,
                "seed": seed,
                "rows": len(y),
                "threshold": t,
                "natural near rows": int(natural_near.sum()),
                "precision": p,
                "recall": r,
                "conflict precision": cp,
                "conflict recall": cr,
            }
            if Datalab is not None:
                dp, dr = _precision_recall(_datalab_flags(X, y), truth)
                row.update({"Datalab precision": dp, "Datalab recall": dr})
            rows.append(row)
    return pd.DataFrame(rows)


def part_overlap(seeds):
    rows = []
    for name in DATASETS:
        X0, y0 = _load(name)
        t = _threshold(X0)
        for seed in seeds:
            rng = np.random.default_rng(seed)
            order = rng.permutation(len(y0))
            n_train = int(0.7 * len(y0))
            train, test = order[:n_train], order[n_train:]
            X_train, y_train = X0[train], y0[train]
            n_planted = max(5, round(0.1 * test.size))
            sources = rng.choice(n_train, n_planted, replace=False)
            copies, labels, flipped = _copies(rng, X_train, y_train, sources, t)
            X_test = np.vstack([X0[test], copies])
            y_test = np.r_[y0[test], labels]
            natural = (
                train_test_overlap(X_train, X0[test]).index.to_numpy()
                if test.size
                else np.empty(0, dtype=int)
            )
            truth = np.zeros(len(y_test), dtype=bool)
            truth[natural] = True
            truth[test.size :] = True

            result = train_test_overlap(X_train, X_test, y_train, y_test, threshold=t)
            found = np.zeros(len(y_test), dtype=bool)
            found[result.index.to_numpy()] = True
            p, r = _precision_recall(found, truth)
            planted = result.loc[result.index >= test.size]
            matched = (
                planted["train_index"].to_numpy()
                == sources[planted.index.to_numpy() - test.size]
            )
            differs = (
                planted["label_differs"].to_numpy()
                == flipped[planted.index.to_numpy() - test.size]
            )
            rows.append(
                {
                    "data": name,
                    "seed": seed,
                    "planted": n_planted,
                    "precision": p,
                    "recall": r,
                    "matched source": float(matched.mean()),
                    "label_differs right": float(differs.mean()),
                }
            )
    return pd.DataFrame(rows)


def _speed_data(n, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, 20))
    picks = rng.choice(n, 4 * (n // 100), replace=False).reshape(4, -1)
    X[picks[0]] = X[picks[1]]  # exact copies
    X[picks[2]] = X[picks[3]] + rng.uniform(-0.01, 0.01, (picks.shape[1], 20))
    return X


def _timed(function):
    wall, cpu = time.perf_counter(), time.process_time()
    out = function()
    return out, time.perf_counter() - wall, time.process_time() - cpu


def _kdtree_query(X, r):
    nn = NearestNeighbors(radius=r, algorithm="kd_tree").fit(X)
    return nn.radius_neighbors(X)


def _same_groups(result, neighbours):
    """find_duplicates' groups equal the components of the kd-tree's pairs."""
    import scipy.sparse as sp

    indices = neighbours[1]
    lengths = np.fromiter(map(len, indices), dtype=np.int64, count=len(indices))
    rows = np.repeat(np.arange(len(indices)), lengths)
    cols = np.concatenate(indices)
    graph = sp.csr_matrix((np.ones(rows.size), (rows, cols)), shape=(len(indices),) * 2)
    component = connected_components(graph, directed=False)[1]
    sizes = np.bincount(component)[component]
    group = result["duplicate_group"].to_numpy()
    if not np.array_equal(group >= 0, sizes > 1):
        return False
    pairs = pd.DataFrame({"g": group[group >= 0], "c": component[group >= 0]})
    return bool(
        (pairs.groupby("g")["c"].nunique() == 1).all()
        and (pairs.groupby("c")["g"].nunique() == 1).all()
    )


def part_speed(repeats, radii):
    X = _speed_data(100_000)
    rows = []
    for r in radii:
        ours_wall, ours_cpu, tree_wall, tree_cpu = [], [], [], []
        for i in range(repeats):
            result, w, c = _timed(lambda r=r: find_duplicates(X, threshold=r))
            ours_wall.append(w)
            ours_cpu.append(c)
            neighbours, w, c = _timed(lambda r=r: _kdtree_query(X, r))
            tree_wall.append(w)
            tree_cpu.append(c)
            if i == 0:
                same = _same_groups(result, neighbours)
        ow, oc = statistics.median(ours_wall), statistics.median(ours_cpu)
        tw, tc = statistics.median(tree_wall), statistics.median(tree_cpu)
        rows.append(
            {
                "radius": r,
                "grouped rows": int((result["duplicate_group"] >= 0).sum()),
                "find_duplicates s": ow,
                "kd-tree query s": tw,
                "ratio wall": ow / tw,
                "ratio CPU": oc / tc,
                "same groups": same,
            }
        )
    return pd.DataFrame(rows)


def part_cleanlab(n=20_000):
    X = _speed_data(n, seed=1)
    y = np.random.default_rng(1).integers(0, 3, n)
    rows = []
    if Datalab is not None:
        flags, wall, cpu = _timed(lambda: _datalab_flags(X, y))
        rows.append(
            {
                "method": "cleanlab Datalab near_duplicate (defaults)",
                "wall s": wall,
                "CPU s": cpu,
                "rows flagged": int(flags.sum()),
            }
        )
    result, wall, cpu = _timed(lambda: find_duplicates(X, y, threshold=0.1))
    rows.append(
        {
            "method": "sklabels find_duplicates(threshold=0.1)",
            "wall s": wall,
            "CPU s": cpu,
            "rows flagged": int((result["duplicate_group"] >= 0).sum()),
        }
    )
    return pd.DataFrame(rows)


def _markdown(frame, index=False):
    """A DataFrame as a Markdown table (without the tabulate package)."""
    if index:
        frame = frame.reset_index()
    head = "| " + " | ".join(map(str, frame.columns)) + " |"
    rule = "|" + "|".join("---" for _ in frame.columns) + "|"
    body = ["| " + " | ".join(map(str, row)) + " |" for row in frame.to_numpy()]
    return "\n".join([head, rule, *body])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--part",
        choices=["all", "quality", "overlap", "speed", "cleanlab"],
        default="all",
    )
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--radii", type=float, nargs="+", default=[0.1, 0.3, 1.0])
    args = parser.parse_args()
    seeds = range(args.seeds)
    pd.set_option("display.width", 200)
    pd.set_option("display.max_columns", 20)
    if args.part in ("all", "quality"):
        quality = part_quality(seeds)
        print("## Planted duplicates and conflicting copies\n")
        print(_markdown(quality.round(3), index=False))
        summary = quality.drop(columns=["seed"]).groupby("data", sort=False)
        print("\nPer data set, minimum over seeds:\n")
        print(_markdown(summary.min().round(3), index=True))
    if args.part in ("all", "overlap"):
        overlap = part_overlap(seeds)
        print("\n## Planted train/test overlap\n")
        print(_markdown(overlap.round(3), index=False))
    if args.part in ("all", "speed"):
        print("\n## Speed, 100,000 x 20\n")
        print(_markdown(part_speed(args.repeats, args.radii).round(3), index=False))
    if args.part in ("all", "cleanlab"):
        print("\n## cleanlab Datalab near-duplicate check, 20,000 x 20\n")
        print(_markdown(part_cleanlab().round(2), index=False))


if __name__ == "__main__":
    main()
