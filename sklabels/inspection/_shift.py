"""Label shift: estimate the class priors of new data and adapt a classifier.

Under *label shift* the class priors move between the training data and the
data a model is used on, while the class-conditional distributions
``p(x | y)`` stay the same. Then the posteriors change only through the
priors, ``p_t(y | x) ∝ p_s(y | x) p_t(y) / p_s(y)``, so the new priors can be
estimated from unlabeled data and the model's probabilities corrected.

:func:`estimate_label_shift` implements the two standard estimators, EM
(Saerens, Latinne and Decaestecker, 2002) and BBSE (Lipton, Wang and Smola,
2018); :class:`LabelShiftClassifier` wraps a classifier and corrects its
probabilities once :meth:`LabelShiftClassifier.adapt` has seen new data.
"""

import warnings
from numbers import Integral, Real

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin, clone
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import check_cv

from sklabels.utils._compat import (
    HasMethods,
    Interval,
    StrOptions,
    _check_sample_weight,
    _fit_context,
    check_is_fitted,
    validate_params,
)
from sklabels.utils._cv import (
    check_partition,
    cross_fit,
    fit_predict_fold,
    stratified_folds,
)
from sklabels.utils._delegation import inherit_input_tags
from sklabels.utils._doc_link import DocLinkMixin
from sklabels.utils._metaestimators import check_classification_y, copy_input_attributes
from sklabels.utils._progress import Progress, iteration_step, warn_once
from sklabels.utils._validation import (
    _check_class_indices,
    _fast_rows_ok,
    _format_row,
    _row_sum_atol,
    check_soft_targets,
)

__all__ = ["LabelShiftClassifier", "estimate_label_shift"]

_METHODS = ("em", "bbse")
# Tolerance on the sum of the source priors.
_PRIOR_SUM_ATOL = 1e-6
# Floor of the EM mixture density of a row, against 0 / 0.
_TINY = 1e-300
# The confusion matrix is taken as singular above this condition number.
_MAX_CONDITION = 1e12


# --------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------


def _check_pred_probs(pred_probs, input_name):
    """Finite, non-negative rows that sum to 1 (tolerance by dtype), as float64.

    A float ndarray is checked with two reductions first; the full check
    (which builds the message) runs only when they fail or for other input.
    """
    atol = _row_sum_atol(getattr(pred_probs, "dtype", np.float64))
    if (
        isinstance(pred_probs, np.ndarray)
        and pred_probs.ndim == 2
        and pred_probs.dtype.kind == "f"
        and _fast_rows_ok(pred_probs, atol)
    ):
        return pred_probs.astype(np.float64, copy=False)
    return check_soft_targets(pred_probs, input_name=input_name, atol=atol)


def _check_priors(priors, n_classes, input_name="source_priors"):
    """A 1-D vector of ``n_classes`` positive priors that sums to 1."""
    arr = np.asarray(priors)
    if arr.dtype.kind not in "biuf":
        raise TypeError(
            f"{input_name} must hold numbers (one prior per class), got "
            f"{priors!r} of dtype {arr.dtype}."
        )
    arr = arr.astype(np.float64)
    if arr.ndim != 1:
        raise ValueError(
            f"{input_name} must be a 1d array of class priors, got an array of "
            f"shape {arr.shape}: {priors!r}."
        )
    if arr.size != n_classes:
        raise ValueError(
            f"pred_probs has {n_classes} columns but {input_name} has {arr.size} "
            f"entries ({input_name}={priors!r}); give one prior per column of "
            "pred_probs, in the same order."
        )
    if not np.isfinite(arr).all():
        raise ValueError(
            f"{input_name} must be finite, got {priors!r}; give one prior per class."
        )
    if (arr < 0).any():
        raise ValueError(
            f"{input_name} must be non-negative, got {priors!r}; give one prior "
            "per class."
        )
    total = arr.sum()
    if abs(total - 1.0) > _PRIOR_SUM_ATOL:
        raise ValueError(
            f"{input_name} must sum to 1, got {priors!r} (sum {total:.6g}). "
            f"Normalise it, e.g. {input_name} / {input_name}.sum()."
        )
    return arr


