"""Hash-based kernels that turn label vectors into integer codes.

scikit-learn sorts (``np.unique`` / ``np.searchsorted``) or loops in Python
(a dict lookup per object label). These kernels hash instead, in C through
pandas, and validate the *distinct* labels rather than every row, so that
checking a vector of millions of labels costs about as much as reading it.

All functions here trust their input to be a 1-D numpy array (as returned by
:func:`sklabels.utils._validation._to_1d_array`); public entry points validate
first.
"""

import numpy as np
import pandas as pd
from pandas.api.types import infer_dtype

from sklabels.utils._validation import (
    _UNIFORM_KINDS,
    _describe_positions,
    _kind_error,
)

__all__ = ["LabelCodes", "factorize_labels", "lookup_codes", "unique_labels"]


class LabelCodes:
    """A 1-D label vector as codes into its distinct values.

    Attributes
    ----------
    codes : ndarray of shape (n_samples,), dtype=intp or None
        Code of each row into ``uniques``; -1 for a missing label. None when
        only the distinct values were asked for.
    uniques : ndarray of shape (n_uniques,)
        Distinct non-missing labels, in order of first appearance when
        ``codes`` is given, in no particular order otherwise.
    missing : ndarray of shape (n_samples,), dtype=bool or None
        Rows with a missing label, or None when there is none.
    """

    __slots__ = ("codes", "missing", "uniques")

    def __init__(self, codes, uniques, missing):
        self.codes = codes
        self.uniques = uniques
        self.missing = missing


def _fixed_width_keys(arr):
    """64-bit keys for a fixed-width string array (``U`` or ``S`` dtype).

    Equal strings always get equal keys; different strings almost never do,
    and callers verify, so a collision only costs a slower exact path.
    """
    n, itemsize = arr.shape[0], arr.dtype.itemsize
    raw = np.ascontiguousarray(arr).view(np.uint8).reshape(n, itemsize)
    n_words = itemsize // 8
    columns = [
        raw[:, 8 * j : 8 * (j + 1)].view(np.uint64)[:, 0] for j in range(n_words)
    ]
    rest = itemsize - 8 * n_words
    if rest == 4:  # numpy unicode: 4 bytes per character
        columns.append(raw[:, 8 * n_words :].view(np.uint32)[:, 0].astype(np.uint64))
    elif rest:
        tail = np.zeros((n, 8), dtype=np.uint8)
        tail[:, :rest] = raw[:, 8 * n_words :]
        columns.append(tail.view(np.uint64)[:, 0])
    keys = columns[0].copy()
    prime = np.uint64(0x100000001B3)
    for column in columns[1:]:
        keys *= prime
        keys ^= column
    return keys


def _factorize_fixed_width(arr):
    """Factorize a ``U``/``S`` array through 64-bit keys, verified exactly."""
    codes, _ = pd.factorize(_fixed_width_keys(arr))
    first = np.empty(codes.max() + 1 if codes.size else 0, dtype=np.intp)
    first[codes[::-1]] = np.arange(codes.size - 1, -1, -1)
    uniques = arr[first]
    if not np.array_equal(uniques[codes], arr):  # a key collision: be exact
        codes, uniques = pd.factorize(arr.astype(object))
        uniques = np.asarray(uniques).astype(arr.dtype)
    return codes, uniques


def _validate_uniques(uniques, input_name):
    """Check the distinct labels: one kind of value, finite; return them typed."""
    if uniques.dtype.kind == "f" and np.isinf(uniques).any():
        raise ValueError(
            f"{input_name} contains infinity; labels must be finite, got "
            f"{uniques[np.isinf(uniques)].tolist()}."
        )
    if uniques.dtype.kind == "c":
        raise TypeError(f"{input_name} has complex dtype {uniques.dtype}; not a label.")
    if uniques.dtype.kind != "O":
        return uniques
    kind = infer_dtype(uniques, skipna=True)
    if kind not in _UNIFORM_KINDS:
        raise _kind_error(uniques, input_name)
    target = _UNIFORM_KINDS[kind]
    if target is None:
        return uniques
    try:
        return uniques.astype(target)
    except OverflowError:  # integers beyond int64 stay Python ints
        return uniques


def _missing_error(arr, missing, input_name):
    return ValueError(
        f"{input_name} contains missing labels (None/NaN) in "
        f"{_describe_positions(missing, arr)}; remove or impute them first."
    )


