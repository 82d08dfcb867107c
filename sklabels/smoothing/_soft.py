"""Train any scikit-learn classifier on soft (probabilistic) labels."""

from numbers import Real

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin, clone
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils.metaestimators import available_if

from sklabels.encoding import LabelEncoder
from sklabels.smoothing._logistic import fit_soft_logistic, supports_direct_fit
from sklabels.smoothing._smoother import _KINDS, smooth_codes
from sklabels.utils._compat import (
    HasMethods,
    Interval,
    StrOptions,
    _check_sample_weight,
    _fit_context,
    _num_samples,
    _safe_indexing,
    check_is_fitted,
    validate_data,
)
from sklabels.utils._delegation import inherit_input_tags
from sklabels.utils._doc_link import DocLinkMixin
from sklabels.utils._metaestimators import (
    check_classification_y,
    check_sample_weight_support,
    copy_input_attributes,
    estimator_has,
    sample_weight_fit_params,
    spread_columns,
)
from sklabels.utils._progress import warn_once
from sklabels.utils._validation import check_classes, check_soft_targets

__all__ = ["LabelSmoothingClassifier", "SoftLabelClassifier"]


def _expand(Y, sample_weight):
    """Rows, class codes and weights of the (row, class) pairs with mass."""
    rows, codes = np.nonzero(Y)
    weights = Y[rows, codes] * sample_weight[rows]
    return rows, codes, weights


