"""Inter-annotator agreement on a label matrix.

Percent agreement, Fleiss' kappa, Gwet's AC1, pairwise Cohen's kappa and
Krippendorff's alpha (nominal, ordinal, interval and ratio levels), each with
an optional percentile bootstrap interval over items.

Every coefficient is a function of sums over items of per-item quantities
(class counts, within-item disagreements). The kernels below compute those
quantities once, vectorised over the whole matrix, and evaluate a coefficient
from a ``(n_replicates, n_items)`` matrix of item weights: a row of ones gives
the point estimate, rows of bootstrap counts give the replicates
(:mod:`sklabels.metrics._bootstrap`). There is no Python loop over items, and
none over replicates except in pairwise Cohen's kappa on sparse input (one
sparse product per replicate).

A sparse label matrix is read as the aggregators read it (a stored value is
the class code plus one; ``sparse_votes`` in ``sklabels.utils._label_matrix``),
as (item, source, label) votes, and the per-item quantities are computed from
the votes with ``bincount`` and sparse products: the cost follows the number
of votes.
"""

import warnings
from numbers import Integral, Real

import numpy as np
import pandas as pd
from pandas.api.types import infer_dtype
from scipy import sparse
from sklearn.exceptions import UndefinedMetricWarning

from sklabels.metrics._bootstrap import bootstrap_interval
from sklabels.utils._compat import Interval, StrOptions, validate_params
from sklabels.utils._docstrings import make_fill_doc
from sklabels.utils._label_matrix import (
    ORDERED_KINDS,
    LabelMatrix,
    label_info,
    sparse_votes,
)

__all__ = [
    "fleiss_kappa",
    "gwet_ac1",
    "krippendorff_alpha",
    "pairwise_cohen_kappa",
    "percent_agreement",
]

# Largest (n_items x n_classes) count matrix kept dense; beyond, scipy.sparse.
_DENSE_COUNTS_MAX = 2**25
# Largest number of float64 entries of one temporary block (32 MiB).
_BLOCK_ENTRIES = 2**22
# float32 holds every integer below 2**24 exactly (weighted counts of items).
_FLOAT32_EXACT_BELOW = 2**24
# Relative size under which an expected disagreement counts as zero (no
# variation among the values, up to rounding).
_NO_VARIATION_RTOL = 1e-12


# --------------------------------------------------------------------------
# Validation at the boundary


def _position(mask, coords=None):
    """``row i, column j`` of the first True entry of a boolean mask.

    The mask is 2-D (a dense matrix), or 1-D over the stored entries of a
    sparse matrix whose ``(rows, columns)`` are ``coords``.
    """
    if coords is None:
        i, j = np.unravel_index(int(np.argmax(mask)), mask.shape)
    else:
        k = int(np.argmax(mask))
        i, j = coords[0][k], coords[1][k]
    return f"row {i}, column {j}"


def _object_to_numeric(arr):
    """Object array of numbers / None / NaN / pd.NA -> int64 or float64 array."""
    flat = arr.ravel()
    kind = infer_dtype(flat, skipna=True)
    if kind not in {"integer", "floating", "mixed-integer-float", "boolean", "empty"}:
        missing = np.asarray(pd.isna(flat), dtype=bool)
        types = sorted({type(v).__name__ for v in flat[~missing]})
        raise TypeError(
            f"L must hold numbers (integer class labels, -1 or NaN for a missing "
            f"label); got values of type(s) {types}. Encode labels as integers "
            "0..K-1 first, for example with sklabels.aggregation.to_label_matrix "
            "(with classes=[...] listing them in order, for an ordered level "
            "of measurement)."
        )
    missing = np.asarray(pd.isna(flat), dtype=bool)
    out = np.full(flat.shape, np.nan)
    out[~missing] = flat[~missing].astype(np.float64)
    if kind in {"integer", "boolean"} and not missing.any():
        return out.astype(np.int64).reshape(arr.shape)
    return out.reshape(arr.shape)


def _as_matrix(L):
    """``L`` as a 2-D int or float ndarray; checks container, shape and kind."""
    if isinstance(L, pd.DataFrame):
        extension = pd.api.extensions.ExtensionDtype
        if any(isinstance(dtype, extension) for dtype in L.dtypes):
            arr = _object_to_numeric(L.to_numpy(dtype=object))
        else:
            arr = L.to_numpy()
    else:
        try:
            arr = np.asarray(L)
        except ValueError as exc:
            raise ValueError(
                "L is ragged: its rows have different lengths. A label matrix "
                "has one row per item and one column per source; mark the "
                "labels a source did not give with -1 (or NaN)."
            ) from exc
    if arr.dtype.kind == "O":
        arr = _object_to_numeric(arr)
    if arr.dtype.kind == "b":
        arr = arr.astype(np.int64)
    if arr.dtype.kind not in "iuf":
        raise TypeError(
            f"L must hold numbers (integer class labels 0..K-1, -1 or NaN for a "
            f"missing label); got an array of dtype {arr.dtype}. Encode labels as "
            "integers first, for example with sklabels.aggregation.to_label_matrix."
        )
    _check_shape(arr.shape)
    if arr.dtype.kind == "f" and arr.dtype != np.float64:
        arr = arr.astype(np.float64)
    return arr


_NUMERIC_KINDS = {"integer", "floating", "mixed-integer-float", "boolean", "empty"}
_TIME_KINDS = {"datetime64", "datetime", "date", "timedelta64", "timedelta", "period"}


def _common_ordered_categories(frame):
    """The categories of a DataFrame whose columns share one ordered categorical."""
    dtypes = set(frame.dtypes)
    if len(dtypes) != 1:
        return None
    (dtype,) = dtypes
    if isinstance(dtype, pd.CategoricalDtype) and dtype.ordered:
        return dtype.categories
    return None


def _encode_labels(L, classes):
    """Non-numeric labels (strings, categoricals) as a :class:`LabelMatrix`.

    Numeric input (and sparse input) is returned unchanged. Strings are coded
    by their position in ``classes`` when given (their order), else in the
    categories of a DataFrame of one ordered categorical, else sorted, which
    is no order (``ordered=False``). None, NaN and ``pd.NA`` are missing.
    """
    if sparse.issparse(L) or isinstance(L, LabelMatrix):
        if classes is not None:
            raise ValueError(
                f"classes={_shown(classes)!r} gives the order of string labels, but L "
                "is already a matrix of class codes; pass L alone (its codes "
                "are read as ordered numbers)."
            )
        return L
    categories = None
    if isinstance(L, pd.DataFrame) and all(
        isinstance(dtype, np.dtype) and dtype.kind in "iufb" for dtype in L.dtypes
    ):
        values = np.zeros((0, 0))  # numbers: no copy
    elif isinstance(L, pd.DataFrame):
        categories = _common_ordered_categories(L)
        values = L.to_numpy(dtype=object)
    else:
        values = np.asarray(L) if hasattr(L, "__array__") else None
        if values is None or values.dtype.kind in "OUS":
            try:
                values = np.asarray(L, dtype=object)
            except ValueError:
                return L  # ragged: _as_matrix names the problem
    kind = "integer"
    if values.dtype.kind in "OUS" and values.ndim == 2:
        flat = values.ravel()
        missing = np.asarray(pd.isna(flat), dtype=bool)
        kind = infer_dtype(flat[~missing], skipna=True)
    if kind in _NUMERIC_KINDS:
        if classes is not None:
            raise ValueError(
                f"classes={_shown(classes)!r} gives the order of string labels, but "
                "L holds numbers (class codes or measurements), which are read "
                "as they are; do not pass classes."
            )
        return L
    if kind.startswith("mixed"):
        types = sorted({type(v).__name__ for v in flat[~missing]})
        raise TypeError(
            f"L must hold numbers (class codes) or labels of one kind (strings); "
            f"got values of type(s) {types}. Convert them to one type first."
        )
    if classes is not None:
        index = pd.Index(classes)
        if not index.is_unique:
            dup = index[index.duplicated()][0]
            raise ValueError(
                f"classes holds {dup!r} more than once; list each class once, "
                "lowest first."
            )
        codes = index.get_indexer(flat)
        unknown = (codes < 0) & ~missing
        if unknown.any():
            raise ValueError(
                f"L holds the label {flat[unknown][0]!r} at "
                f"{_position(unknown.reshape(values.shape))}, which is not in "
                f"classes={_shown(classes)!r}; list every class."
            )
        return LabelMatrix(codes.reshape(values.shape), np.asarray(index), True)
    if categories is not None:
        codes = categories.get_indexer(flat)
        return LabelMatrix(codes.reshape(values.shape), np.asarray(categories), True)
    codes, uniques = pd.factorize(flat, sort=True, use_na_sentinel=True)
    uniques = np.asarray(uniques, dtype=object)
    ordered = infer_dtype(uniques, skipna=True) in ORDERED_KINDS
    return LabelMatrix(codes.reshape(values.shape), uniques, ordered)


def _shown(classes):
    """``classes`` as a short list of plain values (``'a'``, not ``np.str_('a')``)."""
    items = classes.tolist() if hasattr(classes, "tolist") else list(classes)
    return items[:10] + (["..."] if len(items) > 10 else [])


def _check_shape(shape):
    if len(shape) != 2:
        raise ValueError(
            "L must be a 2-D label matrix of shape (n_items, n_sources); got an "
            f"array of shape {shape}."
        )
    if shape[0] == 0 or shape[1] == 0:
        raise ValueError(
            f"L is empty (shape {shape}); agreement needs at least one item "
            "(row) and two sources (columns)."
        )
    if shape[1] < 2:
        raise ValueError(
            f"L has a single source (shape {shape}); agreement needs at "
            "least two sources (columns). Sources are columns: pass the matrix "
            "with one row per item, not its transpose."
        )


