"""Iterative stratification of multi-label data (Sechidis et al. 2011)."""

import numpy as np
from sklearn.utils import check_random_state

from sklabels.multilabel._validation import (
    check_label_matrix,
    check_label_matrix_type,
    positive_mask,
)
from sklabels.utils._compat import _BaseKFold, _num_samples
from sklabels.utils._progress import warn_once

__all__ = ["MultilabelStratifiedKFold"]


def _pick(desired_label, desired_size, rng):
    """Fold wanting the label most; ties by size still wanted, then first/random."""
    best = max(desired_label)
    folds = [j for j, d in enumerate(desired_label) if d == best]
    if len(folds) > 1:
        best = max(desired_size[j] for j in folds)
        folds = [j for j in folds if desired_size[j] == best]
        if len(folds) > 1 and rng is not None:
            return folds[rng.randint(len(folds))]
    return folds[0]


def _assign(n_rows, desired_label, desired_size, rng):
    """Greedy folds of ``n_rows`` rows, in order; updates ``desired_size``.

    The sequential choice is the algorithm itself: each row goes to the fold
    that still wants the current label most, which depends on the rows
    placed before it. The state is ``n_splits`` numbers, kept in lists.
    """
    wanted = desired_label.tolist()
    sizes = desired_size.tolist()
    folds = np.empty(n_rows, dtype=np.intp)
    for r in range(n_rows):
        j = _pick(wanted, sizes, rng)
        wanted[j] -= 1
        sizes[j] -= 1
        folds[r] = j
    desired_size[:] = sizes
    return folds


def iterative_stratification(present, n_splits, rng=None):
    """Fold index of each row, by iterative stratification.

    Parameters
    ----------
    present : sparse matrix of shape (n_samples, n_labels), dtype=bool
        Which labels each row has.
    n_splits : int
        Number of folds.
    rng : RandomState or None
        None processes rows in order and breaks ties by the lowest fold
        index; a RandomState shuffles the rows of each label and breaks ties
        at random.

    Returns
    -------
    folds : ndarray of shape (n_samples,)
        Fold of each row, in ``0..n_splits-1``.

    Notes
    -----
    Algorithm 1 of Sechidis et al. (2011). Each fold wants ``1 / n_splits``
    of the rows and of each label's positive rows. Repeatedly, the label
    with the fewest positive rows left is taken, and each of its rows goes
    to the fold that wants that label most (ties: the fold that wants the
    most rows, then the first or a random one); the fold's wants of every
    label of the row drop by one. Rows without labels fill the folds that
    want the most rows. Cost: O(n_labels ** 2 + nnz + n_samples * n_splits).
    """
    by_label = present.tocsc()
    by_row = present.tocsr()
    n_samples, n_labels = present.shape
    positives = np.diff(by_label.indptr).astype(np.int64)
    desired = np.outer(np.full(n_splits, 1.0 / n_splits), positives)
    desired_size = np.full(n_splits, n_samples / n_splits)
    folds = np.full(n_samples, -1, dtype=np.intp)
    remaining = positives.copy()
    while True:
        candidates = np.flatnonzero(remaining > 0)
        if candidates.size == 0:
            break
        counts = remaining[candidates]
        fewest = candidates[counts == counts.min()]
        label = fewest[0] if rng is None else fewest[rng.randint(fewest.size)]
        rows = by_label.indices[by_label.indptr[label] : by_label.indptr[label + 1]]
        rows = rows[folds[rows] < 0]
        if rng is not None:
            rows = rng.permutation(rows)
        chosen = _assign(rows.size, desired[:, label], desired_size, rng)
        folds[rows] = chosen
        # every label of the placed rows: one less wanted by their fold
        placed = by_row[rows]
        row_folds = np.repeat(chosen, np.diff(placed.indptr))
        np.subtract.at(desired, (row_folds, placed.indices), 1)
        remaining -= np.bincount(placed.indices, minlength=n_labels)
    rest = np.flatnonzero(folds < 0)
    if rng is not None:
        rest = rng.permutation(rest)
    folds[rest] = _assign(rest.size, desired_size.copy(), desired_size, rng)
    return folds


