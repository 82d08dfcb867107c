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

from numbers import Integral

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.base import BaseEstimator
from sklearn.exceptions import ConvergenceWarning

from sklabels.aggregation._matrix import (
    Votes,
    _check_sparse_votes,
    _check_votes,
    _to_numeric,
    argmax_rows,
    bincount,
    check_gold,
    infer_n_classes,
    vote_triples,
)
from sklabels.utils._compat import (
    Interval,
    _fit_context,
    check_is_fitted,
    validate_data,
)
from sklabels.utils._doc_link import DocLinkMixin
from sklabels.utils._docstrings import SHARED_DOC, make_fill_doc
from sklabels.utils._progress import iteration_step, loss_text, warn_once

__all__ = [
    "BaseAggregator",
    "agreement_with_labels",
    "best_em",
    "fill_doc",
    "report_em",
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
    "classes": """\
classes : array-like of shape (n_classes,), default=None
    The label of each class code: ``classes[k]`` names code ``k`` of
    ``L``. When given, ``predict`` returns these labels, ``fit`` reads the
    gold labels ``y`` as labels of ``classes`` (``-1``, None or NaN where
    unknown), the columns of ``predict_proba`` follow them, and the number
    of classes is ``len(classes)`` (``n_classes``, if also given, must
    agree). ``L`` keeps the codes ``0..K-1``, as returned by
    :func:`to_label_matrix` together with its ``classes``.""",
    "classes_": """\
classes_ : ndarray of shape (n_classes,)
    The labels given by ``classes``, else the class codes ``0..K-1``;
    ``predict_proba`` has one column per entry. Map codes back to names
    with the ``classes`` returned by :func:`to_label_matrix` (or pass them
    as ``classes``).

n_classes_ : int
    Number of classes ``K``.

n_features_in_ : int
    Number of sources (columns of ``L``) seen during fit.

feature_names_in_ : ndarray of shape (`n_features_in_`,)
    Names of the sources, when ``L`` is a DataFrame with string column
    names.""",
    "source_quality_": """\
source_quality_ : pandas.Series or ndarray of shape (n_sources,)
    Estimated accuracy of each source: the probability that a label it
    gives is the true class, one number in [0, 1] per source with the same
    meaning in every aggregator (NaN for a source without a vote). A
    pandas Series named ``"source_quality"`` indexed by the source names
    when they are known (the column names of a DataFrame ``L``, as in
    ``feature_names_in_``,
    or the source ids of the long table given to :func:`aggregate`), else
    an ndarray in the order of the columns of ``L``.""",
    "no_vote": """\
Items with no vote (a row of ``-1``) get ``-1`` from ``predict`` and
``class_priors_`` from ``predict_proba``.""",
}


fill_doc = make_fill_doc({**SHARED_DOC, **_AGGREGATION_DOC})


