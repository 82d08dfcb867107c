"""Duplicate rows, conflicting labels among them, and train/test overlap.

Exact duplicates are found by hashing whole rows (``_hashing``: exact, any
values, NaN equals NaN); near duplicates by a radius search with
scikit-learn's ``NearestNeighbors`` on the distinct rows (``_neighbors``).
Groups are the connected components of the graph "within ``threshold``".
"""

from numbers import Integral, Real

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from sklabels.inspection._hashing import row_codes
from sklabels.inspection._neighbors import (
    METRICS,
    check_rows,
    radius_graph,
    to_numeric,
)
from sklabels.utils._compat import (
    Interval,
    StrOptions,
    _fit_context,
    _safe_indexing,
    validate_params,
)
from sklabels.utils._docstrings import make_fill_doc
from sklabels.utils._sampler import (
    KEPT,
    RELABELED,
    REMOVED,
    LabelSampler,
    input_index,
)
from sklabels.utils._validation import check_labels

__all__ = ["ConflictingLabelFilter", "find_duplicates", "train_test_overlap"]

_fill_doc = make_fill_doc(
    {
        "threshold": """\
threshold : float >= 0, default=0.0
    Two rows are duplicates when their distance is at most ``threshold``.
    0 means exact duplicates, found by hashing whole rows (any values:
    numbers, strings, categoricals, mixed DataFrames; NaN equals NaN;
    ``metric`` is not used). Above 0 the rows must be numbers (see Notes).""",
        "metric": """\
metric : str or callable, default="euclidean"
    Distance of the radius search (``threshold > 0``), as
    :class:`~sklearn.neighbors.NearestNeighbors` takes it. Sparse ``X``
    takes "euclidean", "l2", "manhattan", "cityblock", "l1" or "cosine".""",
        "n_jobs": """\
n_jobs : int, default=None
    Number of parallel jobs of a tree or brute-force radius search (see
    Notes).
    None means 1 unless in a :obj:`joblib.parallel_config` context;
    -1 means all processors. The result does not depend on it.""",
        "search_notes": """\
*Scaling.* Distances are computed on the values as given: scaling is the
user's. A feature in thousands swamps one in units, so standardise (or
otherwise scale) the features first when they should count alike, and
choose ``threshold`` on that scale.

*Search.* The search is exact: it finds the pairs of an exhaustive
search (:func:`find_duplicates` searches the distinct rows only). For
Euclidean and Manhattan distances on dense data there are three: a grid
(the rows are projected on their leading principal directions and binned
in cells of side ``threshold``; a pair within ``threshold`` lies in the
same or neighbouring cells, and every such candidate pair is measured),
scikit-learn's k-d tree, and its brute-force search. On 10,000 rows or
more each is timed on a sample (the tree on 1,000 fixed rows, brute
force on 100 of them, the grid on a block of its candidates) and the
fastest searches all rows; on fewer rows the grid runs unless it has
many candidates, then the k-d tree. Every pair is measured by the same
direct formula, so the choice changes the run time, never the result. Other metrics use
scikit-learn's k-d tree (Chebyshev) or ball tree. Sparse ``X`` is
searched by brute force (scikit-learn's trees take dense data only):
exact, memory in chunks, but time quadratic in the number of rows.
``n_jobs`` applies to the tree and brute-force searches. NaN or infinity
in ``X`` are refused for ``threshold > 0``, naming the columns; rows
identical in every value, NaN included, are exact duplicates (distance
0.0) at any threshold and with any metric.""",
    }
)


# --------------------------------------------------------------------------
# Groups of (near) duplicates
# --------------------------------------------------------------------------


def _factorize(values):
    return pd.factorize(values)[0].astype(np.int64)


def _row_min(graph):
    """Smallest stored value of each row of a CSR matrix; NaN for no entry."""
    counts = np.diff(graph.indptr)
    out = np.full(graph.shape[0], np.nan)
    nonempty = counts > 0
    if nonempty.any():
        out[nonempty] = np.minimum.reduceat(graph.data, graph.indptr[:-1][nonempty])
    return out