class MultilabelStratifiedKFold(_BaseKFold):
    """K-fold splits that keep each label's proportion in every fold.

    Iterative stratification (Sechidis, Tsoumakas and Vlahavas, 2011) for a
    multi-label indicator matrix ``y``: rows are assigned label by label,
    rarest label first, each to the fold that still needs that label most,
    so that every fold gets close to ``1 / n_splits`` of each label's
    positive rows and of the rows. Use it as ``cv=`` anywhere in
    scikit-learn (:func:`~sklearn.model_selection.cross_validate`,
    :class:`~sklearn.model_selection.GridSearchCV`, ...), where
    :class:`~sklearn.model_selection.StratifiedKFold` refuses multi-label
    targets and :class:`~sklearn.model_selection.KFold` can leave a fold
    without any example of a rare label.

    Read more in the :ref:`User Guide <multilabel>`.

    Parameters
    ----------
    n_splits : int, default=5
        Number of folds. Must be at least 2.

    shuffle : bool, default=False
        Whether to shuffle the rows of each label before assigning them and
        to break ties between folds at random. Without shuffling, rows are
        taken in order and ties go to the lowest fold, so the folds depend
        on the row order only.

    random_state : int, RandomState instance or None, default=None
        When ``shuffle`` is True, controls the shuffling and the ties. Pass
        an int for the same folds on every call of ``split``. Must stay
        None when ``shuffle`` is False.

    See Also
    --------
    sklearn.model_selection.StratifiedKFold : Stratification for one target.
    BinaryRelevance : Uses this splitter to tune thresholds.

    Notes
    -----
    Fold sizes can differ by more than one row: the algorithm favours the
    label proportions. A label with fewer positive rows than ``n_splits``
    cannot be in every fold; its rows go to different folds.

    References
    ----------
    .. [1] Sechidis, K., Tsoumakas, G. and Vlahavas, I. (2011). "On the
       Stratification of Multi-Label Data". In Machine Learning and Knowledge
       Discovery in Databases (ECML PKDD 2011), LNCS 6913, pp. 145-158.

    Examples
    --------
    >>> import numpy as np
    >>> from sklabels.multilabel import MultilabelStratifiedKFold
    >>> Y = np.array([[1, 0], [1, 0], [0, 1], [0, 1], [1, 1], [1, 1], [0, 0],
    ...               [0, 0]])
    >>> X = np.zeros((8, 1))
    >>> cv = MultilabelStratifiedKFold(n_splits=2)
    >>> for train, test in cv.split(X, Y):
    ...     print(test, Y[test].sum(axis=0))
    [0 2 4 6] [2 2]
    [1 3 5 7] [2 2]
    """

    def __init__(self, n_splits=5, *, shuffle=False, random_state=None):
        super().__init__(n_splits=n_splits, shuffle=shuffle, random_state=random_state)

    def _make_test_folds(self, X, y):
        Y, pair = check_label_matrix(
            y, _num_samples(X), input_name="y", caller=type(self).__name__
        )
        rng = check_random_state(self.random_state) if self.shuffle else None
        return iterative_stratification(positive_mask(Y, pair), self.n_splits, rng)

    def _iter_test_masks(self, X, y=None, groups=None):
        folds = self._make_test_folds(X, y)
        for i in range(self.n_splits):
            yield folds == i

    def split(self, X, y, groups=None):
        """Generate indices to split data into training and test set.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data; only its number of rows is used, so
            ``np.zeros(n_samples)`` works as a placeholder.

        y : {array-like, sparse matrix} of shape (n_samples, n_labels)
            Binary indicator matrix (0/1 or booleans) of the labels to
            stratify.

        groups : array-like of shape (n_samples,), default=None
            Always ignored, exists for API compatibility.

        Yields
        ------
        train : ndarray
            The training set indices for that split.

        test : ndarray
            The testing set indices for that split.
        """
        if groups is not None:
            warn_once(
                f"The groups parameter is ignored by {type(self).__name__}",
                UserWarning,
                stacklevel=2,
            )
        # types before lengths: a string y must not be reported as a length
        check_label_matrix_type(y, input_name="y", caller=type(self).__name__)
        return super().split(X, y, groups)