def _split_missing(uniques):
    """Drop missing markers (None, NaN, pd.NA) from distinct values."""
    if uniques.dtype.kind == "O":
        miss = np.asarray(pd.isna(uniques), dtype=bool)
    elif uniques.dtype.kind in "fc":
        miss = np.isnan(uniques)
    else:
        return uniques, False
    return (uniques[~miss], True) if miss.any() else (uniques, False)


def unique_labels(arr, *, input_name="y", allow_missing=False, categorical=None):
    """Distinct non-missing labels of ``arr``, validated, in no set order.

    Only the distinct values are type-checked, so the cost is one hashing
    pass over ``arr``. When ``allow_missing`` is False a missing label raises
    a ``ValueError`` listing the rows.

    Returns
    -------
    result : LabelCodes
        With ``codes`` None and ``missing`` the mask of missing rows (or None).
    """
    if categorical is not None:
        codes, categories = categorical
        present = np.bincount(codes[codes >= 0], minlength=len(categories)) > 0
        uniques = _validate_uniques(np.asarray(categories)[present], input_name)
        has_missing = bool((codes < 0).any())
    elif arr.dtype.kind == "O":
        try:
            distinct = set(arr)
        except TypeError:  # unhashable values (lists, dicts) are not labels
            raise _kind_error(arr, input_name) from None
        uniques, has_missing = _split_missing(np.array(list(distinct), dtype=object))
        uniques = _validate_uniques(uniques, input_name)
    elif arr.dtype.kind in "US":
        _, uniques = _factorize_fixed_width(arr)
        has_missing = False
    else:
        uniques, has_missing = _split_missing(pd.unique(arr))
        uniques = _validate_uniques(uniques, input_name)
    missing = None
    if has_missing:
        missing = (
            categorical[0] < 0
            if categorical is not None
            else np.asarray(pd.isna(arr), dtype=bool)
        )
        if not allow_missing:
            raise _missing_error(arr, missing, input_name)
    return LabelCodes(None, uniques, missing)


def factorize_labels(arr, *, input_name="y", allow_missing=False, categorical=None):
    """Codes of ``arr`` into its distinct labels in order of first appearance.

    Returns
    -------
    result : LabelCodes
        ``codes`` is -1 on missing rows; ``missing`` is their mask or None.
    """
    if categorical is not None:
        cat_codes, categories = categorical
        # categories in order of first appearance, by hashing the codes
        order = pd.unique(cat_codes[cat_codes >= 0]).astype(np.intp)
        remap = np.full(len(categories) + 1, -1, dtype=np.intp)
        remap[order] = np.arange(order.size)
        codes = remap[cat_codes]
        uniques = np.asarray(categories)[order]
    elif arr.dtype.kind in "US":
        codes, uniques = _factorize_fixed_width(arr)
    else:
        try:
            codes, uniques = pd.factorize(arr, use_na_sentinel=True)
        except TypeError:  # unhashable values (lists, dicts) are not labels
            raise _kind_error(arr, input_name) from None
        uniques = np.asarray(uniques)
        # pandas' sentinel covers None/NaN; keep the object typing checked
    uniques = _validate_uniques(uniques, input_name)
    missing = None
    if codes.size and codes.min() < 0:
        missing = codes < 0
        if not allow_missing:
            raise _missing_error(arr, missing, input_name)
    return LabelCodes(codes.astype(np.intp, copy=False), uniques, missing)


def lookup_codes(arr, classes_index, *, categorical=None):
    """Position of each label of ``arr`` in ``classes_index``; -1 if absent.

    ``classes_index`` is a :class:`pandas.Index` over the classes. Missing
    labels and unknown labels both get -1: callers tell them apart.
    """
    if categorical is not None:
        cat_codes, categories = categorical
        values, index = _bools_as_numbers(np.asarray(categories), classes_index)
        table = np.append(index.get_indexer(values), -1)
        return table[cat_codes]
    arr, classes_index = _bools_as_numbers(arr, classes_index)
    return classes_index.get_indexer(arr)


def _bools_as_numbers(arr, classes_index):
    """Make True / False match 1 / 0 across boolean and numeric labels.

    numpy, hence scikit-learn's encoders, compare ``True == 1``; a pandas
    index of booleans does not find the number 1 (nor the reverse), so the
    boolean side is looked up as integers.
    """
    arr_kind, classes_kind = arr.dtype.kind, classes_index.dtype.kind
    if classes_kind == "b" and arr_kind in "iuf":
        return arr, pd.Index(classes_index.to_numpy().astype(np.int64))
    if arr_kind == "b" and classes_kind in "iuf":
        return arr.astype(np.int64), classes_index
    return arr, classes_index
