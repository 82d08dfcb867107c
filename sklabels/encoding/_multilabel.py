"""MultiLabelEncoder: sets of labels per row to a binary indicator matrix."""

import warnings
from itertools import chain

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.utils.validation import check_array

from sklabels.encoding._base import _BaseLabelTransformer
from sklabels.encoding._label_encoder import _unseen_error
from sklabels.utils._compat import StrOptions, _fit_context, check_is_fitted
from sklabels.utils._encode import factorize_labels, lookup_codes, unique_labels
from sklabels.utils._validation import _describe_positions, check_classes

__all__ = ["MultiLabelEncoder"]


def _rows_of(y):
    """The rows of ``y`` as a list (Series values, array rows, list items)."""
    if y is None:
        raise ValueError("y is None; expected a sequence of label sets.")
    if isinstance(y, pd.DataFrame):
        raise ValueError(
            "y must be a sequence of label sets (lists, sets, tuples or "
            f"delimited strings), got a DataFrame of shape {y.shape}; to decode "
            "an indicator matrix use inverse_transform."
        )
    if isinstance(y, (str, bytes)):
        raise ValueError(
            f"y must be a sequence of label sets, got the single string {y!r}; "
            "wrap it in a list."
        )
    if isinstance(y, np.ndarray) and y.ndim != 1 and y.dtype.kind != "O":
        if y.ndim != 2:
            raise ValueError(
                "y must be a sequence of label sets (one collection of labels per "
                f"row), got an array of shape {y.shape}; a label set must hold "
                "strings or numbers, not arrays."
            )
    rows = y.tolist() if isinstance(y, pd.Series) else list(y)
    # rows that can only be iterated once (iterators, generators) are read
    # once, into tuples, as scikit-learn's MultiLabelBinarizer accepts them
    if any(_one_pass(t) for t in set(map(type, rows))):
        rows = [tuple(r) if _one_pass(type(r)) else r for r in rows]
    return rows


def _one_pass(row_type):
    """Whether rows of this type are iterables without a length (iterators)."""
    return hasattr(row_type, "__iter__") and not hasattr(row_type, "__len__")


def _missing_in_sets_error(row_ids, missing, rows):
    """Error naming the rows of ``y`` whose sets hold a missing label."""
    mask = np.zeros(len(rows), dtype=bool)
    mask[row_ids[missing]] = True
    return ValueError(
        f"y contains missing labels (None/NaN) inside the label sets of "
        f"{_describe_positions(mask, rows)}; remove them (an empty set means "
        "'no label')."
    )


def _not_a_label_set(row_type):
    return issubclass(row_type, (str, bytes)) or not hasattr(row_type, "__iter__")


def _flatten(rows, sep):
    """Row index and label of every (row, label) pair, as two 1-D arrays."""
    n = len(rows)
    if sep is not None:
        bad = [i for i, r in enumerate(rows) if not isinstance(r, str)]
        if bad:
            mask = np.zeros(n, dtype=bool)
            mask[bad] = True
            raise ValueError(
                f"With sep={sep!r}, every row of y must be a delimited string; "
                f"got other values in {_describe_positions(mask, rows)}. Replace "
                "missing rows by '' (no label)."
            )
        parts = [r.split(sep) for r in rows]
        counts = np.fromiter(map(len, parts), np.intp, count=n)
        tokens = np.empty(int(counts.sum()), dtype=object)
        tokens[:] = list(chain.from_iterable(parts))
        tokens = pd.Series(tokens, dtype=object).str.strip()
        row_ids = np.repeat(np.arange(n), counts)
        keep = (tokens != "").to_numpy()
        return row_ids[keep], tokens.to_numpy()[keep]
    if any(_not_a_label_set(t) for t in set(map(type, rows))):
        mask = np.fromiter((_not_a_label_set(type(r)) for r in rows), bool, count=n)
        raise ValueError(
            "Each row of y must be a collection of labels (list, set, tuple), got "
            f"scalars or strings in {_describe_positions(mask, rows)}. For "
            "delimited strings such as 'a|b' pass sep='|'; for one label per row "
            "use LabelEncoder or OneHotLabelEncoder."
        )
    counts = np.fromiter(map(len, rows), np.intp, count=n)
    row_ids = np.repeat(np.arange(n), counts)
    labels = np.fromiter(chain.from_iterable(rows), dtype=object, count=row_ids.size)
    nested = tuple(t for t in set(map(type, labels)) if not _not_a_label_set(t))
    if nested:
        mask = np.zeros(n, dtype=bool)
        mask[row_ids[[isinstance(v, nested) for v in labels]]] = True
        raise ValueError(
            "Each row of y must be a flat collection of labels (strings or "
            f"numbers), got rows holding {sorted(t.__name__ for t in nested)} "
            f"values as labels in {_describe_positions(mask, rows)}. Give each row "
            "its labels directly, e.g. ('a', 'b') rather than [('a', 'b')]."
        )
    return row_ids, labels