def _row_argmin(graph):
    """Column of the smallest value of each row (lowest column among ties).

    Returns the smallest values (NaN for an empty row) and their columns
    (-1 for an empty row).
    """
    mins = _row_min(graph)
    rows = np.repeat(np.arange(graph.shape[0]), np.diff(graph.indptr))
    hits = np.flatnonzero(graph.data == mins[rows])
    order = np.lexsort((graph.indices[hits], rows[hits]))
    hits = hits[order]
    hit_rows, first = np.unique(rows[hits], return_index=True)
    columns = np.full(graph.shape[0], -1, dtype=np.int64)
    columns[hit_rows] = graph.indices[hits[first]]
    return mins, columns


def _duplicate_groups(X, threshold, metric, n_jobs):
    """Group of each row (-1 for none) and the distance to its nearest other row.

    The distance is 0.0 for exact duplicates, the smallest distance within
    ``threshold`` for other grouped rows, and NaN for rows with no other row
    within ``threshold``.
    """
    values = to_numeric(X, threshold) if threshold > 0 else None
    codes = row_codes(X)
    sizes = np.bincount(codes)
    if values is None:
        component = codes
        nearest = np.full(sizes.size, np.nan)
    else:
        # one search over the distinct rows: exact copies add no work
        first = np.unique(codes, return_index=True)[1]
        graph = radius_graph(values[first], None, threshold, metric, n_jobs)
        links = sp.csr_matrix(
            (np.ones(graph.indices.size), graph.indices, graph.indptr),
            shape=graph.shape,
        )
        component = connected_components(links, directed=False)[1][codes]
        nearest = _row_min(graph)
    nearest = np.where(sizes[codes] > 1, 0.0, nearest[codes])
    grouped = np.bincount(component)[component] > 1
    group = np.full(codes.size, -1, dtype=np.int64)
    group[grouped] = _factorize(component[grouped])  # numbered by first row
    return group, nearest


