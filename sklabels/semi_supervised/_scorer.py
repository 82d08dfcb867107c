"""Scorers that measure only the labeled rows of partly labeled data."""

import warnings
from numbers import Real

import numpy as np
from scipy import sparse
from sklearn.metrics import get_scorer

from sklabels.semi_supervised._validation import check_n_rows, labeled_rows
from sklabels.utils._compat import _safe_indexing, validate_params
from sklabels.utils._docstrings import fill_doc
from sklabels.utils._validation import check_labels

__all__ = ["make_labeled_scorer"]


class _LabeledScorer:
    """Call ``scorer`` on the rows of ``(X, y)`` whose label is known."""

    def __init__(self, scorer, unlabeled):
        self._scorer = scorer
        self._unlabeled = unlabeled

    def __call__(self, estimator, X, y_true, **kwargs):
        values, labeled = labeled_rows(y_true, self._unlabeled)
        check_n_rows(X, values.shape[0])
        keep = np.flatnonzero(labeled)
        if keep.size == 0:
            warnings.warn(
                f"No labeled row to score: all {values.shape[0]} rows are marked "
                f"unlabeled (unlabeled={self._unlabeled!r}, None or NaN); the "
                "score is NaN. In cross-validation, "
                "sklabels.semi_supervised.LabeledKFold gives test folds of "
                "labeled rows only.",
                UserWarning,
                stacklevel=2,
            )
            return np.nan
        if keep.size < values.shape[0]:
            if not (hasattr(X, "iloc") or sparse.issparse(X)):
                X = np.asarray(X)
            X = _safe_indexing(X, keep)
            kwargs = {
                key: _safe_indexing(np.asarray(value), keep)
                if np.ndim(value) == 1 and len(value) == values.shape[0]
                else value
                for key, value in kwargs.items()
            }
        return self._scorer(estimator, X, check_labels(values[keep])[0], **kwargs)

    def __repr__(self):
        return f"make_labeled_scorer({self._scorer!r}, unlabeled={self._unlabeled!r})"


@validate_params(
    {"scoring": [str, callable], "unlabeled": [Real, str, None]},
    prefer_skip_nested_validation=True,
)
@fill_doc
def make_labeled_scorer(scoring="accuracy", *, unlabeled=-1):
    """Make a scorer that ignores the unlabeled rows of the test data.

    ``cross_val_score`` and ``GridSearchCV`` with ``cv=5`` or ``KFold``
    split partly labeled data into folds whose test part holds unlabeled rows
    too; a plain scorer compares the predictions with the unlabeled marker
    (-1), which no classifier predicts, and reports nonsense. The simplest
    fix is ``cv=LabeledKFold(...)``, whose test folds hold labeled rows only,
    with any scoring string. With another splitter, the scorer returned here
    drops the rows
    marked ``unlabeled`` (and None / NaN labels) before scoring, and returns
    NaN with a warning when a fold has no labeled row. It works for any
    classifier, not only :class:`PseudoLabelClassifier`.

    Read more in the :ref:`User Guide <semi_supervised>`.

    Parameters
    ----------
    scoring : str or callable, default="accuracy"
        A scorer name (as for ``cross_val_score(scoring=...)``, e.g.
        "f1_macro", "neg_log_loss") or a scorer callable
        ``scorer(estimator, X, y)``.

    %(unlabeled)s

    Returns
    -------
    scorer : callable
        ``scorer(estimator, X, y, **kwargs)`` scoring only the labeled rows;
        one-dimensional keyword arguments of length ``len(y)`` (such as
        ``sample_weight``) are subset the same way.

    See Also
    --------
    LabeledKFold : Test folds of labeled rows only, for any scoring string.
    PseudoLabelClassifier.score : Accuracy on the labeled rows, the default
        score of :class:`PseudoLabelClassifier`.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.model_selection import cross_val_score
    >>> from sklabels.semi_supervised import (
    ...     PseudoLabelClassifier, make_labeled_scorer)
    >>> X, y = load_iris(return_X_y=True)
    >>> y_partial = np.where(np.arange(150) % 5 == 0, y, -1)
    >>> scores = cross_val_score(
    ...     PseudoLabelClassifier(LogisticRegression(), random_state=0),
    ...     X, y_partial, cv=3, scoring=make_labeled_scorer("f1_macro"))
    >>> bool((scores > 0.8).all())
    True
    """
    scorer = get_scorer(scoring) if isinstance(scoring, str) else scoring
    return _LabeledScorer(scorer, unlabeled)
