"""Validation of multi-label indicator matrices, shared by sklabels.multilabel.

The public estimators and the splitter validate ``Y`` once with
:func:`check_label_matrix`; the private helpers below trust what it returns.
"""

import numpy as np
import pandas as pd
from scipy import sparse

__all__ = [
    "check_label_matrix",
    "check_label_matrix_type",
    "label_column",
    "positive_mask",
]

# Sparse formats taken as they are (CSC gives cheap columns, the others
# convert to it in one pass).
_SPARSE_FORMATS = ("csc", "csr", "coo")

_LABEL_SETS_HINT = (
    "To learn from label sets such as [['news', 'sports'], ['news']] or "
    "'news|sports' strings, encode them with "
    "sklabels.encoding.MultiLabelEncoder, or wrap the model in "
    "TransformedTargetClassifier(..., transformer=MultiLabelEncoder())."
)


def _shown(values, limit=10):
    values = list(values)
    more = f" and {len(values) - limit} more" if len(values) > limit else ""
    return f"{values[:limit]!r}{more}"


def _dense_values(Y, input_name):
    """Distinct values of a dense ``Y``, refusing what is not a label."""
    kind = Y.dtype.kind
    if kind == "c":
        raise ValueError(
            f"Complex data not supported: {input_name} has complex dtype {Y.dtype}."
        )
    if kind == "f":
        finite = np.isfinite(Y)
        if not finite.all():
            bad = Y[~finite]
            raise ValueError(
                f"Input {input_name} contains NaN or infinity "
                f"({np.count_nonzero(~finite)} value(s), e.g. {bad[0]!r}); a label "
                "matrix holds 0 (absent) and 1 (present) only."
            )
        if (Y != np.round(Y)).any():
            frac = np.unique(Y[Y != np.round(Y)])
            raise ValueError(
                f"Unknown label type: continuous. {input_name} holds non-integer "
                f"values such as {_shown(frac.tolist(), 5)}; it must be a binary "
                "indicator matrix of 0 (absent) and 1 (present). Threshold scores "
                f"first (e.g. {input_name} >= 0.5), or use a regressor for continuous "
                "targets."
            )
    if kind in "biuf":
        if Y.size == 0:
            return Y.ravel()[:0]
        low, high = Y.min(), Y.max()  # two passes instead of a sort
        if low == high:
            return np.asarray([low], dtype=Y.dtype)
        if kind == "b" or high - low == 1:  # integral values: exactly two
            return np.asarray([low, high], dtype=Y.dtype)
        return np.unique(Y)
    # objects or strings: hash rather than sort (mixed types cannot be sorted)
    values = pd.unique(Y.ravel())
    if pd.isna(values).any():
        raise ValueError(
            f"Input {input_name} contains missing values (None/NaN); a label "
            "matrix holds 0 (absent) and 1 (present) only."
        )
    return values


def _sorted_pair(values, input_name):
    """The values sorted as scikit-learn sorts classes, or a TypeError."""
    try:
        return np.asarray(sorted(values.tolist()), dtype=values.dtype)
    except TypeError:
        raise TypeError(
            f"{input_name} must hold values of one kind, got a mix of types "
            f"{sorted({type(v).__name__ for v in values.tolist()})}."
        ) from None


def check_label_matrix_type(Y, *, input_name="y", caller="This estimator"):
    """Refuse a ``Y`` that cannot be a matrix at all (a string, a scalar).

    Cheap, so callers run it before anything compares numbers of samples.
    """
    if Y is None:
        raise ValueError(
            f"{caller} requires {input_name} to be passed, but the target {input_name} "
            "is None."
        )
    if isinstance(Y, (str, bytes)) or not (
        sparse.issparse(Y) or hasattr(Y, "__len__") or hasattr(Y, "__array__")
    ):
        raise TypeError(
            f"{input_name} must be a binary indicator matrix (array-like or sparse "
            f"matrix of shape (n_samples, n_labels)), got the "
            f"{type(Y).__name__} {Y!r}. {_LABEL_SETS_HINT}"
        )


