"""Cross-validation of partly labeled data: test folds of labeled rows only."""

from numbers import Integral, Real

import numpy as np
from sklearn.model_selection import BaseCrossValidator, KFold, StratifiedKFold
from sklearn.utils import check_random_state

from sklabels.semi_supervised._validation import check_n_rows, labeled_rows
from sklabels.utils._docstrings import fill_doc
from sklabels.utils._validation import check_labels

__all__ = ["LabeledKFold"]


@fill_doc
class LabeledKFold(BaseCrossValidator):
    """K-fold cross-validator for partly labeled data.

    The labeled rows of ``y`` are split into ``n_splits`` folds (stratified
    by class by default); each test set is one fold of labeled rows, and its
    training set is every other row: the other labeled rows and **all** the
    unlabeled ones. A test set never holds an unlabeled row, so any scorer,
    including plain scoring strings such as ``"accuracy"`` or
    ``"f1_macro"``, compares predictions with true labels only, and a
    semi-supervised model keeps all its unlabeled rows in every fit.

    Pass it as ``cv`` to ``cross_val_score``, ``cross_validate``,
    ``GridSearchCV`` and the like. Unlike scikit-learn's splitters it needs
    ``y`` in ``split``.

    Read more in the :ref:`User Guide <semi_supervised_cv>`.

    Parameters
    ----------
    n_splits : int, default=5
        Number of folds of the labeled rows. At least 2, and at most the
        number of labeled rows (with ``stratify``, at most the size of the
        largest class).

    stratify : bool, default=True
        Split the labeled rows with
        :class:`~sklearn.model_selection.StratifiedKFold` (each fold keeps
        the class proportions), as scikit-learn does for a classifier given
        ``cv=int``; False uses :class:`~sklearn.model_selection.KFold`.

    %(unlabeled)s

    shuffle : bool, default=False
        Shuffle the labeled rows before they are split into folds (the
        unlabeled rows are in every training set, whatever their order).

    random_state : int, RandomState instance or None, default=None
        With ``shuffle=True``, the seed of the shuffling. Must be None
        when ``shuffle=False``.

    See Also
    --------
    make_labeled_scorer : A scorer that skips unlabeled rows, for splitters
        whose test folds hold some.
    PseudoLabelClassifier : Pseudo-labelling, the semi-supervised model to
        cross-validate.

    Examples
    --------
    >>> import numpy as np
    >>> from sklabels.semi_supervised import LabeledKFold
    >>> y = np.array([0, -1, 1, -1, 0, 1, -1, 0, 1, -1])
    >>> cv = LabeledKFold(n_splits=3)
    >>> for train, test in cv.split(np.zeros((10, 1)), y):
    ...     print(train, test)
    [1 3 4 5 6 7 8 9] [0 2]
    [0 1 2 3 6 7 8 9] [4 5]
    [0 1 2 3 4 5 6 9] [7 8]

    With any scoring string:

    >>> from sklearn.datasets import load_iris
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.model_selection import cross_val_score
    >>> from sklabels.semi_supervised import PseudoLabelClassifier
    >>> X, y = load_iris(return_X_y=True)
    >>> y_partial = np.where(np.arange(150) % 5 == 0, y, -1)  # 30 labels
    >>> scores = cross_val_score(
    ...     PseudoLabelClassifier(LogisticRegression()), X, y_partial,
    ...     cv=LabeledKFold(3), scoring="f1_macro")
    >>> bool((scores > 0.8).all())
    True
    """

    def __init__(
        self,
        n_splits=5,
        *,
        stratify=True,
        unlabeled=-1,
        shuffle=False,
        random_state=None,
    ):
        if not isinstance(n_splits, Integral) or isinstance(n_splits, bool):
            raise TypeError(
                f"n_splits must be an integer, got {type(n_splits).__name__} "
                f"{n_splits!r}."
            )
        if n_splits < 2:
            raise ValueError(
                f"n_splits must be at least 2 (one fold to test, the others to "
                f"train), got n_splits={n_splits!r}."
            )
        for name, value in (("stratify", stratify), ("shuffle", shuffle)):
            if not isinstance(value, (bool, np.bool_)):
                raise TypeError(
                    f"{name} must be True or False, got {type(value).__name__} "
                    f"{value!r}."
                )
        if not (unlabeled is None or isinstance(unlabeled, (Real, str))) or (
            isinstance(unlabeled, bool)
        ):
            raise TypeError(
                "unlabeled must be the label value that marks unlabeled rows (an "
                f"int, float, str or None), got {type(unlabeled).__name__} "
                f"{unlabeled!r}."
            )
        if not shuffle and random_state is not None:
            raise ValueError(
                f"random_state={random_state!r} has no effect with shuffle=False: "
                "leave random_state=None, or set shuffle=True."
            )
        check_random_state(random_state)  # TypeError / ValueError if invalid
        self.n_splits = int(n_splits)
        self.stratify = bool(stratify)
        self.unlabeled = unlabeled
        self.shuffle = bool(shuffle)
        self.random_state = random_state

    def get_n_splits(self, X=None, y=None, groups=None):
        """Number of splits: ``n_splits``.

        Parameters
        ----------
        X, y, groups : object
            Ignored, present for compatibility.

        Returns
        -------
        n_splits : int
        """
        return self.n_splits

    def split(self, X, y=None, groups=None):
        """Indices of the training and test rows of each fold.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Data; only its number of rows is read.

        y : array-like of shape (n_samples,)
            Labels, with ``unlabeled`` (or None / NaN) for unlabeled rows.
            Required.

        groups : object
            Ignored, present for compatibility.

        Yields
        ------
        train : ndarray
            The training rows: all rows but the test fold, unlabeled ones
            included.

        test : ndarray
            The test rows: one fold of the labeled rows.
        """
        n_samples, folds = self._folds(X, y)
        for test in folds:
            train = np.ones(n_samples, dtype=bool)
            train[test] = False
            yield np.flatnonzero(train), test

    def _iter_test_indices(self, X=None, y=None, groups=None):
        yield from self._folds(X, y)[1]

    def _folds(self, X, y):
        """``(n_samples, test folds)``, each fold the sorted rows it tests."""
        if y is None:
            raise ValueError(
                "LabeledKFold.split needs y to tell labeled rows from unlabeled "
                "ones, got y=None. Pass the labels: cv.split(X, y)."
            )
        values, labeled = labeled_rows(y, self.unlabeled)
        n_samples = check_n_rows(X, values.shape[0])
        rows = np.flatnonzero(labeled)
        if rows.size < self.n_splits:
            raise ValueError(
                f"Cannot split {rows.size} labeled row(s) into n_splits="
                f"{self.n_splits} test folds (unlabeled={self.unlabeled!r}, None "
                "or NaN mark the others). Lower n_splits or label more rows."
            )
        if self.stratify:
            inner = StratifiedKFold(
                self.n_splits, shuffle=self.shuffle, random_state=self.random_state
            )
        else:
            inner = KFold(
                self.n_splits, shuffle=self.shuffle, random_state=self.random_state
            )
        labels = check_labels(values[rows])[0]
        folds = [
            np.sort(rows[test])
            for _, test in inner.split(np.zeros((rows.size, 1)), labels)
        ]
        return n_samples, folds
