"""The label matrix: conversion from long tables, validation, vote kernels.

The label matrix ``L`` of shape ``(n_items, n_sources)`` holds integer class
codes ``0..K-1`` and ``-1`` where a source gave no label (or a labeling
function abstained). Everything in :mod:`sklabels.aggregation` takes it;
:func:`to_label_matrix` builds it from a long table of (item, source, label)
rows. A scipy.sparse matrix is accepted too: it stores the class code plus
one (``1..K``) and leaves out the entries without a label, so its cost
follows the number of votes. The private kernels below trust their input:
the public functions and estimators validate once at the boundary.
"""

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.utils import check_array

from sklabels.utils._compat import StrOptions, validate_params
from sklabels.utils._label_matrix import (
    SparseLabelMatrix,
    as_label_matrix,
    sparse_votes,
)

__all__ = ["to_label_matrix"]

_DUPLICATE_POLICIES = ("error", "first", "last")

# Bits of the integer key (item, source, code + 1) of _sparse_label_matrix.
_MAX_KEY_BITS = 63


# ---------------------------------------------------------------------------
# Long table -> label matrix
# ---------------------------------------------------------------------------


def _py(value):
    """A numpy scalar as the Python value, for readable messages."""
    return value.item() if isinstance(value, np.generic) else value


def _column(data, name, role):
    if name not in data.columns:
        raise ValueError(
            f"{role}={name!r} is not a column of data; data has the columns "
            f"{list(data.columns)!r}. Pass {role}=<column name>."
        )
    return data[name]


def _factorize_ids(values, fixed, role):
    """Codes and unique ids of an id column, in appearance or a fixed order."""

    def refuse_missing(missing):
        if missing.any():
            row = int(np.flatnonzero(missing)[0])
            raise ValueError(
                f"The {role} column holds a missing id (None/NaN) in row {row} of "
                f"data (index {values.index[row]!r}); every row needs an {role} id."
            )

    if fixed is None:
        small = _factorize_small_ints(values, sort=False)
        if small is not None:
            return small
        # factorize codes a missing id as -1: no separate (slow, for strings)
        # isna pass. Python strings held by pandas are factorized as a numpy
        # object array, about twice as fast as their string Series (strings
        # held by pyarrow are fastest as they are).
        keys = values
        if getattr(values.dtype, "storage", None) == "python":
            keys = values.to_numpy(dtype=object)
        codes, uniques = pd.factorize(keys, sort=False)
        refuse_missing(codes < 0)
        return codes.astype(np.intp, copy=False), np.asarray(uniques)
    refuse_missing(pd.isna(values).to_numpy())
    uniques = pd.Index(fixed)
    if not uniques.is_unique:
        dup = uniques[uniques.duplicated()][0]
        raise ValueError(
            f"{role}s holds {_py(dup)!r} more than once; ids must be unique."
        )
    codes = uniques.get_indexer(values)
    unknown = codes < 0
    if unknown.any():
        row = int(np.flatnonzero(unknown)[0])
        raise ValueError(
            f"data holds the {role} {_py(values.iloc[row])!r} (row {row}) which is not "
            f"in {role}s={list(uniques[:5])!r}{'...' if len(uniques) > 5 else ''}; "
            f"list every {role} or pass {role}s=None."
        )
    return codes.astype(np.intp, copy=False), np.asarray(uniques)


def _factorize_small_ints(values, *, sort):
    """``pd.factorize(values, sort=sort)`` for small non-negative integers.

    Item ids are often row numbers and labels small codes: an array indexed
    by value finds the values present (and, unsorted, each one's first row)
    without hashing. Unsorted, non-decreasing integers of any size are coded
    by counting the changes of value. None for other columns, which pandas
    factorizes.
    """
    if values.dtype.kind not in "iu" or values.size == 0:
        return None
    ids = values.to_numpy()
    if ids.dtype.kind not in "iu":  # a nullable integer column with NA
        return None
    if not sort and np.all(ids[1:] >= ids[:-1]):
        # Non-decreasing ids (rows sorted by item, the usual layout), of any
        # size or sign: the order of appearance is the sorted order, and the
        # code of a row is the number of changes of id before it.
        steps = ids[1:] != ids[:-1]
        codes = np.empty(ids.size, dtype=np.intp)
        codes[0] = 0
        np.cumsum(steps, out=codes[1:])
        return codes, ids[np.flatnonzero(np.r_[True, steps])]
    low, high = ids.min(), ids.max()
    if low < 0 or high >= 4 * ids.size + 1024:
        return None
    if sort:
        uniques = np.flatnonzero(np.bincount(ids))
        if uniques.size == high + 1:  # every value 0..high occurs: codes = ids
            return ids.astype(np.intp), uniques.astype(ids.dtype, copy=False)
    else:
        first = np.full(int(high) + 1, ids.size, dtype=np.intp)
        first[ids[::-1]] = np.arange(ids.size - 1, -1, -1)  # the first row wins
        present = np.flatnonzero(first < ids.size)
        uniques = present[np.argsort(first[present], kind="stable")]
    rank = np.empty(int(high) + 1, dtype=np.intp)
    rank[uniques] = np.arange(uniques.size)
    return rank[ids], uniques.astype(ids.dtype, copy=False)


