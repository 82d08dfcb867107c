"""Validation of label vectors shared by every sklabels entry point.

Labels are validated once, at the boundary, by :func:`check_labels`; private
kernels then trust what they receive.
"""

import warnings

import numpy as np
import pandas as pd
from pandas.api.types import infer_dtype
from sklearn.exceptions import DataConversionWarning

__all__ = ["check_classes", "check_finite_proba", "check_labels"]

# ``pandas.api.types.infer_dtype`` answers that name a single kind of value.
_UNIFORM_KINDS = {
    "string": None,
    "bytes": None,
    "integer": np.int64,
    "floating": np.float64,
    "mixed-integer-float": np.float64,
    "decimal": None,
    "boolean": np.bool_,
    "empty": None,
    "datetime64": None,
    "datetime": None,
    "date": None,
    "timedelta64": None,
    "timedelta": None,
    "period": None,
    "categorical": None,
}


def _describe_positions(mask, values, limit=5):
    """Describe the first few flagged rows as ``index=value`` pairs."""
    idx = np.flatnonzero(mask)
    shown = ", ".join(f"{i}: {values[i]!r}" for i in idx[:limit])
    more = f" and {idx.size - limit} more" if idx.size > limit else ""
    return f"{idx.size} row(s) ({shown}{more})"


def _type_names(values):
    """Sorted names of the Python types present among ``values``."""
    return sorted({type(v).__name__ for v in values})


def _kind_error(values, input_name):
    """TypeError for labels that are not of one kind (strings or numbers).

    ``values`` are the non-missing labels (all of them, or the distinct ones).
    The message names the types present and, when it can tell, the fix.
    """
    names = _type_names(values)
    if len(names) == 1:  # one type, but not a label type (tuple, dict, object)
        return TypeError(
            f"{input_name} must hold labels that are strings or numbers, got "
            f"values of type {names[0]!r} such as {values[0]!r}. Encode each "
            "label as a string or a number first"
            + (
                " (e.g. '|'.join(map(str, label)))"
                if isinstance(values[0], (tuple, list, frozenset))
                else ""
            )
            + "; for several labels per row use sklabels.encoding.MultiLabelEncoder."
        )
    message = (
        f"{input_name} must hold labels of one kind (all strings or all numbers), "
        f"got a mix of types {names}."
    )
    kinds = infer_dtype(values, skipna=True)
    if kinds == "mixed-integer" or (kinds == "mixed" and "str" in names):
        numbers = pd.to_numeric(pd.Series(values, dtype=object), errors="coerce")
        if (numbers == -1).any() and "str" in names:
            message += (
                f" The number -1 among string labels looks like scikit-learn's "
                f"marker for an unlabeled row: mark unlabeled rows with None or "
                f"NaN instead (e.g. {input_name} = [None if v == -1 else v for v "
                f"in {input_name}])."
            )
    return TypeError(message)


def check_labels(
    y,
    *,
    input_name="y",
    allow_missing=False,
    ensure_non_empty=True,
):
    """Validate a 1-D vector of class labels and convert it to a numpy array.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        Labels: a list, numpy array, pandas Series (categoricals included) or
        a single-column DataFrame. Labels must be uniformly strings or
        uniformly numbers.

    input_name : str, default="y"
        Name used for the argument in error messages.

    allow_missing : bool, default=False
        Whether None / NaN / ``pd.NA`` are allowed. When False they raise a
        ``ValueError`` that lists the offending rows.

    ensure_non_empty : bool, default=True
        Whether an empty vector raises a ``ValueError``.

    Returns
    -------
    y : ndarray of shape (n_samples,)
        The labels; numeric labels as a numeric dtype, other labels as an
        object or string array. The row order is unchanged.

    missing : ndarray of shape (n_samples,), dtype=bool
        Which rows hold a missing label (all False when none do).

    Examples
    --------
    >>> from sklabels.utils import check_labels
    >>> y, missing = check_labels(["cat", "dog", None], allow_missing=True)
    >>> missing
    array([False, False,  True])
    >>> check_labels([1, "a"])
    Traceback (most recent call last):
        ...
    TypeError: y must hold labels of one kind (all strings or all numbers), ...
    """
    arr, categorical = _to_1d_array(y, input_name=input_name)
    if ensure_non_empty and arr.shape[0] == 0:
        raise ValueError(f"{input_name} is empty: at least one label is required.")
    kind = infer_dtype(categorical[1], skipna=True) if categorical is not None else None

    if arr.dtype.kind == "O":
        missing = np.asarray(pd.isna(arr), dtype=bool)
    elif arr.dtype.kind in "fc":
        missing = np.isnan(arr)
    else:
        missing = np.zeros(arr.shape[0], dtype=bool)
    if missing.any() and not allow_missing:
        raise ValueError(
            f"{input_name} contains missing labels (None/NaN) in "
            f"{_describe_positions(missing, arr)}; remove or impute them first."
        )

    if arr.dtype.kind == "f" and np.isinf(arr).any():
        raise ValueError(
            f"{input_name} contains infinity in "
            f"{_describe_positions(np.isinf(arr), arr)}; labels must be finite."
        )
    if arr.dtype.kind == "c":
        raise TypeError(f"{input_name} has complex dtype {arr.dtype}; not a label.")

    if arr.dtype.kind == "O":
        if kind is None:
            kind = infer_dtype(arr, skipna=True)
        if kind not in _UNIFORM_KINDS:
            present = arr[~missing] if missing.any() else arr
            raise _kind_error(present, input_name)
        target = _UNIFORM_KINDS[kind]
        if kind == "string" and isinstance(y, list):
            target = str  # what numpy makes of a list of strings
            # numpy's fixed-width strings drop trailing NUL characters, which
            # would merge "a" and "a\x00": such labels stay Python strings
            # (checked on the distinct labels: a hash pass, not a string op
            # per row)
            if any(
                isinstance(label, str) and label.endswith("\x00")
                for label in pd.unique(arr)
            ):
                target = None
        if target is not None and not missing.any():
            arr = arr.astype(target)
    return arr, missing


