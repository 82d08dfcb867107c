"""The estimator template shared by every aggregator of a label matrix.

``fit`` validates the label matrix ``L`` and the gold labels ``y`` once, fixes
the number of classes, then calls the private ``_fit(L, y)`` of the subclass;
``predict_proba`` validates ``L`` against the fitted model and calls
``_predict_proba(L)``; rows without any vote get ``class_priors_``. The
subclasses hold only their algorithm.

A subclass that sets ``_votes_input = True`` receives the votes as a
:class:`~sklabels.aggregation._matrix.Votes` (triples, or the dense matrix
until they are needed); the others receive a dense int64 array, a sparse
``L`` being expanded for them.
"""

import warnings
from numbers import Integral

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator
from sklearn.exceptions import ConvergenceWarning

from sklabels.aggregation._matrix import (
    Votes,
    _check_sparse_votes,
    _check_votes,
    _to_numeric,
    argmax_rows,
    check_gold,
    infer_n_classes,
)
from sklabels.utils._compat import (
    Interval,
    _fit_context,
    check_is_fitted,
    validate_data,
)
from sklabels.utils._docstrings import SHARED_DOC, make_fill_doc

__all__ = [
    "BaseAggregator",
    "best_em",
    "fill_doc",
    "run_em",
    "warn_not_converged",
]

_AGGREGATION_DOC = {
    "n_classes": """\
n_classes : int, default=None
    Number of classes ``K``. None infers it as the largest class code in
    ``L`` (and in the gold labels ``y``) plus one, at least 2. Set it when
    some classes may receive no vote. The cost grows with ``K``, so when
    inferring it would leave most codes unused (a stray code such as 4999
    among 0..4), ``fit`` raises a ``ValueError`` instead.""",
    "random_state": """\
random_state : int, RandomState instance or None, default=None
    Seeds the randomness described above. Pass an int for reproducible
    results across calls.""",
    "classes_": """\
classes_ : ndarray of shape (n_classes,)
    The class codes ``0..K-1``; ``predict_proba`` has one column per
    entry. Map them back to names with the ``classes`` returned by
    :func:`to_label_matrix`.

n_classes_ : int
    Number of classes ``K``.

n_features_in_ : int
    Number of sources (columns of ``L``) seen during fit.

feature_names_in_ : ndarray of shape (`n_features_in_`,)
    Names of the sources, when ``L`` is a DataFrame with string column
    names.""",
    "no_vote": """\
Items with no vote (a row of ``-1``) get ``-1`` from ``predict`` and
``class_priors_`` from ``predict_proba``.""",
}


fill_doc = make_fill_doc({**SHARED_DOC, **_AGGREGATION_DOC})