def _factorize_labels(values, classes):
    """Class codes (-1 for a missing label) and the classes, sorted or fixed."""
    if classes is None:
        small = _factorize_small_ints(values, sort=True)
        if small is not None:
            codes, uniques = small
            return codes.astype(np.int64, copy=False), uniques
        try:
            codes, uniques = pd.factorize(values, sort=True)
        except TypeError as exc:
            kinds = sorted({type(v).__name__ for v in values.dropna()})
            raise TypeError(
                f"The label column mixes values that cannot be sorted ({kinds}); "
                "pass classes=[...] to fix the class order."
            ) from exc
        return codes.astype(np.int64, copy=False), np.asarray(uniques)
    classes = pd.Index(classes)
    if not classes.is_unique:
        dup = classes[classes.duplicated()][0]
        raise ValueError(
            f"classes holds {_py(dup)!r} more than once; classes must be unique."
        )
    codes = classes.get_indexer(values).astype(np.int64, copy=False)
    unknown = (codes < 0) & ~pd.isna(values).to_numpy()
    if unknown.any():
        row = int(np.flatnonzero(unknown)[0])
        raise ValueError(
            f"data holds the label {_py(values.iloc[row])!r} (row {row}) which is not "
            f"in classes={list(classes)!r}; list every class or pass classes=None."
        )
    return codes, np.asarray(classes)