class BaseAggregator(DocLinkMixin, BaseEstimator):
    """Template of the aggregators: validation, class count, predict."""

    _parameter_constraints: dict = {
        "n_classes": [Interval(Integral, 2, None, closed="left"), None],
        "classes": ["array-like", None],
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
        n_classes = self._n_classes_param() if reset else self.n_classes_
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
            Gold (known true) labels where available, ``-1`` elsewhere (class
            codes; labels of ``classes`` when it is given, with ``-1``, None
            or NaN where unknown). Items with a gold label keep it during
            fitting, which anchors the estimates of the sources' reliability.

        Returns
        -------
        self : object
            Fitted aggregator.
        """
        self._fit_validated(L, y)
        return self

    def _fit_validated(self, L, y):
        """Validate and fit; return the validated ``L`` and the training codes.

        ``_fit`` may return the class codes of the training items (-1 for
        no label) when it computes them anyway; ``fit_predict`` then uses
        them instead of predicting again. None otherwise.
        """
        names = self._check_classes()
        L = self._validate_L(L, reset=True)
        n_classes = self._n_classes_param()
        y = self._encode_gold(y, L.shape[0], names, n_classes)
        self.n_classes_ = infer_n_classes(L, y, n_classes)
        self.classes_ = np.arange(self.n_classes_) if names is None else names
        codes = self._fit(L, y)
        quality = np.asarray(self._source_quality(L), dtype=np.float64)
        names_in = getattr(self, "feature_names_in_", None)
        if names_in is not None:
            quality = pd.Series(
                quality, index=pd.Index(names_in, name="source"), name="source_quality"
            )
        self.source_quality_ = quality
        return L, codes

    @_fit_context(prefer_skip_nested_validation=True)
    def fit_predict(self, L, y=None):
        """Fit the aggregator on ``L`` and return the label of each item.

        Parameters
        ----------
        L : {array-like, sparse matrix} of shape (n_items, n_sources)
            The label matrix, as in ``fit``.

        y : array-like of shape (n_items,), default=None
            Gold labels where known, as in ``fit``.

        Returns
        -------
        labels : ndarray of shape (n_items,)
            The same as ``self.fit(L, y).predict(L)``, with ``L`` validated
            once.
        """
        L, codes = self._fit_validated(L, y)
        if codes is None:
            codes = self._codes(self._drop_unseen(L))
        return self._decode(codes)

    def score(self, L, y):
        """Accuracy of ``predict(L)`` on the items with a known label.

        Parameters
        ----------
        L : {array-like, sparse matrix} of shape (n_items, n_sources)
            Label matrix with the sources seen in ``fit``.

        y : array-like of shape (n_items,)
            True labels (class codes, or labels of ``classes`` when given),
            ``-1`` (or None / NaN with ``classes``) where unknown: those items
            are left out.

        Returns
        -------
        score : float
            Fraction of the items with a known label whose predicted label
            is right; an item the model abstains on (``-1``) counts as wrong.
        """
        check_is_fitted(self)
        codes = self._encode_gold(
            y, _n_rows(L), self._names(), self.n_classes_, input_name="y"
        )
        known = codes >= 0
        if not known.any():
            raise ValueError(
                "y holds no known label (every entry is -1 or missing), so there "
                "is nothing to score; give the true label of at least one item."
            )
        pred = self._predict_codes(L)
        return float(np.mean(pred[known] == codes[known]))

    def _n_classes_param(self):
        """The number of classes fixed by the parameters, or None."""
        if self.classes is not None:
            return len(self.classes)
        return self.n_classes

    def _names(self):
        return None if self.classes is None else self.classes_

    def _check_classes(self):
        """``classes`` as an ndarray (None if not given), checked."""
        if self.classes is None:
            return None
        classes = self.classes  # array-like: checked by the constraints
        names = np.asarray(classes)
        if names.dtype.kind not in "iubO":  # strings, floats: keep values as given
            names = np.asarray(list(classes), dtype=object)
        if names.ndim != 1 or names.size < 2:
            raise ValueError(
                f"classes must be a 1d list of at least 2 labels, one per class "
                f"code, got {classes!r}."
            )
        if not pd.Index(names).is_unique:
            dup = pd.Index(names)[pd.Index(names).duplicated()][0]
            raise ValueError(
                f"classes holds {dup!r} more than once; give each label once."
            )
        if pd.isna(pd.Index(names)).any():
            raise ValueError(
                f"classes holds a missing value (None/NaN): {classes!r}; None and "
                "NaN mark unknown labels, give a real label for every class."
            )
        if self.n_classes is not None and self.n_classes != names.size:
            raise ValueError(
                f"classes has {names.size} labels but n_classes={self.n_classes!r}; "
                "give one label per class (or leave n_classes=None)."
            )
        return names

    def _encode_gold(self, y, n_items, names, n_classes, input_name="y"):
        """Gold labels as codes (-1 where unknown); names read with ``classes``."""
        if y is None or names is None:
            return check_gold(y, n_items, n_classes=n_classes, input_name=input_name)
        if hasattr(y, "toarray"):
            raise TypeError(
                f"{input_name} must be a dense 1d array, got a sparse matrix."
            )
        values = np.asarray(y.to_numpy() if hasattr(y, "to_numpy") else y, dtype=object)
        if values.ndim == 2 and values.shape[1] == 1:
            values = values.ravel()
        if values.ndim != 1 or values.shape[0] != n_items:
            raise ValueError(
                f"{input_name} must be a 1d array with one label per item "
                f"({n_items}), got shape {values.shape}."
            )
        index = pd.Index(names)
        codes = index.get_indexer(values).astype(np.int64)
        unknown = pd.isna(values)
        if -1 not in index:
            unknown |= np.array([v is not None and _is_minus_one(v) for v in values])
        bad = (codes < 0) & ~unknown
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise ValueError(
                f"{input_name} holds {values[i]!r} in row {i}, which is not in "
                f"classes={list(names)!r}; give labels of classes, or -1 / None "
                "where unknown."
            )
        codes[unknown] = -1
        return codes

    def _decode(self, codes):
        """Class codes (-1: no label) as the labels of ``classes``."""
        names = self._names()
        if names is None:
            return codes
        missing = codes < 0
        if names.dtype.kind in "iu" and -1 not in names:
            out = names[np.maximum(codes, 0)].astype(np.int64)
            out[missing] = -1
            return out
        out = names.astype(object)[np.maximum(codes, 0)]
        out[missing] = None
        return out

    def _source_quality(self, L):
        """Estimated accuracy of each source (ndarray); see ``source_quality_``."""
        raise NotImplementedError

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
        labels : ndarray of shape (n_items,)
            Class codes ``0..K-1`` (int64), ``-1`` where no source voted;
            with ``classes``, the labels of ``classes`` (``-1`` where no
            source voted for integer labels, else None).
        """
        return self._decode(self._predict_codes(L))

    def _predict_codes(self, L):
        """Class codes of ``predict`` (-1 for no label)."""
        check_is_fitted(self)
        return self._codes(self._drop_unseen(self._validate_L(L, reset=False)))

    def _codes(self, L):
        """Class codes of the validated ``L`` (-1 for no label)."""
        proba = self._predict_proba(L)
        labels = self._labels_from_proba(proba).astype(np.int64)
        labels[_no_vote(L)] = -1
        return labels

    def _labels_from_proba(self, proba):
        """Hook: the class code of each row of ``proba`` (-1 to abstain)."""
        return argmax_rows(proba)

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


def _n_rows(L):
    """Number of rows of a label matrix of any accepted kind."""
    return L.shape[0] if hasattr(L, "shape") else len(L)


def _is_minus_one(value):
    try:
        return bool(value == -1)
    except (TypeError, ValueError):
        return False


def agreement_with_labels(L, labels, n_sources, weights=None):
    """Fraction of each source's votes that give the item's label.

    ``labels`` is one class code per item (-1: no label, those votes are
    not counted), or an ``(n_items, K)`` matrix of probabilities, whose
    entry for the class voted is then averaged (the expected agreement).
    NaN for a source without a counted vote.
    """
    items, sources, votes = vote_triples(L)
    if labels.ndim == 1 and weights is None:
        # Counts: one bincount of (source, right or not), the votes whose
        # item has no label in a last bin (exact, as the weighted sums of
        # ones and zeros below are).
        given = labels[items]
        bins = sources * 2
        bins += given == votes
        uncounted = ~(given >= 0)
        if uncounted.any():
            bins[uncounted] = 2 * n_sources
        counts = bincount(bins, minlength=2 * n_sources + 1)[:-1]
        counts = counts.reshape(n_sources, 2)
        hits, total = counts[:, 1], counts[:, 0] + counts[:, 1]
    else:
        if labels.ndim == 2:
            right = labels[items, votes]
            counted = np.ones(items.size, dtype=bool)
        else:
            counted = labels[items] >= 0
            right = (labels[items] == votes).astype(np.float64)
        w = counted.astype(np.float64) if weights is None else counted * weights
        hits = bincount(sources, weights=right * w, minlength=n_sources)
        total = bincount(sources, weights=w, minlength=n_sources)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, hits / np.where(total > 0, total, 1.0), np.nan)


