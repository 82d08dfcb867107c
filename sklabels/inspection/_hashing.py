"""Exact row identity: one integer code per row, equal codes for equal rows.

Rows are compared value by value, exactly (no hash collisions): each column
is factorized (``pandas.factorize``, missing values forming one value of
their own, so NaN equals NaN), and the class of each row is refined one
column at a time by pairing its current class with its code in the column.
Rows whose class has become a singleton leave the computation, so data
without duplicates costs about one or two passes over the columns. Sparse
rows are refined the same way over their stored entries (column, value).
"""

import numpy as np
import pandas as pd
import scipy.sparse as sp
from pandas.api.types import is_extension_array_dtype

__all__ = ["frame_columns", "row_codes"]


def frame_columns(X):
    """The columns of a DataFrame as arrays ``pandas.factorize`` accepts."""
    columns = []
    for j in range(X.shape[1]):
        column = X.iloc[:, j]
        columns.append(
            column.array
            if is_extension_array_dtype(column.dtype)
            else column.to_numpy()
        )
    return columns


def _factorize(values):
    """Integer codes of ``values``; every missing value gets the same code."""
    return pd.factorize(values, use_na_sentinel=False)[0].astype(np.int64)


def _refine(code, next_id, active, keys):
    """Split the classes of the ``active`` rows by ``keys`` (their new codes).

    Rows of one class that get different keys are put in new classes,
    numbered from ``next_id``. Returns the next free id and the active rows
    whose new class holds more than one row (the others are settled).
    """
    local = _factorize(code[active])
    pairs = local * (int(keys.max()) + 1) + keys
    new = _factorize(pairs)
    code[active] = new + next_id
    next_id += int(new.max()) + 1
    sizes = np.bincount(new)
    return next_id, active[sizes[new] > 1]


def _dense_codes(columns, n_rows):
    code = np.zeros(n_rows, dtype=np.int64)
    active = np.arange(n_rows)
    next_id = 1
    for column in columns:
        if active.size == 0:
            break
        keys = _factorize(column.take(active))
        next_id, active = _refine(code, next_id, active, keys)
    return code


def _canonical_csr(X):
    """CSR with sorted, summed entries and no stored zeros."""
    X = sp.csr_matrix(X, copy=True)
    X.sum_duplicates()
    X.eliminate_zeros()
    X.sort_indices()
    return X


def _sparse_codes(X):
    X = _canonical_csr(X)
    values = _factorize(X.data)
    entries = _factorize(
        X.indices.astype(np.int64) * (int(values.max(initial=0)) + 1) + values
    )
    nnz = np.diff(X.indptr)
    code = _factorize(nnz)  # rows of one class have as many entries
    next_id = int(code.max(initial=0)) + 1
    sizes = np.bincount(code)
    active = np.flatnonzero(sizes[code] > 1)
    k = 0
    while True:
        active = active[nnz[active] > k]  # whole classes settle together
        if active.size == 0:
            break
        keys = entries[X.indptr[active] + k]
        next_id, active = _refine(code, next_id, active, keys)
        k += 1
    return code


def row_codes(X):
    """One code per row of ``X``, equal exactly when the rows are equal.

    Parameters
    ----------
    X : DataFrame, ndarray of shape (n_samples, n_features), list of \
columns, or sparse matrix
        The rows. A list holds one array per column (numpy or pandas
        extension arrays), all of length ``n_samples``.

    Returns
    -------
    codes : ndarray of shape (n_samples,), dtype=int64
        Codes numbered from 0 in order of first appearance.
    """
    if sp.issparse(X):
        code = _sparse_codes(X)
    elif isinstance(X, pd.DataFrame):
        code = _dense_codes(frame_columns(X), X.shape[0])
    elif isinstance(X, list):
        code = _dense_codes(X, len(X[0]) if X else 0)
    else:
        code = _dense_codes(list(np.asarray(X).T), X.shape[0])
    return _factorize(code)