@validate_params(
    {
        "data": [pd.DataFrame],
        "item": "no_validation",
        "source": "no_validation",
        "label": "no_validation",
        "classes": ["array-like", None],
        "items": ["array-like", None],
        "sources": ["array-like", None],
        "duplicates": [StrOptions(set(_DUPLICATE_POLICIES))],
        "sparse_output": ["boolean"],
    },
    prefer_skip_nested_validation=True,
)
def to_label_matrix(
    data,
    item="item",
    source="source",
    label="label",
    *,
    classes=None,
    items=None,
    sources=None,
    duplicates="error",
    sparse_output=False,
):
    """Convert a long table of annotations to a label matrix.

    Each row of ``data`` says that ``source`` (an annotator, a labeling
    function) gave ``label`` to ``item``. The result has one row per item and
    one column per source, holding the code of the class each source gave
    each item, or ``-1`` where it gave none. Ids and labels can be any
    hashable values (strings, integers, tuples...); the conversion is
    vectorised: the three columns are factorised (small integers and ids
    already grouped in the table by counting, others with
    :func:`pandas.factorize`, which strings held by pyarrow hash in
    pyarrow), then one scatter builds the dense matrix, or one sort of
    packed (item, source, label) keys the sparse one.

    Read more in the :ref:`User Guide <crowdsourcing>`.

    Parameters
    ----------
    data : pandas.DataFrame
        Long table with one row per annotation.

    item, source, label : hashable, default="item", "source", "label"
        Column names of the item ids, the source ids and the labels. A
        missing label (None / NaN) counts as "no label" (``-1``); a missing
        item or source id is an error.

    classes : array-like of shape (n_classes,), default=None
        The classes, in the order that defines their codes. None uses the
        sorted distinct labels of ``data``. Give it to fix the order or to
        include classes that nobody used; a label not in ``classes`` is an
        error.

    items : array-like of shape (n_items,), default=None
        Item ids, in the order of the rows of ``L``. None uses the items of
        ``data`` in order of first appearance. Give it to align ``L`` with a
        feature matrix: items that nobody labeled get a row of ``-1``.

    sources : array-like of shape (n_sources,), default=None
        Source ids, in the order of the columns of ``L``. None uses the
        sources of ``data`` in order of first appearance.

    duplicates : {"error", "first", "last"}, default="error"
        What to do when a source labeled the same item more than once:
        raise a ``ValueError`` naming the pair, or keep its first or last
        label (in the row order of ``data``).

    sparse_output : bool, default=False
        Return ``L`` as a :class:`scipy.sparse.csr_matrix` that stores the
        class code *plus one* (``1..K``) and leaves out the pairs without a
        label. Its size follows the number of annotations rather than
        ``n_items * n_sources``: use it for crowds of many annotators who
        each label few items. Every aggregator accepts it.

    Returns
    -------
    L : ndarray of shape (n_items, n_sources), dtype=int64, or sparse matrix
        The label matrix: ``L[i, s]`` is the code of the class source ``s``
        gave item ``i`` (an index into ``classes``), ``-1`` for none.
        An ndarray subclass that also keeps ``L.classes`` and
        ``L.ordered``: False when the classes were merely sorted (strings,
        alphabetically), which the agreement metrics refuse at ordered
        levels of measurement. An ordered categorical label column gives
        its categories, in order, as the classes. With
        ``sparse_output=True``, a CSR matrix holding the code plus one, and
        no entry for none, that keeps ``classes`` and ``ordered`` in the
        same way (matrices scipy derives from it, such as slices, do not).

    item_ids : ndarray of shape (n_items,)
        Id of the item of each row.

    source_ids : ndarray of shape (n_sources,)
        Id of the source of each column.

    classes : ndarray of shape (n_classes,)
        The class of each code: ``classes[L[i, s]]`` is the original label.

    See Also
    --------
    MajorityVote, DawidSkene : Aggregate the label matrix into one label per item.

    Examples
    --------
    >>> import pandas as pd
    >>> from sklabels.aggregation import to_label_matrix
    >>> data = pd.DataFrame({
    ...     "item": ["q1", "q1", "q2", "q2", "q3"],
    ...     "source": ["ann", "bob", "ann", "cid", "bob"],
    ...     "label": ["cat", "dog", "dog", "dog", "cat"],
    ... })
    >>> L, item_ids, source_ids, classes = to_label_matrix(data)
    >>> L
    array([[ 0,  1, -1],
           [ 1, -1,  1],
           [-1,  0, -1]])
    >>> item_ids
    array(['q1', 'q2', 'q3'], dtype=object)
    >>> source_ids, classes
    (array(['ann', 'bob', 'cid'], dtype=object), array(['cat', 'dog'], dtype=object))

    The same votes as a sparse matrix (code plus one, nothing for no label):

    >>> S = to_label_matrix(data, sparse_output=True)[0]
    >>> S.toarray()
    array([[1, 2, 0],
           [2, 0, 2],
           [0, 1, 0]])
    """
    item_col = _column(data, item, "item")
    source_col = _column(data, source, "source")
    label_col = _column(data, label, "label")
    item_codes, item_ids = _factorize_ids(item_col, items, "item")
    source_codes, source_ids = _factorize_ids(source_col, sources, "source")
    label_codes, class_values = _factorize_labels(label_col, classes)

    n_items, n_sources = item_ids.size, source_ids.size

    def cells():
        return item_codes.astype(np.int64) * n_sources + source_codes

    def refuse_duplicates(flat, dup):
        rows = np.flatnonzero(dup)
        first = rows[0]
        pair = (_py(item_col.iloc[first]), _py(source_col.iloc[first]))
        others = rows[flat[rows] == flat[first]]
        raise ValueError(
            f"Source {pair[1]!r} labeled item {pair[0]!r} more than once (rows "
            f"{others.tolist()} of data); {np.unique(flat[rows]).size} "
            "(item, source) pair(s) are duplicated. Deduplicate data first, or "
            "pass duplicates='first' or duplicates='last'."
        )

    if duplicates != "error":
        keep = ~pd.Series(cells()).duplicated(keep=duplicates).to_numpy()
        item_codes, source_codes = item_codes[keep], source_codes[keep]
        label_codes = label_codes[keep]
    if sparse_output:
        # the codes recoded as the dense matrix would be (ordered categoricals)
        codes = as_label_matrix(label_codes, label_col, classes, class_values)
        L = _sparse_label_matrix(item_codes, source_codes, codes, n_items, n_sources)
        if L is None:  # a cell stored twice (found while sorting)
            flat = cells()
            refuse_duplicates(flat, pd.Series(flat).duplicated(keep=False).to_numpy())
        return L, item_ids, source_ids, codes.classes
    flat = cells()
    if duplicates == "error":
        dup = _duplicated(flat, n_items * n_sources)
        if dup is not None:
            refuse_duplicates(flat, dup)
    L = np.full(n_items * n_sources, -1, dtype=np.int64)
    L[flat] = label_codes
    L = as_label_matrix(L.reshape(n_items, n_sources), label_col, classes, class_values)
    return L, item_ids, source_ids, L.classes


def _duplicated(flat, n_cells):
    """Mask of the entries whose cell occurs more than once, or None if none.

    A ``bincount`` over the cells when there are not many more cells than
    entries (one pass, no hashing), else pandas' hash-based ``duplicated``.
    """
    if n_cells <= max(16 * flat.size, 1 << 22):
        counts = np.bincount(flat, minlength=n_cells)
        if flat.size == 0 or counts.max() <= 1:
            return None
        return counts[flat] > 1
    dup = pd.Series(flat).duplicated(keep=False).to_numpy()
    return dup if dup.any() else None