def _no_vote(L):
    """Mask of the items without a vote, for ``Votes`` or a dense matrix."""
    return L.no_vote() if isinstance(L, Votes) else (L < 0).all(axis=1)


def run_em(params, e_step, m_step, *, max_iter, tol, progress=None):
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

    ``progress`` (a ``Progress``) reports the loss under ``verbose >= 2``.
    """
    history, labels = [], None
    for n_iter in range(1, max_iter + 1):
        T, loss = e_step(params)
        params = m_step(T, params)
        history.append(float(loss))
        if progress is not None:
            iteration_step(progress, n_iter, max_iter, lambda: loss_text(history))
        previous, labels = labels, argmax_rows(T)
        if (
            n_iter > 1
            and abs(history[-2] - history[-1]) < tol
            and np.array_equal(previous, labels)
        ):
            return params, history, n_iter, True
    return params, history, max_iter, False


def best_em(starts, init, e_step, m_step, *, max_iter, tol, progress=None):
    """``run_em`` from each starting posterior; keep the lowest final loss.

    ``progress`` reports one line per start under ``verbose >= 1``.
    """
    best = None
    starts = list(starts)
    for i, T in enumerate(starts, start=1):
        result = run_em(
            init(T), e_step, m_step, max_iter=max_iter, tol=tol, progress=progress
        )
        if progress is not None:
            report_em(progress, result[1], result[3], f"start {i}/{len(starts)}: ")
        if best is None or result[1][-1] < best[1][-1]:
            best = result
    return best


def report_em(progress, history, converged, prefix=""):
    """One stage line for a finished EM: iterations, loss, converged or not."""
    state = "converged" if converged else "stopped by max_iter"
    progress.done(
        f"{prefix}{len(history)} iteration(s), loss {history[-1]:.6g}, {state}"
    )


def warn_not_converged(estimator, history):
    """ConvergenceWarning for an EM stopped by ``max_iter``."""
    change = abs(history[-1] - history[-2]) if len(history) > 1 else float("nan")
    name = type(estimator).__name__
    warn_once(
        f"{name} did not converge in "
        f"max_iter={estimator.max_iter} iterations (last change of the loss "
        f"{change:.3g}, tol={estimator.tol}); increase max_iter or tol.",
        ConvergenceWarning,
        stacklevel=4,
        # said once per setting, whatever the last change (GridSearchCV)
        key=(name, "not converged", estimator.max_iter, estimator.tol),
    )
