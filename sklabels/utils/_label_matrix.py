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
from scipy import sparse

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


class _KnownClasses:
    """What :class:`LabelMatrix` and :class:`SparseLabelMatrix` share."""

    @property
    def numeric_classes(self):
        """True when the classes are numbers (their values can be measured)."""
        classes = self.classes
        return (
            classes is not None
            and classes.size > 0
            and infer_dtype(classes, skipna=True) in _NUMERIC_KINDS
        )


class LabelMatrix(_KnownClasses, np.ndarray):
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


class SparseLabelMatrix(_KnownClasses, sparse.csr_matrix):
    """Sparse label matrix (class code plus one stored) with its classes.

    The sparse form of :class:`LabelMatrix`, returned by
    ``to_label_matrix(..., sparse_output=True)``: a ``scipy.sparse.csr_matrix``
    that also carries ``classes`` and ``ordered`` (same meaning), so that the
    agreement metrics refuse an ordered level of measurement on labels whose
    order nobody gave, and measure numeric labels by their values. Matrices
    that scipy derives from it (slices, sums, format conversions) do not
    keep the attributes (``classes`` and ``ordered`` are None there): their
    codes are then read as ordered numbers, as for a plain matrix.
    """

    def __init__(self, arg1, shape=None, dtype=None, copy=False, **kwargs):
        classes = kwargs.pop("classes", None)
        ordered = kwargs.pop("ordered", None)
        super().__init__(arg1, shape=shape, dtype=dtype, copy=copy, **kwargs)
        self.classes = None if classes is None else np.asarray(classes)
        self.ordered = None if ordered is None else bool(ordered)


def label_info(L):
    """``(classes, ordered)`` of a label matrix that knows them, else None."""
    if isinstance(L, (LabelMatrix, SparseLabelMatrix)) and L.ordered is not None:
        return L.classes, L.ordered
    return None


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


def _row_major(rows, cols, shape):
    """The stored entries in row-major order, and the first cell stored twice.

    Returns ``(rows, cols, order, duplicate)``: int64 rows and columns sorted
    by cell, ``order`` the position of each in the input (None when the
    input was already in row-major order: nothing moved), and ``duplicate``
    ``(row, column, n_duplicated)`` of the first cell stored more than once,
    or None.

    Row, column and position are packed in one int64 and sorted with
    ``np.sort``, which is several times faster than ``np.argsort``; each
    step runs in place, as fresh temporaries cost as much as the work here.
    ``np.argsort`` when the three do not fit in 63 bits.
    """
    n_rows, n_cols = shape
    col_bits = int(max(n_cols - 1, 1)).bit_length()
    cell = rows.astype(np.int64)  # a copy, modified in place below
    cell <<= col_bits
    cell |= cols
    if cell.size < 2 or np.all(cell[1:] > cell[:-1]):
        rows = rows.astype(np.int64, copy=False)
        return rows, cols.astype(np.int64, copy=False), None, None
    pos_bits = int(cell.size - 1).bit_length()
    row_bits = int(max(n_rows - 1, 1)).bit_length()
    if row_bits + col_bits + pos_bits <= 63:
        cell <<= pos_bits
        cell |= np.arange(cell.size, dtype=np.int64)
        cell.sort()
        sorted_cells = cell >> pos_bits
        cell &= (1 << pos_bits) - 1
        order = cell
    else:
        order = np.argsort(cell, kind="stable")
        sorted_cells = cell[order]
    same = sorted_cells[1:] == sorted_cells[:-1]
    duplicate = None
    if same.any():
        first = int(sorted_cells[int(np.argmax(same))])
        duplicate = (first >> col_bits, first & ((1 << col_bits) - 1), int(same.sum()))
    rows = sorted_cells >> col_bits
    sorted_cells &= (1 << col_bits) - 1
    return rows, sorted_cells, order, duplicate


def _csr_rows(indptr, nnz):
    """The row of each of the ``nnz`` entries of a CSR matrix, from ``indptr``.

    A one at the start of each row (two where a row is empty) and a running
    sum: faster than ``np.repeat`` by the row lengths, whose cost grows with
    the number of rows. ``np.repeat`` for a malformed (decreasing)
    ``indptr``, which it refuses.
    """
    if not np.all(indptr[1:] >= indptr[:-1]):
        return np.repeat(np.arange(indptr.size - 1), np.diff(indptr))
    rows = np.zeros(nnz + 1, dtype=np.int64)
    np.add.at(rows, indptr[1:-1], 1)
    rows = rows[:nnz]
    return np.cumsum(rows, out=rows)