def _sparse_label_matrix(item_codes, source_codes, codes, n_items, n_sources):
    """CSR label matrix storing code + 1 for the (item, source) pairs labeled.

    ``codes`` is a 1-D :class:`LabelMatrix`, whose classes the result keeps.
    The item, the source and the code plus one of each row are packed in one
    integer key (int32 when the three fit in 31 bits, twice as fast to sort
    as int64) and the keys sorted with one ``np.sort``: the sorted keys are
    the CSR entries in canonical order, values included (no ``argsort``, no
    gather), and the matrix is marked canonical. Returns None when a cell
    occurs twice (labeled or not), for the caller to report.
    """
    values = np.asarray(codes)
    item_bits = int(max(n_items - 1, 1)).bit_length()
    source_bits = int(max(n_sources - 1, 1)).bit_length()
    value_bits = int(max(codes.classes.size, 1)).bit_length()  # 0..K: code + 1
    n_bits = item_bits + source_bits + value_bits
    small = max(values.size, n_items, n_sources) < 2**31
    index_dtype = np.int32 if small else np.int64
    if n_bits <= _MAX_KEY_BITS:
        dtype = np.int32 if n_bits <= 31 else np.int64
        key = item_codes.astype(dtype)
        key <<= source_bits
        key |= source_codes.astype(dtype, copy=False)
        key <<= value_bits
        key |= (values + 1).astype(dtype, copy=False)
        if key.size > 1 and not np.all(key[1:] >= key[:-1]):
            key.sort()
        cell = key >> value_bits
        if cell.size > 1 and np.any(cell[1:] == cell[:-1]):
            return None
        stored = key & ((1 << value_bits) - 1)
        rows, cols = cell >> source_bits, cell & ((1 << source_bits) - 1)
    else:  # too many items and sources for one integer: sort by both
        order = np.lexsort((source_codes, item_codes))
        rows, cols, stored = item_codes[order], source_codes[order], values[order] + 1
        if np.any((rows[1:] == rows[:-1]) & (cols[1:] == cols[:-1])):
            return None
    has = stored > 0
    if not has.all():  # rows without a label: no entry
        rows, cols, stored = rows[has], cols[has], stored[has]
    L = SparseLabelMatrix(
        (
            stored.astype(np.int64, copy=False),
            cols.astype(index_dtype, copy=False),
            _indptr(rows, n_items, index_dtype),
        ),
        shape=(n_items, n_sources),
        classes=codes.classes,
        ordered=codes.ordered,
    )
    L.has_canonical_format = True  # sorted, no cell twice, no stored zero
    return L


def _indptr(rows, n_rows, dtype):
    """CSR ``indptr`` of sorted row numbers: the positions where the row
    changes when every row occurs, else by counting the rows."""
    indptr = np.empty(n_rows + 1, dtype=dtype)
    indptr[0] = 0
    if rows.size and rows[0] == 0 and rows[-1] == n_rows - 1:
        starts = np.flatnonzero(rows[1:] != rows[:-1])
        if starts.size == n_rows - 1:
            indptr[1:-1] = starts + 1
            indptr[-1] = rows.size
            return indptr
    np.cumsum(np.bincount(rows, minlength=n_rows), out=indptr[1:])
    return indptr


# ---------------------------------------------------------------------------
# Validation at the boundary
# ---------------------------------------------------------------------------


def _check_not_ragged(L, input_name):
    """Name the first row of a list-of-lists whose length differs."""
    if not isinstance(L, (list, tuple)) or len(L) == 0:
        return
    lengths = [len(row) if hasattr(row, "__len__") else -1 for row in L]
    first = lengths[0]
    for i, n in enumerate(lengths):
        if n != first:
            raise ValueError(
                f"{input_name} is ragged: row 0 has {first} entries but row {i} has "
                f"{n}. Give one entry per source in every row, with -1 where a "
                "source gave no label."
            )