def _sparse_votes(L, n_classes, real=False):
    """The labels of a sparse label matrix: ``(rows, cols, codes or values)``.

    Read as the aggregators read it (:func:`sparse_votes`): a stored ``v``
    is the code ``v - 1``, absent entries and stored zeros are no label.
    Nothing is densified.
    """
    _check_shape(tuple(int(n) for n in L.shape))
    return sparse_votes(L, n_classes=n_classes, real=real, row_major=False)


def _vote_counts(rows, codes, n_items, n_values):
    """Per-item class counts from the votes, shape (n_items, V); dense or CSR.

    Dense counts are column-major, as in :func:`_item_counts`.
    """
    if n_items * n_values <= _DENSE_COUNTS_MAX:
        counts = np.bincount(codes * n_items + rows, minlength=n_items * n_values)
        return counts.reshape(n_values, n_items).T.astype(np.float64)
    return sparse.csr_matrix(
        (np.ones(rows.size), (rows, codes)), shape=(n_items, n_values)
    )


def _keep_votes(keep, rows, *columns):
    """The votes of the items where ``keep``, their rows renumbered 0..."""
    if keep.all():
        return (rows, *columns)
    selected = keep[rows]
    renumber = np.cumsum(keep) - 1
    return (renumber[rows[selected]], *(c[selected] for c in columns))


def _whole_labels(arr):
    """True when a float array holds only whole numbers in -1..2**53, and NaN.

    Reductions that skip NaN (``np.fmin``, ``np.fmax``): no copy of the
    present values.
    """
    low, high = np.fmin.reduce(arr, axis=None), np.fmax.reduce(arr, axis=None)
    if np.isnan(high):  # every label missing
        return True
    if not (-1 <= low and high <= 2**53):  # also False for inf
        return False
    return np.fmax.reduce(arr - np.floor(arr), axis=None) == 0


def _label_codes(arr, n_classes):
    """Class codes of a numeric label matrix: int64, ``-1`` for a missing label.

    Returns the codes and the largest label (-1 when every label is missing).
    """
    if arr.size == 0:
        return arr.astype(np.int64), -1
    if arr.dtype.kind == "f" and _whole_labels(arr):
        codes = np.fmax(arr, -1.0).astype(np.int64)  # NaN (missing) -> -1
    elif arr.dtype.kind == "f":  # something to report
        if np.isinf(arr).any():
            bad = np.isinf(arr)
            raise ValueError(
                f"L holds {arr[bad][0].item()!r} at {_position(bad)}; "
                "labels must be finite (NaN or -1 mark a missing label)."
            )
        filled = np.where(np.isnan(arr), -1.0, arr)
        fractional = filled != np.floor(filled)
        if fractional.any():
            raise ValueError(
                f"L must hold integer class labels 0..K-1 (-1 or NaN for a "
                f"missing label); got {filled[fractional][0].item()!r} at "
                f"{_position(fractional)}. Non-integer values are allowed only "
                'by krippendorff_alpha at level="interval" or "ratio".'
            )
        too_big = filled > 2**53
        if too_big.any():
            raise ValueError(
                f"L holds {filled[too_big][0].item()!r} at "
                f"{_position(too_big)}; labels must be class codes 0..K-1."
            )
        codes = filled.astype(np.int64)
    else:
        codes = arr.astype(np.int64, copy=False)
    low = int(codes.min())
    if low < -1:
        bad = codes < -1
        raise ValueError(
            f"L holds {low} at {_position(codes == low)} ({int(bad.sum())} "
            "value(s) below -1); labels must be class codes 0..K-1, with -1 "
            "marking a missing label."
        )
    high = int(codes.max())
    if n_classes is not None and high >= n_classes:
        bad = codes >= n_classes
        raise ValueError(
            f"L holds label {high} at {_position(codes == high)} "
            f"({int(bad.sum())} value(s) >= n_classes), but n_classes="
            f"{n_classes}: labels must lie in 0..{n_classes - 1} (-1 for a "
            "missing label)."
        )
    return codes, high


def _compact_codes(codes, n_classes):
    """Renumber the classes that occur as 0..V-1 (order kept); -1 stays -1.

    Returns the renumbered codes and the original code of each of the V
    classes (sorted). Classes that never occur change none of the
    coefficients except through their number (Gwet's AC1), which the caller
    keeps.
    """
    if n_classes <= 4 * codes.size + 1024:
        counts = np.bincount((codes + 1).ravel(), minlength=n_classes + 1)[1:]
        present = np.flatnonzero(counts)
        if present.size == n_classes:
            return codes, present
        table = np.full(n_classes + 1, -1, dtype=np.int64)
        table[present + 1] = np.arange(present.size)
        return table[codes + 1], present
    valid = codes >= 0
    present = np.unique(codes[valid])
    dense = np.full(codes.shape, -1, dtype=np.int64)
    dense[valid] = np.searchsorted(present, codes[valid])
    return dense, present


def _item_counts(codes, n_values):
    """Per-item class counts, shape (n_items, n_values); dense or CSR.

    Dense counts are column-major (one contiguous column per class): with
    few classes, numpy's row-wise operations on them are many times faster.
    """
    n_items = codes.shape[0]
    if n_items * (n_values + 1) <= _DENSE_COUNTS_MAX:
        width = n_values + 1  # class -1 (missing) first, dropped
        idx = codes * n_items  # one temporary: bin (code + 1) * n_items + item
        idx += np.arange(n_items, n_items * 2)[:, np.newaxis]
        counts = np.bincount(idx.ravel(), minlength=n_items * width)
        return counts.reshape(width, n_items)[1:].T.astype(np.float64)
    rows, cols = np.nonzero(codes >= 0)
    return sparse.csr_matrix(
        (np.ones(rows.size), (rows, codes[rows, cols])), shape=(n_items, n_values)
    )


def _take_rows(counts, rows):
    """Rows of dense (column-major, kept so) or sparse counts."""
    if sparse.issparse(counts):
        return counts[rows]
    return np.asfortranarray(counts[rows])


def _row_sum_sq(counts):
    """Sum of squares of each row of a dense or sparse matrix."""
    if sparse.issparse(counts):
        return np.asarray(counts.multiply(counts).sum(axis=1)).ravel()
    return np.einsum("ij,ij->i", counts, counts)


def _weighted_rows(weights, counts):
    """``weights @ counts`` as a dense array, for dense or sparse ``counts``."""
    if sparse.issparse(counts):
        return np.asarray((counts.T @ weights.T).T)
    return weights @ counts


def _scale_rows(counts, scale):
    if sparse.issparse(counts):
        return sparse.csr_matrix(counts.multiply(scale[:, np.newaxis]))
    return counts * scale[:, np.newaxis]


class _Labels:
    """A validated label matrix and the per-item class counts of its items.

    A dense matrix keeps its ``codes`` (n_items, n_sources); a sparse one
    keeps its ``votes`` ``(rows, cols, codes)``, one per label given.
    """

    def __init__(self, L, n_classes):
        self.codes = self.votes = self._counts = None
        if n_classes is None and label_info(L) is not None:
            n_classes = max(L.classes.size, 1)  # every class of the scale
        if sparse.issparse(L):
            self._init_votes(L, n_classes)
            return
        codes, high = _label_codes(_as_matrix(L), n_classes)
        self.shape = codes.shape
        self.n_classes = n_classes if n_classes is not None else max(high + 1, 1)
        width = max(high + 1, 1)
        if self.shape[0] * (width + 1) <= _DENSE_COUNTS_MAX:
            # Count once, then drop the classes nobody used.
            counts = _item_counts(codes, width)
            self._set_counts(counts, codes, offset=1)
        else:
            self.codes, self.classes = _compact_codes(codes, width)
            n_labels = np.count_nonzero(self.codes >= 0, axis=1)
            self.n_labels = n_labels.astype(np.float64)

    def _set_counts(self, counts, codes, offset):
        """Keep the columns of the classes used; renumber ``codes`` to match.

        ``offset`` is 1 when ``codes`` holds -1 for a missing label.
        """
        present = counts.sum(axis=0) > 0
        self.classes = np.flatnonzero(present)
        if not present.all():  # renumber the classes used 0..V-1
            counts = counts[:, present]
            table = np.cumsum(present) - 1
            codes = (np.r_[-1, table] if offset else table)[codes + offset]
        self._counts, self.n_labels = counts, counts.sum(axis=1)
        if offset:
            self.codes = codes
        return codes

    def _init_votes(self, L, n_classes):
        """From the votes of a sparse matrix: one pass to count them by item."""
        self.shape = tuple(int(n) for n in L.shape)
        rows, cols, codes = _sparse_votes(L, n_classes)
        high = int(codes.max()) if codes.size else -1
        self.n_classes = n_classes if n_classes is not None else max(high + 1, 1)
        n_items, width = self.shape[0], max(high + 1, 1)
        if n_items * width <= _DENSE_COUNTS_MAX:
            counts = _vote_counts(rows, codes, n_items, width)
            codes = self._set_counts(counts, codes, offset=0)
        else:
            codes, self.classes = _compact_codes(codes, width)
            n_labels = np.bincount(rows, minlength=n_items)
            self.n_labels = n_labels.astype(np.float64)
        self.votes = (rows, cols, codes)

    def counts(self, min_labels):
        """Counts (n_kept, V) and label numbers of the items with enough labels."""
        keep = self.n_labels >= min_labels
        kept_all = keep.all()
        n_values = self.classes.size
        if self._counts is not None:
            counts = self._counts if kept_all else _take_rows(self._counts, keep)
        elif self.votes is None:
            counts = _item_counts(self.codes[keep], n_values)
        else:
            rows, _, codes = self.votes
            rows, codes = _keep_votes(keep, rows, codes)
            counts = _vote_counts(rows, codes, int(keep.sum()), n_values)
        return counts, self.n_labels if kept_all else self.n_labels[keep]


