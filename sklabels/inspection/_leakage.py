"""Features that leak the label: each feature scored alone, against a null.

:func:`leakage_report` fits a small model on every feature alone, scores it
out of fold, and compares that score with the same score on permuted labels.
A feature that predicts the label nearly perfectly on its own, or far better
than every other feature, or that looks like a row identifier and yet
predicts the label, is a leak suspect. :class:`LeakageFilter` drops the
suspects found on the training data.

The default model is a shallow decision tree on the binned feature, grown
from histograms: one ``bincount`` per fold and label vector, then a greedy
tree over at most ``_MAX_BINS`` bins. Its out-of-fold ROC AUC and R2 are
computed from the held-out histograms too, so no step but the binning and
the counting reads the rows.
"""

import heapq
from numbers import Integral, Real

import numpy as np
import pandas as pd
from joblib import effective_n_jobs
from scipy import sparse
from sklearn.base import BaseEstimator, clone, is_classifier
from sklearn.feature_selection import SelectorMixin
from sklearn.metrics import r2_score, roc_auc_score
from sklearn.model_selection import check_cv
from sklearn.utils import check_random_state
from sklearn.utils.multiclass import type_of_target
from sklearn.utils.validation import check_array

from sklabels.utils._compat import (
    HasMethods,
    Interval,
    StrOptions,
    _fit_context,
    check_is_fitted,
    validate_data,
    validate_params,
)
from sklabels.utils._cv import check_partition, stratified_folds
from sklabels.utils._doc_link import DocLinkMixin
from sklabels.utils._docstrings import fill_doc
from sklabels.utils._progress import Progress, run_steps
from sklabels.utils._validation import check_labels

__all__ = ["LeakageFilter", "leakage_report"]

# Bins of a numeric feature with more distinct values (as HistGradientBoosting).
_MAX_BINS = 255
# Smallest number of training rows in a leaf of the default tree.
_MIN_SAMPLES_LEAF = 5
# Leaves of the default tree: two per class, at least this many.
_MIN_LEAVES = 16
# Pseudo-count pulling a category's prediction towards the training prior.
_CATEGORY_SMOOTHING = 5.0
# Default thresholds of the "near perfect" rule, in the units of the score.
_DEFAULT_THRESHOLD = {"classification": 0.995, "regression": 0.95}
# "Predictive": the score is above every permuted score and this many null
# standard deviations above their mean (the standard deviation floored).
_MIN_Z = 4.0
_MIN_NULL_STD = 1e-3
# "Stands out": at least this skill, and an error (1 - skill) at most
# 1 / _STAND_OUT_RATIO of the best other feature's.
_STAND_OUT_SKILL = 0.8
_STAND_OUT_RATIO = 5.0
_MIN_ERROR = 1e-3
# Identifier-like: share of distinct values among the non-missing ones.
_NEARLY_UNIQUE = 0.95
_MANY_VALUES = 0.5
_MIN_ROWS_IDENTIFIER = 10
# Whole numbers are amounts (regression), not classes, when most distinct
# values occur fewer times than this.
_RARE_CLASS = 5
# Folds of a regression target: stratified on this many quantile bins of y.
_Y_BINS = 10

_METRIC_NAME = {"classification": "ROC AUC", "regression": "R2"}


# --------------------------------------------------------------------------
# Input: features as numeric or categorical columns
# --------------------------------------------------------------------------


class _Column:
    """One feature: float values (NaN missing) or category codes (-1)."""

    __slots__ = ("categorical", "n_categories", "values")

    def __init__(self, values, categorical=False, n_categories=0):
        self.values = values
        self.categorical = categorical
        self.n_categories = n_categories

    def as_float(self):
        """The column as one float column (codes for categories, NaN missing)."""
        if not self.categorical:
            return self.values
        out = self.values.astype(np.float64)
        out[self.values < 0] = np.nan
        return out


def _categorical(values):
    codes, uniques = pd.factorize(values, sort=True, use_na_sentinel=True)
    return _Column(np.asarray(codes, dtype=np.intp), True, len(uniques))


def _object_column(values, name):
    """Numbers if every value converts to a float, else categories."""
    missing = np.asarray(pd.isna(values), dtype=bool)
    present = values[~missing]
    try:
        numbers = np.asarray(present, dtype=np.float64)
    except (TypeError, ValueError):
        pass
    else:
        out = np.full(values.shape[0], np.nan)
        out[~missing] = numbers
        return _Column(out)
    kinds = {type(v) for v in present}
    if all(issubclass(k, (str, bytes)) for k in kinds):
        return _categorical(values)
    names = sorted(k.__name__ for k in kinds)
    if any(issubclass(k, (str, bytes)) for k in kinds):
        raise TypeError(
            f"X column {name!r} mixes strings with other types ({names}); "
            "convert it to one kind first (e.g. X[col].astype(str))."
        )
    raise TypeError(
        f"X column {name!r} holds values of types {names}: each argument must be "
        "a string or a number."
    )


def _frame_column(series, name):
    dtype = series.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        codes = np.asarray(series.cat.codes, dtype=np.intp)
        return _Column(codes, True, len(dtype.categories))
    if pd.api.types.is_bool_dtype(dtype) or pd.api.types.is_numeric_dtype(dtype):
        if pd.api.types.is_complex_dtype(dtype):
            raise TypeError(f"X column {name!r} is complex ({dtype}); not a feature.")
        return _Column(series.to_numpy(dtype=np.float64, na_value=np.nan))
    if pd.api.types.is_datetime64_any_dtype(dtype) or pd.api.types.is_timedelta64_dtype(
        dtype
    ):
        out = np.asarray(series.array.asi8, dtype=np.float64)
        out[np.asarray(series.isna())] = np.nan
        return _Column(out)
    return _object_column(series.to_numpy(dtype=object), name)