def _to_1d_array(y, *, input_name="y"):
    """Turn any 1-D label container into a numpy array, checking only shape.

    Returns
    -------
    arr : ndarray of shape (n_samples,)
    categorical : tuple of (codes, categories) or None
        For a pandas categorical, its codes (-1 for missing) and categories,
        so that callers can work on the codes instead of the values.
    """
    if y is None:
        raise ValueError(f"{input_name} is None; expected an array-like of labels.")
    if isinstance(y, pd.DataFrame):
        if y.shape[1] != 1:
            raise ValueError(
                f"{input_name} should be a 1d array, got a DataFrame of shape "
                f"{y.shape} instead."
            )
        y = y.iloc[:, 0]
    categorical = None
    if isinstance(y, (pd.Series, pd.Index)):
        if isinstance(y.dtype, pd.CategoricalDtype):
            values = y.array  # a pandas Categorical, for Series and Index alike
            categorical = (np.asarray(values.codes, dtype=np.intp), values.categories)
            arr = np.asarray(values.astype(object))
        elif y.dtype.kind in "biuf" and not y.hasnans:
            arr = y.to_numpy()
        else:
            arr = y.to_numpy(dtype=object)
            if y.dtype.kind == "f":
                arr = arr.astype(np.float64)
    elif isinstance(y, (str, bytes)) or np.isscalar(y):
        raise ValueError(
            f"{input_name} should be a 1d array-like of labels, got the scalar "
            f"{y!r} instead."
        )
    elif hasattr(y, "toarray"):
        raise TypeError(
            f"{input_name} must be a dense 1d array-like of labels, got a "
            f"sparse matrix of shape {y.shape}."
        )
    else:
        arr = y if isinstance(y, np.ndarray) else _as_array(y)
    if arr.ndim == 2 and arr.shape[1] == 1:
        warnings.warn(
            f"A column-vector {input_name} was passed when a 1d array was "
            "expected. Please change the shape of y to (n_samples, ), for "
            "example using ravel().",
            DataConversionWarning,
            stacklevel=3,
        )
        arr = arr.ravel()
    if arr.ndim != 1:
        raise ValueError(
            f"{input_name} should be a 1d array, got an array of shape "
            f"{arr.shape} instead."
        )
    return arr, categorical


def _as_array(y):
    """Convert a non-numpy sequence to an array without coercing mixed types.

    A list that starts with a string becomes an object array: hashing Python
    strings is faster than building a fixed-width copy, and a mix of types is
    then caught on the distinct values instead of being stringified.
    """
    if isinstance(y, list) and y and isinstance(y[0], str):
        arr = np.asarray(y, dtype=object)
        if arr.ndim == 1:
            return arr
    try:
        arr = np.asarray(y)
    except ValueError as exc:  # ragged nested sequences
        raise ValueError(
            f"y should be a 1d array of labels, got a sequence numpy cannot "
            f"turn into an array: {exc}. For several labels per row use "
            "sklabels.encoding.MultiLabelEncoder."
        ) from None
    if (
        arr.dtype.kind in "USa"
        and len(arr)
        and infer_dtype(y, skipna=False)
        != ("string" if arr.dtype.kind == "U" else "bytes")
    ):
        # numpy turned a mix such as [1, "a"] or [nan, "a"] into strings: keep
        # the originals, so that the mix is reported and NaN stays missing.
        arr = np.asarray(y, dtype=object)
    return arr