def _conflicts(group, label_codes):
    """Whether each row's group holds more than one label."""
    grouped = group >= 0
    conflicting = np.zeros(group.size, dtype=bool)
    if grouped.any():
        n_labels = int(label_codes.max()) + 1
        pairs = np.unique(group[grouped] * n_labels + label_codes[grouped])
        labels_per_group = np.bincount(pairs // n_labels)
        conflicting[grouped] = labels_per_group[group[grouped]] > 1
    return conflicting


def _check_y(y, n_rows, input_name, rows_name):
    labels = check_labels(y, input_name=input_name)[0]
    if labels.shape[0] != n_rows:
        raise ValueError(
            f"{input_name} must have one label per row of {rows_name}, got "
            f"{labels.shape[0]} labels for {n_rows} rows."
        )
    return labels


def _row_index(X, y=None):
    """The index of a DataFrame ``X``, else of a pandas ``y``, else a RangeIndex."""
    for data in (X, y):
        if isinstance(data, (pd.DataFrame, pd.Series)):
            return data.index
    return pd.RangeIndex(X.shape[0])


@validate_params(
    {
        "X": ["array-like", "sparse matrix"],
        "y": ["array-like", None],
        "threshold": [Interval(Real, 0, None, closed="left")],
        "metric": [StrOptions(set(METRICS)), callable],
        "n_jobs": [Integral, None],
    },
    prefer_skip_nested_validation=True,
)
@_fill_doc
def find_duplicates(X, y=None, threshold=0.0, metric="euclidean", n_jobs=None):
    """Find exact and near duplicate rows, and the labels they conflict on.

    Rows within ``threshold`` of each other are linked, and each connected
    component of these links with two rows or more is a group of
    duplicates (so a chain of rows, each near the next, is one group even
    when its ends are farther apart). With ``threshold=0`` the groups are
    the sets of identical rows, found by hashing; above 0, by a radius
    search with :class:`~sklearn.neighbors.NearestNeighbors`.

    Read more in the :ref:`User Guide <inspection>`.

    Parameters
    ----------
    X : {array-like, dataframe, sparse matrix} of shape (n_samples, n_features)
        Rows to compare.

    y : array-like of shape (n_samples,), default=None
        Labels of the rows (strings or numbers, no missing values). With
        them the result says which groups hold more than one label.

    %(threshold)s

    %(metric)s

    %(n_jobs)s

    Returns
    -------
    duplicates : pandas.DataFrame of shape (n_samples, 2 or 3)
        One row per input row, indexed like ``X`` (a DataFrame's index,
        else that of a pandas ``y``, else 0..n_samples-1):

        - ``duplicate_group``: the number of the row's group (numbered
          from 0 in order of their first row), -1 if no other row is
          within ``threshold``;
        - ``nearest_distance``: the distance to the nearest other row if
          it is within ``threshold`` (0.0 for exact duplicates, whatever
          the metric), NaN if no other row is (the search looks no
          further);
        - ``conflicting_label`` (with ``y``): True when the row's group
          holds more than one label.

    See Also
    --------
    ConflictingLabelFilter : Remove or relabel the conflicting groups.
    train_test_overlap : Test rows that repeat a training row.

    Notes
    -----
    %(search_notes)s

    Examples
    --------
    >>> import pandas as pd
    >>> from sklabels.inspection import find_duplicates
    >>> X = pd.DataFrame({"city": ["Oslo", "Rome", "Oslo", "Rome"],
    ...                   "rooms": [2, 3, 2, 4]})
    >>> find_duplicates(X, y=["cheap", "dear", "dear", "dear"])
       duplicate_group  nearest_distance  conflicting_label
    0                0               0.0               True
    1               -1               NaN              False
    2                0               0.0               True
    3               -1               NaN              False

    Near duplicates, linked in a chain (row 0 is 0.25 from row 3, but both
    are within 0.2 of row 1):

    >>> import numpy as np
    >>> X = np.array([[0.0, 0.0], [0.0, 0.1], [5.0, 5.0], [0.0, 0.25]])
    >>> find_duplicates(X, threshold=0.2)
       duplicate_group  nearest_distance
    0                0              0.10
    1                0              0.10
    2               -1               NaN
    3                0              0.15
    """
    X = check_rows(X)
    labels = None if y is None else _check_y(y, X.shape[0], "y", "X")
    group, nearest = _duplicate_groups(X, threshold, metric, n_jobs)
    result = {"duplicate_group": group, "nearest_distance": nearest}
    if labels is not None:
        result["conflicting_label"] = _conflicts(group, _factorize(labels))
    return pd.DataFrame(result, index=_row_index(X, y))


# --------------------------------------------------------------------------
# Train / test overlap
# --------------------------------------------------------------------------


def _align_test(X_train, X_test):
    """``X_test`` with the columns of ``X_train``, or a ValueError."""
    if X_train.shape[1] != X_test.shape[1]:
        raise ValueError(
            f"X_test has {X_test.shape[1]} columns but X_train has "
            f"{X_train.shape[1]}: give both the same features."
        )
    if isinstance(X_train, pd.DataFrame) and isinstance(X_test, pd.DataFrame):
        missing = [c for c in X_train.columns if c not in X_test.columns]
        if missing:
            extra = [c for c in X_test.columns if c not in X_train.columns]
            raise ValueError(
                f"X_test lacks the column(s) {missing!r} of X_train and has "
                f"{extra!r} instead: give both the same features."
            )
        return X_test[list(X_train.columns)]
    return X_test


def _stacked(X_train, X_test):
    """Training rows then test rows, in one table to hash."""
    if sp.issparse(X_train) or sp.issparse(X_test):
        return sp.vstack([sp.csr_matrix(X_train), sp.csr_matrix(X_test)], format="csr")
    frames = [
        (X if isinstance(X, pd.DataFrame) else pd.DataFrame(X)).set_axis(
            range(X.shape[1]), axis=1
        )
        for X in (X_train, X_test)
    ]
    return pd.concat(frames, ignore_index=True)


def _exact_matches(X_train, X_test):
    n_train = X_train.shape[0]
    codes = row_codes(_stacked(X_train, X_test))
    train_codes, test_codes = codes[:n_train], codes[n_train:]
    counts = np.bincount(train_codes, minlength=int(codes.max()) + 1)
    first = np.full(counts.size, -1, dtype=np.int64)
    seen, first_row = np.unique(train_codes, return_index=True)
    first[seen] = first_row
    test_rows = np.flatnonzero(counts[test_codes] > 0)
    matched = test_codes[test_rows]
    return test_rows, first[matched], np.zeros(test_rows.size), counts[matched]


def _near_matches(X_train, X_test, threshold, metric, n_jobs):
    train = to_numeric(X_train, threshold, "X_train")
    test = to_numeric(X_test, threshold, "X_test")
    if sp.issparse(train) != sp.issparse(test):
        train, test = sp.csr_matrix(train), sp.csr_matrix(test)
    graph = radius_graph(train, test, threshold, metric, n_jobs)
    distance, column = _row_argmin(graph)
    counts = np.diff(graph.indptr)
    test_rows = np.flatnonzero(counts > 0)
    return test_rows, column[test_rows], distance[test_rows], counts[test_rows]


@validate_params(
    {
        "X_train": ["array-like", "sparse matrix"],
        "X_test": ["array-like", "sparse matrix"],
        "y_train": ["array-like", None],
        "y_test": ["array-like", None],
        "threshold": [Interval(Real, 0, None, closed="left")],
        "metric": [StrOptions(set(METRICS)), callable],
        "n_jobs": [Integral, None],
    },
    prefer_skip_nested_validation=True,
)
@_fill_doc
def train_test_overlap(
    X_train,
    X_test,
    y_train=None,
    y_test=None,
    threshold=0.0,
    metric="euclidean",
    n_jobs=None,
):
    """Find the test rows that repeat, or nearly repeat, a training row.

    A test row that is also in the training data measures memory, not
    generalisation: a score on such rows is optimistic. With
    ``threshold=0`` the rows must be identical (hashing); above 0, within
    ``threshold`` (a radius search of the training rows with
    :class:`~sklearn.neighbors.NearestNeighbors`).

    Read more in the :ref:`User Guide <inspection>`.

    Parameters
    ----------
    X_train : {array-like, dataframe, sparse matrix} of shape \
(n_train, n_features)
        Training rows.

    X_test : {array-like, dataframe, sparse matrix} of shape \
(n_test, n_features)
        Test rows, with the same features (two DataFrames are matched by
        column name).

    y_train : array-like of shape (n_train,), default=None
        Training labels; adds the column ``train_label``.

    y_test : array-like of shape (n_test,), default=None
        Test labels; adds ``test_label`` (and, with ``y_train``,
        ``label_differs``).

    %(threshold)s

    %(metric)s

    %(n_jobs)s

    Returns
    -------
    overlap : pandas.DataFrame
        One row per test row that has a training row within ``threshold``,
        in test order, indexed like ``X_test`` (a DataFrame's index, else
        that of a pandas ``y_test``, else the row positions):

        - ``train_index``: the nearest such training row (the first in
          training order among ties and exact copies), as an index label
          of a DataFrame ``X_train`` (else of a pandas ``y_train``, else
          its position);
        - ``n_train_matches``: how many training rows are within
          ``threshold``;
        - ``distance``: the distance to ``train_index`` (0.0 for an exact
          copy);
        - ``train_label`` and ``test_label`` (with ``y_train`` /
          ``y_test``), and ``label_differs`` (with both).

    See Also
    --------
    find_duplicates : Duplicate rows within one data set.

    Notes
    -----
    %(search_notes)s

    Examples
    --------
    >>> import numpy as np
    >>> from sklabels.inspection import train_test_overlap
    >>> X_train = np.array([[0, 1], [2, 3], [4, 5]])
    >>> X_test = np.array([[2, 3], [9, 9], [0, 1]])
    >>> train_test_overlap(X_train, X_test, y_train=["a", "b", "c"],
    ...                    y_test=["b", "a", "b"])
       train_index  n_train_matches  distance train_label test_label  label_differs
    0            1                1       0.0           b          b          False
    2            0                1       0.0           a          b           True
    """
    X_train = check_rows(X_train, "X_train")
    X_test = _align_test(X_train, check_rows(X_test, "X_test"))
    train_labels = None
    if y_train is not None:
        train_labels = _check_y(y_train, X_train.shape[0], "y_train", "X_train")
    test_labels = None
    if y_test is not None:
        test_labels = _check_y(y_test, X_test.shape[0], "y_test", "X_test")
    if threshold > 0:
        test_rows, train_rows, distance, counts = _near_matches(
            X_train, X_test, threshold, metric, n_jobs
        )
    else:
        test_rows, train_rows, distance, counts = _exact_matches(X_train, X_test)
    result = {
        "train_index": _row_index(X_train, y_train)[train_rows],
        "n_train_matches": counts.astype(np.int64),
        "distance": distance,
    }
    if train_labels is not None:
        result["train_label"] = train_labels[train_rows]
    if test_labels is not None:
        result["test_label"] = test_labels[test_rows]
    if train_labels is not None and test_labels is not None:
        result["label_differs"] = np.asarray(
            result["train_label"] != result["test_label"], dtype=bool
        )
    return pd.DataFrame(result, index=_row_index(X_test, y_test)[test_rows])


# --------------------------------------------------------------------------
# ConflictingLabelFilter
# --------------------------------------------------------------------------


def _majority(group, label_codes, rows):
    """Majority label code of the group of each of ``rows``; -1 on a tie."""
    n_labels = int(label_codes.max()) + 1
    keys, counts = np.unique(
        group[rows] * n_labels + label_codes[rows], return_counts=True
    )
    groups, labels = keys // n_labels, keys % n_labels
    starts = np.flatnonzero(np.r_[True, groups[1:] != groups[:-1]])
    sizes = np.diff(np.r_[starts, keys.size])
    top = np.repeat(np.maximum.reduceat(counts, starts), sizes)
    is_top = counts == top
    n_top = np.add.reduceat(is_top.astype(np.int64), starts)
    winner = np.maximum.reduceat(np.where(is_top, labels, -1), starts)
    winner[n_top > 1] = -1
    per_group = np.full(int(group.max()) + 1, -1, dtype=np.int64)
    per_group[groups[starts]] = winner
    return per_group[group[rows]]


def _nullable(values, missing):
    """``values`` as a Series with missing entries, keeping integer labels."""
    series = pd.Series(values)
    if series.dtype.kind in "iu":
        series = series.astype("Int64" if series.dtype.kind == "i" else "UInt64")
    elif series.dtype.kind == "b":
        series = series.astype("boolean")
    return series.mask(missing)


@_fill_doc
class ConflictingLabelFilter(LabelSampler):
    """Remove (or relabel) duplicate rows that carry different labels.

    An imbalanced-learn sampler: ``fit_resample(X, y)`` finds the groups of
    duplicate rows as :func:`find_duplicates` does (exact with
    ``threshold=0``, within ``threshold`` otherwise) and, for each group
    holding more than one label,

    - ``action="remove"``: drops every row of the group (the data cannot
      say which label is right);
    - ``action="majority"``: gives every row of the group the group's most
      frequent label; a tie for the most frequent removes the group.

    Groups with a single label, and rows without duplicates, are returned
    unchanged. In an imbalanced-learn :class:`~imblearn.pipeline.Pipeline`
    it acts at fit time only. Every input row is accounted for in
    ``label_issues_report_``.

    Read more in the :ref:`User Guide <inspection>`.

    Parameters
    ----------
    %(threshold)s

    action : {"remove", "majority"}, default="remove"
        What to do with a group holding several labels (see above).

    %(metric)s

    %(n_jobs)s

    Attributes
    ----------
    label_issues_ : ndarray of shape (n_samples,), dtype=bool
        Which input rows are in a group holding more than one label: every
        row removed or relabeled is among them (under "majority", the rows
        that already had the majority label are flagged but kept).

    sample_indices_ : ndarray of shape (n_samples_out,)
        Indices of the input rows returned by ``fit_resample``, in order.

    label_issues_report_ : pandas.DataFrame of shape (n_samples, 6)
        One row per input row, indexed like ``y`` (or a DataFrame ``X``):
        ``duplicate_group`` and ``nearest_distance`` (as
        :func:`find_duplicates` gives them), ``given_label``,
        ``new_label`` (the label returned; missing for a removed row),
        ``is_label_issue`` and ``action``, one of "kept", "removed" or
        "relabeled".

    sampling_strategy_ : str
        Always "auto": rows are selected by their labels, not to balance
        classes (imbalanced-learn's "bypass" sampling type).

    n_features_in_ : int
        Number of features seen during fit.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during fit, when X has string column names.

    See Also
    --------
    find_duplicates : The groups and conflicts, as a DataFrame.
    sklabels.noise.ConfidentLearningFilter : Wrong labels found by a model.

    Notes
    -----
    %(search_notes)s

    Like the other sklabels samplers, ``fit`` does the work of
    ``fit_resample`` (and sets the same attributes) without returning the
    data.

    Examples
    --------
    >>> import numpy as np
    >>> from sklabels.inspection import ConflictingLabelFilter
    >>> X = np.array([[0, 1], [0, 1], [0, 1], [5, 5], [7, 7], [7, 7]])
    >>> y = np.array(["a", "a", "b", "a", "a", "a"])
    >>> X_res, y_res = ConflictingLabelFilter().fit_resample(X, y)
    >>> X_res.tolist(), y_res.tolist()
    ([[5, 5], [7, 7], [7, 7]], ['a', 'a', 'a'])
    >>> f = ConflictingLabelFilter(action="majority").fit(X, y)
    >>> f.label_issues_report_[["duplicate_group", "given_label", "new_label",
    ...                         "action"]]
       duplicate_group given_label new_label     action
    0                0           a         a       kept
    1                0           a         a       kept
    2                0           b         a  relabeled
    3               -1           a         a       kept
    4                1           a         a       kept
    5                1           a         a       kept
    """

    _parameter_constraints: dict = {
        "threshold": [Interval(Real, 0, None, closed="left")],
        "action": [StrOptions({"remove", "majority"})],
        "metric": [StrOptions(set(METRICS)), callable],
        "n_jobs": [Integral, None],
    }

    def __init__(
        self, threshold=0.0, *, action="remove", metric="euclidean", n_jobs=None
    ):
        self.threshold = threshold
        self.action = action
        self.metric = metric
        self.n_jobs = n_jobs

    @_fit_context(prefer_skip_nested_validation=True)
    def fit_resample(self, X, y):
        """Find the conflicting groups and remove or relabel their rows.

        Parameters
        ----------
        X : {array-like, dataframe, sparse matrix} of shape (n_samples, n_features)
            Rows to compare.

        y : array-like of shape (n_samples,)
            Labels, of any type (integers, strings, categoricals). Missing
            labels are not allowed.

        Returns
        -------
        X_resampled : {array-like, dataframe, sparse matrix} of shape \
(n_samples_out, n_features)
            The rows ``sample_indices_`` of ``X``, in the container given.

        y_resampled : array-like of shape (n_samples_out,)
            Their labels: unchanged for "remove", the group's majority
            label for the relabeled rows of "majority".
        """
        output = self._validate_and_resample(X, y)
        index = input_index(X, y)
        if index is not None:
            self.label_issues_report_.index = index
        return output

    def _fit_resample(self, X, y):
        group, nearest = _duplicate_groups(
            check_rows(X), self.threshold, self.metric, self.n_jobs
        )
        label_codes, classes = pd.factorize(y)
        label_codes = label_codes.astype(np.int64)
        issues = _conflicts(group, label_codes)
        removed = np.zeros(y.shape[0], dtype=bool)
        new_codes = label_codes.copy()
        if self.action == "remove":
            removed = issues
        elif issues.any():
            rows = np.flatnonzero(issues)
            majority = _majority(group, label_codes, rows)
            removed[rows[majority < 0]] = True
            relabel = rows[majority >= 0]
            new_codes[relabel] = majority[majority >= 0]
        relabeled = ~removed & (new_codes != label_codes)
        y_new = y.copy()
        y_new[relabeled] = np.asarray(classes)[new_codes[relabeled]]

        action = np.full(y.shape[0], KEPT, dtype=object)
        action[removed] = REMOVED
        action[relabeled] = RELABELED
        self.label_issues_ = issues
        self.sample_indices_ = np.flatnonzero(~removed)
        self.label_issues_report_ = pd.DataFrame(
            {
                "duplicate_group": group,
                "nearest_distance": nearest,
                "given_label": y,
                "new_label": _nullable(y_new, removed),
                "is_label_issue": issues,
                "action": action,
            }
        )
        return _safe_indexing(X, self.sample_indices_), y_new[self.sample_indices_]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        exact = self.threshold == 0
        tags.input_tags.sparse = True
        tags.input_tags.allow_nan = exact
        tags.input_tags.string = exact
        return tags