def _check_not_empty(shape):
    for axis, what in ((0, "sample(s)"), (1, "feature(s)")):
        if shape[axis] == 0:
            raise ValueError(
                f"X is empty: found array with 0 {what} (shape={tuple(shape)}) "
                "while a minimum of 1 is required; leakage needs rows and "
                "features to score."
            )


def _check_features(X):
    """Names and columns of ``X`` (a DataFrame, array-like or sparse matrix)."""
    if isinstance(X, pd.DataFrame):
        _check_not_empty(X.shape)
        names = list(X.columns)
        columns = [_frame_column(X.iloc[:, j], names[j]) for j in range(X.shape[1])]
        return names, columns, X.index
    if sparse.issparse(X):
        X = check_array(X, accept_sparse="csc", dtype=np.float64, ensure_min_samples=0)
    else:
        X = check_array(
            X,
            dtype=None,
            ensure_all_finite=False,
            ensure_min_samples=0,
            ensure_min_features=0,
        )
    _check_not_empty(X.shape)
    names = [f"x{j}" for j in range(X.shape[1])]
    columns = []
    for j in range(X.shape[1]):
        if sparse.issparse(X):
            col = X[:, [j]].toarray().ravel()
        else:
            col = X[:, j]
        if col.dtype.kind == "O":
            columns.append(_object_column(col, names[j]))
        elif col.dtype.kind in "US":
            columns.append(_categorical(col))
        elif col.dtype.kind == "c":
            raise TypeError(f"X has complex dtype {col.dtype}; not a feature.")
        else:
            columns.append(_Column(col.astype(np.float64)))
    return names, columns, pd.RangeIndex(X.shape[0])


def _check_finite(names, columns):
    bad = [
        names[j]
        for j, c in enumerate(columns)
        if not c.categorical and np.isinf(c.values).any()
    ]
    if bad:
        shown = ", ".join(repr(b) for b in bad[:5])
        raise ValueError(
            f"X contains infinity in column(s) {shown}"
            + (f" and {len(bad) - 5} more" if len(bad) > 5 else "")
            + "; replace it with a finite value or NaN (NaN is a missing value)."
        )


def _check_target(y, n_samples, task):
    """Labels as codes (classification) or floats (regression), and the task."""
    if isinstance(y, str):
        raise TypeError(
            f"y must be an array-like of labels or numbers, got {type(y).__name__} "
            f"{y!r}."
        )
    y_arr, _ = check_labels(y, input_name="y")
    if y_arr.shape[0] != n_samples:
        raise ValueError(
            f"X and y have different lengths: X has {n_samples} rows and y has "
            f"{y_arr.shape[0]}; give one label per row of X."
        )
    kind = type_of_target(y_arr, input_name="y")
    if task == "auto":
        if kind == "multiclass" and y_arr.dtype.kind in "iuf":
            # whole numbers most of which are rare: amounts, not classes
            _, counts = np.unique(y_arr, return_counts=True)
            if np.count_nonzero(counts < _RARE_CLASS) > counts.size / 2:
                kind = "continuous"
        if kind in ("binary", "multiclass"):
            task = "classification"
        elif kind == "continuous":
            task = "regression"
        else:
            raise ValueError(
                f"y looks {kind!r}; leakage_report needs one label or one number "
                "per row (classification or regression)."
            )
    if task == "regression":
        if y_arr.dtype.kind not in "biuf":
            raise ValueError(
                f"task='regression' needs numbers in y, got values such as "
                f"{y_arr[0]!r}; use task='classification' for labels."
            )
        y_float = y_arr.astype(np.float64)
        if np.ptp(y_float) == 0:
            raise ValueError(
                f"y is constant (every value is {y_float[0]!r}): there is nothing "
                "to predict."
            )
        return task, y_float, None
    classes, codes = np.unique(y_arr, return_inverse=True)
    if classes.size < 2:
        raise ValueError(
            f"y holds one class ({classes.tolist()[0]!r}): there is nothing to "
            "predict; "
            "leakage_report needs at least two classes."
        )
    return task, codes.astype(np.intp), classes