def check_classes(classes, *, input_name="classes"):
    """Validate an explicit list of classes: 1-D, non-empty, no duplicates.

    Parameters
    ----------
    classes : array-like of shape (n_classes,)
        The classes, in the order that the caller wants to keep.

    input_name : str, default="classes"
        Name used for the argument in error messages.

    Returns
    -------
    classes : ndarray of shape (n_classes,)
        The classes in the given order.

    Examples
    --------
    >>> from sklabels.utils import check_classes
    >>> check_classes(["b", "a"])
    array(['b', 'a'], dtype='<U1')
    >>> check_classes(["a", "a"])
    Traceback (most recent call last):
        ...
    ValueError: classes contains duplicates: ['a']; each class must appear once.
    """
    arr, _ = check_labels(classes, input_name=input_name)
    uniques, counts = np.unique(arr, return_counts=True)
    if (counts > 1).any():
        raise ValueError(
            f"{input_name} contains duplicates: {uniques[counts > 1].tolist()}; "
            "each class must appear once."
        )
    return arr


def _format_row(row, limit=10):
    shown = ", ".join(f"{v:.6g}" for v in row[:limit])
    return f"[{shown}{', ...' if row.size > limit else ''}]"


def _first_bad_row(bad):
    """Index of the first flagged row and a note on how many more there are."""
    i = int(np.argmax(bad))
    more = int(bad.sum()) - 1
    return i, (f" ({more} more row(s) too)" if more else "")


def check_soft_targets(
    Y,
    n_classes=None,
    *,
    input_name="Y",
    atol=1e-6,
    what="class probabilities",
    require_sum_to_one=True,
):
    """Validate a matrix of class probabilities (soft targets).

    Parameters
    ----------
    Y : {array-like, sparse matrix} of shape (n_samples, n_classes)
        One row per sample, one column per class; entries non-negative, rows
        summing to 1.

    n_classes : int, default=None
        Required number of columns; None accepts any (at least 1).

    input_name : str, default="Y"
        Name used for the argument in error messages.

    atol : float, default=1e-6
        Tolerance on the row sums.

    what : str, default="class probabilities"
        What the entries are, for error messages.

    require_sum_to_one : bool, default=True
        Whether rows must sum to 1.

    Returns
    -------
    Y : ndarray of shape (n_samples, n_classes), dtype=float64
        The validated matrix.

    Examples
    --------
    >>> from sklabels.utils import check_soft_targets
    >>> check_soft_targets([[0.9, 0.1], [0.2, 0.8]])
    array([[0.9, 0.1],
           [0.2, 0.8]])
    >>> check_soft_targets([[0.9, 0.2]])
    Traceback (most recent call last):
        ...
    ValueError: Y rows must sum to 1 (tolerance 1e-06); row 0 sums to 1.1: [0.9, 0.2]...
    """
    if hasattr(Y, "toarray"):
        Y = Y.toarray()
    Y = np.asarray(Y)
    if Y.dtype.kind not in "biuf":
        raise TypeError(f"{input_name} must hold numeric {what}, got dtype {Y.dtype}.")
    Y = Y.astype(np.float64, copy=False)
    if Y.ndim != 2:
        raise ValueError(
            f"{input_name} must be a 2d array of shape (n_samples, n_classes), got "
            f"shape {Y.shape}."
        )
    if n_classes is not None and Y.shape[1] != n_classes:
        raise ValueError(
            f"{input_name} has {Y.shape[1]} columns but there are {n_classes} "
            "classes; give one column per class."
        )
    if Y.shape[0] == 0:
        raise ValueError(f"{input_name} is empty: at least one row is required.")
    bad = ~np.isfinite(Y).all(axis=1)
    if bad.any():
        i, more = _first_bad_row(bad)
        raise ValueError(
            f"{input_name} must hold finite {what}; row {i} contains NaN or "
            f"infinity: {_format_row(Y[i])}{more}."
        )
    bad = (Y < 0).any(axis=1)
    if bad.any():
        i, more = _first_bad_row(bad)
        raise ValueError(
            f"{input_name} must hold non-negative {what}; row {i} is "
            f"{_format_row(Y[i])}{more}."
        )
    if require_sum_to_one:
        sums = Y.sum(axis=1)
        bad = np.abs(sums - 1.0) > atol
        if bad.any():
            i, more = _first_bad_row(bad)
            raise ValueError(
                f"{input_name} rows must sum to 1 (tolerance {atol:g}); row {i} "
                f"sums to {sums[i]:.6g}: {_format_row(Y[i])}{more}. Normalise the "
                f"rows, e.g. {input_name} / {input_name}.sum(axis=1, keepdims=True)."
            )
    return Y