# --------------------------------------------------------------------------
# Kernels: trust their input. Each ``*_from_weights`` takes a (b, n_items)
# matrix of item weights and returns the coefficient of every row.


def _pair_agreement(counts, n_labels):
    """Per item: the fraction of agreeing pairs among its labels (0 below 2)."""
    numerator = _row_sum_sq(counts) - n_labels
    denominator = n_labels * (n_labels - 1)
    return np.divide(
        numerator, denominator, out=np.zeros_like(numerator), where=denominator > 0
    )


class _ChanceCorrected:
    """Observed agreement and class prevalences behind Fleiss' kappa and AC1.

    Items are those with at least one label. ``pa`` averages the pair
    agreement over the items with two labels or more; ``pi[k]`` averages the
    share of class ``k`` among each item's labels over all the items.
    """

    def __init__(self, counts, n_labels):
        self.agree = _pair_agreement(counts, n_labels)
        self.pairable = (n_labels >= 2).astype(np.float64)
        self.shares = _scale_rows(counts, 1.0 / n_labels)

    def __call__(self, weights):
        with np.errstate(invalid="ignore", divide="ignore"):
            pa = (weights @ self.agree) / (weights @ self.pairable)
        pi = _weighted_rows(weights, self.shares) / weights.sum(axis=1)[:, np.newaxis]
        return pa, pi


def _kappa_like(pa, pe):
    """``(pa - pe) / (1 - pe)``; NaN where ``pe == 1`` or ``pa`` is NaN."""
    denominator = 1.0 - pe
    return np.divide(
        pa - pe,
        denominator,
        out=np.full_like(pa, np.nan),
        where=(denominator > 0) & ~np.isnan(pa),
    )


def _fleiss_from_weights(stats, weights):
    pa, pi = stats(weights)
    return _kappa_like(pa, np.einsum("bk,bk->b", pi, pi))


def _ac1_from_weights(stats, n_classes, weights):
    pa, pi = stats(weights)
    return _kappa_like(pa, np.einsum("bk,bk->b", pi, 1.0 - pi) / (n_classes - 1))


def _percent_from_weights(agree, weights):
    return (weights @ agree) / weights.sum(axis=1)


