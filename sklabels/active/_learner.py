"""ActiveLearner: a classifier that asks for the labels it needs next."""

from numbers import Integral, Real

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin, clone
from sklearn.utils import check_random_state

from sklabels.active._strategies import (
    UncertaintySampling,
    _check_strategy,
    _check_table,
)
from sklabels.semi_supervised._validation import (
    check_n_rows,
    labeled_rows,
    labeled_score_rows,
)
from sklabels.utils._compat import (
    HasMethods,
    Interval,
    _fit_context,
    _safe_indexing,
    check_is_fitted,
)
from sklabels.utils._delegation import delegated_method, inherit_input_tags
from sklabels.utils._doc_link import DocLinkMixin
from sklabels.utils._docstrings import fill_doc
from sklabels.utils._metaestimators import (
    check_classification_y,
    copy_input_attributes,
)
from sklabels.utils._validation import check_labels

__all__ = ["ActiveLearner"]


# ---------------------------------------------------------------------------
# kernels
# ---------------------------------------------------------------------------


def _kappa(a, b):
    """Cohen's kappa of two label vectors; 1.0 when they are identical."""
    if a.shape[0] == 0 or np.array_equal(a, b):
        return 1.0
    _, codes = np.unique(np.concatenate([a, b]), return_inverse=True)
    ca, cb = codes[: a.shape[0]], codes[a.shape[0] :]
    n_codes = int(codes.max()) + 1
    observed = np.mean(ca == cb)
    expected = np.dot(
        np.bincount(ca, minlength=n_codes), np.bincount(cb, minlength=n_codes)
    ) / (a.shape[0] ** 2)
    if expected >= 1.0:
        return 1.0 if observed == 1.0 else 0.0
    return float((observed - expected) / (1.0 - expected))


def _stack_rows(A, B):
    """Rows of ``A`` then rows of ``B``, in the container of ``A``."""
    if sparse.issparse(A) or sparse.issparse(B):
        return sparse.vstack([sparse.csr_matrix(A), sparse.csr_matrix(B)]).tocsr()
    if hasattr(A, "iloc"):
        B = B if hasattr(B, "iloc") else pd.DataFrame(np.asarray(B), columns=A.columns)
        return pd.concat([A, B], ignore_index=True)
    A, B = np.asarray(A), np.asarray(B)
    return np.concatenate([A, B.reshape((B.shape[0], *A.shape[1:]))])


