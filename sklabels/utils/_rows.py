"""Whether an input is a table of rows (before any conversion)."""

from collections.abc import Mapping, Set

from scipy import sparse

__all__ = ["is_table_of_rows"]


def is_table_of_rows(X):
    """Whether ``X`` can hold one row per sample: a sparse matrix, a DataFrame,
    or an array-like that is not a string, a mapping, a set or a scalar.

    Only the container is looked at, so that a wrong type is reported as such
    before any length or value check.
    """
    if sparse.issparse(X) or hasattr(X, "iloc"):
        return True
    return not (
        X is None
        or isinstance(X, (str, bytes, Mapping, Set))
        or not any(hasattr(X, a) for a in ("__len__", "shape", "__array__"))
        or getattr(X, "shape", None) == ()
    )