class BaseAggregator(BaseEstimator):
    """Template of the aggregators: validation, class count, predict."""

    _parameter_constraints: dict = {
        "n_classes": [Interval(Integral, 2, None, closed="left"), None],
    }

    # True: ``_fit`` / ``_predict_proba`` take ``Votes``; False: a dense array.
    _votes_input = False

    def _validate_L(self, L, *, reset):
        """Validate the label matrix (and the number of sources).

        Returns ``Votes`` for a subclass with ``_votes_input``, else a dense
        int64 array.
        """
        arr = _to_numeric(
            L,
            "L",
            lambda X: validate_data(
                self,
                X,
                accept_sparse=("csr", "csc", "coo"),
                dtype="numeric",
                ensure_all_finite=False,
                reset=reset,
            ),
        )
        n_classes = self.n_classes if reset else self.n_classes_
        if sparse.issparse(arr):
            votes = _check_sparse_votes(arr, n_classes=n_classes, fitted=not reset)
            return votes if self._votes_input else votes.toarray()
        arr = _check_votes(arr, n_classes=n_classes, fitted=not reset)
        return Votes.from_dense(arr) if self._votes_input else arr

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, L, y=None):
        """Fit the aggregator on a label matrix.

        Parameters
        ----------
        L : {array-like, sparse matrix} of shape (n_items, n_sources)
            The label matrix: class codes ``0..K-1``, ``-1`` where a source
            gave no label. Floats with integral values are accepted; a
            DataFrame's column names become ``feature_names_in_``. A
            scipy.sparse matrix stores the class code *plus one*
            (``1..K``) and has no entry (or a stored 0) where a source gave
            no label, as returned by ``to_label_matrix(...,
            sparse_output=True)``.

        y : array-like of shape (n_items,), default=None
            Gold (known true) labels where available, ``-1`` elsewhere. Items
            with a gold label keep it during fitting, which anchors the
            estimates of the sources' reliability.

        Returns
        -------
        self : object
            Fitted aggregator.
        """
        L = self._validate_L(L, reset=True)
        y = check_gold(y, L.shape[0], n_classes=self.n_classes)
        self.n_classes_ = infer_n_classes(L, y, self.n_classes)
        self.classes_ = np.arange(self.n_classes_)
        self._fit(L, y)
        return self

    def predict_proba(self, L):
        """Probability of each class for each item.

        Parameters
        ----------
        L : {array-like, sparse matrix} of shape (n_items, n_sources)
            Label matrix with the sources (columns) seen in ``fit``, dense
            or sparse (coded as in ``fit``), whatever the form ``fit`` got.

        Returns
        -------
        proba : ndarray of shape (n_items, n_classes)
            Rows sum to 1. Items with no vote get ``class_priors_``.
        """
        check_is_fitted(self)
        L = self._drop_unseen(self._validate_L(L, reset=False))
        proba = self._predict_proba(L)
        no_vote = _no_vote(L)
        if no_vote.any():
            proba[no_vote] = self.class_priors_
        return proba

    def predict(self, L):
        """Most probable class of each item, ``-1`` for items with no vote.

        Parameters
        ----------
        L : {array-like, sparse matrix} of shape (n_items, n_sources)
            Label matrix with the sources (columns) seen in ``fit``, dense
            or sparse (coded as in ``fit``), whatever the form ``fit`` got.

        Returns
        -------
        labels : ndarray of shape (n_items,), dtype=int64
            Class codes ``0..K-1``; ``-1`` where no source voted.
        """
        check_is_fitted(self)
        L = self._drop_unseen(self._validate_L(L, reset=False))
        proba = self._predict_proba(L)
        labels = argmax_rows(proba).astype(np.int64)
        labels[_no_vote(L)] = -1
        return labels

    def _drop_unseen(self, L):
        """Hook: the votes the model ignores at predict time set to -1."""
        return L

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        # A label matrix is integer-coded categorical data: scikit-learn's
        # common checks then feed it non-negative integers.
        tags.input_tags.categorical = True
        tags.input_tags.sparse = True  # expanded for a dense-only subclass
        return tags


def _no_vote(L):
    """Mask of the items without a vote, for ``Votes`` or a dense matrix."""
    return L.no_vote() if isinstance(L, Votes) else (L < 0).all(axis=1)


def run_em(params, e_step, m_step, *, max_iter, tol):
    """Alternate ``e_step(params) -> (T, loss)`` and ``m_step(T, params) -> params``.

    Stops when the loss (a negative log-likelihood per item, computed in the
    E-step) changes by less than ``tol`` between two iterations and no item's
    most probable class changed: the labels, the main output of an
    aggregator, have settled too.

    Returns
    -------
    params : object
        Parameters after the last M-step.
    loss_history : list of float
        Loss at each iteration.
    n_iter : int
        Number of iterations run, at least 1.
    converged : bool
        Whether the ``tol`` criterion stopped the loop.
    """
    history, labels = [], None
    for n_iter in range(1, max_iter + 1):
        T, loss = e_step(params)
        params = m_step(T, params)
        history.append(float(loss))
        previous, labels = labels, argmax_rows(T)
        if (
            n_iter > 1
            and abs(history[-2] - history[-1]) < tol
            and np.array_equal(previous, labels)
        ):
            return params, history, n_iter, True
    return params, history, max_iter, False


def best_em(starts, init, e_step, m_step, *, max_iter, tol):
    """``run_em`` from each starting posterior; keep the lowest final loss."""
    best = None
    for T in starts:
        result = run_em(init(T), e_step, m_step, max_iter=max_iter, tol=tol)
        if best is None or result[1][-1] < best[1][-1]:
            best = result
    return best


def warn_not_converged(estimator, history):
    """ConvergenceWarning for an EM stopped by ``max_iter``."""
    change = abs(history[-1] - history[-2]) if len(history) > 1 else float("nan")
    warnings.warn(
        f"{type(estimator).__name__} did not converge in "
        f"max_iter={estimator.max_iter} iterations (last change of the loss "
        f"{change:.3g}, tol={estimator.tol}); increase max_iter or tol.",
        ConvergenceWarning,
        stacklevel=4,
    )