class SoftLabelClassifier(
    DocLinkMixin, MetaEstimatorMixin, ClassifierMixin, BaseEstimator
):
    """Fit any classifier that takes ``sample_weight`` on soft labels.

    ``fit(X, Y)`` takes ``Y`` as an ``(n_samples, n_classes)`` matrix of class
    probabilities (from label smoothing, crowd aggregation or a weak
    supervision label model) or as hard labels. Each row ``i`` is shown to the
    wrapped classifier once per class ``k`` with ``Y[i, k] > 0``, weighted by
    ``Y[i, k]`` (times its ``sample_weight``). For a model fitted by
    minimising log-loss this minimises exactly the soft-target cross-entropy
    ``-sum_i sum_k Y[i, k] log p_k(x_i)``: it is the "noise-aware" end model
    of weak supervision, for any scikit-learn classifier.

    For :class:`~sklearn.linear_model.LogisticRegression` (L2 or no penalty,
    no ``class_weight``) the same objective is minimised directly, without
    repeating the rows of ``X`` (see ``method``).

    Read more in the :ref:`User Guide <smoothing>`.

    Parameters
    ----------
    estimator : estimator object
        A classifier whose ``fit`` accepts ``sample_weight``.

    classes : array-like of shape (n_classes,), default=None
        Names of the columns of a soft ``Y``. None uses the column names of a
        DataFrame ``Y``, else ``0..n_classes-1``. Ignored for hard labels,
        whose classes are learned (sorted).

    method : {"auto", "expand"}, default="auto"
        "expand" always fits the wrapped classifier on the expanded rows,
        which costs one copy of the rows of ``X`` per non-zero entry of
        ``Y``. "auto" does the same except for a logistic regression that it
        can fit directly (same objective, same solution up to the solver
        tolerance, no copy of ``X``).

    Attributes
    ----------
    estimator_ : estimator object
        The fitted classifier. Its classes are the codes ``0..n_classes-1``.

    classes_ : ndarray of shape (n_classes,)
        The classes; ``predict_proba`` has one column per entry, in order.

    method_ : {"expand", "direct"}
        How the classifier was fitted.

    n_features_in_ : int
        Number of features seen during fit.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during fit, when X has string column names.

    See Also
    --------
    LabelSmoothingClassifier : Hard labels in, smoothing inside.
    sklabels.smoothing.LabelSmoother : Hard labels to smoothed rows.

    Notes
    -----
    Memory: "expand" builds ``X[rows]`` for the ``nnz(Y)`` (row, class) pairs
    with non-zero mass: ``nnz(Y) / n_samples`` copies of ``X`` (``K`` copies
    for smoothed targets, one for one-hot targets, where zero-weight pairs
    are skipped). The direct path for logistic regression needs two
    ``(n_samples, n_classes)`` float arrays besides ``X``.

    A class whose column of ``Y`` is all zero is never shown to the
    classifier under "expand": it gets probability 0.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklabels.smoothing import SoftLabelClassifier
    >>> X = np.array([[0.0], [1.0], [2.0], [3.0]])
    >>> Y = np.array([[0.9, 0.1], [0.7, 0.3], [0.3, 0.7], [0.1, 0.9]])
    >>> clf = SoftLabelClassifier(LogisticRegression()).fit(X, Y)
    >>> clf.classes_
    array([0, 1])
    >>> clf.predict([[0.2], [2.9]])
    array([0, 1])
    >>> clf.predict_proba([[1.5]]).round(2)
    array([[0.5, 0.5]])
    """

    _parameter_constraints: dict = {
        "estimator": [HasMethods(["fit", "predict"])],
        "classes": ["array-like", None],
        "method": [StrOptions({"auto", "expand"})],
    }

    def __init__(self, estimator, *, classes=None, method="auto"):
        self.estimator = estimator
        self.classes = classes
        self.method = method

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y, sample_weight=None):
        """Fit the classifier on soft or hard labels.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data.

        y : {array-like, sparse matrix} of shape (n_samples, n_classes) or \
(n_samples,)
            Class probabilities (rows summing to 1, no negatives; a DataFrame's
            column names become the classes; a sparse matrix is densified), or
            hard labels.

        sample_weight : array-like of shape (n_samples,), default=None
            Weight of each row; multiplies its class probabilities.

        Returns
        -------
        self : object
            Fitted estimator.
        """
        Y, classes = self._soft_targets(y)
        return self._fit_soft(X, Y, classes, sample_weight)

    def _soft_targets(self, Y):
        """Soft target matrix and class names from soft or hard ``Y``."""
        if sparse.issparse(Y):
            # the (n, K) targets are used densely (expanded pairs or the
            # direct fit); a sparse matrix keeps its rows and columns
            Y = Y.toarray()
        if not isinstance(Y, (pd.Series, pd.DataFrame, np.ndarray)):
            Y = np.asarray(Y, dtype=object if isinstance(Y, list) else None)
            if Y.dtype == object and Y.ndim == 2:
                Y = np.asarray(Y.tolist())
        if Y.ndim == 2 and Y.shape[1] != 1:
            names = None
            if self.classes is not None:
                names = check_classes(self.classes)
            elif isinstance(Y, pd.DataFrame):
                names = np.asarray(Y.columns)
            Y = check_soft_targets(
                Y, None if names is None else names.size, input_name="Y"
            )
            if names is None:
                names = np.arange(Y.shape[1])
            return Y, names
        check_classification_y(self, Y)
        encoder = LabelEncoder()
        codes = np.asarray(encoder.fit_transform(Y))
        onehot = np.zeros((codes.size, encoder.classes_.size))
        onehot[np.arange(codes.size), codes] = 1.0
        return onehot, encoder.classes_

    def _fit_soft(self, X, Y, classes, sample_weight):
        n_samples = _num_samples(X)
        if Y.shape[0] != n_samples:
            raise ValueError(
                f"Found input variables with inconsistent numbers of samples: "
                f"X has {n_samples} rows, Y has {Y.shape[0]}."
            )
        check_sample_weight_support(self.estimator)
        sample_weight = _check_sample_weight(sample_weight, np.empty((n_samples, 0)))
        self.classes_ = classes
        n_classes = classes.size
        if (
            self.method == "auto"
            and supports_direct_fit(self.estimator)
            and (n_classes >= 2)
        ):
            self._fit_direct(X, Y, sample_weight)
        else:
            self._fit_expanded(X, Y, sample_weight)
        copy_input_attributes(self, self.estimator_)
        return self

    def _fit_expanded(self, X, Y, sample_weight):
        if sparse.issparse(X):
            X = X.tocsr()  # row indexing
        elif not hasattr(X, "iloc") and not isinstance(X, np.ndarray):
            X = np.asarray(X)
        rows, codes, weights = _expand(Y, sample_weight)
        self.estimator_ = clone(self.estimator)
        self.estimator_.fit(
            _safe_indexing(X, rows),
            codes,
            **sample_weight_fit_params(self.estimator_, weights),
        )
        self.method_ = "expand"

    def _fit_direct(self, X, Y, sample_weight):
        X = validate_data(self, X, accept_sparse="csr", dtype=np.float64, reset=True)
        coef, intercept, n_iter, result = fit_soft_logistic(
            self.estimator, X, Y, sample_weight
        )
        if n_iter >= self.estimator.get_params()["max_iter"] and not result.success:
            warn_once(
                f"The soft-label logistic regression did not converge in "
                f"{n_iter} iterations ({result.message}); increase max_iter.",
                ConvergenceWarning,
                stacklevel=3,
                key=("soft-label logistic", "not converged"),
            )
        est = clone(self.estimator)
        est.classes_ = np.arange(Y.shape[1])
        est.coef_ = coef
        est.intercept_ = intercept
        est.n_iter_ = np.array([n_iter], dtype=np.int32)
        est.n_features_in_ = X.shape[1]
        if hasattr(self, "feature_names_in_"):
            est.feature_names_in_ = self.feature_names_in_
        self.estimator_ = est
        self.method_ = "direct"

    def _codes_to_full(self, values, fill):
        """Columns for the codes the classifier saw, spread over all classes."""
        seen = np.asarray(self.estimator_.classes_, dtype=np.intp)
        return spread_columns(values, seen, self.classes_.size, fill)

    def predict(self, X):
        """Predict the class of each row.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            Predicted classes, from ``classes_``.
        """
        check_is_fitted(self)
        codes = np.asarray(self.estimator_.predict(X), dtype=np.intp)
        return self.classes_[codes]

    @available_if(estimator_has("predict_proba"))
    def predict_proba(self, X):
        """Class probabilities, one column per entry of ``classes_``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Rows sum to 1.
        """
        check_is_fitted(self)
        return self._codes_to_full(self.estimator_.predict_proba(X), 0.0)

    @available_if(estimator_has("predict_log_proba"))
    def predict_log_proba(self, X):
        """Log of ``predict_proba``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
            Log-probabilities.
        """
        check_is_fitted(self)
        return self._codes_to_full(self.estimator_.predict_log_proba(X), -np.inf)

    @available_if(estimator_has("decision_function"))
    def decision_function(self, X):
        """Decision function of the fitted classifier.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        scores : ndarray of shape (n_samples,) or (n_samples, n_classes)
            Scores; for more than two classes, classes never shown to the
            classifier get ``-inf``.
        """
        check_is_fitted(self)
        scores = self.estimator_.decision_function(X)
        return scores if scores.ndim == 1 else self._codes_to_full(scores, -np.inf)

    def __sklearn_tags__(self):
        return inherit_input_tags(super().__sklearn_tags__(), self.estimator)