def _check_votes(L, *, n_classes=None, input_name="L", fitted=False):
    """Integer codes >= -1 and < n_classes; return them as an int64 array."""
    if L.dtype.kind == "f":
        bad = ~np.isfinite(L)
        if bad.any():
            i, j = np.argwhere(bad)[0]
            raise ValueError(
                f"{input_name} contains NaN or inf ({L[i, j]!r} in row {i}, column "
                f"{j}); mark a missing label with -1, e.g. "
                f"np.nan_to_num({input_name}, nan=-1)."
            )
        bad = L != np.round(L)
        if bad.any():
            i, j = np.argwhere(bad)[0]
            raise ValueError(
                f"{input_name} must hold integer class codes, got {L[i, j].item()!r} "
                f"in row {i}, column {j}. Use 0..K-1 for the classes and -1 for no "
                "label; encode other labels with to_label_matrix or "
                "sklabels.encoding.LabelEncoder."
            )
    elif L.dtype.kind == "b":
        raise TypeError(
            f"{input_name} has boolean dtype; it must hold integer class codes "
            "0..K-1 and -1 for no label. Convert it, e.g. with L.astype(int)."
        )
    L = L.astype(np.int64, copy=False)
    if L.size and L.min() < -1:
        i, j = np.argwhere(L < -1)[0]
        raise ValueError(
            f"{input_name} holds {L[i, j].item()!r} in row {i}, column {j}; class "
            "codes are >= 0 and -1 marks no label (abstain). Values below -1 are "
            "not allowed."
        )
    if n_classes is not None and L.size and L.max() >= n_classes:
        i, j = np.argwhere(L >= n_classes)[0]
        where = "the model was fitted with n_classes_" if fitted else "n_classes"
        raise ValueError(
            f"{input_name} holds the class code {L[i, j].item()!r} in row {i}, column "
            f"{j} but {where}={n_classes}: codes must be in 0..{n_classes - 1} "
            "(-1 for no label)."
        )
    return L


def _to_numeric(L, input_name, convert):
    """Run ``convert`` (check_array / validate_data); clarify string errors."""
    _check_not_ragged(L, input_name)
    try:
        return convert(L)
    except ValueError as exc:
        message = str(exc)
        if "could not convert" not in message and "strings" not in message:
            raise
        values = np.asarray(L, dtype=object).ravel()
        example = next((v for v in values if isinstance(v, (str, bytes))), None)
        raise ValueError(
            f"{input_name} must hold integer class codes (-1 for no label), got "
            f"non-numeric values such as {example!r}. Convert a long table with "
            "sklabels.aggregation.to_label_matrix, or encode the labels with "
            "sklabels.encoding.LabelEncoder first."
        ) from exc


def _check_sparse_votes(S, *, n_classes=None, input_name="L", fitted=False):
    """The votes of a sparse label matrix (code + 1 stored, no entry for none)."""
    triples = sparse_votes(S, n_classes=n_classes, input_name=input_name, fitted=fitted)
    no_vote = None
    if S.format == "csr" and triples[0].size == S.indptr[-1]:  # no entry dropped
        no_vote = S.indptr[1:] == S.indptr[:-1]
    return Votes(S.shape, triples=triples, no_vote=no_vote)


def check_label_matrix(L, *, n_classes=None, input_name="L"):
    """Validate a label matrix outside an estimator; return it as int64.

    Parameters
    ----------
    L : array-like of shape (n_items, n_sources)
        Class codes ``0..K-1``, ``-1`` for no label. Floats with integral
        values are accepted.

    n_classes : int, default=None
        When given, codes must be below it.

    input_name : str, default="L"
        Name of the argument in error messages.

    Returns
    -------
    L : ndarray of shape (n_items, n_sources), dtype=int64
    """
    arr = _to_numeric(
        L,
        input_name,
        lambda X: check_array(
            X, dtype="numeric", ensure_all_finite=False, input_name=input_name
        ),
    )
    return _check_votes(arr, n_classes=n_classes, input_name=input_name)


def check_gold(y, n_items, *, n_classes=None, input_name="y"):
    """Validate gold labels: integer codes, -1 where unknown, one per item."""
    if y is None:
        return None
    if hasattr(y, "toarray"):
        raise TypeError(f"{input_name} must be a dense 1d array, got a sparse matrix.")
    arr = np.asarray(y.to_numpy() if hasattr(y, "to_numpy") else y)
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr.ravel()
    if arr.ndim != 1:
        raise ValueError(
            f"{input_name} must be a 1d array of gold labels (one per item, -1 where "
            f"unknown), got shape {arr.shape}."
        )
    if arr.shape[0] != n_items:
        raise ValueError(
            f"{input_name} has {arr.shape[0]} entries but L has {n_items} items "
            f"(rows); give one gold label per item, -1 where it is unknown."
        )
    if arr.dtype.kind == "O":
        try:
            arr = arr.astype(np.float64)
        except (TypeError, ValueError):
            bad = next(v for v in arr if not isinstance(v, (int, float, np.number)))
            raise ValueError(
                f"{input_name} must hold integer class codes (-1 where unknown), got "
                f"{bad!r}. Encode labels with to_label_matrix(..., classes=...) or "
                "sklabels.encoding.LabelEncoder."
            ) from None
    if arr.dtype.kind not in "iuf" or arr.dtype.kind == "b":
        bad = arr[0] if arr.size else arr
        raise ValueError(
            f"{input_name} must hold integer class codes (-1 where unknown), got "
            f"values of dtype {arr.dtype} such as {bad!r}."
        )
    if arr.dtype.kind == "f":
        bad = ~np.isfinite(arr) | (arr != np.round(arr))
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise ValueError(
                f"{input_name} must hold integer class codes (-1 where unknown), got "
                f"{arr[i].item()!r} in row {i}."
            )
    arr = arr.astype(np.int64)
    bad = arr < -1
    if n_classes is not None:
        bad |= arr >= n_classes
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        allowed = "0.." + (str(n_classes - 1) if n_classes is not None else "K-1")
        raise ValueError(
            f"{input_name} holds {arr[i].item()!r} in row {i}; gold labels are class "
            f"codes {allowed}, or -1 where unknown."
        )
    return arr