def _raise_duplicate(input_name, i, j, n_duplicated):
    raise ValueError(
        f"{input_name} stores more than one value for row {i}, column {j} "
        f"({n_duplicated} duplicated entries); a source gives at most one label "
        "per item. Deduplicate the entries first (summing them, as "
        "sum_duplicates() does, would give a wrong class)."
    )


def _check_no_duplicates(rows, cols, shape, input_name):
    """Refuse a cell stored twice; one ``np.sort`` of the cells, nothing moved.

    The cells are int32 when they fit (sorted twice as fast as int64).
    """
    n_rows, n_cols = shape
    dtype = np.int32 if n_rows * n_cols < 2**31 else np.int64
    cell = rows.astype(dtype)  # a copy, modified in place
    cell *= dtype(n_cols)
    cell += cols
    if cell.size < 2 or np.all(cell[1:] > cell[:-1]):
        return
    cell.sort()
    same = cell[1:] == cell[:-1]
    if same.any():
        i, j = divmod(int(cell[int(np.argmax(same))]), n_cols)
        _raise_duplicate(input_name, i, j, int(same.sum()))


def sparse_votes(
    S,
    *,
    n_classes=None,
    input_name="L",
    fitted=False,
    real=False,
    row_major=True,
):
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
    row_major : bool, default=True
        Return the votes in row-major order (sums over them then run in the
        order of a dense matrix). When False they keep the order in which
        ``S`` stores them, and the duplicate check is one ``np.sort`` of the
        cells: for callers whose result does not depend on the order.

    Returns
    -------
    rows, cols : ndarray of int64
        Row and column of each label, in row-major order (with
        ``row_major=False``: in the order ``S`` stores them, and possibly
        in the int32 index dtype of ``S``).
    values : ndarray
        The class code of each label (int64), or with ``real`` and a float
        matrix the value measured (float64).
    """
    if S.ndim != 2:
        raise ValueError(
            f"{input_name} must be a 2-D label matrix; got a sparse array of "
            f"shape {S.shape}."
        )
    if S.format == "csc" and S.has_canonical_format:
        S = S.tocsr()  # sorted, no duplicates: no sort needed below
    canonical = S.format == "csr" and S.has_canonical_format
    if S.format == "csr":  # rows from indptr: no COO checks over the entries
        nnz = int(S.indptr[-1])
        rows = _csr_rows(S.indptr, nnz)
        cols, data = S.indices[:nnz], np.asarray(S.data[:nnz])
    else:
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
    low = data.min() if data.size else 0
    if data.dtype.kind == "f":
        high = data.max() if data.size else 0.0
        if not (np.isfinite(low) and np.isfinite(high)):  # NaN propagates
            bad = ~np.isfinite(data)
            raise ValueError(f"{input_name} stores NaN or inf ({where(bad)}). {coding}")
        if not real and (high > 2**53 or np.any(data != np.floor(data))):
            bad = (data != np.floor(data)) | (data > 2**53)
            raise ValueError(
                f"{input_name} must hold integer class codes, got {where(bad)}. "
                f"{coding}"
            )
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
    order = None
    if canonical or not row_major:
        if not canonical:
            _check_no_duplicates(rows, cols, S.shape, input_name)
        if row_major:
            rows = rows.astype(np.int64, copy=False)
            cols = cols.astype(np.int64, copy=False)
    else:
        rows, cols, order, duplicate = _row_major(rows, cols, S.shape)
        if duplicate is not None:
            _raise_duplicate(input_name, *duplicate)
    dtype = np.float64 if real and data.dtype.kind == "f" else np.int64
    fresh = order is not None
    values = data[order] if fresh else data
    keep = values > 0 if low == 0 else None  # stored zeros: no label
    if values.dtype != dtype:
        values, fresh = values.astype(dtype), True
    if fresh:
        values -= 1
    else:
        values = values - 1
    if keep is not None:
        rows, cols, values = rows[keep], cols[keep], values[keep]
    return rows, cols, values