class LabelSmoothingClassifier(SoftLabelClassifier):
    """Train any classifier on smoothed labels.

    ``fit(X, y)`` takes hard labels, smooths them with :class:`LabelSmoother`
    (``alpha``, ``kind``) and fits ``estimator`` on the smoothed targets as
    :class:`SoftLabelClassifier` does. ``alpha`` and ``kind`` are ordinary
    parameters, so :class:`~sklearn.model_selection.GridSearchCV` can tune
    them; ``alpha=0`` fits ``estimator`` on the hard labels unchanged.

    Read more in the :ref:`User Guide <smoothing>`.

    Parameters
    ----------
    estimator : estimator object
        A classifier whose ``fit`` accepts ``sample_weight``.

    alpha : float, default=0.1
        Smoothing strength in [0, 1).

    kind : {"uniform", "others", "prior"}, default="uniform"
        How the mass ``alpha`` is spread; see :class:`LabelSmoother`.

    method : {"auto", "expand"}, default="auto"
        See :class:`SoftLabelClassifier`.

    Attributes
    ----------
    estimator_ : estimator object
        The fitted classifier (on class codes ``0..n_classes-1``).

    classes_ : ndarray of shape (n_classes,)
        The classes, sorted.

    method_ : {"expand", "direct", "hard"}
        How the classifier was fitted ("hard" when ``alpha=0``).

    n_features_in_ : int
        Number of features seen during fit.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during fit, when X has string column names.

    See Also
    --------
    SoftLabelClassifier : Soft labels in.
    sklabels.smoothing.LabelSmoother : The smoothing itself.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.model_selection import GridSearchCV
    >>> from sklabels.smoothing import LabelSmoothingClassifier
    >>> X, y = load_iris(return_X_y=True)
    >>> search = GridSearchCV(
    ...     LabelSmoothingClassifier(LogisticRegression(max_iter=1000)),
    ...     {"alpha": [0.0, 0.1, 0.2]}, scoring="neg_log_loss", cv=3,
    ... ).fit(X, y)
    >>> sorted(search.best_params_)
    ['alpha']
    >>> search.best_estimator_.predict_proba(X[:1]).sum().round(6)
    np.float64(1.0)
    """

    _parameter_constraints: dict = {
        "estimator": SoftLabelClassifier._parameter_constraints["estimator"],
        "alpha": [Interval(Real, 0, 1, closed="left")],
        "kind": [StrOptions(set(_KINDS))],
        "method": SoftLabelClassifier._parameter_constraints["method"],
    }

    def __init__(self, estimator, *, alpha=0.1, kind="uniform", method="auto"):
        self.estimator = estimator
        self.alpha = alpha
        self.kind = kind
        self.method = method

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y, sample_weight=None):
        """Smooth the labels and fit the classifier on them.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data.

        y : array-like of shape (n_samples,)
            Hard labels.

        sample_weight : array-like of shape (n_samples,), default=None
            Sample weights.

        Returns
        -------
        self : object
            Fitted estimator.
        """
        check_classification_y(self, y)
        # the same TypeError for every alpha, so a grid search cannot hide it
        check_sample_weight_support(self.estimator)
        fit_params = sample_weight_fit_params(self.estimator, sample_weight)
        encoder = LabelEncoder()
        codes = np.asarray(encoder.fit_transform(y))
        classes = encoder.classes_
        if self.alpha == 0 or classes.size < 2:
            # nothing to smooth: the base estimator on the hard labels, exactly
            self.classes_ = classes
            self.estimator_ = clone(self.estimator)
            self.estimator_.fit(X, codes, **fit_params)
            self.method_ = "hard"
            copy_input_attributes(self, self.estimator_)
            return self
        prior = np.bincount(codes, minlength=classes.size) / codes.size
        Y = smooth_codes(
            codes, classes.size, alpha=self.alpha, kind=self.kind, prior=prior
        )
        return self._fit_soft(X, Y, classes, sample_weight)