def check_label_matrix(Y, n_samples=None, *, input_name="y", caller="This estimator"):
    """Validate a binary label matrix of shape (n_samples, n_labels).

    Parameters
    ----------
    Y : {array-like, sparse matrix} of shape (n_samples, n_labels)
        Binary indicator matrix: 0/1 or booleans (a dense ``Y`` may use any
        two values, the larger one meaning "present", as scikit-learn's
        binary classifiers take ``classes_[1]`` as the positive class).
    n_samples : int, default=None
        Number of rows ``Y`` must have (the rows of ``X``).
    input_name : str, default="y"
        Name of the argument in error messages.
    caller : str, default="This estimator"
        Name of the estimator in error messages.

    Returns
    -------
    Y : ndarray or CSC matrix of shape (n_samples, n_labels)
        The matrix; a sparse input is converted to CSC.
    classes : ndarray of shape (2,)
        ``[absent, present]``, in the dtype of ``Y``.
    """
    check_label_matrix_type(Y, input_name=input_name, caller=caller)
    if sparse.issparse(Y):
        Y, values = _check_sparse(Y, input_name, caller)
    else:
        Y, values = _check_dense(Y, input_name)
    if values.size > 2:
        hint = (
            _LABEL_SETS_HINT
            if values.dtype.kind in "OUS"
            else (
                "For a multiclass target use the classifier itself or "
                "sklearn.multioutput.MultiOutputClassifier."
            )
        )
        raise ValueError(
            f"Only binary classification is supported: {input_name} must be a "
            "binary indicator matrix of 0 (absent) and 1 (present), one column per "
            f"label, got {values.size} distinct values {_shown(values.tolist())}. "
            f"{hint}"
        )
    if Y.ndim != 2:
        if Y.ndim == 1:
            hint = f" {_LABEL_SETS_HINT}" if values.dtype.kind in "OUS" else ""
            raise ValueError(
                f"{input_name} must be a 2-D indicator matrix of shape (n_samples, "
                f"n_labels), got a 1-D array of shape {Y.shape}. For a single "
                f"label, reshape it into one column with {input_name}.reshape(-1, 1) "
                f"(or use the classifier itself).{hint}"
            )
        raise ValueError(
            f"{input_name} must be a 2-D indicator matrix of shape (n_samples, "
            f"n_labels), got an array of shape {Y.shape}."
        )
    if n_samples is not None and Y.shape[0] != n_samples:
        raise ValueError(
            f"Found input variables with inconsistent numbers of samples: X has "
            f"{n_samples} rows but {input_name} has {Y.shape[0]} (shape {Y.shape})."
        )
    if Y.shape[0] == 0:
        raise ValueError(
            f"{input_name} has 0 rows (shape {Y.shape}): at least one sample is "
            "required."
        )
    if Y.shape[1] == 0:
        raise ValueError(
            f"{input_name} has 0 columns (shape {Y.shape}): at least one label "
            "is required."
        )
    return Y, _classes(values, Y.dtype, input_name)


def _check_dense(Y, input_name):
    if isinstance(Y, (pd.DataFrame, pd.Series)):
        Y = Y.to_numpy()
    try:
        Y = np.asarray(Y)
    except ValueError:
        raise ValueError(
            f"{input_name} must be a binary indicator matrix of shape (n_samples, "
            "n_labels), got a ragged sequence (rows of different lengths). "
            f"{_LABEL_SETS_HINT}"
        ) from None
    if Y.dtype.kind == "O" and Y.ndim == 2:
        converted = pd.DataFrame(Y).infer_objects()
        if all(kind in "biuf" for kind in converted.dtypes.map(lambda t: t.kind)):
            Y = converted.to_numpy()
    if Y.dtype.kind == "O" and any(
        isinstance(v, (list, tuple, set, frozenset)) for v in Y.ravel()[:100]
    ):
        raise ValueError(
            f"{input_name} must be a binary indicator matrix of shape (n_samples, "
            f"n_labels), got label sets. {_LABEL_SETS_HINT}"
        )
    return Y, _dense_values(Y, input_name)


def _check_sparse(Y, input_name, caller):
    if Y.format not in _SPARSE_FORMATS:
        raise TypeError(
            f"{caller} accepts a sparse {input_name} in CSR, CSC or COO format, got "
            f"a {type(Y).__name__} in {Y.format.upper()} format; convert it first, "
            f"e.g. {input_name}.tocsr()."
        )
    Y = sparse.csc_matrix(Y, copy=True)  # a matrix, never the caller's object
    Y.sum_duplicates()
    values = _dense_values(Y.data, input_name)
    if Y.nnz < Y.shape[0] * Y.shape[1]:
        values = np.union1d(values, np.zeros(1, dtype=Y.dtype))
    if values.size and not np.isin(values, (0, 1)).all():
        if values.size <= 2:
            raise ValueError(
                f"A sparse {input_name} must hold 0 (absent, the implicit value) "
                f"and 1 (present), got values {_shown(values.tolist())}."
            )
    return Y, values


def _classes(values, dtype, input_name):
    """``[absent, present]`` from the one or two values seen."""
    if values.size == 2:
        return _sorted_pair(values, input_name)
    value = values.tolist()[0]
    if dtype.kind in "biuf" and value in (0, 1):
        return np.asarray([0, 1], dtype=dtype)
    raise ValueError(
        f"{input_name} holds the single value {value!r}: it cannot tell a present "
        "label from an absent one. Encode labels as 0 (absent) and 1 (present)."
    )


def label_column(Y, j):
    """Column ``j`` of a validated ``Y`` as a dense 1-D array."""
    if sparse.issparse(Y):
        column = np.zeros(Y.shape[0], dtype=Y.dtype)
        start, stop = Y.indptr[j], Y.indptr[j + 1]
        column[Y.indices[start:stop]] = Y.data[start:stop]
        return column
    return Y[:, j]


def positive_mask(Y, classes):
    """Boolean CSC matrix of the present labels of a validated ``Y``."""
    if sparse.issparse(Y):
        mask = Y == classes[1]
        return sparse.csc_matrix(mask, dtype=bool)
    return sparse.csc_matrix(Y == classes[1])


def constant_labels(Y, classes):
    """Per label: -1 if it varies, else 0 (always absent) or 1 (always present)."""
    if sparse.issparse(Y):
        n_present = np.diff(sparse.csc_matrix(Y == classes[1], dtype=bool).indptr)
    else:
        n_present = np.count_nonzero(Y == classes[1], axis=0)
    constant = np.full(Y.shape[1], -1, dtype=np.int8)
    constant[n_present == 0] = 0
    constant[n_present == Y.shape[0]] = 1
    return constant