@fill_doc
class ActiveLearner(DocLinkMixin, MetaEstimatorMixin, ClassifierMixin, BaseEstimator):
    """A classifier that proposes which rows to label next, and learns from them.

    ``fit(X, y)`` fits a clone of ``estimator`` on the labeled rows of ``y``
    (rows marked ``unlabeled`` are the pool); ``query(X_pool)`` proposes
    ``batch_size`` rows of a pool with ``strategy``; ``teach(X, y)`` adds
    newly labeled rows and refits. ``predict``, ``predict_proba`` and
    ``score`` delegate to the fitted clone; ``score`` skips unlabeled rows,
    so ``cross_val_score`` and ``GridSearchCV`` can tune the model on a
    partly labeled data set.

    Two stopping criteria are tracked, so that a labeling campaign can end
    when more labels stop paying off; they advise, they never stop a query:

    - **stabilising predictions** (Bloodgood & Vijay-Shanker 2009): the
      model's predictions on a fixed *stop set* of unlabeled rows (taken
      from the rows marked unlabeled at ``fit``) are compared with the
      previous model's after each ``teach``; when Cohen's kappa between
      them averages at least ``kappa_threshold`` over the last
      ``kappa_window`` updates, predictions have stabilised;
    - **uncertainty floor**: when the highest utility of a queried pool is
      below ``utility_floor``, no row is informative enough any more.

    ``stop_`` says whether one holds and ``stop_reason_`` which.

    Read more in the :ref:`User Guide <active>`.

    Parameters
    ----------
    estimator : estimator object
        A classifier with ``predict_proba`` (or a Pipeline ending in one);
        cloned at each fit.

    strategy : query strategy, default=None
        An object with ``query`` and ``utility`` methods, such as
        :class:`UncertaintySampling` (the default, margin), ``DensityWeighted``
        or ``QueryByCommittee``.

    batch_size : int, default=1
        Rows proposed by each :meth:`query`.

    %(unlabeled)s

    kappa_threshold : float, default=0.99
        Agreement (Cohen's kappa) between successive models' predictions on
        the stop set above which predictions count as stable. In (0, 1].

    kappa_window : int, default=3
        Number of successive agreements averaged. At least 1.

    utility_floor : float or None, default=None
        Stop when the highest utility of the pool at :meth:`query` is below
        this value; None turns the criterion off. Its scale is the
        strategy's: for margin uncertainty, 0.2 means that the two most
        probable classes are at least 0.8 apart on every pool row.

    stop_set_size : int, default=1000
        At most this many unlabeled rows of ``X`` at ``fit``, drawn at
        random, form the stop set.

    random_state : int, RandomState instance or None, default=None
        Draws the stop set.

    Attributes
    ----------
    estimator_ : estimator object
        The clone fitted on every labeled row so far.

    classes_ : ndarray of shape (n_classes,)
        Classes of the fitted clone.

    X_training_ : {ndarray, sparse matrix, DataFrame} of shape \
(n_labeled, n_features)
        The labeled rows it was fitted on: those of ``fit``, then those
        taught.

    y_training_ : ndarray of shape (n_labeled,)
        Their labels.

    kappa_history_ : list of float
        Cohen's kappa between the stop-set predictions of each model and the
        previous one (one entry per :meth:`teach`); empty when ``fit`` saw no
        unlabeled row.

    utility_history_ : list of float
        Highest utility of the pool at each :meth:`query`.

    stop_ : bool
        Whether a stopping criterion holds.

    stop_reason_ : {"stable_predictions", "utility_floor"} or None
        Which criterion holds (the first met); None while none does.

    n_features_in_ : int
        Number of features seen during fit.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during fit, when X has string column names.

    See Also
    --------
    active_learning_curve : Simulate a labeling campaign with known labels.

    Notes
    -----
    For ``cross_val_score`` and ``GridSearchCV`` with a scoring string
    (``scoring="f1_macro"``), unlabeled rows in test folds would be compared
    with the unlabeled marker: use
    ``cv=sklabels.semi_supervised.LabeledKFold(...)``. The default scoring,
    :meth:`score`, skips them by itself.

    References
    ----------
    .. [1] M. Bloodgood and K. Vijay-Shanker, "A method for stopping active
       learning based on stabilizing predictions and the need for
       user-adjustable stopping", CoNLL 2009.
    .. [2] J. Zhu, H. Wang and E. Hovy, "Learning a stopping criterion for
       active learning for word sense disambiguation and text
       classification", IJCNLP 2008.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklabels.active import ActiveLearner
    >>> X, y = load_iris(return_X_y=True)
    >>> y_partial = np.full(150, -1)
    >>> y_partial[[0, 50, 100]] = y[[0, 50, 100]]
    >>> learner = ActiveLearner(LogisticRegression(), batch_size=2).fit(X, y_partial)
    >>> pool = np.flatnonzero(y_partial == -1)
    >>> asked = pool[learner.query(X[pool])]
    >>> asked
    array([ 81, 119])
    >>> learner = learner.teach(X[asked], y[asked])  # the oracle's labels
    >>> len(learner.y_training_), learner.stop_
    (5, False)
    """

    _parameter_constraints: dict = {
        "estimator": [HasMethods(["fit", "predict_proba"])],
        "strategy": [HasMethods(["query", "utility"]), None],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "unlabeled": [Real, str, None],
        "kappa_threshold": [Interval(Real, 0, 1, closed="right")],
        "kappa_window": [Interval(Integral, 1, None, closed="left")],
        "utility_floor": [Real, None],
        "stop_set_size": [Interval(Integral, 1, None, closed="left")],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        estimator,
        strategy=None,
        *,
        batch_size=1,
        unlabeled=-1,
        kappa_threshold=0.99,
        kappa_window=3,
        utility_floor=None,
        stop_set_size=1000,
        random_state=None,
    ):
        self.estimator = estimator
        self.strategy = strategy
        self.batch_size = batch_size
        self.unlabeled = unlabeled
        self.kappa_threshold = kappa_threshold
        self.kappa_window = kappa_window
        self.utility_floor = utility_floor
        self.stop_set_size = stop_set_size
        self.random_state = random_state

    # -- fitting -------------------------------------------------------------

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y):
        """Fit a clone of the estimator on the labeled rows.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Labeled rows and unlabeled rows (the pool).

        y : array-like of shape (n_samples,)
            Labels, with ``unlabeled`` (or None / NaN) marking the pool.

        Returns
        -------
        self : object
            Fitted estimator.
        """
        check_classification_y(self, y)
        X, values, labeled = self._check_rows(X, y)
        rows = np.flatnonzero(labeled)
        if rows.size == 0:
            raise ValueError(
                f"y has no labeled row: all {values.shape[0]} rows are marked "
                f"unlabeled (unlabeled={self.unlabeled!r}, None or NaN). Label a "
                "first batch, e.g. drawn with RandomSampling, before fitting."
            )
        all_labeled = rows.size == values.shape[0]
        self.X_training_ = X if all_labeled else _safe_indexing(X, rows)
        self.y_training_ = check_labels(values[rows])[0]
        pool = np.flatnonzero(~labeled)
        self._stop_set = None
        if pool.size:
            rng = check_random_state(self.random_state)
            if pool.size > self.stop_set_size:
                pool = np.sort(rng.choice(pool, self.stop_set_size, replace=False))
            self._stop_set = _safe_indexing(X, pool)
        self.kappa_history_ = []
        self.utility_history_ = []
        self.stop_ = False
        self.stop_reason_ = None
        self._last_stop_predictions = None
        self._refit()
        return self

    def _check_rows(self, X, y):
        """``(X, labels, labeled mask)``: one label per row of a table ``X``."""
        values, labeled = labeled_rows(y, self.unlabeled)
        check_n_rows(X, values.shape[0])
        return _check_table(X, "X"), values, labeled

    def _refit(self):
        self.estimator_ = clone(self.estimator).fit(self.X_training_, self.y_training_)
        self.classes_ = np.asarray(self.estimator_.classes_)
        copy_input_attributes(self, self.estimator_)
        if self._stop_set is None:
            return
        predictions = np.asarray(self.estimator_.predict(self._stop_set))
        if self._last_stop_predictions is not None:
            self.kappa_history_.append(_kappa(self._last_stop_predictions, predictions))
            recent = self.kappa_history_[-self.kappa_window :]
            if (
                not self.stop_
                and len(recent) == self.kappa_window
                and np.mean(recent) >= self.kappa_threshold
            ):
                self.stop_, self.stop_reason_ = True, "stable_predictions"
        self._last_stop_predictions = predictions

    def teach(self, X, y):
        """Add newly labeled rows and refit on every labeled row so far.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_new, n_features)
            The rows just labeled (typically ``X_pool[learner.query(X_pool)]``).

        y : array-like of shape (n_new,)
            Their labels; none may be the unlabeled marker.

        Returns
        -------
        self : object
            The refitted estimator.
        """
        check_is_fitted(self)
        X, values, labeled = self._check_rows(X, y)
        if not labeled.all():
            first = int(np.flatnonzero(~labeled)[0])
            raise ValueError(
                f"y passed to teach has {int((~labeled).sum())} unlabeled rows "
                f"(first: row {first}, value {values[first]!r}; unlabeled="
                f"{self.unlabeled!r}); teach only rows whose label is known."
            )
        if values.shape[0] == 0:
            return self
        n_features = getattr(X, "shape", (0, None))[1:] or (None,)
        if n_features[0] is not None and hasattr(self.X_training_, "shape"):
            if n_features[0] != self.X_training_.shape[1]:
                raise ValueError(
                    f"X passed to teach has {n_features[0]} features per row, but "
                    f"the learner was fitted on {self.X_training_.shape[1]}."
                )
        new_y = check_labels(values)[0]
        self.X_training_ = _stack_rows(self.X_training_, X)
        self.y_training_ = np.concatenate([self.y_training_, new_y])
        self._refit()
        return self

    # -- querying ------------------------------------------------------------

    def query(self, X_pool):
        """Positions of the ``batch_size`` rows of the pool to label next.

        Parameters
        ----------
        X_pool : {array-like, sparse matrix} of shape (n_pool, n_features)
            The unlabeled rows to choose from.

        Returns
        -------
        positions : ndarray of shape (batch_size,)
            Positions in ``X_pool``, most informative first.
        """
        check_is_fitted(self)
        strategy = UncertaintySampling() if self.strategy is None else self.strategy
        _check_strategy(strategy)
        X_labeled, y_labeled = self.X_training_, self.y_training_
        if hasattr(strategy, "_query"):
            positions, best = strategy._query(
                self.estimator_, X_pool, self.batch_size, X_labeled, y_labeled
            )
        else:  # a user's strategy: the public methods only
            positions = strategy.query(
                self.estimator_, X_pool, self.batch_size, X_labeled, y_labeled
            )
            best = float(np.max(strategy.utility(self.estimator_, X_pool)))
        self.utility_history_.append(best)
        if (
            not self.stop_
            and self.utility_floor is not None
            and best < self.utility_floor
        ):
            self.stop_, self.stop_reason_ = True, "utility_floor"
        return np.asarray(positions)

    # -- prediction ----------------------------------------------------------

    predict = delegated_method(
        "predict",
        "Predict the class of each row with the fitted clone.",
        "y_pred : ndarray of shape (n_samples,)\n    Predicted classes.",
    )

    predict_proba = delegated_method(
        "predict_proba",
        "Class probabilities from the fitted clone.",
        "proba : ndarray of shape (n_samples, n_classes)\n"
        "    One column per entry of ``classes_``.",
    )

    predict_log_proba = delegated_method(
        "predict_log_proba",
        "Log of the class probabilities from the fitted clone.",
        "log_proba : ndarray of shape (n_samples, n_classes)\n"
        "    One column per entry of ``classes_``.",
    )

    decision_function = delegated_method(
        "decision_function",
        "Decision function of the fitted clone.",
        "scores : ndarray of shape (n_samples,) or (n_samples, n_classes)\n"
        "    The estimator's scores.",
    )

    def score(self, X, y, sample_weight=None):
        """Accuracy on the labeled rows of ``(X, y)``; unlabeled rows are skipped.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Test samples.

        y : array-like of shape (n_samples,)
            True labels, possibly with unlabeled rows (skipped).

        sample_weight : array-like of shape (n_samples,), default=None
            Sample weights.

        Returns
        -------
        score : float
            Mean accuracy over the labeled rows.
        """
        check_is_fitted(self)
        X, y_true, sample_weight = labeled_score_rows(
            X, y, self.unlabeled, sample_weight
        )
        return super().score(X, y_true, sample_weight=sample_weight)

    def __sklearn_tags__(self):
        return inherit_input_tags(super().__sklearn_tags__(), self.estimator)