def check_finite_proba(proba, estimator, rows=None, *, purpose):
    """Refuse class probabilities from ``estimator`` with NaN or infinite entries.

    A NaN is neither confident nor unconfident: ranked or thresholded as it
    comes, it gives an answer that rests on no evidence at all. The message
    names the classifier, since the user did not pass these probabilities.

    Parameters
    ----------
    proba : array-like of shape (n_rows, n_classes)
        What ``estimator.predict_proba`` returned (possibly fold by fold).
    estimator : estimator
        The classifier that returned them, for the message.
    rows : array-like of shape (n_rows,), default=None
        Positions in the training data of the rows of ``proba``, for the
        message; None when row ``i`` of ``proba`` is row ``i`` of ``X``.
    purpose : str
        What cannot be done with them (e.g. "label issues cannot be found
        with them"), for the message.

    Returns
    -------
    proba : ndarray of float
    """
    proba = np.asarray(proba, dtype=float)
    if np.isfinite(proba).all():  # one pass; the row-wise search only on failure
        return proba
    bad = ~np.isfinite(proba).all(axis=1)
    if bad.any():
        first = int(np.argmax(bad))
        row = first if rows is None else int(rows[first])
        shown = ", ".join(f"{v:.6g}" for v in proba[first, :10])
        raise ValueError(
            f"{type(estimator).__name__}.predict_proba returned NaN or infinite "
            f"probabilities for {int(bad.sum())} of {proba.shape[0]} rows (first: "
            f"row {row} of X, [{shown}]); {purpose}. Fix the classifier (for "
            "example, impute missing values of X in a pipeline before it, or "
            "scale X so that it converges)."
        )
    return proba


# Tolerance on the row sums of a probability matrix, by the dtype the user
# gave: a low-precision array cannot sum to 1 more closely than its rounding
# allows (float16 rows rounded from exact probabilities miss 1 by up to about
# 5e-4). The sums themselves are taken in at least float32.
_ROW_SUM_ATOL = {
    np.dtype(np.float64): 1e-6,
    np.dtype(np.float32): 1e-4,
    np.dtype(np.float16): 4e-3,
}


def _row_sum_atol(dtype):
    """Tolerance on the row sums for an input of ``dtype`` (1e-6 by default)."""
    return _ROW_SUM_ATOL.get(np.dtype(dtype), 1e-6)


def _fast_rows_ok(block, atol):
    """Whether every row is finite, non-negative and sums to 1 (cheap check).

    A NaN or an infinity makes a row sum non-finite, so two reductions
    suffice; when they fail, :func:`check_soft_targets` builds the message.
    """
    if block.size == 0:
        return False
    if not block.min() >= 0:  # also False for NaN
        return False
    if block.dtype.itemsize < 4:  # float16 sums would round to its own ulp
        block = block.astype(np.float32)
    sums = block @ np.ones(block.shape[1], dtype=block.dtype)
    return bool(np.all(np.abs(sums - 1.0) <= atol))


def _check_class_indices(
    labels, n_classes, n_rows, *, input_name="labels", rows_of="pred_probs"
):
    """Validate labels as integer class indices ``0..n_classes-1``.

    One label per row of ``rows_of`` (the probability matrix whose columns
    are the classes); returned as an ``intp`` array.
    """
    y, _ = check_labels(labels, input_name=input_name)
    if y.dtype.kind == "f":
        fractional = y != np.floor(y)
        if fractional.any():
            where = _describe_positions(fractional, y.tolist())
            raise ValueError(
                f"{input_name} must hold integer class indices (columns of "
                f"{rows_of}), got non-integer values in {where}."
            )
    elif y.dtype.kind not in "biu":
        raise TypeError(
            f"{input_name} must hold integer class indices 0..{n_classes - 1} (the "
            f"columns of {rows_of}), got labels of dtype {y.dtype} such as "
            f"{y[:1].tolist()[0]!r}. Encode them first, e.g. with "
            "sklabels.encoding.LabelEncoder fitted on the classes in "
            f"{rows_of}' column order."
        )
    if y.shape[0] != n_rows:
        raise ValueError(
            f"{input_name} has {y.shape[0]} entries but {rows_of} has {n_rows} "
            f"rows; give one label per row of {rows_of}."
        )
    outside = (y < 0) | (y >= n_classes)
    if outside.any():
        values = np.unique(y[outside])
        shown = ", ".join(repr(v) for v in values[:10].tolist())
        more = ", ..." if values.size > 10 else ""
        raise ValueError(
            f"{input_name} must hold class indices in 0..{n_classes - 1} ({rows_of} "
            f"has {n_classes} columns), got values outside that range "
            f"[{shown}{more}] in {_describe_positions(outside, y.tolist())}."
        )
    return y.astype(np.intp, copy=False)