def _check_positive(priors, input_name="source_priors"):
    zero = priors <= 0
    if zero.any():
        raise ValueError(
            f"{input_name} must be positive: class(es) "
            f"{np.flatnonzero(zero).tolist()} (columns of pred_probs) have prior "
            f"0 in {input_name}={_format_row(priors)}. A class never seen in "
            "training cannot be re-weighted; drop its column from pred_probs, "
            "or give it its (small) share of the training data."
        )


# --------------------------------------------------------------------------
# Kernels (trust their input)
# --------------------------------------------------------------------------


def _em(pred_probs, source_priors, tol, max_iter, progress=None):
    """Saerens et al.'s EM; returns the priors and the number of iterations.

    One iteration re-weights each row by ``w = priors / source_priors``,
    renormalises it and averages: ``priors_k <- mean_i P_ik w_k / (P_i . w)``,
    computed as two matrix-vector products (no (n, K) temporary).
    """
    n_samples = pred_probs.shape[0]
    priors = source_priors.copy()
    for n_iter in range(1, max_iter + 1):
        weights = priors / source_priors
        density = np.maximum(pred_probs @ weights, _TINY)
        new = weights * (pred_probs.T @ (1.0 / density)) / n_samples
        new /= new.sum()
        change = np.abs(new - priors).max()
        priors = new
        if progress is not None:
            iteration_step(
                progress, n_iter, max_iter, lambda c=change: f"prior change {c:.3g}"
            )
        if change <= tol:
            return priors, n_iter, True
    return priors, max_iter, False


def _project_simplex(v):
    """Euclidean projection of ``v`` onto the probability simplex.

    The closest point ``p`` (in L2) with ``p >= 0`` and ``sum(p) = 1``:
    ``p = max(v - theta, 0)`` with the threshold ``theta`` found by sorting
    (Held, Wolfe and Crowder, 1974; Duchi et al., 2008).
    """
    v = np.asarray(v, dtype=np.float64)
    u = np.sort(v)[::-1]
    cumulative = np.cumsum(u) - 1.0
    ranks = np.arange(1, v.size + 1)
    rho = np.flatnonzero(u - cumulative / ranks > 0)[-1]
    theta = cumulative[rho] / (rho + 1)
    p = np.maximum(v - theta, 0.0)
    return p / p.sum()


def _bbse(confusion, pred_share):
    """BBSE from a (true, predicted) count matrix and the share of each
    predicted class in the new data.

    Solves ``C w = mu`` for the weights ``w = q(y) / p(y)``, ``C[i, j]`` the
    joint frequency of (predicted i, true j) on validation data, then
    projects the priors ``w * p(y)`` onto the simplex.
    """
    n_val = confusion.sum()
    joint = confusion.T / n_val  # rows: predicted class, columns: true class
    val_priors = confusion.sum(axis=1) / n_val
    n_classes = joint.shape[0]
    weights, _, rank, singular = np.linalg.lstsq(joint, pred_share, rcond=None)
    if rank < n_classes or singular[-1] <= singular[0] / _MAX_CONDITION:
        never = np.flatnonzero(confusion.sum(axis=0) == 0)
        detail = (
            f" (class(es) {never.tolist()} are never predicted on the validation data)"
            if never.size
            else ""
        )
        state = (
            f"singular (rank {rank} of {n_classes})"
            if rank < n_classes
            else f"nearly singular (condition number {singular[0] / singular[-1]:.3g})"
        )
        warnings.warn(
            f"The confusion matrix of the validation predictions is {state}"
            f"{detail}: BBSE cannot tell the classes apart, and the "
            "least-squares solution of smallest norm is used. Use a classifier "
            "that predicts every class, more validation data, or method='em'.",
            UserWarning,
            stacklevel=3,
        )
    return _project_simplex(weights * val_priors)