class _PairwiseCohen:
    """Cohen's kappa of every pair of sources, for each row of item weights.

    For the pair (s, t), over the items both labelled (weighted):
    ``kappa = (N * agree - sum_k a_k b_k) / (N**2 - sum_k a_k b_k)``, with
    ``N`` items, ``agree`` equal labels, and ``a_k`` (``b_k``) labels ``k``
    from ``s`` (``t``); NaN where undefined (no item, or ``p_e = 1``).

    Bootstrap weights are whole numbers summing to ``n_items``, so every
    weighted count is an integer of at most ``n_items``: below 2**24 items
    the matrix products run exactly in float32, about twice as fast.
    """

    def __init__(self, codes, n_values):
        n_items, n_sources = codes.shape
        self.codes = codes
        self.dtype = np.float32 if n_items < _FLOAT32_EXACT_BELOW else np.float64
        self.labelled = (codes >= 0).astype(self.dtype)
        onehot = codes[:, np.newaxis, :] == np.arange(n_values)[:, np.newaxis]
        self.onehot_t = np.ascontiguousarray(
            onehot.reshape(n_items, n_values * n_sources).T, dtype=self.dtype
        )
        self.n_values = n_values
        self.same = None  # (n_items, S * S) indicator of equal labels, if small
        if n_items * n_sources * n_sources <= 2 * _BLOCK_ENTRIES:
            self.same = self._same(codes)

    def _same(self, codes):
        same = (codes[:, :, np.newaxis] == codes[:, np.newaxis, :]) & (codes >= 0)[
            :, :, np.newaxis
        ]
        return same.reshape(codes.shape[0], codes.shape[1] ** 2).astype(self.dtype)

    def __call__(self, weights):
        n_items, n_sources = self.codes.shape
        b = weights.shape[0]
        w = weights.astype(self.dtype)
        # marginal[r, k, s, t] = sum_i w_ri [L_is = k] [L_it labelled]
        weighted = w.T[:, :, np.newaxis] * self.labelled[:, np.newaxis, :]
        marginal = self.onehot_t @ weighted.reshape(n_items, b * n_sources)
        marginal = marginal.astype(np.float64).reshape(
            self.n_values, n_sources, b, n_sources
        )
        marginal = marginal.transpose(2, 0, 1, 3)
        total = marginal.sum(axis=1)  # items labelled by both
        chance = np.einsum("rkst,rkts->rst", marginal, marginal)
        # agree[r, s, t] = sum_i w_ri [L_is = L_it >= 0]
        if self.same is not None:
            agree = w @ self.same
        else:
            agree = np.zeros((b, n_sources * n_sources), dtype=self.dtype)
            step = max(1, _BLOCK_ENTRIES // (n_sources * n_sources))
            for start in range(0, n_items, step):
                block = self._same(self.codes[start : start + step])
                agree += w[:, start : start + step] @ block
        agree = agree.astype(np.float64).reshape(b, n_sources, n_sources)
        denominator = total * total - chance
        return np.divide(
            total * agree - chance,
            denominator,
            out=np.full_like(total, np.nan),
            where=denominator > 0,
        )


class _SparsePairwiseCohen:
    """:class:`_PairwiseCohen` from the votes of a sparse label matrix.

    The same sums, as sparse products whose cost follows the number of
    votes: ``marginal = O.T @ W B`` and ``agree = sum_k O_k.T @ W O_k``, with
    ``O`` the (item, (class, source)) indicator of the votes, ``O_k`` its
    block of class ``k``, ``B`` the (item, source) indicator of a label and
    ``W`` the item weights. One product per bootstrap replicate.
    """

    def __init__(self, rows, cols, codes, n_items, n_sources, n_values):
        ones = np.ones(rows.size)
        self.onehot = sparse.csc_matrix(
            (ones, (rows, codes * n_sources + cols)),
            shape=(n_items, n_values * n_sources),
        )
        self.labelled = sparse.csr_matrix(
            (ones, (rows, cols)), shape=(n_items, n_sources)
        )
        self.onehot_t = self.onehot.T.tocsr()
        self.n_sources, self.n_values = n_sources, n_values

    def _one(self, w):
        n_sources, n_values = self.n_sources, self.n_values
        scale = sparse.diags(w)
        marginal = (self.onehot_t @ (scale @ self.labelled)).toarray()
        marginal = marginal.reshape(n_values, n_sources, n_sources)
        total = marginal.sum(axis=0)
        chance = np.einsum("kst,kts->st", marginal, marginal)
        weighted = (scale @ self.onehot).tocsc()
        agree = np.zeros((n_sources, n_sources))
        for k in range(n_values):  # a loop over classes
            block = slice(k * n_sources, (k + 1) * n_sources)
            agree += (self.onehot_t[block] @ weighted[:, block]).toarray()
        denominator = total * total - chance
        return np.divide(
            total * agree - chance,
            denominator,
            out=np.full_like(total, np.nan),
            where=denominator > 0,
        )

    def __call__(self, weights):
        return np.stack([self._one(w) for w in weights])


# Krippendorff's alpha. With n pairable values, the observed disagreement sums
# q_u over the units (items), q_u = sum over ordered pairs of values of unit u
# of d / (m_u - 1), and alpha = 1 - (n - 1) * sum_u q_u / sum_ck n_c n_k d_ck.


class _AlphaData:
    """The pairable items of validated reliability data.

    ``counts`` (n_items, V): how many values of each of the V distinct values
    ``domain`` (sorted) each item holds, dense or CSR; None for non-integer
    data at the interval level, which works on ``values``: the NaN-padded
    value matrix, built on demand from the codes when not given. Sparse
    input gives ``votes`` instead of a matrix: ``(rows, x)``, the item and
    the value of each value given (``codes`` then holds one code per vote).
    """

    votes = None

    @classmethod
    def from_votes(cls, rows, codes, domain, x, n_items):
        """The pairable items of the votes ``(rows, codes or x)`` of a sparse L."""
        self = cls.__new__(cls)
        n_values = np.bincount(rows, minlength=n_items).astype(np.float64)
        keep = n_values >= 2
        n_kept = int(keep.sum())
        if codes is not None:
            rows, codes = _keep_votes(keep, rows, codes)
            self.counts = _vote_counts(rows, codes, n_kept, domain.size)
            x = domain[codes]
        else:
            rows, x = _keep_votes(keep, rows, x)
            self.counts = None
        self.codes, self.domain, self._values = codes, domain, None
        self.n_values, self.votes = n_values[keep], (rows, x)
        return self

    def __init__(self, codes, domain, values):
        if codes is not None:
            counts = _item_counts(codes, domain.size)
            n_values = np.asarray(counts.sum(axis=1), dtype=np.float64).ravel()
        else:
            counts = None
            n_values = np.count_nonzero(~np.isnan(values), axis=1).astype(np.float64)
        keep = n_values >= 2
        if not keep.all():
            rows = np.flatnonzero(keep)
            counts = None if counts is None else _take_rows(counts, rows)
            codes = None if codes is None else codes[rows]
            values = None if values is None else values[rows]
            n_values = n_values[rows]
        self.counts, self.codes, self.domain = counts, codes, domain
        self._values, self.n_values = values, n_values

    @property
    def values(self):
        if self._values is None:
            self._values = np.where(
                self.codes >= 0, self.domain[np.maximum(self.codes, 0)], np.nan
            )
        return self._values


def _alpha(n_values, observed, expected, scale):
    """``1 - (n - 1) * observed / expected``; NaN where there is no variation."""
    defined = expected > _NO_VARIATION_RTOL * scale
    return np.subtract(
        1.0,
        (n_values - 1.0) * observed / np.where(defined, expected, 1.0),
        out=np.full_like(observed, np.nan),
        where=defined,
    )


def _near_mean(domain, weight=None):
    """The value of ``domain`` closest to its (``weight``-ed) mean."""
    mean = domain.mean() if weight is None else (domain @ weight) / weight.sum()
    return domain[np.argmin(np.abs(domain - mean))]


class _IntervalAlpha:
    """Interval alpha, ``d(c, k) = (c - k)**2``, from per-unit sums.

    Per unit: ``q_u = 2 * (m_u * sum x**2 - (sum x)**2) / (m_u - 1)``. Values
    are shifted by a value near the mean (exactly 0 when all are equal); for
    whole numbers, and the half-integer mid-ranks of the ordinal level, every
    sum is exact.
    """

    def __init__(self, n_values, s1, s2, c1, c2):
        observed = 2.0 * (n_values * s2 - s1 * s1) / (n_values - 1.0)
        self.sums = np.column_stack([n_values, observed, c1, c2])

    @classmethod
    def from_counts(cls, counts, domain, n_values):
        shift = _near_mean(domain, np.asarray(counts.sum(axis=0)).ravel())
        x = domain - shift
        s1 = np.asarray(counts @ x).ravel()
        s2 = np.asarray(counts @ (x * x)).ravel()
        return cls(n_values, s1, s2, s1, s2)

    @classmethod
    def from_votes(cls, rows, x, n_values):
        n_items = n_values.size
        # Within a unit, shift by one of its values: exact 0 for equal values.
        first = np.empty(n_items)
        first[rows[::-1]] = x[::-1]
        shifted = x - first[rows]
        s1 = np.bincount(rows, weights=shifted, minlength=n_items)
        s2 = np.bincount(rows, weights=shifted * shifted, minlength=n_items)
        centered = x - _near_mean(x)
        c1 = np.bincount(rows, weights=centered, minlength=n_items)
        c2 = np.bincount(rows, weights=centered * centered, minlength=n_items)
        return cls(n_values, s1, s2, c1, c2)

    @classmethod
    def from_values(cls, values, n_values):
        valid = ~np.isnan(values)
        # Within a unit, shift by one of its values: exact 0 for equal values.
        first = values[np.arange(values.shape[0]), np.argmax(valid, axis=1)]
        shifted = np.where(valid, values - first[:, np.newaxis], 0.0)
        s1 = shifted.sum(axis=1)
        s2 = np.einsum("ij,ij->i", shifted, shifted)
        # Across units, shift by a value near the overall mean.
        centered = np.where(valid, values - _near_mean(values[valid]), 0.0)
        c1 = centered.sum(axis=1)
        return cls(n_values, s1, s2, c1, np.einsum("ij,ij->i", centered, centered))

    def __call__(self, weights):
        n, observed, c1, c2 = (weights @ self.sums).T
        return _alpha(n, observed, 2.0 * (n * c2 - c1 * c1), 2.0 * n * c2)


class _NominalAlpha:
    """Nominal alpha, ``d(c, k) = [c != k]``."""

    def __init__(self, data):
        counts, n_values = data.counts, data.n_values
        self.counts = counts
        observed = (n_values * n_values - _row_sum_sq(counts)) / (n_values - 1.0)
        self.sums = np.column_stack([n_values, observed])

    def __call__(self, weights):
        n, observed = (weights @ self.sums).T
        marginals = _weighted_rows(weights, self.counts)
        expected = n * n - np.einsum("bv,bv->b", marginals, marginals)
        return _alpha(n, observed, expected, n * n)


def _midranks(marginals):
    """Ordinal positions ``sum_{g < c} n_g + n_c / 2`` of each value ``c``."""
    return np.cumsum(marginals, axis=-1) - marginals / 2.0


class _OrdinalAlpha:
    """Ordinal alpha. Krippendorff's ordinal distance is the squared difference
    of the values' mid-ranks ``M_c = sum_{g < c} n_g + n_c / 2``, so ordinal
    alpha is the interval alpha of the mid-ranks; they depend on the
    marginals ``n_g``, hence on the bootstrap replicate."""

    def __init__(self, data):
        self.counts, self.n_values = data.counts, data.n_values

    def point(self):
        ranks = _midranks(np.asarray(self.counts.sum(axis=0)).ravel())
        interval = _IntervalAlpha.from_counts(self.counts, ranks, self.n_values)
        return interval(np.ones((1, self.n_values.size)))

    def __call__(self, weights):
        m = self.n_values
        n = weights @ m
        marginals = _weighted_rows(weights, self.counts)
        ranks = _midranks(marginals)  # (b, V)
        s1 = np.asarray(self.counts @ ranks.T)  # (n_items, b)
        s2 = np.asarray(self.counts @ (ranks * ranks).T)
        per_item = (m[:, np.newaxis] * s2 - s1 * s1) * (2.0 / (m - 1.0))[:, np.newaxis]
        observed = np.einsum("bi,ib->b", weights, per_item)
        c1 = np.einsum("bv,bv->b", marginals, ranks)
        c2 = np.einsum("bv,bv->b", marginals, ranks * ranks)
        return _alpha(n, observed, 2.0 * (n * c2 - c1 * c1), 2.0 * n * c2)


def _ratio_distance(a, b):
    """``((a - b) / (a + b))**2``, 0 where ``a + b == 0`` (NaN stays NaN)."""
    total = a + b
    with np.errstate(invalid="ignore", divide="ignore"):
        d = ((a - b) / total) ** 2
    return np.where(total == 0, 0.0, d)


def _ratio_expected(marginals, domain):
    """``sum_ck n_c n_k d(c, k)`` for each row of marginals, by blocks of rows."""
    out = np.zeros(marginals.shape[0])
    step = max(1, _BLOCK_ENTRIES // domain.size)
    for start in range(0, domain.size, step):
        block = _ratio_distance(domain[start : start + step, np.newaxis], domain)
        out += np.einsum(
            "bc,bc->b", marginals[:, start : start + step], marginals @ block.T
        )
    return out


def _ratio_within_votes(rows, x, n_items):
    """Per unit, the sum of the ratio distances of its ordered pairs of values.

    Enumerates the pairs of each unit's values: ``sum_u m_u**2`` of them.
    """
    order = np.argsort(rows, kind="stable")
    rows, x = rows[order], x[order]
    m = np.bincount(rows, minlength=n_items)
    start = np.cumsum(m) - m
    within = np.zeros(n_items)
    step = max(1, _BLOCK_ENTRIES // max(1, int(m.max(initial=1))))
    for lo in range(0, rows.size, step):  # blocks of votes, each with its partners
        block = np.arange(lo, min(lo + step, rows.size))
        reps = m[rows[block]]
        left = np.repeat(block, reps)
        offset = np.arange(left.size) - np.repeat(np.cumsum(reps) - reps, reps)
        right = start[rows[left]] + offset
        d = _ratio_distance(x[left], x[right])
        within += np.bincount(rows[left], weights=d, minlength=n_items)
    return within


class _RatioAlpha:
    """Ratio alpha, ``d(c, k) = ((c - k) / (c + k))**2``."""

    def __init__(self, data):
        counts, domain, n_values = data.counts, data.domain, data.n_values
        self.counts, self.domain = counts, domain
        if data.votes is not None:
            within = self._within_votes(data)
            self.sums = np.column_stack([n_values, within / (n_values - 1.0)])
            return
        n_sources = data.values.shape[1] if data.codes is None else data.codes.shape[1]
        if not sparse.issparse(counts) and domain.size <= n_sources:
            distance = _ratio_distance(domain[:, np.newaxis], domain)
            within = np.einsum("ij,ij->i", counts @ distance, counts)
        else:  # many distinct values: sum over the pairs of sources of each unit
            values = data.values
            within = np.empty(values.shape[0])
            step = max(1, _BLOCK_ENTRIES // (n_sources * n_sources))
            for start in range(0, values.shape[0], step):
                block = values[start : start + step]
                d = _ratio_distance(block[:, :, np.newaxis], block[:, np.newaxis, :])
                within[start : start + step] = np.nansum(d, axis=(1, 2))
        self.sums = np.column_stack([n_values, within / (n_values - 1.0)])

    @staticmethod
    def _within_votes(data):
        counts, domain = data.counts, data.domain
        rows, x = data.votes
        if domain.size * domain.size <= rows.size:  # few values: through counts
            distance = _ratio_distance(domain[:, np.newaxis], domain)
            if sparse.issparse(counts):
                product = counts @ distance
                return np.asarray(counts.multiply(product).sum(axis=1)).ravel()
            return np.einsum("ij,ij->i", counts @ distance, counts)
        return _ratio_within_votes(rows, x, data.n_values.size)

    def __call__(self, weights):
        n, observed = (weights @ self.sums).T
        marginals = _weighted_rows(weights, self.counts)
        return _alpha(n, observed, _ratio_expected(marginals, self.domain), 0.0)


def _nominal_kernel(data):
    return _NominalAlpha(data), None


def _ordinal_kernel(data):
    kernel = _OrdinalAlpha(data)
    return kernel, kernel.point


def _interval_kernel(data):
    if data.counts is None and data.votes is not None:
        return _IntervalAlpha.from_votes(*data.votes, data.n_values), None
    if data.counts is None:
        return _IntervalAlpha.from_values(data.values, data.n_values), None
    return _IntervalAlpha.from_counts(data.counts, data.domain, data.n_values), None


def _ratio_kernel(data):
    return _RatioAlpha(data), None


_ALPHA_KERNELS = {
    "nominal": _nominal_kernel,
    "ordinal": _ordinal_kernel,
    "interval": _interval_kernel,
    "ratio": _ratio_kernel,
}


def _check_order(L, level):
    """Refuse an ordered level on a label matrix whose class order was not given.

    Only a :class:`LabelMatrix` (from ``to_label_matrix``) knows whether its
    codes follow an order of the labels; the ratio level also needs numbers.
    """
    if level == "nominal" or label_info(L) is None:
        return
    classes = _shown(L.classes)
    if not L.ordered:
        raise ValueError(
            f"krippendorff_alpha(level={level!r}) needs the order of the labels, "
            "but it was not given: the labels of L would be ranked in sorted "
            f"(for strings, alphabetical) order {classes!r}. Give their order, "
            "lowest first: classes=[...] here or "
            "in to_label_matrix(data, ..., classes=[...]), or make the labels an "
            'ordered pandas Categorical; or use level="nominal".'
        )
    kind = infer_dtype(L.classes, skipna=True)
    if level != "ordinal" and kind in _TIME_KINDS:
        raise ValueError(
            f"krippendorff_alpha(level={level!r}) measures differences of numbers, "
            f"but L's classes are {kind} values {classes!r}, coded by rank. "
            'Convert them to numbers first (for example days), or use level="ordinal".'
        )
    if level == "ratio" and not L.numeric_classes:
        raise ValueError(
            f'krippendorff_alpha(level="ratio") needs numeric labels with a true '
            f'zero, but L\'s classes are {classes!r}. Use level="ordinal" (or '
            '"interval", which spaces the classes evenly).'
        )


def _label_values(L, n_classes):
    """The values of the classes of a label matrix with numeric classes.

    The codes of ``to_label_matrix`` index ``L.classes``; at the interval and
    ratio levels the numbers measured are the classes (ratings 1, 2, 5), not
    their codes (0, 1, 2). A float matrix, NaN for a missing value.
    """
    codes, high = _label_codes(_as_matrix(L), n_classes)
    if high >= L.classes.size:
        raise ValueError(
            f"L holds the class code {high} at {_position(codes == high)}, but has "
            f"only {L.classes.size} classes {_shown(L.classes)!r}; it is no "
            "longer the label matrix to_label_matrix returned. Rebuild it, or "
            "pass np.asarray(L) to read its codes as numbers."
        )
    values = np.asarray(L.classes, dtype=np.float64)
    return np.where(codes >= 0, values[np.maximum(codes, 0)], np.nan)


def _float_codes(x, locate, level, n_classes, stored=False):
    """Check the present values of float data; say how to code them.

    ``x`` is the float matrix, NaN missing (or the 1-D stored values of a
    sparse one); the checks skip NaN without copying the present values
    (``np.fmin`` / ``np.fmax`` ignore NaN). ``locate(mask)`` names where the
    first True entry of a mask over ``x`` lies. ``stored`` when ``x`` holds
    the values of a sparse matrix (stored values minus one).

    Returns ``("whole", low, high)`` for whole numbers in a short range (code
    them as ``value - low``), ``("values", None, None)`` for other data at the
    interval level (no codes), else ``("unique", None, None)``: code the
    sorted distinct values.
    """
    low = np.fmin.reduce(x, axis=None) if x.size else np.nan
    high = np.fmax.reduce(x, axis=None) if x.size else np.nan
    if np.isinf(low) or np.isinf(high):
        bad = np.isinf(x)
        raise ValueError(
            f"L holds {x[bad][0].item()!r} at {locate(bad)}; values must be "
            "finite (NaN marks a missing value)."
        )
    present = not np.isnan(low)
    if not present:
        low = high = 0.0
    fraction = np.fmax.reduce(x - np.floor(x), axis=None) if present else 0.0
    whole = fraction == 0
    if n_classes is not None and not (whole and low >= 0 and high < n_classes):
        bad = (x != np.floor(x)) | (x < 0) | (x >= n_classes)
        bad &= ~np.isnan(x)
        raise ValueError(
            f"L holds {x[bad][0].item()!r} at {locate(bad)}, but with "
            f"n_classes={n_classes} every value must be an integer in "
            f"0..{n_classes - 1} (NaN for a missing value)."
        )
    if level == "ratio" and low < 0 and stored:
        bad = x < 0
        raise ValueError(
            f"L stores {x[bad][0].item() + 1!r} at {locate(bad)}, the value "
            f'{x[bad][0].item()!r}; level="ratio" needs non-negative values. A '
            "sparse L stores each value plus one (a stored 0 is no value), so "
            "its stored values must be 1 or more."
        )
    if level == "ratio" and low < 0:
        bad = x < 0
        raise ValueError(
            f'L holds {x[bad][0].item()!r} at {locate(bad)}; level="ratio" '
            "needs non-negative values. In a float matrix only NaN marks a "
            "missing value (-1 does so only in an integer matrix)."
        )
    if present and whole and high - low <= 4 * x.size + 1024:
        # Whole numbers (ratings stored as floats): codes, as for an int matrix.
        return "whole", low, high
    if level == "interval":
        return "values", None, None
    return "unique", None, None


def _alpha_data(L, level, n_classes):
    """Validate ``L`` for ``level``: its pairable items, as :class:`_AlphaData`.

    Integer data, any data at the nominal and ordinal levels, and float
    data holding whole numbers give the codes (``-1`` missing) of the sorted
    distinct values ``domain``. Other float data give only the values (NaN
    missing) at the interval level, and both at the ratio level.
    """
    _check_order(L, level)
    # Numeric classes of a to_label_matrix result: their values are measured.
    measured = (
        level in ("interval", "ratio")
        and label_info(L) is not None
        and L.numeric_classes
    )
    if sparse.issparse(L):
        return _sparse_alpha_data(L, level, n_classes, measured)
    if measured:
        arr, n_classes = _label_values(L, n_classes), None
    else:
        arr = _as_matrix(L)
    if level in ("nominal", "ordinal") or arr.dtype.kind in "iu":
        codes, high = _label_codes(arr, n_classes)
        codes, present = _compact_codes(codes, max(high + 1, 1))
        return _AlphaData(codes, present.astype(np.float64), None)
    kind, low, high = _float_codes(arr, _position, level, n_classes)
    if kind == "whole":
        shifted = arr - low
        np.fmax(shifted, -1.0, out=shifted)  # NaN (missing) -> -1
        codes, present = _compact_codes(shifted.astype(np.int64), int(high - low) + 1)
        return _AlphaData(codes, present + low, None)
    if kind == "values":
        return _AlphaData(None, None, arr)
    valid = ~np.isnan(arr)
    domain, inverse = np.unique(arr[valid], return_inverse=True)
    codes = np.full(arr.shape, -1, dtype=np.int64)
    codes[valid] = inverse.ravel()
    return _AlphaData(codes, domain, arr)


def _sparse_alpha_data(L, level, n_classes, measured=False):
    """:func:`_alpha_data` from the votes of a sparse ``L`` (value + 1 stored).

    At the interval and ratio levels (without ``n_classes``) a stored float
    is a measurement, the value stored minus one; otherwise class codes.
    ``measured``: ``L`` keeps numeric classes (``to_label_matrix``), whose
    values are measured instead of their codes.
    """
    n_items = L.shape[0]
    real = level in ("interval", "ratio") and n_classes is None and not measured
    rows, cols, values = _sparse_votes(L, n_classes, real=real)
    if measured:
        if values.size and values.max() >= L.classes.size:
            raise ValueError(
                f"L stores the class code {int(values.max())} but has only "
                f"{L.classes.size} classes {_shown(L.classes)!r}; it is no "
                "longer the label matrix to_label_matrix returned. Rebuild it."
            )
        values = np.asarray(L.classes, dtype=np.float64)[values]
    if values.dtype.kind in "iu":
        high = int(values.max()) if values.size else -1
        codes, present = _compact_codes(values, max(high + 1, 1))
        domain = present.astype(np.float64)
        return _AlphaData.from_votes(rows, codes, domain, None, n_items)
    kind, low, high = _float_codes(
        values, lambda bad: _position(bad, (rows, cols)), level, None, stored=True
    )
    if kind == "whole":
        codes = (values - low).astype(np.int64)
        codes, present = _compact_codes(codes, int(high - low) + 1)
        return _AlphaData.from_votes(rows, codes, present + low, None, n_items)
    if kind == "values":
        return _AlphaData.from_votes(rows, None, None, values, n_items)
    domain, inverse = np.unique(values, return_inverse=True)
    return _AlphaData.from_votes(rows, inverse.ravel(), domain, None, n_items)


# --------------------------------------------------------------------------
# Shared docstring text and the common result logic

_DOC = {
    "L": """\
L : {array-like, sparse matrix} of shape (n_items, n_sources)
    The label matrix: one row per item, one column per source
    (annotator, labeling function). Integer class labels ``0..K-1``, and
    ``-1`` where the source gave no label. A float matrix may also mark
    missing labels with NaN (its other values must be whole numbers);
    lists of lists and DataFrames are accepted, with None and ``pd.NA``
    read as missing. Rows must all have ``n_sources`` entries. Labels
    may also be strings (or categoricals), coded in the order of
    ``classes``.

    A scipy.sparse matrix or array (any format) holds the labels given,
    as for the aggregators of :mod:`sklabels.aggregation`: **a stored
    value is the class code plus one** (``1..K``) and **an absent entry
    means "no label"** (a stored 0 too), so that its label matrix is
    ``S.toarray() - 1``. Convert a dense label matrix with
    ``scipy.sparse.csr_matrix(L + 1)``, or build it from a long table with
    ``to_label_matrix(..., sparse_output=True)``; a stored negative, NaN
    or non-integer value is refused. The cost then follows the number of
    labels; the matrix is never made dense. Suits crowds where each
    source labels a few items.""",
    "classes": """\
classes : array-like of shape (n_classes,), default=None
    For string (or other non-numeric) labels: the classes, every label
    of ``L`` among them. None codes the distinct labels in sorted order.
    Given, it also counts the classes that were never used.""",
    "n_classes": """\
n_classes : int, default=None
    Number of classes K. When given, every label must lie in
    ``0..n_classes-1``; when None, K is the largest label plus one.""",
    "bootstrap": """\
confidence_level : float, default=None
    When None, return the coefficient alone. Given a level in (0, 1),
    for example 0.95, also return a percentile bootstrap confidence
    interval: the items are drawn with replacement ``n_bootstrap``
    times, the coefficient is recomputed on each replicate, and the
    interval spans the central ``confidence_level`` fraction of the
    replicates. Only the items that enter the coefficient (see Notes)
    are resampled. Replicates where the coefficient is undefined are
    left out, with an ``UndefinedMetricWarning``.

n_bootstrap : int, default=1000
    Number of bootstrap replicates; used only with ``confidence_level``.

random_state : int, RandomState instance or None, default=None
    Seed of the bootstrap resampling, for a reproducible interval;
    used only with ``confidence_level``.""",
    "returns": """\
value : float
    The coefficient; NaN (with an ``UndefinedMetricWarning``) when it is
    undefined, see Notes.

(low, high) : tuple of float
    Returned only when ``confidence_level`` is given, as
    ``(value, (low, high))``: the bounds of the bootstrap interval.""",
}


_fill_doc = make_fill_doc(_DOC)


def _warn_undefined(name, reason):
    warnings.warn(
        f"{name} is undefined: {reason}; returning NaN.",
        UndefinedMetricWarning,
        stacklevel=5,  # the caller of the public function (validate_params wraps it)
    )


def _scalar_result(
    name,
    replicate,
    n_items,
    reason,
    confidence_level,
    n_bootstrap,
    random_state,
    point=None,
):
    """The coefficient, and its bootstrap interval when a level is given.

    ``reason()`` says why the coefficient is undefined when it is NaN.
    """
    if n_items == 0:
        value = np.nan
    elif point is not None:
        value = float(point()[0])
    else:
        value = float(replicate(np.ones((1, n_items)))[0])
    if np.isnan(value):
        _warn_undefined(name, reason())
        return value if confidence_level is None else (value, (np.nan, np.nan))
    if confidence_level is None:
        return value
    interval = bootstrap_interval(
        replicate,
        n_items,
        n_bootstrap=n_bootstrap,
        confidence_level=confidence_level,
        random_state=random_state,
        name=name,
        stacklevel=5,
    )
    return value, interval


def _no_pair_reason():
    return "no item has two or more labels"


_BOOTSTRAP_CONSTRAINTS = {
    "confidence_level": [Interval(Real, 0, 1, closed="neither"), None],
    "n_bootstrap": [Interval(Integral, 1, None, closed="left")],
    "random_state": ["random_state"],
}
_LABEL_CONSTRAINTS = {
    "L": ["array-like", "sparse matrix"],
    "classes": ["array-like", None],
    "n_classes": [Interval(Integral, 1, None, closed="left"), None],
    **_BOOTSTRAP_CONSTRAINTS,
}


# --------------------------------------------------------------------------
# Public functions


@validate_params(_LABEL_CONSTRAINTS, prefer_skip_nested_validation=True)
@_fill_doc
def percent_agreement(
    L,
    *,
    classes=None,
    n_classes=None,
    confidence_level=None,
    n_bootstrap=1000,
    random_state=None,
):
    """Observed agreement: the mean share of agreeing pairs of labels per item.

    For each item with at least two labels, take every unordered pair of
    its labels and count the fraction of pairs whose two labels are equal;
    the percent agreement is the mean of these fractions over those items.
    It lies in [0, 1] (a fraction, not a percentage) and is not corrected
    for chance: see :func:`fleiss_kappa`, :func:`gwet_ac1` and
    :func:`krippendorff_alpha` for chance-corrected coefficients.

    Read more in the :ref:`User Guide <metrics_agreement>`.

    Parameters
    ----------
    %(L)s

    %(classes)s

    %(n_classes)s

    %(bootstrap)s

    Returns
    -------
    %(returns)s

    See Also
    --------
    fleiss_kappa : Percent agreement corrected for chance agreement.
    gwet_ac1 : A chance correction that stays stable when one class dominates.

    Notes
    -----
    With ``n_ik`` the number of labels of class ``k`` on item ``i`` and
    ``n_i = sum_k n_ik``::

        p_a = (1 / n_2) * sum_{i : n_i >= 2} sum_k n_ik (n_ik - 1) / (n_i (n_i - 1))

    where ``n_2`` is the number of items with at least two labels (the
    ``p_a`` of Fleiss, 1971, and of Gwet, 2008). Items with fewer than two
    labels hold no pair and are left out, also from the bootstrap. The
    value is undefined (NaN) when no item has two labels.

    References
    ----------
    .. [1] J. L. Fleiss. "Measuring nominal scale agreement among many
       raters". Psychological Bulletin, 76(5), 378-382, 1971.

    Examples
    --------
    >>> from sklabels.metrics import percent_agreement
    >>> L = [[0, 0, 0],   # 3 agreeing pairs of 3
    ...      [0, 0, 1],   # 1 of 3
    ...      [1, 1, -1],  # 1 of 1 (one label missing)
    ...      [2, -1, -1]] # a single label: left out
    >>> round(percent_agreement(L), 4)
    0.7778
    """
    labels = _Labels(_encode_labels(L, classes), n_classes)
    counts, n_labels = labels.counts(min_labels=2)
    agree = _pair_agreement(counts, n_labels)
    return _scalar_result(
        "percent_agreement",
        lambda weights: _percent_from_weights(agree, weights),
        agree.size,
        _no_pair_reason,
        confidence_level,
        n_bootstrap,
        random_state,
    )


@validate_params(_LABEL_CONSTRAINTS, prefer_skip_nested_validation=True)
@_fill_doc
def fleiss_kappa(
    L,
    *,
    classes=None,
    n_classes=None,
    confidence_level=None,
    n_bootstrap=1000,
    random_state=None,
):
    """Fleiss' kappa: agreement among many sources, corrected for chance.

    Fleiss' kappa (Fleiss, 1971) compares the observed agreement ``p_a``
    (:func:`percent_agreement`) with the agreement ``p_e`` expected if
    labels were drawn at random from the overall class distribution::

        kappa = (p_a - p_e) / (1 - p_e)

    It is 1 for perfect agreement, 0 for agreement at chance level and
    negative below. Items may have any number of labels, from different
    sources: missing labels are handled as in Gwet (2014), which gives the
    classic formula when every item has the same number of labels.

    Read more in the :ref:`User Guide <metrics_agreement>`.

    Parameters
    ----------
    %(L)s

    %(classes)s

    %(n_classes)s
        The coefficient does not depend on classes that are never used.

    %(bootstrap)s

    Returns
    -------
    %(returns)s

    See Also
    --------
    gwet_ac1 : A chance correction that stays stable when one class dominates.
    krippendorff_alpha : Alpha, which also handles ordered and numeric labels.
    pairwise_cohen_kappa : Cohen's kappa of every pair of sources.

    Notes
    -----
    With ``n_ik`` the number of labels of class ``k`` on item ``i``,
    ``n_i = sum_k n_ik``, ``n_1`` the number of items with at least one
    label and ``n_2`` those with at least two::

        p_a  = (1 / n_2) * sum_{i : n_i >= 2} sum_k n_ik (n_ik - 1) / (n_i (n_i - 1))
        pi_k = (1 / n_1) * sum_{i : n_i >= 1} n_ik / n_i
        p_e  = sum_k pi_k ** 2

    Items with a single label enter the class prevalences ``pi_k`` but not
    ``p_a``; items without labels are ignored. The bootstrap resamples the
    items with at least one label. Kappa is undefined (NaN) when no item
    has two labels, or when every label is of one class (``p_e = 1``).

    References
    ----------
    .. [1] J. L. Fleiss. "Measuring nominal scale agreement among many
       raters". Psychological Bulletin, 76(5), 378-382, 1971.
    .. [2] K. L. Gwet. "Handbook of Inter-Rater Reliability", 4th edition.
       Advanced Analytics, 2014.

    Examples
    --------
    >>> from sklabels.metrics import fleiss_kappa
    >>> L = [[0, 0, 0], [0, 0, 1], [1, 1, 1], [1, 1, -1], [2, 2, 2], [2, 0, -1]]
    >>> round(fleiss_kappa(L), 4)
    0.5765
    >>> L = L * 5  # the same items five times: the same kappa, a tighter interval
    >>> kappa, (low, high) = fleiss_kappa(L, confidence_level=0.9, random_state=0)
    >>> round(kappa, 4), bool(low < kappa < high)
    (0.5765, True)

    A sparse label matrix stores the class code plus one, as for the
    aggregators:

    >>> import numpy as np
    >>> from scipy import sparse
    >>> S = sparse.csr_matrix(np.array(L) + 1)  # the -1 cells are left out
    >>> round(fleiss_kappa(S), 4)
    0.5765
    """
    labels = _Labels(_encode_labels(L, classes), n_classes)
    counts, n_labels = labels.counts(min_labels=1)
    stats = _ChanceCorrected(counts, n_labels)
    return _scalar_result(
        "fleiss_kappa",
        lambda weights: _fleiss_from_weights(stats, weights),
        n_labels.size,
        lambda: (
            "no item has two or more labels"
            if not stats.pairable.any()
            else "every label is of one class, so chance agreement is 1"
        ),
        confidence_level,
        n_bootstrap,
        random_state,
    )


@validate_params(
    {
        **_LABEL_CONSTRAINTS,
        "n_classes": [Interval(Integral, 2, None, closed="left"), None],
    },
    prefer_skip_nested_validation=True,
)
@_fill_doc
def gwet_ac1(
    L,
    *,
    classes=None,
    n_classes=None,
    confidence_level=None,
    n_bootstrap=1000,
    random_state=None,
):
    """Gwet's AC1: chance-corrected agreement that resists the kappa paradoxes.

    Gwet's first-order agreement coefficient (Gwet, 2008) corrects the
    observed agreement ``p_a`` (:func:`percent_agreement`) like kappa, but
    with a chance agreement ``p_e`` that is small when one class dominates
    (kappa's ``p_e`` is then close to 1, and kappa low despite high
    agreement: the paradoxes of Feinstein and Cicchetti, 1990)::

        AC1 = (p_a - p_e) / (1 - p_e)

    Read more in the :ref:`User Guide <metrics_agreement>`.

    Parameters
    ----------
    %(L)s

    %(classes)s

    n_classes : int, default=None
        Number of classes Q of the rating scale, at least 2; every label
        must lie in ``0..n_classes-1``. When None, Q is the number of
        classes of string labels (``classes``) or of a label matrix from
        :func:`~sklabels.aggregation.to_label_matrix`, else the largest
        label plus one (and at least 2). Unlike kappa, AC1 depends on Q through
        ``p_e``: pass it when some classes were never used.

    %(bootstrap)s

    Returns
    -------
    %(returns)s

    See Also
    --------
    fleiss_kappa : The classic chance correction.
    percent_agreement : The observed agreement ``p_a``.

    Notes
    -----
    The multi-rater form of Gwet (2008), with missing labels as in Gwet
    (2014). With ``n_ik`` the number of labels of class ``k`` on item
    ``i``, ``n_i = sum_k n_ik``, ``n_1`` the number of items with at least
    one label, ``n_2`` those with at least two, and ``Q`` classes::

        p_a  = (1 / n_2) * sum_{i : n_i >= 2} sum_k n_ik (n_ik - 1) / (n_i (n_i - 1))
        pi_k = (1 / n_1) * sum_{i : n_i >= 1} n_ik / n_i
        p_e  = (1 / (Q - 1)) * sum_k pi_k (1 - pi_k)

    ``p_e`` is at most ``1 / Q``, so AC1 is defined whenever some item has
    two labels (NaN otherwise), also when every label is of one class. Items
    with a single label enter ``pi_k`` but not ``p_a``; the bootstrap
    resamples the items with at least one label. This is the coefficient of
    ``gwet.ac1.raw`` in Gwet's R package irrCAC.

    References
    ----------
    .. [1] K. L. Gwet. "Computing inter-rater reliability and its variance in
       the presence of high agreement". British Journal of Mathematical and
       Statistical Psychology, 61(1), 29-48, 2008.
    .. [2] K. L. Gwet. "Handbook of Inter-Rater Reliability", 4th edition.
       Advanced Analytics, 2014.
    .. [3] A. R. Feinstein and D. V. Cicchetti. "High agreement but low
       kappa: I. The problems of two paradoxes". Journal of Clinical
       Epidemiology, 43(6), 543-549, 1990.

    Examples
    --------
    >>> from sklabels.metrics import fleiss_kappa, gwet_ac1
    >>> L = [[0, 0]] * 18 + [[0, 1], [1, 0]]  # 90% agreement, class 0 dominates
    >>> round(fleiss_kappa(L), 4), round(gwet_ac1(L), 4)
    (-0.0526, 0.8895)
    """
    labels = _Labels(_encode_labels(L, classes), n_classes)
    q = max(labels.n_classes, 2)
    counts, n_labels = labels.counts(min_labels=1)
    stats = _ChanceCorrected(counts, n_labels)
    return _scalar_result(
        "gwet_ac1",
        lambda weights: _ac1_from_weights(stats, q, weights),
        n_labels.size,
        _no_pair_reason,
        confidence_level,
        n_bootstrap,
        random_state,
    )


@validate_params(
    {
        **_LABEL_CONSTRAINTS,
        "min_overlap": [Interval(Integral, 1, None, closed="left")],
        "as_frame": ["boolean"],
        "names": ["array-like", None],
    },
    prefer_skip_nested_validation=True,
)
@_fill_doc
def pairwise_cohen_kappa(
    L,
    *,
    min_overlap=10,
    classes=None,
    n_classes=None,
    confidence_level=None,
    n_bootstrap=1000,
    random_state=None,
    as_frame=False,
    names=None,
):
    """Cohen's kappa of every pair of sources, on the items both labelled.

    Entry ``(s, t)`` is Cohen's (1960) kappa between sources ``s`` and
    ``t``, computed on the items that both labelled; it equals
    :func:`sklearn.metrics.cohen_kappa_score` on those items. Pairs that
    share fewer than ``min_overlap`` items are NaN; the diagonal is 1.

    Read more in the :ref:`User Guide <metrics_agreement>`.

    Parameters
    ----------
    %(L)s

    min_overlap : int, default=10
        Smallest number of items two sources must both have labelled for
        their kappa to be computed; pairs with fewer are NaN. A kappa on a
        handful of items is mostly noise; lower it (down to 1) to see every
        defined value.

    %(classes)s

    %(n_classes)s
        The coefficient does not depend on classes that are never used.

    confidence_level : float, default=None
        When None, return the matrix alone. Given a level in (0, 1), also
        return percentile bootstrap intervals of every entry: the items
        labelled by at least two sources are drawn with replacement
        ``n_bootstrap`` times (the same draws for every pair) and the
        kappas recomputed. Replicates where a pair's kappa is undefined
        are left out of that pair's interval, with an
        ``UndefinedMetricWarning``.

    n_bootstrap : int, default=1000
        Number of bootstrap replicates; used only with ``confidence_level``.

    random_state : int, RandomState instance or None, default=None
        Seed of the bootstrap resampling; used only with
        ``confidence_level``.

    as_frame : bool, default=False
        Return pandas DataFrames labeled by the sources (index and columns
        named ``"source"``) instead of ndarrays, the interval bounds too.

    names : array-like of shape (n_sources,), default=None
        The source names, with ``as_frame=True``. None uses the column names
        of a DataFrame ``L``, else the column positions ``0..n_sources-1``.

    Returns
    -------
    kappa : ndarray or DataFrame of shape (n_sources, n_sources)
        Symmetric; ``kappa[s, t]`` is Cohen's kappa of sources ``s`` and
        ``t``, NaN when they share fewer than ``min_overlap`` items or when
        kappa is undefined on them (every shared label of one and the same
        class: ``p_e = 1``, with an ``UndefinedMetricWarning``). The
        diagonal is 1.

    (low, high) : tuple of ndarray of shape (n_sources, n_sources)
        Returned only when ``confidence_level`` is given, as
        ``(kappa, (low, high))``: the bounds of each entry's interval (NaN
        where ``kappa`` is NaN, 1 on the diagonal).

    See Also
    --------
    sklearn.metrics.cohen_kappa_score : Cohen's kappa of two label vectors.
    fleiss_kappa : One chance-corrected coefficient over all sources.

    Notes
    -----
    For the ``N`` items labelled by both ``s`` and ``t``, with ``p_o`` the
    fraction of them given the same label and ``p_s(k)``, ``p_t(k)`` the
    fractions labelled ``k`` by each source::

        p_e   = sum_k p_s(k) p_t(k)
        kappa = (p_o - p_e) / (1 - p_e)

    References
    ----------
    .. [1] J. Cohen. "A coefficient of agreement for nominal scales".
       Educational and Psychological Measurement, 20(1), 37-46, 1960.

    Examples
    --------
    >>> from sklabels.metrics import pairwise_cohen_kappa
    >>> L = [[0, 0, 0], [0, 0, 1], [1, 1, 1], [1, 0, -1], [2, 2, 2], [2, 2, -1]]
    >>> pairwise_cohen_kappa(L, min_overlap=4).round(3)
    array([[1.   , 0.75 , 0.636],
           [0.75 , 1.   , 0.636],
           [0.636, 0.636, 1.   ]])
    >>> pairwise_cohen_kappa(L)  # no pair shares 10 items
    array([[ 1., nan, nan],
           [nan,  1., nan],
           [nan, nan,  1.]])
    >>> pairwise_cohen_kappa(L, min_overlap=4, as_frame=True,
    ...                      names=["ann", "bob", "cid"]).round(2)
    source   ann   bob   cid
    source
    ann     1.00  0.75  0.64
    bob     0.75  1.00  0.64
    cid     0.64  0.64  1.00
    """
    frame = _source_frame(L, names) if as_frame else None
    if not as_frame and names is not None:
        raise ValueError(
            f"names={names!r} is only used with as_frame=True; pass as_frame=True "
            "to get a DataFrame labeled by the sources."
        )
    result = _pairwise_cohen_kappa(
        L, min_overlap, classes, n_classes, confidence_level, n_bootstrap, random_state
    )
    if frame is None:
        return result
    if confidence_level is None:
        return frame(result)
    kappa, (low, high) = result
    return frame(kappa), (frame(low), frame(high))


def _source_frame(L, names):
    """A function labeling an (n_sources, n_sources) array by the sources."""
    n_sources = L.shape[1] if hasattr(L, "shape") else len(np.asarray(L)[0])
    if names is None:
        columns = getattr(L, "columns", None)
        names = range(n_sources) if columns is None else list(columns)
    names = list(names)
    if len(names) != n_sources:
        raise ValueError(
            f"names has {len(names)} entries but L has {n_sources} sources "
            f"(columns): {names!r}; give one name per column of L."
        )
    index = pd.Index(names, name="source")
    if not index.is_unique:
        raise ValueError(f"names holds {index[index.duplicated()][0]!r} twice.")
    return lambda values: pd.DataFrame(values, index=index, columns=index.copy())


def _pairwise_cohen_kappa(
    L, min_overlap, classes, n_classes, confidence_level, n_bootstrap, random_state
):
    labels = _Labels(_encode_labels(L, classes), n_classes)
    keep = labels.n_labels >= 2
    n_items, n_sources = int(keep.sum()), labels.shape[1]
    n_values = labels.classes.size
    eye = np.eye(n_sources, dtype=bool)
    if labels.votes is None:
        codes = labels.codes[keep]
        labelled = (codes >= 0).astype(np.float64)
        overlap = labelled.T @ labelled
        cohen = _PairwiseCohen(codes, n_values)
        max_entries = max(1, _BLOCK_ENTRIES // n_sources)
    else:
        votes = _keep_votes(keep, *labels.votes)
        cohen = _SparsePairwiseCohen(*votes, n_items, n_sources, n_values)
        overlap = (cohen.labelled.T @ cohen.labelled).toarray()
        max_entries = n_items  # one replicate at a time
    computed = (overlap >= min_overlap) & ~eye

    def replicate(weights):
        kappa = cohen(weights)
        kappa[:, ~computed] = np.nan
        kappa[:, eye] = 1.0
        return kappa

    kappa = replicate(np.ones((1, n_items)))[0]
    undefined = computed & np.isnan(kappa)
    if undefined.any():
        pairs = [(int(s), int(t)) for s, t in np.argwhere(np.triu(undefined))]
        shown = ", ".join(map(str, pairs[:5])) + (" ..." if len(pairs) > 5 else "")
        warnings.warn(
            f"Cohen's kappa is undefined for {len(pairs)} pair(s) of sources "
            f"{shown}: all the labels they share are of one and the same class; "
            "set to NaN.",
            UndefinedMetricWarning,
            stacklevel=4,
        )
    if confidence_level is None:
        return kappa
    if not computed.any():  # nothing to resample: NaN off the diagonal, 1 on it
        return kappa, (kappa.copy(), kappa.copy())
    interval = bootstrap_interval(
        replicate,
        n_items,
        n_bootstrap=n_bootstrap,
        confidence_level=confidence_level,
        random_state=random_state,
        defined=~np.isnan(kappa),
        name="Cohen's kappa of a pair of sources",
        max_entries=max_entries,
        stacklevel=5,
    )
    return kappa, interval


@validate_params(
    {**_LABEL_CONSTRAINTS, "level": [StrOptions(set(_ALPHA_KERNELS))]},
    prefer_skip_nested_validation=True,
)
@_fill_doc
def krippendorff_alpha(
    L,
    level="nominal",
    *,
    classes=None,
    n_classes=None,
    confidence_level=None,
    n_bootstrap=1000,
    random_state=None,
):
    """Krippendorff's alpha: reliability for any number of sources and levels.

    Krippendorff's alpha (Krippendorff, 2004, 2011) compares the observed
    disagreement ``D_o`` among the values given to the same item with the
    disagreement ``D_e`` expected between values paired at random::

        alpha = 1 - D_o / D_e

    It accepts any number of sources, missing values, and four levels of
    measurement, each with its own distance between two values: nominal
    (equal or not), ordinal (ranks), interval (differences) and ratio
    (relative differences). It is 1 for perfect agreement and 0 when the
    values are as different within items as across them.

    Read more in the :ref:`User Guide <metrics_agreement>`.

    Parameters
    ----------
    L : array-like of shape (n_items, n_sources)
        The reliability data: one row per item (unit), one column per
        source (coder). This is the transpose of the ``reliability_data``
        of the ``krippendorff`` package, which has one row per coder.
        Two formats are accepted:

        - an integer matrix (the label matrix of sklabels): values
          ``>= 0``, and ``-1`` for a missing value. At the nominal and
          ordinal levels the values are class codes; at the interval and
          ratio levels they are also the numbers compared (ratings 1..5
          can be passed as they are).
        - a float matrix: NaN for a missing value. At the nominal and
          ordinal levels its values must be whole numbers, read as in an
          integer matrix (``-1.0`` also marks a missing value). At the
          interval and ratio levels every finite value is a measurement,
          ``-1.0`` included: only NaN marks a missing value. Ratio-level
          values must be non-negative.

        Lists of lists and DataFrames are converted, None and ``pd.NA``
        read as missing. A scipy.sparse matrix holds the values given, as
        for the other metrics and the aggregators: **a stored value is the
        value plus one** and **an absent entry is missing** (a stored 0
        too), so that its matrix is ``S.toarray() - 1``. At the nominal and
        ordinal levels the stored values must be whole numbers (class
        codes plus one); at the interval and ratio levels a stored float
        ``v`` is the measurement ``v - 1``. Stored values are never
        negative, NaN or infinite: convert a dense float matrix ``X`` (NaN
        missing, values above -1) with
        ``scipy.sparse.csr_matrix(np.nan_to_num(X + 1, nan=0))``. It is
        never made dense.

        Labels need an order at the ordinal, interval and ratio levels.
        String labels (or categoricals) take theirs from ``classes``, or
        from the categories of a DataFrame of one ordered categorical;
        without it only the nominal level is allowed, since sorting would
        rank them alphabetically. The same holds for the label matrix of
        :func:`~sklabels.aggregation.to_label_matrix`, which remembers
        whether its class order was given (``classes=`` or an ordered
        categorical label column); when its labels are numbers (ratings),
        the interval and ratio levels measure those numbers, not their
        codes. String labels are evenly spaced at the interval level and
        refused at the ratio level. Its sparse output
        (``sparse_output=True``) keeps the classes in the same way; a
        matrix derived from either (``np.asarray(L)``, a sparse slice) no
        longer does, and its codes are read as ordered numbers.

    level : {"nominal", "ordinal", "interval", "ratio"}, default="nominal"
        Level of measurement of the values, which sets the distance
        ``d(c, k)`` between two values ``c`` and ``k``:

        - ``"nominal"``: 0 if ``c == k``, else 1 (unordered classes).
        - ``"ordinal"``: ``(n_c / 2 + sum_{c < g < k} n_g + n_k / 2) ** 2``
          with ``n_g`` the number of pairable values equal to ``g``: ordered
          classes whose spacing is read from how often they are used.
        - ``"interval"``: ``(c - k) ** 2``.
        - ``"ratio"``: ``((c - k) / (c + k)) ** 2`` (0 when ``c + k == 0``).

    %(classes)s

    n_classes : int, default=None
        When given, every value must be an integer in
        ``0..n_classes-1``. Values that never occur do not change alpha.

    %(bootstrap)s

    Returns
    -------
    alpha : float
        Krippendorff's alpha, at most 1; NaN (with an
        ``UndefinedMetricWarning``) when no item has two values or when all
        the pairable values are equal.

    (low, high) : tuple of float
        Returned only when ``confidence_level`` is given, as
        ``(alpha, (low, high))``: the bounds of the bootstrap interval.

    See Also
    --------
    fleiss_kappa : Close to nominal alpha on complete data.
    gwet_ac1 : A nominal coefficient that resists the kappa paradoxes.

    Notes
    -----
    Items with fewer than two values are not pairable and are left out
    (Krippendorff, 2011), also from the bootstrap. For each pairable item
    ``u`` with ``m_u`` values, every ordered pair of its values ``(c, k)``
    adds ``1 / (m_u - 1)`` to the coincidence matrix ``o_ck``; its
    marginals ``n_c`` count the pairable values, ``n = sum_c n_c``, and::

        alpha = 1 - (n - 1) * sum_ck o_ck d(c, k) / sum_ck n_c n_k d(c, k)

    This is the coefficient of the ``krippendorff`` package (with the same
    values, on the transposed matrix). The bootstrap here resamples items;
    Hayes and Krippendorff (2007) resample pairs of values instead, so
    intervals differ a little from their KALPHA macro. With float data at
    the ratio level the cost grows with the square of the number of
    distinct values.

    References
    ----------
    .. [1] K. Krippendorff. "Content Analysis: An Introduction to Its
       Methodology", 2nd edition, chapter 11. Sage, 2004.
    .. [2] K. Krippendorff. "Computing Krippendorff's Alpha-Reliability".
       University of Pennsylvania, 2011.
    .. [3] A. F. Hayes and K. Krippendorff. "Answering the call for a
       standard reliability measure for coding data". Communication
       Methods and Measures, 1(1), 77-89, 2007.

    Examples
    --------
    Krippendorff's (2011) example: 12 items, 4 coders, missing values as -1.

    >>> import numpy as np
    >>> from sklabels.metrics import krippendorff_alpha
    >>> L = np.array([[1, 1, -1, 1], [2, 2, 3, 2], [3, 3, 3, 3], [3, 3, 3, 3],
    ...               [2, 2, 2, 2], [1, 2, 3, 4], [4, 4, 4, 4], [1, 1, 2, 1],
    ...               [2, 2, 2, 2], [-1, 5, 5, 5], [-1, -1, 1, 1],
    ...               [-1, -1, 3, -1]])
    >>> for level in ["nominal", "ordinal", "interval", "ratio"]:
    ...     print(level, round(krippendorff_alpha(L, level), 3))
    nominal 0.743
    ordinal 0.815
    interval 0.849
    ratio 0.797
    """
    data = _alpha_data(_encode_labels(L, classes), level, n_classes)
    n_items = data.n_values.size
    replicate = point = None
    if n_items:
        replicate, point = _ALPHA_KERNELS[level](data)
    return _scalar_result(
        "krippendorff_alpha",
        replicate,
        n_items,
        lambda: (
            "every pairable value is the same, so there is no variation"
            if n_items
            else "no item has two or more values"
        ),
        confidence_level,
        n_bootstrap,
        random_state,
        point=point,
    )
