"""A label matrix that remembers what its codes stand for.

:func:`sklabels.aggregation.to_label_matrix` returns its integer codes as a
:class:`LabelMatrix`: an ndarray that also carries ``classes`` (the label of
each code) and ``ordered`` (whether the order of the codes is an order of the
labels, or merely the sorted order of strings). Every consumer that wants a
plain array gets one (``np.asarray``, scikit-learn's validation, arithmetic,
comparisons); the agreement metrics read the two attributes to refuse an
ordered level of measurement on labels whose order nobody gave.

:func:`sparse_votes` reads a scipy.sparse label matrix, for the aggregators
and the agreement metrics alike: one convention, one set of checks.
"""

import numpy as np
import pandas as pd
from pandas.api.types import infer_dtype

__all__ = ["LabelMatrix", "as_label_matrix", "sparse_votes"]

# Label kinds whose sorted order is their natural order.
ORDERED_KINDS = {
    "integer",
    "floating",
    "mixed-integer-float",
    "decimal",
    "boolean",
    "datetime64",
    "datetime",
    "date",
    "timedelta64",
    "timedelta",
    "period",
    "empty",
}
_NUMERIC_KINDS = {"integer", "floating", "mixed-integer-float", "decimal"}


class LabelMatrix(np.ndarray):
    """Integer label matrix with its classes and whether their order is known.

    An ``ndarray`` subclass: indexing and slicing keep the attributes, while
    arithmetic, comparisons and reductions give plain arrays (their values
    are no longer class codes). It prints and pickles like the array it
    holds, the attributes included in the pickle.

    Attributes
    ----------
    classes : ndarray of shape (n_classes,)
        ``classes[c]`` is the label of code ``c``.
    ordered : bool
        True when the order of the codes is an order of the labels: the
        labels are numbers (or dates), the classes were given in order, or
        they come from an ordered categorical. False when the labels were
        merely sorted, as strings are (alphabetically).
    """

    def __new__(cls, codes, classes, ordered):
        obj = np.asarray(codes).view(cls)
        obj.classes = np.asarray(classes)
        obj.ordered = bool(ordered)
        return obj

    def __array_finalize__(self, obj):
        self.classes = getattr(obj, "classes", None)
        self.ordered = getattr(obj, "ordered", None)

    def __array_ufunc__(self, ufunc, method, *inputs, out=None, **kwargs):
        inputs = tuple(_plain(x) for x in inputs)
        if out is not None:
            kwargs["out"] = tuple(_plain(x) for x in out)
        return getattr(ufunc, method)(*inputs, **kwargs)

    def __repr__(self):
        return repr(self.view(np.ndarray))

    def __reduce__(self):
        constructor, args, state = super().__reduce__()
        return constructor, args, (state, self.classes, self.ordered)

    def __setstate__(self, state):
        if len(state) == 3 and isinstance(state[0], tuple):
            state, self.classes, self.ordered = state
        super().__setstate__(state)

    @property
    def numeric_classes(self):
        """True when the classes are numbers (their values can be measured)."""
        return (
            self.classes is not None
            and self.classes.size > 0
            and infer_dtype(self.classes, skipna=True) in _NUMERIC_KINDS
        )


def _plain(x):
    return x.view(np.ndarray) if isinstance(x, LabelMatrix) else x


def as_label_matrix(L, label_column, classes, class_values):
    """Wrap the codes built by ``to_label_matrix`` as a :class:`LabelMatrix`.

    ``classes`` is the argument the user gave (None when the classes were
    sorted from the data), ``class_values`` the classes of the codes in ``L``.
    An ordered categorical label column, with ``classes=None``, is recoded to
    all of its categories in their order.
    """
    if classes is not None:
        return LabelMatrix(L, class_values, ordered=True)
    dtype = label_column.dtype
    if isinstance(dtype, pd.CategoricalDtype) and dtype.ordered:
        categories = np.asarray(dtype.categories)
        table = np.append(dtype.categories.get_indexer(class_values), -1)
        return LabelMatrix(table[L], categories, ordered=True)
    kind = infer_dtype(class_values, skipna=True)
    return LabelMatrix(L, class_values, ordered=kind in ORDERED_KINDS)


# ---------------------------------------------------------------------------
# Sparse label matrices


def _coding(input_name, real):
    """How a sparse label matrix stores its labels, for error messages."""
    if real:
        return (
            f"A sparse {input_name} stores each value plus one and leaves out the "
            "entries without a value (a stored 0 also means no value), so it holds "
            "values above -1: convert a dense float matrix X (NaN where missing) "
            "with scipy.sparse.csr_matrix(np.nan_to_num(X + 1, nan=0)), after "
            "shifting the values if some are -1 or below."
        )
    return (
        f"A sparse {input_name} stores the class code plus one (1..K) and leaves "
        "out the entries without a label (a stored 0 also means no label): "
        f"convert a dense label matrix with scipy.sparse.csr_matrix({input_name} "
        "+ 1), or a long table with to_label_matrix(..., sparse_output=True)."
    )


