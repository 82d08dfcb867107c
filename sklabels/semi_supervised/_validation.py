"""Checks shared by the estimator, the scorer and the splitter of this package.

They trust nothing: each takes what the user passed and raises a
``TypeError`` / ``ValueError`` that names the argument and the value.
"""

from collections.abc import Mapping, Set
from numbers import Real

import numpy as np
from scipy import sparse

from sklabels.utils._compat import _check_sample_weight, _num_samples, _safe_indexing
from sklabels.utils._validation import check_labels

__all__ = ["check_n_rows", "labeled_rows", "unlabeled_mask"]


def unlabeled_mask(values, missing, unlabeled):
    """Rows of ``values`` marked unlabeled: missing, or equal to ``unlabeled``.

    ``values`` is a 1-D array from ``check_labels`` and ``missing`` its mask
    of None/NaN. A marker of another kind than the labels (``-1`` among
    strings) matches nothing.
    """
    mask = missing.copy()
    if unlabeled is None or (
        isinstance(unlabeled, Real)
        and not isinstance(unlabeled, bool)
        and np.isnan(unlabeled)
    ):
        return mask
    kind = values.dtype.kind
    if kind in "US":
        if isinstance(unlabeled, str):
            mask |= values == unlabeled
    elif kind in "biuf":
        if isinstance(unlabeled, Real):
            mask |= values == unlabeled
    else:  # object: elementwise ==, on the non-missing rows only
        present = ~missing
        mask[present] = np.asarray(values[present] == unlabeled, dtype=bool)
    return mask


def labeled_rows(y, unlabeled, *, input_name="y"):
    """``(values, labeled)``: the labels of ``y`` and the mask of its labeled rows."""
    values, missing = check_labels(y, input_name=input_name, allow_missing=True)
    return values, ~unlabeled_mask(values, missing, unlabeled)


def _shown(value, limit=60):
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def check_n_rows(X, n_labels, *, input_name="X", labels_name="y"):
    """Check that ``X`` is a table of rows, then that it has ``n_labels`` of them.

    The type comes first: a string or a scalar passed as ``X`` is reported as
    such, not as a length mismatch. ``X`` itself is not converted (the wrapped
    classifier validates its values).

    Returns
    -------
    n_samples : int
    """
    is_table = sparse.issparse(X) or hasattr(X, "iloc")
    if not is_table and (
        X is None
        or isinstance(X, (str, bytes, Mapping, Set))
        or not any(hasattr(X, a) for a in ("__len__", "shape", "__array__"))
        or getattr(X, "shape", None) == ()
    ):
        raise TypeError(
            f"{input_name} must be an array-like or sparse matrix with one row per "
            f"sample, got {type(X).__name__} {_shown(X)}. Pass a 2-d array (or "
            "a list of rows, or a DataFrame) with one row per label."
        )
    n_samples = _num_samples(X)
    if n_samples != n_labels:
        raise ValueError(
            f"{input_name} has {n_samples} rows but {labels_name} has {n_labels} "
            f"labels; pass one label per row of {input_name}, in the same order."
        )
    return n_samples


def labeled_score_rows(X, y, unlabeled, sample_weight=None):
    """``(X, y_true, sample_weight)`` of the labeled rows, for ``score``.

    What a classifier that takes unlabeled rows scores on: the rows of ``X``
    whose label in ``y`` is not ``unlabeled`` (nor None / NaN), their labels,
    and their weights. Raises a ValueError when no row is labeled.
    """
    values, labeled = labeled_rows(y, unlabeled)
    check_n_rows(X, values.shape[0])
    keep = np.flatnonzero(labeled)
    if keep.size == 0:
        raise ValueError(
            f"y has no labeled row to score: all {values.shape[0]} rows are "
            f"marked unlabeled (unlabeled={unlabeled!r}, None or NaN). In "
            "cross-validation, pass cv=sklabels.semi_supervised.LabeledKFold("
            "...): its test folds hold labeled rows only."
        )
    if sample_weight is not None:
        sample_weight = _check_sample_weight(
            sample_weight, np.empty((values.shape[0], 0))
        )[keep]
    if keep.size < values.shape[0]:
        X = _safe_indexing(
            X if hasattr(X, "iloc") or sparse.issparse(X) else np.asarray(X), keep
        )
    return X, check_labels(values[keep])[0], sample_weight