class MultiLabelEncoder(_BaseLabelTransformer):
    """Encode sets of labels per row as a binary indicator matrix, and back.

    Like :class:`sklearn.preprocessing.MultiLabelBinarizer` (same matrix for
    the same input), plus: delimited strings such as ``"news|sports"`` with
    ``sep="|"``, pandas Series input, pandas output, a choice between
    failing on and ignoring labels unseen at fit time, and an error instead
    of a silent character split when a plain string is passed as a row.

    Read more in the :ref:`User Guide <encoding>`.

    Parameters
    ----------
    classes : array-like of shape (n_classes,), default=None
        The labels, in column order. None learns them from ``y``, sorted.

    sep : str, default=None
        Separator of delimited-string rows (``"a|b"`` with ``sep="|"``).
        Whitespace around each label is stripped and empty labels dropped, so
        ``""`` is a row with no label. ``inverse_transform`` then returns
        strings joined with ``sep``.

    handle_unknown : {"error", "ignore"}, default="error"
        What ``transform`` does with a label not in ``classes_``: raise a
        ``ValueError`` naming it, or leave it out of the row with a warning
        that names it (scikit-learn's behaviour).

    sparse_output : bool, default=False
        Return a CSR sparse matrix.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The label of each column.

    See Also
    --------
    OneHotLabelEncoder : Exactly one label per row.

    Examples
    --------
    >>> from sklabels.encoding import MultiLabelEncoder
    >>> enc = MultiLabelEncoder(sep="|")
    >>> enc.fit_transform(["news|sports", "sports", ""])
    array([[1, 1],
           [0, 1],
           [0, 0]])
    >>> enc.inverse_transform([[1, 0], [1, 1]])
    ['news', 'news|sports']
    >>> MultiLabelEncoder().fit([{"cat"}, {"cat", "dog"}]).classes_
    array(['cat', 'dog'], dtype=object)
    """

    _parameter_constraints: dict = {
        "classes": ["array-like", None],
        "sep": [str, None],
        "handle_unknown": [StrOptions({"error", "ignore"})],
        "sparse_output": ["boolean"],
    }

    def __init__(
        self, *, classes=None, sep=None, handle_unknown="error", sparse_output=False
    ):
        self.classes = classes
        self.sep = sep
        self.handle_unknown = handle_unknown
        self.sparse_output = sparse_output

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, y):
        """Learn the labels of ``y``.

        Parameters
        ----------
        y : sequence of shape (n_samples,)
            Label sets: lists, sets or tuples, or delimited strings when
            ``sep`` is set.

        Returns
        -------
        self : object
            Fitted encoder.
        """
        self._fit(y)
        return self

    @_fit_context(prefer_skip_nested_validation=True)
    def fit_transform(self, y):
        """Learn the labels of ``y`` and return its indicator matrix.

        Parameters
        ----------
        y : sequence of shape (n_samples,)
            Label sets.

        Returns
        -------
        Y : {ndarray, sparse matrix} of shape (n_samples, n_classes)
            ``Y[i, j] = 1`` when row ``i`` has label ``classes_[j]``.
        """
        row_ids, labels, rows, codes = self._fit(y, need_codes=True)
        return self._wrap_output(self._indicator(row_ids, labels, rows, codes), y)

    def _fit(self, y, need_codes=False):
        rows = _rows_of(y)
        if not rows:
            raise ValueError("y is empty: at least one row is required to fit.")
        row_ids, labels = _flatten(rows, self.sep)
        if self.classes is not None:
            self.classes_ = check_classes(self.classes)
            return row_ids, labels, rows, None
        if labels.size == 0:
            raise ValueError("y has no label in any row: there is nothing to learn.")
        # one hashing pass gives both the classes and, if needed, the codes
        find = factorize_labels if need_codes else unique_labels
        found = find(labels, input_name="labels in y", allow_missing=True)
        if found.missing is not None:
            raise _missing_in_sets_error(row_ids, found.missing, rows)
        order = np.argsort(found.uniques, kind="stable")
        self.classes_ = found.uniques[order]
        if not need_codes:
            return row_ids, labels, rows, None
        rank = np.empty(order.size, dtype=np.intp)
        rank[order] = np.arange(order.size)
        return row_ids, labels, rows, rank[found.codes]

    def _indicator(self, row_ids, labels, rows, codes=None):
        if codes is None:
            codes = lookup_codes(labels, pd.Index(self.classes_))
        unknown = codes < 0
        if unknown.any():
            values = labels[unknown]
            missing = np.asarray(pd.isna(values), dtype=bool)
            if missing.any():
                where = np.zeros(labels.size, dtype=bool)
                where[np.flatnonzero(unknown)[missing]] = True
                raise _missing_in_sets_error(row_ids, where, rows)
            if self.handle_unknown == "error":
                raise _unseen_error(values, option="ignore")
            warnings.warn(
                f"unknown class(es) {sorted(set(values.tolist()), key=str)[:10]} "
                "will be ignored",
                UserWarning,
                stacklevel=3,
            )
            row_ids, codes = row_ids[~unknown], codes[~unknown]
        indptr = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum(np.bincount(row_ids, minlength=len(rows)), out=indptr[1:])
        matrix = sparse.csr_matrix(
            (np.ones(codes.size, dtype=np.int64), codes, indptr),
            shape=(len(rows), self.classes_.size),
        )
        matrix.sum_duplicates()  # a label repeated within a row counts once
        matrix.data[:] = 1
        return matrix if self.sparse_output else matrix.toarray()

    def transform(self, y):
        """Encode label sets as an indicator matrix.

        Parameters
        ----------
        y : sequence of shape (n_samples,)
            Label sets.

        Returns
        -------
        Y : {ndarray, sparse matrix} of shape (n_samples, n_classes)
            The indicator matrix.
        """
        check_is_fitted(self)
        rows = _rows_of(y)
        row_ids, labels = _flatten(rows, self.sep)
        return self._wrap_output(self._indicator(row_ids, labels, rows), y)

    def inverse_transform(self, Y):
        """Turn an indicator matrix back into label sets.

        Parameters
        ----------
        Y : {array-like, sparse matrix} of shape (n_samples, n_classes)
            Binary indicator matrix (0/1 or booleans). Threshold scores first,
            for example ``Y >= 0.5``.

        Returns
        -------
        y : list of tuple, or list of str when ``sep`` is set
            Each row's labels, in ``classes_`` order.
        """
        check_is_fitted(self)
        Y = check_array(
            Y, accept_sparse="csr", dtype=None, input_name="Y", ensure_min_samples=0
        )
        n_classes = self.classes_.size
        if Y.shape[1] != n_classes:
            raise ValueError(
                f"Y must have {n_classes} columns, one per class, got shape {Y.shape}."
            )
        values = Y.data if sparse.issparse(Y) else Y
        if values.dtype.kind not in "biuf" or not np.isin(values, (0, 1)).all():
            raise ValueError(
                "Y must be a binary indicator matrix of 0 and 1; threshold scores "
                "first (e.g. Y >= 0.5). Got values "
                f"{np.unique(values)[:10].tolist()}."
            )
        if sparse.issparse(Y):
            Y = Y.copy()
            Y.eliminate_zeros()
            Y.sort_indices()
            counts, cols = np.diff(Y.indptr), Y.indices
        else:
            rows, cols = np.nonzero(Y)
            counts = np.bincount(rows, minlength=Y.shape[0])
        if Y.shape[0] == 0:
            return []
        groups = np.split(self.classes_[cols], np.cumsum(counts)[:-1])
        if self.sep is not None:
            return [self.sep.join(map(str, g)) for g in groups]
        return [tuple(g.tolist()) for g in groups]

    def get_feature_names_out(self, input_features=None):
        """Output column names: the labels, as strings.

        Parameters
        ----------
        input_features : None
            Ignored; present for API consistency.

        Returns
        -------
        feature_names_out : ndarray of str objects
            One name per label.
        """
        check_is_fitted(self)
        return self._class_feature_names()

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.one_d_labels = False
        tags.target_tags.two_d_labels = True
        return tags
