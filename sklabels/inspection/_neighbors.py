"""Validation of X for the inspection functions, and the radius search.

Exact duplicates are found by hashing (``_hashing``), which takes any
values; near duplicates by a radius search, which takes numbers only. This
module checks ``X`` for each of the two, names the offending columns when
it refuses them, and runs scikit-learn's ``NearestNeighbors`` with the tree
that suits the metric.
"""

import numpy as np
import pandas as pd
import scipy.sparse as sp
from pandas.api.types import is_bool_dtype, is_numeric_dtype
from sklearn.neighbors import VALID_METRICS, VALID_METRICS_SPARSE, NearestNeighbors
from sklearn.utils.validation import check_array

__all__ = ["METRICS", "check_rows", "radius_graph", "to_numeric"]

# Metrics of NearestNeighbors that need nothing beyond their name: the ones
# that need a precomputed matrix, a NaN-aware distance or metric_params are
# left out.
METRICS = sorted(
    set().union(*map(set, VALID_METRICS.values()))
    - {"precomputed", "pyfunc", "nan_euclidean", "mahalanobis", "seuclidean"}
)


def check_rows(X, input_name="X"):
    """Check that ``X`` is a 2-D table of at least one row.

    DataFrames are returned unchanged; other input goes through
    ``check_array`` with any dtype (strings are hashed), NaN allowed and
    sparse matrices kept sparse (as CSR).
    """
    if isinstance(X, pd.DataFrame):
        if X.shape[0] < 1 or X.shape[1] < 1:
            raise ValueError(
                f"{input_name} is empty (shape={X.shape}): at least one row and "
                "one column are required."
            )
        return X
    return check_array(
        X,
        dtype=None,
        accept_sparse="csr",
        ensure_all_finite=False,
        input_name=input_name,
    )


def _column_names(X, mask):
    columns = X.columns if isinstance(X, pd.DataFrame) else np.arange(X.shape[1])
    return pd.Index(columns)[np.asarray(mask, dtype=bool)].tolist()


def to_numeric(X, threshold, input_name="X"):
    """``X`` as float64 (dense ndarray or CSR) for the radius search.

    Raises a TypeError naming the columns that are not numeric, a ValueError
    naming those that hold NaN or infinity.
    """
    hint = (
        f"The neighbour search for threshold={threshold!r} needs finite numbers; "
        "threshold=0 finds exact duplicates of any values (NaN equals NaN)."
    )
    if isinstance(X, pd.DataFrame):
        numeric = np.array(
            [is_numeric_dtype(d) or is_bool_dtype(d) for d in X.dtypes], dtype=bool
        )
        if not numeric.all():
            raise TypeError(
                f"{input_name} has non-numeric column(s) "
                f"{_column_names(X, ~numeric)!r}. Encode them as numbers first "
                f"(e.g. with OneHotEncoder), or drop them. {hint}"
            )
        values = X.to_numpy(dtype=np.float64, na_value=np.nan)
    elif sp.issparse(X):
        values = sp.csr_matrix(X)
        if values.dtype.kind not in "biuf":
            raise TypeError(
                f"{input_name} is a sparse matrix of dtype {values.dtype}, not "
                f"numbers. {hint}"
            )
        values = values.astype(np.float64)
    else:
        try:
            values = np.asarray(X, dtype=np.float64)
        except (TypeError, ValueError) as exc:
            raise TypeError(
                f"{input_name} holds values that are not numbers ({exc}). Encode "
                f"them as numbers first (e.g. with OneHotEncoder). {hint}"
            ) from None
    data = values.data if sp.issparse(values) else values
    for test, what in ((np.isnan, "NaN"), (np.isinf, "infinity")):
        bad = test(data)
        if bad.any():
            if sp.issparse(values):
                mask = np.zeros(values.shape[1], dtype=bool)
                mask[values.indices[bad]] = True
            else:
                mask = bad.any(axis=0)
            raise ValueError(
                f"{input_name} contains {what} in column(s) "
                f"{_column_names(X, mask)!r} ({int(bad.sum())} value(s)). Impute "
                f"or drop them first. {hint}"
            )
    return values


def _algorithm(X, metric):
    """The fastest exact search scikit-learn has for this data and metric."""
    if sp.issparse(X):
        if metric not in VALID_METRICS_SPARSE["brute"] and not callable(metric):
            raise ValueError(
                f"metric={metric!r} does not support sparse X. Use one of "
                f"{sorted(VALID_METRICS_SPARSE['brute'] - {'precomputed'})!r}, or "
                "pass a dense X."
            )
        return "brute"
    if callable(metric):
        return "ball_tree"
    if metric in VALID_METRICS["kd_tree"]:
        return "kd_tree"
    if metric in VALID_METRICS["ball_tree"]:
        return "ball_tree"
    return "brute"


def radius_graph(X_fit, X_query, threshold, metric, n_jobs):
    """Pairs within ``threshold``, as a CSR matrix of distances.

    Rows are the query rows (``X_fit`` itself, each row not its own
    neighbour, when ``X_query`` is None), columns the rows of ``X_fit``.
    Zero distances are stored: read ``indices`` / ``data``, never rely on
    stored values being non-zero.
    """
    nn = NearestNeighbors(
        radius=threshold,
        algorithm=_algorithm(X_fit, metric),
        metric=metric,
        n_jobs=n_jobs,
    ).fit(X_fit)
    graph = nn.radius_neighbors_graph(X_query, mode="distance", sort_results=False)
    return sp.csr_matrix(graph)