# Inferring K from the largest code: at most this many codes may be unused
# (beyond the distinct ones) before a stray code is suspected.
_MAX_UNUSED_CODES = 10


def infer_n_classes(L, y, n_classes):
    """``n_classes`` if given, else the largest code in L and y plus one (>= 2).

    Every aggregator's time and memory grow with ``K`` (some as ``K**2``),
    so a stray large code must not set it silently: when the codes below
    the largest one are mostly unused (more than ``max(d, 10)`` unused,
    for ``d`` distinct codes), this is an error that shows the codes and
    asks for ``n_classes`` or re-encoded labels.
    """
    if n_classes is not None:
        return int(n_classes)
    if isinstance(L, Votes):
        L = L.dense if L.dense is not None else L
    values = L.labels if isinstance(L, Votes) else L
    top = int(values.max()) if values.size else -1
    top_y = int(y.max()) if y is not None and y.size else -1
    if max(top, top_y) < 0:
        raise ValueError(
            "L holds no label at all (every entry is -1) and y no gold label, so "
            "the number of classes cannot be inferred; pass n_classes=..."
        )
    k = max(top, top_y) + 1
    if k > 2 * _MAX_UNUSED_CODES:  # a few unused codes never matter
        codes = [pd.unique(values.ravel())]
        if y is not None:
            codes.append(pd.unique(y))
        distinct = np.unique(np.concatenate(codes))
        distinct = distinct[distinct >= 0]
        if k - distinct.size > max(distinct.size, _MAX_UNUSED_CODES):
            if top >= top_y:
                where = f"L holds the class code {top}" + _position(L, top)
            else:
                where = f"y holds the class code {top_y} in row {_first(y, top_y)}"
            shown = ", ".join(map(str, distinct[:8].tolist()))
            more = ", ..." if distinct.size > 8 else ""
            raise ValueError(
                f"{where}, but only {distinct.size} distinct codes occur "
                f"({shown}{more}): inferring the number of classes from the "
                f"largest code would give K={k}, and the cost of every aggregator "
                "grows with K. Fix the stray code, re-encode the labels to 0..K-1 "
                "(to_label_matrix or sklabels.encoding.LabelEncoder), or pass "
                f"n_classes={k} if there really are that many classes."
            )
    return max(k, 2)


def _first(values, value):
    return int(np.flatnonzero(values.ravel() == value)[0])


def _position(L, value):
    if isinstance(L, Votes):
        v = _first(L.labels, value)
        return f" (row {L.items[v]}, column {L.sources[v]})"
    i, j = np.unravel_index(_first(L, value), L.shape)
    return f" (row {i}, column {j})"


# ---------------------------------------------------------------------------
# Kernels (trusted input)
# ---------------------------------------------------------------------------