def _reweight(pred_probs, weights):
    """Rows of ``pred_probs * weights`` renormalised; rows left without mass
    are returned unchanged, with a warning."""
    adjusted = pred_probs * weights
    sums = adjusted.sum(axis=1, keepdims=True)
    empty = sums[:, 0] <= 0
    if empty.any():
        warnings.warn(
            f"{int(empty.sum())} row(s) put all their probability on classes "
            "whose target prior is 0: they cannot be re-weighted and keep the "
            "base classifier's probabilities.",
            UserWarning,
            stacklevel=3,
        )
        adjusted[empty] = pred_probs[empty]
        sums[empty] = adjusted[empty].sum(axis=1, keepdims=True)
    return adjusted / sums


# --------------------------------------------------------------------------
# The function
# --------------------------------------------------------------------------


@validate_params(
    {
        "pred_probs": ["array-like"],
        "source_priors": ["array-like"],
        "method": [StrOptions(set(_METHODS))],
        "y_val": ["array-like", None],
        "pred_probs_val": ["array-like", None],
        "tol": [Interval(Real, 0, None, closed="left")],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
    },
    prefer_skip_nested_validation=True,
)
def estimate_label_shift(
    pred_probs,
    source_priors,
    method="em",
    y_val=None,
    pred_probs_val=None,
    *,
    tol=1e-6,
    max_iter=1000,
):
    """Estimate the class priors of new, unlabeled data under label shift.

    Label shift: the class priors differ between the training (source) data
    and the new (target) data, while ``p(x | y)`` stays the same. Both
    methods read the predicted probabilities of a classifier trained on the
    source data, applied to the new data.

    - "em" (Saerens, Latinne and Decaestecker, 2002): the maximum-likelihood
      priors of the new data, by expectation-maximisation. Starting from
      ``source_priors``, each iteration re-weights every row of
      ``pred_probs`` by ``priors / source_priors``, renormalises it and takes
      the new priors as the mean of the rows. It assumes calibrated
      probabilities and source priors that are those the classifier learned.
    - "bbse" (black-box shift estimation; Lipton, Wang and Smola, 2018): from
      held-out validation data of the source distribution (``y_val`` and the
      classifier's ``pred_probs_val``), the joint frequency matrix ``C`` of
      (predicted class, true class) of the hard (argmax) predictions; with
      ``mu`` the share of each predicted class on the new data, it solves
      ``C w = mu`` for the weights ``w = q(y) / p(y)``; the priors
      ``w * p(y)`` (``p(y)`` the class frequencies of ``y_val``) are then
      projected onto the probability simplex (Euclidean projection). It needs
      no calibration, only a confusion matrix that can be inverted.
      ``source_priors`` is checked but does not enter the estimate.

    Read more in the :ref:`User Guide <inspection>`.

    Parameters
    ----------
    pred_probs : array-like of shape (n_samples, n_classes)
        Predicted class probabilities of the new data (rows sum to 1).
        Column ``k`` is class ``k``.

    source_priors : array-like of shape (n_classes,)
        Class priors of the data the classifier was trained on (e.g. the
        class frequencies of its training labels), in the column order of
        ``pred_probs``. Must sum to 1; positive for "em".

    method : {"em", "bbse"}, default="em"
        The estimator (see above).

    y_val : array-like of shape (n_val,), default=None
        For "bbse": true labels of validation data from the source
        distribution, as class indices ``0..n_classes-1`` (columns of
        ``pred_probs``). Every class must occur.

    pred_probs_val : array-like of shape (n_val, n_classes), default=None
        For "bbse": predicted probabilities of the same classifier on that
        validation data (held out from its training, or out-of-fold).

    tol : float, default=1e-6
        For "em": stop when no prior moves by more than ``tol`` in one
        iteration.

    max_iter : int, default=1000
        For "em": the largest number of iterations; a
        :class:`~sklearn.exceptions.ConvergenceWarning` is raised when it is
        reached.

    Returns
    -------
    priors : ndarray of shape (n_classes,)
        The estimated class priors of the new data, in the column order of
        ``pred_probs``; non-negative, summing to 1.

    Raises
    ------
    ValueError
        When the rows of ``pred_probs`` are not probabilities, when
        ``source_priors`` does not sum to 1 or has not one entry per column,
        or when "bbse" lacks validation data (or "em" is given some).

    See Also
    --------
    LabelShiftClassifier : Estimate the priors and correct a classifier.

    Notes
    -----
    EM converges to the maximum of the likelihood of the new data, which is
    concave in the priors; it is as good as the calibration of
    ``pred_probs`` (an over-confident classifier over-states the shift).
    BBSE is consistent without calibration but needs enough validation data
    for a well-conditioned confusion matrix, and it uses only the argmax of
    each row. Neither can see a change of ``p(x | y)`` (covariate or concept
    shift): under such changes the estimates are wrong.

    References
    ----------
    Saerens, M., Latinne, P. and Decaestecker, C. (2002). Adjusting the
    outputs of a classifier to new a priori probabilities: a simple
    procedure. Neural Computation, 14(1), 21-41.

    Lipton, Z. C., Wang, Y.-X. and Smola, A. J. (2018). Detecting and
    correcting for label shift with black box predictors. ICML.

    Examples
    --------
    >>> import numpy as np
    >>> from sklabels.inspection import estimate_label_shift
    >>> pred_probs = np.array([[0.9, 0.1], [0.8, 0.2], [0.7, 0.3], [0.2, 0.8]])
    >>> estimate_label_shift(pred_probs, [0.5, 0.5]).round(3)
    array([0.911, 0.089])
    >>> y_val = np.array([0, 0, 1, 1])
    >>> pred_probs_val = np.array([[0.9, 0.1], [0.6, 0.4], [0.3, 0.7], [0.2, 0.8]])
    >>> estimate_label_shift(
    ...     pred_probs, [0.5, 0.5], method="bbse",
    ...     y_val=y_val, pred_probs_val=pred_probs_val,
    ... )
    array([0.75, 0.25])
    """
    pred_probs = _check_pred_probs(pred_probs, "pred_probs")
    n_classes = pred_probs.shape[1]
    source_priors = _check_priors(source_priors, n_classes)
    if method == "em":
        if y_val is not None or pred_probs_val is not None:
            raise ValueError(
                "y_val and pred_probs_val are used by method='bbse' only; with "
                "method='em' leave them None, or pass method='bbse'."
            )
        _check_positive(source_priors)
        priors, _, converged = _em(pred_probs, source_priors, tol, max_iter)
        if not converged:
            _warn_em_not_converged(max_iter, tol, stacklevel=3)
        return priors
    confusion = _validation_confusion(y_val, pred_probs_val, n_classes)
    share = np.bincount(pred_probs.argmax(axis=1), minlength=n_classes)
    return _bbse(confusion, share / pred_probs.shape[0])