def _folds(cv, y, task, n_samples, random_state):
    """Fold number of every row (each row held out exactly once)."""
    if cv is None:
        cv = 5
    if isinstance(cv, Integral):
        if task == "classification":
            strata = y
        else:
            n_bins = max(1, min(_Y_BINS, n_samples // cv))
            edges = np.quantile(y, np.linspace(0, 1, n_bins + 1)[1:-1])
            strata = np.searchsorted(edges, y, side="right")
            # bins too small for every fold are merged into their neighbour
            counts = np.bincount(strata)
            small = counts[strata] < cv
            strata[small] = np.maximum(strata[small] - 1, 0)
        splitter = stratified_folds(cv, random_state)
        splits = splitter.split(np.zeros((n_samples, 1)), strata)
    else:
        splitter = check_cv(cv, y, classifier=task == "classification")
        splits = splitter.split(np.zeros((n_samples, 1)), y)
    splits = [(train, np.asarray(test)) for train, test in splits]
    check_partition(splits, n_samples, cv, "scores")
    fold = np.empty(n_samples, dtype=np.intp)
    for i, (_, test) in enumerate(splits):
        fold[test] = i
    n_folds = len(splits)
    if n_folds < 2:
        raise ValueError(f"cv={cv!r} gives a single fold; at least 2 are needed.")
    return fold, n_folds


# --------------------------------------------------------------------------
# The default model: a histogram tree on one binned feature
# --------------------------------------------------------------------------


def _bin(column):
    """Bin codes (missing: the last bin) and increasing values of the bins."""
    if column.categorical:
        codes = column.values.copy()
        n_bins = column.n_categories
        codes[codes < 0] = n_bins
        return codes, np.arange(n_bins, dtype=np.float64)
    x = column.values
    missing = np.isnan(x)
    present = x[~missing]
    if present.size == 0:
        return np.zeros(x.size, dtype=np.intp), np.empty(0)
    uniques = np.unique(present)
    if uniques.size <= _MAX_BINS:
        edges = uniques[:-1]
        values = uniques
    else:
        edges = np.unique(np.quantile(present, np.linspace(0, 1, _MAX_BINS + 1)[1:-1]))
        inner = 0.5 * (edges[:-1] + edges[1:])
        values = np.concatenate([[edges[0]], inner, [edges[-1]]])
    codes = np.searchsorted(edges, x, side="left").astype(np.intp)
    codes[missing] = values.size
    return codes, values


def _split_gain(left, right, regression):
    """Sum of each side's score (larger is purer); ``left`` rows are splits."""
    if regression:
        n_left, n_right = left[:, 0], right[:, 0]
        with np.errstate(divide="ignore", invalid="ignore"):
            score = left[:, 1] ** 2 / n_left + right[:, 1] ** 2 / n_right
    else:
        n_left, n_right = left.sum(axis=1), right.sum(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            score = (left**2).sum(axis=1) / n_left + (right**2).sum(axis=1) / n_right
    valid = (n_left >= _MIN_SAMPLES_LEAF) & (n_right >= _MIN_SAMPLES_LEAF)
    return np.where(valid, score, -np.inf)


def _node_score(stats, regression):
    n = stats[0] if regression else stats.sum()
    if n == 0:
        return 0.0
    return stats[1] ** 2 / n if regression else (stats**2).sum() / n


def _grow_tree(hist, values, max_leaves, regression):
    """Leaf of every bin (the missing bin last) for a tree grown on ``hist``.

    ``hist`` has one row per bin (``n_bins`` + the missing bin) and the
    per-class counts (classification) or ``[count, sum]`` (regression);
    ``values`` are increasing values standing for the bins. The tree is grown
    best first, as scikit-learn's trees with ``max_leaf_nodes``: the leaf
    whose best cut lowers the impurity most is split, until ``max_leaves``
    leaves or no cut helps. A node is an interval of bins, plus the missing
    bin if it went that way; at each cut the missing values go to the side
    that scores best, as in HistGradientBoosting (to the larger side when
    training has none). Among cuts of equal gain (bins with no training row
    between two that have some) the one nearest the middle value is taken,
    as a tree cuts midway between two training values.
    """
    n_bins = values.size
    missing = hist[n_bins]
    has_missing = (missing[0] if regression else missing.sum()) > 0
    leaves = []  # (lo, hi, with_missing) of finished leaves
    heap = []  # (-improvement, order, lo, hi, with_missing, cut, missing_left)
    order = 0

    def push(lo, hi, with_missing):
        nonlocal order
        splits_missing = with_missing and has_missing
        best = None
        if hi - lo >= 2 or (hi - lo == 1 and splits_missing):
            best = _best_cut(
                hist[lo:hi], missing, values[lo:hi], splits_missing, regression
            )
        if best is None:
            leaves.append((lo, hi, with_missing))
        else:
            heapq.heappush(
                heap, (-best[0], order, lo, hi, with_missing, lo + best[1], best[2])
            )
            order += 1

    push(0, n_bins, True)
    while heap and len(leaves) + len(heap) < max_leaves:
        _, _, lo, hi, with_missing, cut, missing_left = heapq.heappop(heap)
        push(lo, cut, with_missing and missing_left)
        push(cut, hi, with_missing and not missing_left)
    leaves.extend((lo, hi, with_missing) for _, _, lo, hi, with_missing, _, _ in heap)
    leaf_of_bin = np.zeros(n_bins + 1, dtype=np.intp)
    for leaf, (lo, hi, with_missing) in enumerate(leaves):
        leaf_of_bin[lo:hi] = leaf
        if with_missing:
            leaf_of_bin[n_bins] = leaf
    return leaf_of_bin, len(leaves)


def _best_cut(block, missing, values, splits_missing, regression):
    """Best cut of a node: (improvement, cut index in the node, missing left).

    Cut ``i`` sends the node's bins ``[0, i)`` left; with missing values, a
    cut at 0 (missing alone left) and at ``len(block)`` (missing alone
    right) are candidates too. None if no cut beats the node itself.
    """
    cum = np.concatenate([np.zeros((1, block.shape[1])), np.cumsum(block, axis=0)])
    total = cum[-1]
    n_cuts = block.shape[0]
    if splits_missing:
        options = [
            (cum[:-1] + missing, total - cum[:-1], True, 0),
            (cum[1:], total - cum[1:] + missing, False, 1),
        ]
        parent = _node_score(total + missing, regression)
    else:
        options = [(cum[1:-1], total - cum[1:-1], None, 1)]
        parent = _node_score(total, regression)
    best = None
    for left, right, missing_left, offset in options:
        if not len(left):
            continue
        gain = _split_gain(left, right, regression)
        e0 = int(np.argmax(gain))
        if not gain[e0] > parent + 1e-9 * max(abs(parent), 1.0):
            continue
        if best is not None and gain[e0] - parent <= best[0]:
            continue
        # bins with no training row leave the gain unchanged: among equal
        # cuts take the one midway between the training values on either
        # side (as a tree does), or the one isolating the missing values
        run = np.flatnonzero(gain[e0:] != gain[e0])
        e1 = e0 + (int(run[0]) if run.size else gain.size - e0) - 1
        i0, i1 = e0 + offset, e1 + offset
        if splits_missing and missing_left and i0 == 0:
            cut = 0
        elif splits_missing and not missing_left and i1 == n_cuts:
            cut = n_cuts
        else:
            middle = 0.5 * (values[i0 - 1] + values[i1])
            cut = min(max(int(np.searchsorted(values, middle, side="right")), i0), i1)
        if missing_left is None:  # no training row is missing
            n_left = left[cut - offset, 0] if regression else left[cut - offset].sum()
            n_right = (
                right[cut - offset, 0] if regression else right[cut - offset].sum()
            )
            missing_left = bool(n_left >= n_right)
        best = (gain[e0] - parent, cut, missing_left)
    return best


def _fold_predictions(train, categorical, values, max_leaves, regression):
    """Prediction for every bin from a fold's training histogram."""
    if regression:
        n, s = train[:, 0], train[:, 1]
        mean = s.sum() / n.sum()
        if categorical:
            return (s + _CATEGORY_SMOOTHING * mean) / (n + _CATEGORY_SMOOTHING)
    else:
        prior = train.sum(axis=0) / train.sum()
        if categorical:
            n = train.sum(axis=1, keepdims=True)
            return (train + _CATEGORY_SMOOTHING * prior) / (n + _CATEGORY_SMOOTHING)
    leaf_of_bin, n_leaves = _grow_tree(train, values, max_leaves, regression)
    leaves = np.zeros((n_leaves, train.shape[1]))
    np.add.at(leaves, leaf_of_bin, train)
    if regression:
        with np.errstate(invalid="ignore", divide="ignore"):
            values = leaves[:, 1] / leaves[:, 0]
        values = np.where(leaves[:, 0] > 0, values, mean)
    else:
        counts = leaves.sum(axis=1, keepdims=True)
        with np.errstate(invalid="ignore", divide="ignore"):
            values = leaves / counts
        values = np.where(counts > 0, values, prior)
    return values[leaf_of_bin]


def _pooled_auc(scores, counts):
    """Macro one-vs-rest ROC AUC of held-out rows given as weighted tables.

    ``scores[e, k]`` is the predicted probability of class ``k`` for the
    rows of table entry ``e`` and ``counts[e, k]`` how many of them are of
    class ``k``. Ties count one half, as in ``roc_auc_score``.
    """
    totals = counts.sum(axis=1)
    aucs = []
    for k in range(counts.shape[1]):
        pos = counts[:, k]
        neg = totals - pos
        n_pos, n_neg = pos.sum(), neg.sum()
        if n_pos == 0 or n_neg == 0:
            continue
        values, inverse = np.unique(scores[:, k], return_inverse=True)
        pos_at = np.bincount(inverse, weights=pos, minlength=values.size)
        neg_at = np.bincount(inverse, weights=neg, minlength=values.size)
        neg_below = np.cumsum(neg_at) - neg_at
        aucs.append((pos_at * (neg_below + 0.5 * neg_at)).sum() / (n_pos * n_neg))
    return float(np.mean(aucs))


def _histogram_score(codes, values, categorical, labels, fold, n_folds, spec):
    """Out-of-fold score of the histogram model for each label vector."""
    regression = spec["task"] == "regression"
    n_bins = values.size
    n_cells = n_bins + 1
    base = fold * n_cells + codes
    size = n_folds * n_cells
    if regression:  # rows per (fold, bin) do not depend on the label vector
        counts = np.bincount(base, minlength=size)
    out = np.empty(labels.shape[0])
    for i, lab in enumerate(labels):
        if regression:
            test = np.stack(
                [
                    counts,
                    np.bincount(base, weights=lab, minlength=size),
                    np.bincount(base, weights=lab * lab, minlength=size),
                ],
                axis=-1,
            ).reshape(n_folds, n_cells, 3)
        else:
            k = spec["n_classes"]
            test = np.bincount(base * k + lab, minlength=size * k)
            test = test.reshape(n_folds, n_cells, k).astype(np.float64)
        total = test.sum(axis=0)
        preds = [
            _fold_predictions(
                (total - test[f])[:, :2] if regression else total - test[f],
                categorical,
                values,
                spec["max_leaves"],
                regression,
            )
            for f in range(n_folds)
        ]
        if regression:
            pred = np.stack(preds)  # (n_folds, n_cells)
            sse = (
                test[..., 2] - 2 * pred * test[..., 1] + pred**2 * test[..., 0]
            ).sum()
            out[i] = 1.0 - sse / spec["sst"]
        else:
            out[i] = _pooled_auc(
                np.concatenate(preds), test.reshape(n_folds * n_cells, -1)
            )
    return out


# --------------------------------------------------------------------------
# A user's estimator, fitted on one column
# --------------------------------------------------------------------------


def _estimator_score(x, estimator, labels, fold, n_folds, spec):
    regression = spec["task"] == "regression"
    x = x.reshape(-1, 1)
    out = np.empty(labels.shape[0])
    for i, lab in enumerate(labels):
        if regression:
            oof = np.empty(x.shape[0])
        else:
            oof = np.zeros((x.shape[0], spec["n_classes"]))
        for f in range(n_folds):
            test = fold == f
            est = clone(estimator).fit(x[~test], lab[~test])
            if regression:
                oof[test] = est.predict(x[test])
            else:
                oof[np.ix_(test, np.asarray(est.classes_, dtype=np.intp))] = (
                    est.predict_proba(x[test])
                )
        if regression:
            out[i] = r2_score(lab, oof)
        elif spec["n_classes"] == 2:
            out[i] = roc_auc_score(lab, oof[:, 1])
        else:
            sums = oof.sum(axis=1, keepdims=True)
            oof = np.divide(oof, sums, out=np.full_like(oof, 0.0), where=sums > 0)
            out[i] = roc_auc_score(
                lab, oof, multi_class="ovr", labels=np.arange(spec["n_classes"])
            )
    return out


def _score_batch(columns, estimator, labels, fold, n_folds, spec):
    """Scores (real labels first, then permuted) of a batch of features."""
    results = []
    for column in columns:
        if estimator is None:
            codes, values = _bin(column)
            scores = _histogram_score(
                codes, values, column.categorical, labels, fold, n_folds, spec
            )
        else:
            scores = _estimator_score(
                column.as_float(), estimator, labels, fold, n_folds, spec
            )
        results.append(scores)
    return results


# --------------------------------------------------------------------------
# Identifier-like columns
# --------------------------------------------------------------------------


def _identifier(column, y_codes):
    """Number of distinct values, and why the column looks like an id ("")."""
    if column.categorical:
        present = column.values[column.values >= 0].astype(np.float64)
        integer_like = True
    else:
        present = column.values[~np.isnan(column.values)]
        integer_like = bool(np.all(present == np.floor(present)))
    n_present = present.size
    n_unique = int(np.unique(present).size) if n_present else 0
    if n_present < _MIN_ROWS_IDENTIFIER or n_unique < 3:
        return n_unique, ""
    share = n_unique / n_present
    if integer_like and share >= _NEARLY_UNIQUE:
        return n_unique, (
            f"{n_unique} distinct whole numbers or strings in {n_present} rows"
        )
    if share >= _MANY_VALUES:
        steps = np.diff(present)
        if (steps >= 0).all() or (steps <= 0).all():
            return n_unique, "values that only increase or only decrease down the rows"
    if integer_like and share >= _MANY_VALUES and y_codes is not None:
        if column.categorical:
            codes = y_codes[column.values >= 0]
        else:
            codes = y_codes[~np.isnan(column.values)]
        n_classes = int(y_codes.max()) + 1
        low = np.full(n_classes, np.inf)
        high = np.full(n_classes, -np.inf)
        np.minimum.at(low, codes, present)
        np.maximum.at(high, codes, present)
        seen = np.isfinite(low)
        low, high = low[seen], high[seen]
        if low.size >= 2 and (
            (high[:-1] <= low[1:]).all() or (low[:-1] >= high[1:]).all()
        ):
            return n_unique, (
                "values ordered like the classes, every value of one class "
                "before every value of the next"
            )
    return n_unique, ""


# --------------------------------------------------------------------------
# The rule
# --------------------------------------------------------------------------


def _fmt(value):
    return f"{value:.3f}"


def _suspects(names, scores, nulls, identifiers, task, threshold):
    """Flags and reasons; see the Notes of :func:`leakage_report`."""
    metric = _METRIC_NAME[task]
    null_mean = nulls.mean(axis=1)
    null_std = nulls.std(axis=1, ddof=1)
    z = (scores - null_mean) / np.maximum(null_std, _MIN_NULL_STD)
    predictive = (z >= _MIN_Z) & (scores > nulls.max(axis=1))
    with np.errstate(divide="ignore", invalid="ignore"):
        skill = (scores - null_mean) / (1.0 - null_mean)
    skill = np.where(null_mean < 1.0, skill, 0.0)
    error = np.maximum(1.0 - skill, _MIN_ERROR)
    n = len(names)
    reasons = [[] for _ in range(n)]

    def versus(j):
        return (
            f"{metric} {_fmt(scores[j])} out of fold, against "
            f"{_fmt(null_mean[j])} on permuted labels"
        )

    near_perfect = predictive & (scores >= threshold)
    for j in np.flatnonzero(near_perfect):
        reasons[j].append(
            f"Alone it predicts the label almost perfectly ({versus(j)}; threshold "
            f"{_fmt(threshold)}): a feature this good on its own is usually "
            "computed from the label or recorded after it."
        )
    identifier_like = np.array([bool(why) for why in identifiers])
    id_suspect = identifier_like & predictive
    for j in np.flatnonzero(id_suspect):
        reasons[j].append(
            f"It looks like a row identifier ({identifiers[j]}) and yet predicts "
            f"the label ({versus(j)}): the rows were probably numbered or "
            "ordered by the label."
        )
    flagged = near_perfect | id_suspect
    if n >= 2:
        a, b = np.argsort(error, kind="stable")[:2]
        if (
            not flagged[a]
            and predictive[a]
            and skill[a] >= _STAND_OUT_SKILL
            and error[a] * _STAND_OUT_RATIO <= error[b]
        ):
            flagged[a] = True
            reasons[a].append(
                f"It predicts the label far better than any other feature "
                f"({versus(a)}; the next best, {names[b]!r}, reaches "
                f"{_fmt(scores[b])}): check how it was made."
            )
    for j in np.flatnonzero(identifier_like & ~predictive):
        reasons[j].append(
            f"It looks like a row identifier ({identifiers[j]}) but predicts the "
            f"label no better than permuted labels do ({versus(j)}): not a leak, "
            "though a model has nothing to learn from it."
        )
    return {
        "null_mean": null_mean,
        "null_std": null_std,
        "p_value": (1.0 + (nulls >= scores[:, None]).sum(axis=1))
        / (1.0 + nulls.shape[1]),
        "identifier_like": identifier_like,
        "leak_suspect": flagged,
        "reason": [" ".join(r) for r in reasons],
    }


def _report(
    X,
    y,
    *,
    estimator,
    cv,
    n_jobs,
    random_state,
    task,
    threshold,
    n_permutations,
    progress,
):
    names, columns, _ = _check_features(X)
    _check_finite(names, columns)
    n_samples = columns[0].values.shape[0]
    task, y_work, classes = _check_target(y, n_samples, task)
    if estimator is not None:
        if task == "classification" and not is_classifier(estimator):
            raise ValueError(
                f"estimator={estimator!r} is not a classifier, but y holds class "
                "labels; give a classifier with predict_proba, or "
                "task='regression' for numbers."
            )
        if task == "regression" and is_classifier(estimator):
            raise ValueError(
                f"estimator={estimator!r} is a classifier, but y holds numbers to "
                "regress; give a regressor, or task='classification' for classes."
            )
        if task == "classification" and not hasattr(estimator, "predict_proba"):
            raise ValueError(
                f"estimator={estimator!r} has no predict_proba, which the ROC AUC "
                "needs; give a classifier with predict_proba."
            )
    fold, n_folds = _folds(cv, y_work, task, n_samples, random_state)
    rng = check_random_state(0 if random_state is None else random_state)
    labels = np.stack(
        [y_work] + [y_work[rng.permutation(n_samples)] for _ in range(n_permutations)]
    )
    spec = {"task": task}
    if task == "classification":
        spec["n_classes"] = classes.size
        spec["max_leaves"] = max(_MIN_LEAVES, 2 * classes.size)
    else:
        spec["max_leaves"] = _MIN_LEAVES
        spec["sst"] = float(((y_work - y_work.mean()) ** 2).sum())
    n_tasks = max(1, min(len(columns), 4 * _n_workers(n_jobs)))
    batches = [list(b) for b in np.array_split(np.arange(len(columns)), n_tasks)]
    batches = [b for b in batches if len(b)]
    parts = run_steps(
        _score_batch,
        [
            ([columns[j] for j in b], estimator, labels, fold, n_folds, spec)
            for b in batches
        ],
        n_jobs=n_jobs,
        progress=progress,
        title=f"scoring {len(columns)} features x {n_folds} folds in",
        unit="batch",
        verb="scored",
        names=[f"(features {b[0]}-{b[-1]})" for b in batches],
    )
    all_scores = np.array([s for part in parts for s in part])
    scores, nulls = all_scores[:, 0], all_scores[:, 1:]
    y_codes = y_work if task == "classification" else None
    ids = [_identifier(c, y_codes) for c in columns]
    if threshold is None:
        threshold = _DEFAULT_THRESHOLD[task]
    flags = _suspects(names, scores, nulls, [why for _, why in ids], task, threshold)
    report = pd.DataFrame(
        {
            "score": scores,
            "null_mean": flags["null_mean"],
            "null_std": flags["null_std"],
            "p_value": flags["p_value"],
            "n_unique": np.array([n for n, _ in ids], dtype=np.int64),
            "identifier_like": flags["identifier_like"],
            "leak_suspect": flags["leak_suspect"],
            "reason": flags["reason"],
        },
        index=pd.Index(names, name="feature"),
    )
    report.attrs["metric"] = "roc_auc_ovr" if task == "classification" else "r2"
    report.attrs["task"] = task
    report.attrs["threshold"] = threshold
    return report


def _n_workers(n_jobs):
    return effective_n_jobs(n_jobs)


_COMMON_PARAMS = {
    "estimator": [HasMethods(["fit", "predict"]), None],
    "cv": ["cv_object"],
    "n_jobs": [Integral, None],
    "random_state": ["random_state"],
    "task": [StrOptions({"auto", "classification", "regression"})],
    "threshold": [Interval(Real, None, None, closed="neither"), None],
    "n_permutations": [Interval(Integral, 2, None, closed="left")],
    "verbose": ["verbose"],
}


@fill_doc
@validate_params(
    {"X": ["array-like", "sparse matrix"], "y": ["array-like"], **_COMMON_PARAMS},
    prefer_skip_nested_validation=False,
)
def leakage_report(
    X,
    y,
    estimator=None,
    cv=5,
    n_jobs=None,
    random_state=None,
    *,
    task="auto",
    threshold=None,
    n_permutations=20,
    verbose=0,
):
    """Score every feature alone, against permuted labels, to find leaks.

    For each feature, a model fitted on that feature alone is scored out of
    fold: ROC AUC (one-vs-rest, macro-averaged over the classes) for
    classification, R2 for regression. The same score on permuted labels
    (``n_permutations`` of them, the same for every feature) is the null: what
    the feature reaches by chance. A feature is a *leak suspect* when it
    predicts the label clearly better than chance and either nearly
    perfectly, or far better than every other feature, or while looking like
    a row identifier (see Notes). Each suspect's ``reason`` says which, in
    words.

    Read more in the :ref:`User Guide <inspection>`.

    Parameters
    ----------
    X : {array-like, dataframe, sparse matrix} of shape (n_samples, n_features)
        Features. DataFrame columns may be numeric, boolean, datetime,
        categorical or strings (strings and categoricals are categories);
        NaN / None is a missing value (see Notes). An array's features are
        named ``x0``, ``x1``, ...

    y : array-like of shape (n_samples,)
        Class labels (any type) or numbers to regress; no missing values.

    estimator : estimator object, default=None
        Model fitted on each feature alone (cloned for every fold and label
        vector): a classifier with ``predict_proba`` (fitted on the class
        codes ``0..K-1``), or a regressor. It receives the feature as one
        float column, categories as their codes in sorted order and missing
        values as NaN. None means a shallow decision tree grown from the
        feature's histogram (see Notes), much faster than any estimator
        fitted row by row.

    cv : int, cross-validation splitter or iterable of splits, default=5
        Folds of the out-of-fold score. An int is the number of folds of a
        ``StratifiedKFold`` (on the classes, or on ten quantile bins of a
        regression target): unshuffled when ``random_state`` is None,
        shuffled with a seed drawn from it otherwise. A splitter or iterable
        must hold every row out exactly once.

    n_jobs : int, default=None
        Number of features scored in parallel.
        %(joblib_context)s
        The result does not depend on it.

    random_state : int, RandomState instance or None, default=None
        Shuffling of the folds (when ``cv`` is an int) and the permutations
        of the labels. None gives unshuffled folds and permutations seeded
        with 0: the same report on every call.

    task : {"auto", "classification", "regression"}, default="auto"
        "auto" decides from ``y`` as scikit-learn's ``type_of_target`` does
        (strings, booleans and whole numbers are classes, other floats a
        regression target), except that whole numbers most of whose distinct
        values occur fewer than 5 times are a regression target (amounts,
        such as the target of ``load_diabetes``).

    threshold : float, default=None
        Score at or above which a predictive feature is a suspect whatever
        the other features reach, in the units of the score (ROC AUC or
        R2). None means 0.995 for classification (fewer than 1 in 200 pairs
        of rows ranked the wrong way) and 0.95 for regression; a value above
        1 turns this rule off.

    n_permutations : int, default=20
        Number of permuted label vectors of the null (at least 2).

    verbose : int, default=0
        Progress on stderr: 0 says nothing, 1 a line before and after the
        scoring, 2 also one line per batch of features as it is scored.

    Returns
    -------
    report : pandas.DataFrame of shape (n_features, 8)
        One row per feature, indexed by the feature names (a DataFrame's
        column names, else ``x0``, ``x1``, ...), in the order of ``X``:

        - ``score``: out-of-fold score of the feature alone;
        - ``null_mean``, ``null_std``: mean and standard deviation of the
          score on permuted labels;
        - ``p_value``: permutation p-value, ``(1 + number of permuted scores
          >= score) / (1 + n_permutations)``;
        - ``n_unique``: number of distinct non-missing values;
        - ``identifier_like``: whether the values look like a row id (see
          Notes);
        - ``leak_suspect``: whether the feature is a leak suspect;
        - ``reason``: why, in sentences (also why an identifier-like
          column is not a suspect); empty otherwise.

        ``report.attrs`` holds the ``task``, the ``metric`` ("roc_auc_ovr"
        or "r2") and the ``threshold`` used.

    See Also
    --------
    LeakageFilter : Drop the suspects found on the training data.

    Notes
    -----
    *The default model.* Each numeric feature is binned as in
    scikit-learn's ``HistGradientBoosting``: one bin per distinct value
    when there are at most 255, else 255 quantile bins (the bin edges are
    computed on all rows; they use no label). A decision tree with at most
    ``max(16, 2 * n_classes)`` leaves (16 for regression) and at least 5
    training rows per leaf is grown on the bins, best first as scikit-learn
    grows a tree with ``max_leaf_nodes``: Gini impurity for classes, squared
    error for numbers. Missing values have a bin of their own, which follows
    at every split the side that fits the training rows best (the larger side
    when the training part has none), or is split off alone. A categorical
    or string feature gets one leaf per category, whose prediction is its
    training frequencies pulled towards the training prior by 5 pseudo-rows
    (an unseen category gets the prior).

    *The rule.* Let ``null_mean``, ``null_std`` and ``null_max`` be those
    of the permuted scores. A feature is *predictive* when ``score >
    null_max`` and ``score >= null_mean + 4 * max(null_std, 0.001)``. Its
    *skill* is ``(score - null_mean) / (1 - null_mean)`` (0 for chance, 1
    for perfect) and its *error* ``max(1 - skill, 0.001)``. A predictive
    feature is a suspect when

    1. ``score >= threshold`` (near perfect alone), or
    2. it is identifier-like, or
    3. it has the lowest error of all features, a skill of at least 0.8,
       and an error at most a fifth of the next best feature's (it stands
       far above every other feature).

    A column is *identifier-like* when it has at least 10 non-missing
    values, at least 3 distinct ones, and (a) its values are whole numbers
    or strings of which at least 95 % are distinct, or (b) at least half
    are distinct and they only increase or only decrease down the rows, or
    (c) for classes, they are whole numbers or strings, at least half are
    distinct and every value of one class comes before every value of the
    next (in the sorted order of the classes, or its reverse).

    On scikit-learn's bundled data sets (iris, wine, breast cancer, digits,
    diabetes) no genuine feature is a suspect, while a planted row id
    sorted by class and a planted copy of the target plus small noise are.
    A genuinely decisive feature (a data set solved by one measurement) is
    flagged too, by rule 1 or 3: read the reason before dropping it.

    References
    ----------
    .. [1] S. Kaufman, S. Rosset, C. Perlich and O. Stitelman, "Leakage in
       data mining: formulation, detection, and avoidance", ACM Transactions
       on Knowledge Discovery from Data, 6(4), 15:1-15:21, 2012.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import load_breast_cancer
    >>> from sklabels.inspection import leakage_report
    >>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    >>> X = X.iloc[:, :5].copy()
    >>> X["record_id"] = np.argsort(np.argsort(y, kind="stable"))  # ids sorted by class
    >>> report = leakage_report(X, y)
    >>> report[["score", "identifier_like", "leak_suspect"]].round(3)
                     score  identifier_like  leak_suspect
    feature
    mean radius      0.900            False         False
    mean texture     0.729            False         False
    mean perimeter   0.921            False         False
    mean area        0.891            False         False
    mean smoothness  0.662            False         False
    record_id        0.902             True          True
    >>> print(report.loc["record_id", "reason"])
    It looks like a row identifier (569 distinct whole numbers or strings in
    569 rows) and yet predicts the label (ROC AUC 0.902 out of fold, against
    0.504 on permuted labels): the rows were probably numbered or ordered by
    the label.
    """
    return _report(
        X,
        y,
        estimator=estimator,
        cv=cv,
        n_jobs=n_jobs,
        random_state=random_state,
        task=task,
        threshold=threshold,
        n_permutations=n_permutations,
        progress=Progress("leakage_report", verbose),
    )


@fill_doc
class LeakageFilter(DocLinkMixin, SelectorMixin, BaseEstimator):
    """Drop the features that leak the label, as found on the training data.

    ``fit(X, y)`` runs :func:`leakage_report` on the training data and
    ``transform`` drops the leak suspects. In a
    :class:`~sklearn.pipeline.Pipeline` the suspects are learned from the
    training part of each split only: the test part is never looked at.

    Read more in the :ref:`User Guide <inspection>`.

    Parameters
    ----------
    threshold : float, default=None
        Score at or above which a predictive feature is a suspect, in the
        units of the score (ROC AUC or R2); None means 0.995 for
        classification and 0.95 for regression, above 1 turns the rule off
        (see :func:`leakage_report`).

    cv : int, cross-validation splitter or iterable of splits, default=5
        Folds of the out-of-fold scores (see :func:`leakage_report`).

    random_state : int, RandomState instance or None, default=None
        Shuffling of the folds and permutations of the labels; None gives
        the same result on every fit.

    estimator : estimator object, default=None
        Model fitted on each feature alone; None means the fast histogram
        tree of :func:`leakage_report`.

    task : {"auto", "classification", "regression"}, default="auto"
        Whether ``y`` holds classes or numbers; "auto" decides from ``y``.

    n_permutations : int, default=20
        Number of permuted label vectors of the null.

    n_jobs : int, default=None
        Number of features scored in parallel.
        %(joblib_context)s

    verbose : int, default=0
        Progress of ``fit`` on stderr (see :func:`leakage_report`).

    Attributes
    ----------
    report_ : pandas.DataFrame of shape (`n_features_in_`, 8)
        :func:`leakage_report` of the training data.

    suspects_ : ndarray of shape (n_suspects,)
        Names of the dropped features (``x0``, ``x1``, ... for an array).

    n_features_in_ : int
        Number of features seen during fit.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during fit, when X has string column names.

    See Also
    --------
    leakage_report : The report behind the filter.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import load_wine
    >>> from sklabels.inspection import LeakageFilter
    >>> X, y = load_wine(return_X_y=True, as_frame=True)
    >>> X["batch"] = y * 10 + np.random.default_rng(0).normal(0, 1, y.size)
    >>> leak = LeakageFilter().fit(X, y)
    >>> leak.suspects_
    array(['batch'], dtype=object)
    >>> leak.transform(X).shape
    (178, 13)
    """

    _parameter_constraints: dict = {
        "threshold": _COMMON_PARAMS["threshold"],
        "cv": _COMMON_PARAMS["cv"],
        "random_state": _COMMON_PARAMS["random_state"],
        "estimator": _COMMON_PARAMS["estimator"],
        "task": _COMMON_PARAMS["task"],
        "n_permutations": _COMMON_PARAMS["n_permutations"],
        "n_jobs": _COMMON_PARAMS["n_jobs"],
        "verbose": _COMMON_PARAMS["verbose"],
    }

    def __init__(
        self,
        threshold=None,
        *,
        cv=5,
        random_state=None,
        estimator=None,
        task="auto",
        n_permutations=20,
        n_jobs=None,
        verbose=0,
    ):
        self.threshold = threshold
        self.cv = cv
        self.random_state = random_state
        self.estimator = estimator
        self.task = task
        self.n_permutations = n_permutations
        self.n_jobs = n_jobs
        self.verbose = verbose

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y=None):
        """Find the leak suspects of the training data.

        Parameters
        ----------
        X : {array-like, dataframe, sparse matrix} of shape (n_samples, n_features)
            Training features.

        y : array-like of shape (n_samples,)
            Training labels or numbers.

        Returns
        -------
        self : object
            Fitted filter.
        """
        validate_data(self, X, y, skip_check_array=True)
        self.report_ = _report(
            X,
            y,
            estimator=self.estimator,
            cv=self.cv,
            n_jobs=self.n_jobs,
            random_state=self.random_state,
            task=self.task,
            threshold=self.threshold,
            n_permutations=self.n_permutations,
            progress=Progress(self, self.verbose),
        )
        self.suspects_ = np.asarray(
            self.report_.index[self.report_["leak_suspect"].to_numpy()], dtype=object
        )
        return self

    def _get_support_mask(self):
        check_is_fitted(self)
        return ~self.report_["leak_suspect"].to_numpy()

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = True
        tags.input_tags.allow_nan = True
        tags.input_tags.sparse = True
        tags.input_tags.string = True
        tags.input_tags.categorical = True
        return tags