class Votes:
    """The votes of a label matrix, as (item, source, label) triples.

    The aggregators work on this form: each pass costs ``O(n_votes)``
    whatever the share of ``(item, source)`` pairs that hold a vote. A dense
    matrix is kept as it is until the triples are first needed (one
    ``np.nonzero``); when more than a third of it holds votes, the vote
    counts of a majority vote run on the dense array directly, which is
    then faster than splitting it.
    """

    def __init__(self, shape, *, triples=None, dense=None, no_vote=None):
        self.shape = tuple(shape)
        self.dense = dense
        self._triples = triples
        self._filled = None
        self._no_vote = None  # cached mask (read-only)
        if no_vote is not None:  # known by the caller (from a CSR indptr)
            no_vote.flags.writeable = False
            self._no_vote = no_vote
        self._cells = {}  # (n_classes, by_class) -> the bin of each vote

    @classmethod
    def from_dense(cls, L):
        return cls(L.shape, dense=L)

    @property
    def triples(self):
        """(items, sources, labels) of the votes, in row-major order."""
        if self._triples is None:
            items, sources = np.nonzero(self.dense >= 0)
            self._triples = (items, sources, self.dense[items, sources])
        return self._triples

    @property
    def items(self):
        return self.triples[0]

    @property
    def sources(self):
        return self.triples[1]

    @property
    def labels(self):
        if self._triples is None:
            return self.dense[self.dense >= 0]
        return self.triples[2]

    def counts(self, n_classes, weights=None, *, by_class=False):
        """Per-item (weighted by source) votes for each class, shape (n, K).

        ``by_class=True`` returns the same numbers F-ordered when they are
        counted from the triples (the transpose of a ``(K, n)`` array): each
        class a contiguous column, for ``argmax_rows``. Each sum runs over
        the votes in the same order either way.
        """
        if self._triples is None and self._mostly_filled():
            return vote_counts(self.dense, n_classes, weights)
        items, sources, labels = self.triples
        w = None if weights is None else np.asarray(weights)[sources]
        n_items = self.shape[0]
        cells = self._cells.get((n_classes, by_class))
        if cells is None:  # computed once per matrix: EM passes reuse it
            if by_class:
                cells = labels * n_items + items
            else:
                cells = items * n_classes + labels
            self._cells[(n_classes, by_class)] = cells
        counts = bincount(cells, weights=w, minlength=n_items * n_classes)
        if by_class:
            return counts.reshape(n_classes, n_items).T
        return counts.reshape(n_items, n_classes)

    def _mostly_filled(self):
        if self._filled is None:
            has = self.dense >= 0
            self._filled = 3 * np.count_nonzero(has) > self.dense.size
            if not self._filled:  # the triples will be needed: split now
                items, sources = np.nonzero(has)
                self._triples = (items, sources, self.dense[items, sources])
        return self._filled

    def take_rows(self, rows):
        """The votes of the (sorted) rows ``rows`` only, renumbered from 0."""
        if self._triples is None:
            return Votes.from_dense(self.dense[rows])
        position = np.full(self.shape[0], -1, dtype=np.int64)
        position[rows] = np.arange(rows.size)
        items, sources, labels = self._triples
        new = position[items]
        keep = new >= 0
        return Votes(
            (rows.size, self.shape[1]),
            triples=(new[keep], sources[keep], labels[keep]),
        )

    def no_vote(self):
        """Boolean mask of the items without any vote (read-only, cached)."""
        if self._no_vote is None:
            if self._triples is None:
                mask = (self.dense < 0).all(axis=1)
            else:
                mask = np.bincount(self._triples[0], minlength=self.shape[0]) == 0
            mask.flags.writeable = False
            self._no_vote = mask
        return self._no_vote

    def toarray(self):
        """The dense label matrix, ``-1`` for no label."""
        if self.dense is None:
            items, sources, labels = self._triples
            self.dense = np.full(self.shape, -1, dtype=np.int64)
            self.dense[items, sources] = labels
        return self.dense


def bincount(x, weights=None, minlength=0):
    """``np.bincount`` with weights, always float64 (also for empty ``x``)."""
    return np.bincount(x, weights=weights, minlength=minlength).astype(
        np.float64, copy=False
    )


def vote_triples(L):
    """(items, sources, labels) of the non-missing entries, in row-major order."""
    if isinstance(L, Votes):
        return L.triples
    items, sources = np.nonzero(L >= 0)
    return items, sources, L[items, sources]


def vote_counts(L, n_classes, weights=None):
    """Per-item (weighted) number of votes for each class, shape (n, K).

    One ``bincount`` over every entry, abstains included (bin 0 of each
    item, dropped): a pass over ``L`` without the index arrays of
    ``vote_triples``, 2-5 x faster. Sums run in row-major order, as there.
    ``L`` may also be :class:`Votes` (``weights`` then one per source).
    """
    if isinstance(L, Votes):
        return L.counts(n_classes, weights)
    n_items = L.shape[0]
    bins = L + (np.arange(n_items, dtype=np.int64) * (n_classes + 1) + 1)[:, None]
    w = None if weights is None else np.broadcast_to(weights, L.shape).ravel()
    counts = np.bincount(bins.ravel(), weights=w, minlength=n_items * (n_classes + 1))
    counts = counts.reshape(n_items, n_classes + 1)[:, 1:]
    return counts.astype(np.float64)


def onehot_votes(L, n_classes):
    """Sparse (n_items, n_sources * K) indicator of "source s voted class l".

    Column ``s * K + l``. Products with it aggregate per-vote quantities over
    items (``V @ table``) or over (source, label) pairs (``V.T @ T``) without
    a Python loop over items or votes.
    """
    items, sources, labels = vote_triples(L)
    n_items, n_sources = L.shape
    return sparse.csr_matrix(
        (np.ones(items.size), (items, sources * n_classes + labels)),
        shape=(n_items, n_sources * n_classes),
    )