def _warn_em_not_converged(max_iter, tol, stacklevel):
    warn_once(
        f"EM did not converge in max_iter={max_iter} iterations (tol={tol:g}): "
        "the priors returned are the last iterate. Increase max_iter (or tol).",
        ConvergenceWarning,
        stacklevel=stacklevel + 1,
    )


def _validation_confusion(y_val, pred_probs_val, n_classes):
    """(true, predicted) counts of the argmax predictions on validation data."""
    if y_val is None or pred_probs_val is None:
        missing = [
            name
            for name, value in (("y_val", y_val), ("pred_probs_val", pred_probs_val))
            if value is None
        ]
        raise ValueError(
            f"method='bbse' needs validation data: {' and '.join(missing)} "
            f"{'is' if len(missing) == 1 else 'are'} None. Pass y_val (labels "
            "of held-out source data, as column indices of pred_probs) and "
            "pred_probs_val (the classifier's probabilities on those rows), or "
            "use method='em'."
        )
    pred_probs_val = _check_pred_probs(pred_probs_val, "pred_probs_val")
    if pred_probs_val.shape[1] != n_classes:
        raise ValueError(
            f"pred_probs has {n_classes} columns but pred_probs_val has "
            f"{pred_probs_val.shape[1]}; both must have one column per class, "
            "in the same order."
        )
    y = _check_class_indices(
        y_val,
        n_classes,
        pred_probs_val.shape[0],
        input_name="y_val",
        rows_of="pred_probs_val",
    )
    return _confusion_counts(y, pred_probs_val.argmax(axis=1), n_classes)