def _row_major(rows, cols, n_cols):
    """Order of the stored entries by cell, row-major, and their sorted cells.

    One ``np.sort`` of the cell and the entry's position packed in an int64
    (several times faster than ``np.argsort``); ``np.argsort`` when the pair
    does not fit in 63 bits. Returns None for the order when the entries are
    already in row-major order.
    """
    flat = rows.astype(np.int64) * np.int64(n_cols) + cols
    if flat.size < 2 or np.all(flat[1:] > flat[:-1]):
        return None, flat
    shift = int(flat.size - 1).bit_length()
    if int(flat.max()) < 2 ** (63 - shift):
        key = np.sort((flat << shift) | np.arange(flat.size, dtype=np.int64))
        return key & ((1 << shift) - 1), key >> shift
    order = np.argsort(flat, kind="stable")
    return order, flat[order]


def sparse_votes(S, *, n_classes=None, input_name="L", fitted=False, real=False):
    """The votes of a scipy.sparse label matrix, as ``(rows, cols, values)``.

    The one reader of a sparse label matrix, for the aggregators and the
    agreement metrics. Its dense label matrix is ``S.toarray() - 1``: a
    stored value ``v >= 1`` is the class code ``v - 1``, and absent entries
    and stored zeros are no label (scipy drops zeros in many operations, so
    class 0 cannot be stored as 0). Negative, NaN and infinite values,
    non-integer values (unless ``real``), codes at or above ``n_classes``
    and cells stored more than once are refused with a ValueError naming the
    value, its position and the conversion; a boolean or non-numeric matrix
    with a TypeError. Nothing is densified.

    Parameters
    ----------
    S : sparse matrix or array of shape (n_rows, n_cols)
        Any scipy.sparse format.
    n_classes : int, default=None
        When given, stored values must be at most ``n_classes`` (codes below
        it). Checked only for class codes, not with ``real``.
    input_name : str, default="L"
        Name of the argument in error messages.
    fitted : bool, default=False
        Whether ``n_classes`` comes from a fitted model (``n_classes_``).
    real : bool, default=False
        Accept non-integer stored values: the values measured are then the
        stored values minus one, as float64.

    Returns
    -------
    rows, cols : ndarray of int64
        Row and column of each label, in row-major order.
    values : ndarray
        The class code of each label (int64), or with ``real`` and a float
        matrix the value measured (float64).
    """
    if S.ndim != 2:
        raise ValueError(
            f"{input_name} must be a 2-D label matrix; got a sparse array of "
            f"shape {S.shape}."
        )
    n_cols = S.shape[1]
    if S.format == "csc" and S.has_canonical_format:
        S = S.tocsr()  # sorted, no duplicates: no sort needed below
    canonical = S.format == "csr" and S.has_canonical_format
    coo = S.tocoo()
    rows, cols, data = coo.row, coo.col, np.asarray(coo.data)

    def where(mask):
        v = int(np.flatnonzero(mask)[0])
        return f"{data[v].item()!r} in row {rows[v]}, column {cols[v]}"

    coding = _coding(input_name, real)
    if data.dtype.kind == "b":
        raise TypeError(
            f"{input_name} is a sparse matrix of boolean dtype; it must hold "
            f"integer class codes. {coding}"
        )
    if data.dtype.kind not in "iuf":
        raise TypeError(
            f"{input_name} is a sparse matrix of dtype {data.dtype}; it must hold "
            f"integer class codes. {coding}"
        )
    if data.dtype.kind == "f":
        low, high = np.min(data, initial=0.0), np.max(data, initial=0.0)
        if not (np.isfinite(low) and np.isfinite(high)):  # NaN propagates
            bad = ~np.isfinite(data)
            raise ValueError(f"{input_name} stores NaN or inf ({where(bad)}). {coding}")
        if not real and (high > 2**53 or np.any(data != np.floor(data))):
            bad = (data != np.floor(data)) | (data > 2**53)
            raise ValueError(
                f"{input_name} must hold integer class codes, got {where(bad)}. "
                f"{coding}"
            )
    else:
        low = np.min(data, initial=0)
    if low < 0:
        raise ValueError(f"{input_name} stores {where(data < 0)}. {coding}")
    if not real and n_classes is not None and data.size and data.max() > n_classes:
        bad = data > n_classes
        v = int(np.flatnonzero(bad)[0])
        what = "the model was fitted with n_classes_" if fitted else "n_classes"
        code = data[v].item()
        raise ValueError(
            f"{input_name} stores {code!r} (class code {code - 1!r}) in row "
            f"{rows[v]}, column {cols[v]} but {what}={n_classes}: a sparse "
            f"{input_name} stores codes plus one, 1..{n_classes}."
        )
    if not canonical:
        order, flat = _row_major(rows, cols, n_cols)
        if order is not None:
            dup = np.flatnonzero(flat[1:] == flat[:-1])
            if dup.size:
                i, j = divmod(int(flat[dup[0]]), n_cols)
                raise ValueError(
                    f"{input_name} stores more than one value for row {i}, column "
                    f"{j} ({dup.size} duplicated entries); a source gives at most "
                    "one label per item. Deduplicate the entries first (summing "
                    "them, as sum_duplicates() does, would give a wrong class)."
                )
            rows, cols, data = rows[order], cols[order], data[order]
    keep = data > 0
    if not keep.all():
        rows, cols, data = rows[keep], cols[keep], data[keep]
    if real and data.dtype.kind == "f":
        values = data.astype(np.float64) - 1.0
    else:
        values = data.astype(np.int64) - 1
    return rows.astype(np.int64, copy=False), cols.astype(np.int64, copy=False), values