_INT64_MAX = np.iinfo(np.int64).max


def _n_digits(room, base):
    """The largest ``w`` with ``base ** w <= room`` (Python ints, no overflow)."""
    width, power = 0, base
    while power <= room:
        width, power = width + 1, power * base
    return width


def vote_patterns(L, n_classes, y=None):
    """The distinct rows of ``L`` (each with its gold label, when ``y`` is given).

    Each row is read as a number in base ``K + 1``, as many columns at a time
    as int64 holds (``L @ powers``); when no further column fits, the codes
    so far are replaced by their ranks among the rows (at most ``n_rows``
    values), which makes room again. The codes are then factorised with a
    hash table: no sort and no copy of ``L`` (about 50 x faster than
    ``np.unique(axis=0)``).

    Returns
    -------
    first : ndarray of shape (n_patterns,)
        Index of the first row of each pattern; patterns are numbered in the
        order in which they first appear.
    inverse : ndarray of shape (n_rows,)
        The pattern of each row: ``L[first][inverse] == L``.
    counts : ndarray of shape (n_patterns,)
        How many rows each pattern stands for.
    """
    base = n_classes + 1
    blocks = [L] if y is None else [L, y[:, None]]
    code, n_codes = np.zeros(L.shape[0], dtype=np.int64), 1  # codes in [0, n_codes)
    for block in blocks:
        start = 0
        while start < block.shape[1]:  # a loop over columns, not rows
            width = _n_digits(_INT64_MAX // n_codes, base)
            if width == 0:  # no room for one more column: re-rank the codes
                code = pd.factorize(code)[0].astype(np.int64)
                n_codes = int(code.max()) + 1 if code.size else 1
                continue
            part = block[:, start : start + width]
            powers = base ** np.arange(part.shape[1], dtype=np.int64)
            size = base ** part.shape[1]
            # Votes -1..K-1 are the digits 0..K: add the sum of the powers.
            code = code * size + (part @ powers + int(powers.sum()))
            n_codes *= size
            start += part.shape[1]
    inverse = pd.factorize(code)[0].astype(np.intp, copy=False)
    # Patterns are numbered by first appearance: a new one is a new maximum.
    seen = np.maximum.accumulate(inverse)
    first = np.flatnonzero(np.r_[inverse.size > 0, seen[1:] > seen[:-1]])
    return first, inverse, np.bincount(inverse, minlength=first.size)


def softmax_rows(log_scores):
    """Row-wise softmax of log-scores; also return the row log-normalisers.

    Works on a ``(K, n)`` copy, so that the max and the sum over the ``K``
    classes are elementwise operations between long contiguous rows rather
    than ``n`` reductions over a short axis (8 x faster for ``K = 4``). The
    probabilities come back as the transpose, an F-ordered ``(n, K)`` array.
    """
    cols = np.array(log_scores.T, dtype=np.float64, order="C")
    top = np.maximum.reduce(cols)
    top[~np.isfinite(top)] = 0.0
    cols -= top
    np.exp(cols, out=cols)
    total = np.add.reduce(cols)
    cols /= total
    return cols.T, np.log(total) + top


def argmax_rows(T):
    """``T.argmax(axis=1)`` (first maximum) by a loop over the K columns.

    For the ``(n, K)`` arrays of ``softmax_rows``, F-ordered, each step is an
    elementwise comparison of two contiguous columns: several times faster
    than ``n`` reductions over a short axis.
    """
    return argmax_max_rows(T)[0]


def argmax_max_rows(T):
    """``argmax_rows(T)`` and the largest value of each row.

    The label of a row is the last column ``k`` larger than every column
    before it, the first maximum: the largest of ``k * (T[:, k] > best)``,
    taken with branch-free ufuncs into preallocated arrays (a boolean-mask
    assignment costs twice as much).
    """
    n = T.shape[0]
    best = T[:, 0].copy()
    labels = np.zeros(n, dtype=np.intp)
    better = np.empty(n, dtype=bool)
    candidate = np.empty(n, dtype=np.intp)
    for k in range(1, T.shape[1]):
        column = T[:, k]
        np.greater(column, best, out=better)
        np.multiply(better, k, out=candidate)
        np.maximum(labels, candidate, out=labels)
        np.maximum(best, column, out=best)
    return labels, best


def clamp_gold(T, y):
    """Set the posterior of items with a gold label to that label (in place)."""
    if y is not None:
        known = y >= 0
        if known.any():
            T[known] = 0.0
            T[known, y[known]] = 1.0
    return T