def _confusion_counts(y_true, y_pred, n_classes, weights=None):
    counts = np.bincount(
        y_true * n_classes + y_pred, weights=weights, minlength=n_classes * n_classes
    ).reshape(n_classes, n_classes)
    absent = np.flatnonzero(counts.sum(axis=1) == 0)
    if absent.size:
        raise ValueError(
            f"y_val has no row of class(es) {absent.tolist()} (columns of "
            "pred_probs): BBSE needs validation rows of every class to know how "
            "the classifier predicts it. Use validation data with every class."
        )
    return counts


# --------------------------------------------------------------------------
# LabelShiftClassifier
# --------------------------------------------------------------------------


class LabelShiftClassifier(
    DocLinkMixin, MetaEstimatorMixin, ClassifierMixin, BaseEstimator
):
    """A classifier whose probabilities follow the class priors of new data.

    ``fit(X, y)`` fits a clone of ``estimator`` as usual and records the
    class priors of the training labels (``source_priors_``). Until
    :meth:`adapt` is called, it predicts exactly as that fitted classifier.
    ``adapt(X_new)`` estimates the class priors of the unlabeled rows
    ``X_new`` (``target_priors_``) with :func:`estimate_label_shift`; from
    then on ``predict_proba`` multiplies each class's probability by
    ``target_priors_ / source_priors_`` and renormalises each row (Bayes'
    rule under label shift), and ``predict`` returns the most probable class
    of those probabilities. :meth:`reset` returns to the base predictions.

    Read more in the :ref:`User Guide <inspection>`.

    Parameters
    ----------
    estimator : estimator object
        A classifier with ``predict_proba``. EM assumes its probabilities
        are calibrated; wrap it in
        :class:`~sklearn.calibration.CalibratedClassifierCV` if they are not.

    method : {"em", "bbse"}, default="em"
        How :meth:`adapt` estimates the new priors (see
        :func:`estimate_label_shift`). "bbse" needs predictions on held-out
        source data: ``fit`` computes them by cross-fitting (``cv``) and
        keeps their confusion matrix.

    cv : int, cross-validation generator or iterable, default=5
        For "bbse" only: the folds of the out-of-fold predictions on the
        training data. An int gives stratified folds, unshuffled when
        ``random_state`` is None (a class with fewer rows lowers the number
        of folds, with a warning); a splitter's test folds must cover each
        row exactly once.

    tol : float, default=1e-6
        For "em": the convergence tolerance (see
        :func:`estimate_label_shift`).

    max_iter : int, default=1000
        For "em": the largest number of iterations.

    n_jobs : int, default=None
        For "bbse": folds fitted in parallel (joblib). None means 1.

    random_state : int, RandomState instance or None, default=None
        For "bbse" with an int ``cv``: shuffling of the folds.

    verbose : int, default=0
        Progress on stderr: 0 says nothing, 1 the start and end of the
        cross-fitting (``method="bbse"``) and of the EM of :meth:`adapt`, 2 also
        each fold and every 10th EM iteration (3: every iteration).

    Attributes
    ----------
    estimator_ : estimator object
        The classifier fitted on all the training data.

    classes_ : ndarray of shape (n_classes,)
        The classes, as ``estimator_.classes_``; the columns of
        ``predict_proba`` and the entries of the priors are in this order.

    source_priors_ : ndarray of shape (n_classes,)
        Class frequencies of the training labels (weighted by
        ``sample_weight`` when given).

    target_priors_ : ndarray of shape (n_classes,)
        The priors estimated by the last :meth:`adapt` (absent before it,
        and after :meth:`reset` or a new ``fit``).

    n_iter_ : int
        Iterations of EM in the last :meth:`adapt` (method "em").

    confusion_matrix_ : ndarray of shape (n_classes, n_classes)
        For "bbse": counts of the out-of-fold predictions, rows the true
        class and columns the predicted class (as
        :func:`sklearn.metrics.confusion_matrix`); summed weights when
        ``sample_weight`` is given.

    n_features_in_ : int
        Number of features seen during fit.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during fit, when X has string column names.

    See Also
    --------
    estimate_label_shift : The estimators of the new priors.

    Notes
    -----
    The correction is right only under label shift: the same ``p(x | y)``
    in training and in the new data. ``adapt`` sees only ``X_new``; it can
    be called again on other data, and each call replaces
    ``target_priors_``. Put preprocessing inside ``estimator`` (wrap the
    whole pipeline) so that ``adapt`` takes raw rows like ``predict`` does.
    ``clone`` and a new ``fit`` forget the adaptation.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import load_breast_cancer
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> from sklabels.inspection import LabelShiftClassifier
    >>> X, y = load_breast_cancer(return_X_y=True)
    >>> rng = np.random.default_rng(0)
    >>> train = rng.permutation(len(y))[:300]
    >>> test = np.setdiff1d(np.arange(len(y)), train)
    >>> # new data where class 0 is rare: keep one class-0 row in ten
    >>> new = test[(y[test] == 1) | (np.arange(test.size) % 10 == 0)]
    >>> model = make_pipeline(StandardScaler(), LogisticRegression())
    >>> clf = LabelShiftClassifier(model).fit(X[train], y[train])
    >>> clf.source_priors_.round(2)
    array([0.36, 0.64])
    >>> clf.adapt(X[new]).target_priors_.round(2)
    array([0.08, 0.92])
    >>> (np.bincount(y[new]) / new.size).round(2)
    array([0.08, 0.92])
    """

    _parameter_constraints: dict = {
        "estimator": [HasMethods(["fit", "predict_proba"])],
        "method": [StrOptions(set(_METHODS))],
        "cv": ["cv_object"],
        "tol": [Interval(Real, 0, None, closed="left")],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "n_jobs": [Integral, None],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        estimator,
        *,
        method="em",
        cv=5,
        tol=1e-6,
        max_iter=1000,
        n_jobs=None,
        random_state=None,
        verbose=0,
    ):
        self.estimator = estimator
        self.method = method
        self.cv = cv
        self.tol = tol
        self.max_iter = max_iter
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.verbose = verbose

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y, sample_weight=None, **fit_params):
        """Fit the classifier and record the class priors of ``y``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data.

        y : array-like of shape (n_samples,)
            Class labels.

        sample_weight : array-like of shape (n_samples,), default=None
            Passed to ``estimator.fit``; the source priors are the weighted
            class frequencies.

        **fit_params : dict
            Other parameters passed to ``estimator.fit`` (and to the fold
            models of "bbse").

        Returns
        -------
        self : object
            Fitted estimator.
        """
        check_classification_y(self, y)
        if sample_weight is not None:
            fit_params = {**fit_params, "sample_weight": sample_weight}
        self.estimator_ = clone(self.estimator).fit(X, y, **fit_params)
        self.classes_ = np.asarray(self.estimator_.classes_)
        for attr in ("target_priors_", "n_iter_", "confusion_matrix_"):
            self.__dict__.pop(attr, None)
        codes = self._codes(y)
        if sample_weight is not None:
            sample_weight = _check_sample_weight(
                sample_weight, np.empty((codes.size, 0)), dtype=np.float64
            )
        counts = np.bincount(codes, weights=sample_weight, minlength=self.classes_.size)
        self.source_priors_ = counts / counts.sum()
        if self.method == "bbse":
            self._check_source_priors()
            self.confusion_matrix_ = self._out_of_fold_confusion(
                X, y, codes, fit_params, sample_weight
            )
        copy_input_attributes(self, self.estimator_)
        return self

    def _check_source_priors(self):
        """A class of training weight 0 cannot be re-weighted (nor held out)."""
        zero = self.source_priors_ == 0
        if zero.any():
            raise ValueError(
                f"The class(es) {self.classes_[zero].tolist()!r} have a total "
                "sample_weight of 0 in the training data, so their training prior "
                f"is 0 (source_priors_={self.source_priors_.tolist()!r}) and their "
                "probabilities cannot be re-weighted to new priors. Give their "
                "rows a positive weight, or drop those rows from the training data."
            )

    def _codes(self, y):
        """Index of each label of ``y`` in ``classes_``."""
        labels = np.asarray(y)
        if labels.ndim == 2 and labels.shape[1] == 1:
            labels = labels.ravel()
        codes = pd.Index(self.classes_).get_indexer(labels)
        if (codes < 0).any():
            raise ValueError(
                f"{type(self.estimator_).__name__}.classes_ does not contain every "
                f"label of y (missing: {labels[codes < 0][:5].tolist()!r}); "
                "LabelShiftClassifier needs a classifier whose classes_ are the "
                "labels of y."
            )
        return codes

    def _out_of_fold_confusion(self, X, y, codes, fit_params, sample_weight):
        """(true, predicted) counts of out-of-fold argmax predictions."""
        n_classes = self.classes_.size
        if sparse.issparse(X):
            X = X.tocsr()  # row indexing
        elif not hasattr(X, "iloc") and not isinstance(X, np.ndarray):
            X = np.asarray(X)
        if not hasattr(y, "iloc"):
            y = np.asarray(y)
        if isinstance(self.cv, Integral):
            counts = np.bincount(codes, minlength=n_classes)
            smallest = int(counts.min())
            rarest = self.classes_.tolist()[counts.argmin()]
            if smallest < 2:
                raise ValueError(
                    f"method='bbse' holds out rows of every class to measure the "
                    f"classifier's confusion matrix, but class {rarest!r} has "
                    f"{smallest} row(s) in "
                    "y. Give each class at least 2 rows, or use method='em'."
                )
            n_splits = min(self.cv, smallest)
            if n_splits < self.cv:
                warn_once(
                    f"Class {rarest!r} has {smallest} "
                    f"rows, fewer than cv={self.cv} folds: using {n_splits} folds.",
                    UserWarning,
                    stacklevel=3,
                )
            splitter = stratified_folds(n_splits, self.random_state)
            splits = list(splitter.split(np.zeros((codes.size, 1)), codes))
        else:
            splitter = check_cv(self.cv, y, classifier=True)
            splits = list(splitter.split(X, y))
            check_partition(splits, codes.size, self.cv, "predictions")
        results = cross_fit(
            fit_predict_fold,
            [(clone(self.estimator), X, y, tr, te, fit_params) for tr, te in splits],
            n_jobs=self.n_jobs,
            progress=Progress(self, self.verbose),
        )
        predicted = np.empty(codes.size, dtype=np.intp)
        for (_, test), (proba, fold_classes) in zip(splits, results, strict=True):
            columns = pd.Index(self.classes_).get_indexer(fold_classes)
            predicted[test] = columns[proba.argmax(axis=1)]
        return _confusion_counts(codes, predicted, n_classes, sample_weight)

    def adapt(self, X_new=None, *, target_priors=None):
        """Estimate the class priors of new data and correct the predictions.

        Parameters
        ----------
        X_new : {array-like, sparse matrix} of shape (n_new, n_features), \
default=None
            Unlabeled rows of the new data (the more, the better the
            estimate).

        target_priors : array-like of shape (n_classes,), default=None
            Known class priors of the new data, in ``classes_`` order, used
            instead of estimating them. Give either this or ``X_new``.

        Returns
        -------
        self : object
            This estimator, adapted: ``target_priors_`` is set.
        """
        check_is_fitted(self)
        if (X_new is None) == (target_priors is None):
            raise ValueError(
                "Give exactly one of X_new (unlabeled new rows, to estimate the "
                "priors from) and target_priors (known priors), got "
                + ("neither." if X_new is None else "both.")
            )
        n_classes = self.classes_.size
        if target_priors is not None:
            priors = _check_priors(target_priors, n_classes, "target_priors")
            self.__dict__.pop("n_iter_", None)
        else:
            pred_probs = _check_pred_probs(
                self.estimator_.predict_proba(X_new), "predict_proba(X_new)"
            )
            if self.method == "em":
                self._check_source_priors()
                progress = Progress(self, self.verbose)
                priors, n_iter, converged = _em(
                    pred_probs, self.source_priors_, self.tol, self.max_iter, progress
                )
                progress.done(f"EM of the new priors ran {n_iter} iteration(s)")
                if not converged:
                    _warn_em_not_converged(self.max_iter, self.tol, stacklevel=2)
                self.n_iter_ = n_iter
            else:
                share = np.bincount(pred_probs.argmax(axis=1), minlength=n_classes)
                priors = _bbse(self.confusion_matrix_, share / pred_probs.shape[0])
        self.target_priors_ = priors
        return self

    def reset(self):
        """Forget the new priors: predict as the base classifier again.

        Returns
        -------
        self : object
            This estimator, without ``target_priors_``.
        """
        check_is_fitted(self)
        for attr in ("target_priors_", "n_iter_"):
            self.__dict__.pop(attr, None)
        return self

    def _adapted(self):
        return hasattr(self, "target_priors_")

    def predict_proba(self, X):
        """Class probabilities, corrected for the new priors after :meth:`adapt`.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Rows sum to 1; columns in ``classes_`` order. Before
            :meth:`adapt`, those of ``estimator_``.
        """
        check_is_fitted(self)
        proba = self.estimator_.predict_proba(X)
        if not self._adapted():
            return proba
        with np.errstate(divide="ignore"):
            weights = self.target_priors_ / self.source_priors_
        weights[self.source_priors_ == 0] = 0.0  # a class never trained on
        return _reweight(np.asarray(proba, dtype=np.float64), weights)

    def predict_log_proba(self, X):
        """Log of :meth:`predict_proba`.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
            Log-probabilities (``-inf`` for a class of target prior 0).
        """
        check_is_fitted(self)
        if not self._adapted() and hasattr(self.estimator_, "predict_log_proba"):
            return self.estimator_.predict_log_proba(X)
        with np.errstate(divide="ignore"):
            return np.log(self.predict_proba(X))

    def predict(self, X):
        """Predict the class of each row.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            Before :meth:`adapt`, ``estimator_.predict(X)``; after it, the
            class of largest corrected probability (first in ``classes_`` on
            ties).
        """
        check_is_fitted(self)
        if not self._adapted():
            return self.estimator_.predict(X)
        return self.classes_[self.predict_proba(X).argmax(axis=1)]

    def __sklearn_tags__(self):
        return inherit_input_tags(
            super().__sklearn_tags__(),
            self.estimator,
            ("sparse", "allow_nan", "string"),
        )
