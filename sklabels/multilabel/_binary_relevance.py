"""Binary Relevance: one binary classifier per label, with tunable thresholds."""

import itertools
from numbers import Integral, Real

import numpy as np
from joblib import effective_n_jobs
from sklearn.base import clone
from sklearn.model_selection import check_cv
from sklearn.utils import indexable
from sklearn.utils.metaestimators import available_if

from sklabels.multilabel._base import _BaseMultilabelClassifier, _constant_estimator
from sklabels.multilabel._stratification import MultilabelStratifiedKFold
from sklabels.multilabel._thresholds import THRESHOLD_METRICS, best_thresholds
from sklabels.multilabel._validation import (
    constant_labels,
    label_column,
    positive_mask,
)
from sklabels.utils._compat import (
    HasMethods,
    Interval,
    StrOptions,
    _check_method_params,
    _check_sample_weight,
    _fit_context,
    _num_samples,
    _safe_indexing,
    check_is_fitted,
)
from sklabels.utils._docstrings import fill_doc
from sklabels.utils._metaestimators import copy_input_attributes, estimator_has
from sklabels.utils._progress import Progress, run_steps

__all__ = ["BinaryRelevance"]

# joblib tasks per worker when fitting (see _run_units)
_BATCHES_PER_WORKER = 4

# decision_function of a label constant in training: the log-odds of a
# probability of 1 - eps (resp. eps), finite so that ranking metrics accept it
_CONSTANT_SCORE = float(
    np.log1p(-np.finfo(np.float64).eps) - np.log(np.finfo(np.float64).eps)
)


def _run_batch(batch):
    """Run a list of ``(function, args)`` units in order (one joblib task)."""
    return [function(*args) for function, args in batch]


def _call(function, args):
    return function(*args)


def _run_units(units, n_jobs, progress):
    """Results of ``(function, args)`` units, in order, run with joblib.

    With several workers the units go in a few contiguous batches per worker
    (``_BATCHES_PER_WORKER``, enough to balance uneven fits): joblib pickles
    (and, for a large ``X``, hashes to memory-map) the arguments of every
    task, so batching keeps that overhead independent of the number of
    labels. The order of the results, hence the fit, does not depend on
    ``n_jobs``. ``progress`` reports each unit (each batch in parallel).
    """
    n_workers = effective_n_jobs(n_jobs)
    if n_workers == 1 or len(units) < 2:
        return run_steps(
            _call,
            units,
            n_jobs=n_jobs,
            progress=progress,
            title="fitting",
            unit="model",
            verb="fitted",
        )
    n_batches = min(len(units), _BATCHES_PER_WORKER * n_workers)
    bounds = np.linspace(0, len(units), n_batches + 1).round().astype(int)
    batches = run_steps(
        _run_batch,
        [(units[start:stop],) for start, stop in itertools.pairwise(bounds)],
        n_jobs=n_jobs,
        progress=progress,
        title=f"fitting {len(units)} models in",
        unit="batch",
        verb="fitted",
    )
    return [result for batch in batches for result in batch]


def _fit_label(estimator, X, y, fit_params):
    """Fit a clone of ``estimator`` on one label column."""
    return clone(estimator).fit(X, y, **fit_params)


def _positive_proba(estimator, X, positive):
    """P(label present) from a fitted binary classifier."""
    proba = estimator.predict_proba(X)
    column = np.flatnonzero(np.asarray(estimator.classes_) == positive)
    if column.size == 0:  # the present value never reached this classifier
        return np.zeros(proba.shape[0])
    return proba[:, column[0]]


def _fold_proba(estimator, X, y, train, test, fit_params, positive):
    """Held-out P(label present) of a clone fitted on one training fold.

    The rows are taken here, in the worker, so that the caller holds one
    copy of ``X`` whatever the number of folds.
    """
    y_train = y[train]
    if (y_train == y_train[0]).all():  # constant in this fold: learned as such
        return np.full(test.size, float(y_train[0] == positive))
    fit_params = _check_method_params(X, fit_params, indices=train)
    fitted = clone(estimator).fit(_safe_indexing(X, train), y_train, **fit_params)
    if not hasattr(fitted, "predict_proba"):
        raise _proba_error("cv", fitted)
    return _positive_proba(fitted, _safe_indexing(X, test), positive)


def _label_present(estimator, X, threshold, positive):
    """Whether the label is predicted present on each row of ``X``."""
    if threshold == 0.5:  # the classifier's own rule, as MultiOutputClassifier
        return np.asarray(estimator.predict(X)).ravel() == positive
    return _positive_proba(estimator, X, positive) > threshold


def _label_models(meta):
    """``(name, model)`` of the fitted classifiers of the labels that vary
    (constant labels are answered without their model); None before fit."""
    if not hasattr(meta, "estimators_"):
        return None
    return [(f"estimators_[{j}]", meta.estimators_[j]) for j in meta._varying()]


def _proba_error(threshold, model):
    return ValueError(
        f"threshold={threshold!r} applies to probabilities, but the fitted "
        f"{type(model).__name__} has no predict_proba. Keep threshold=0.5 (the "
        "classifier's own predict) or wrap it in "
        "sklearn.calibration.CalibratedClassifierCV."
    )


def _decision(estimator, X):
    return np.asarray(estimator.decision_function(X), dtype=np.float64).ravel()


@fill_doc
class BinaryRelevance(_BaseMultilabelClassifier):
    """One binary classifier per label (Binary Relevance).

    Fits one clone of ``estimator`` per column of the label matrix ``y``, in
    parallel, and predicts each label independently. It is what
    :class:`~sklearn.multioutput.MultiOutputClassifier` does for an indicator
    matrix (same predictions with the same classifier), plus:
    ``predict_proba`` as one ``(n_samples, n_labels)`` array of P(label
    present); a label constant in training (all 0 or all 1, frequent for rare
    labels in cross-validation folds) learned as that constant instead of an
    error; sparse ``y``; per-label decision thresholds, fixed or tuned by
    cross-validation (``threshold="cv"``); and validated, explained errors.

    Binary Relevance ignores dependencies between labels: each classifier
    sees ``X`` only. See :class:`LabelPowerset` for a method that models them.

    Read more in the :ref:`User Guide <multilabel>`.

    Parameters
    ----------
    estimator : estimator object
        A binary classifier with ``fit`` and ``predict``; ``predict_proba``
        is needed for thresholds other than 0.5 and for ``predict_proba``.
        What counts is the *fitted* classifier: a model that gains
        ``predict_proba`` only when fitted (such as a
        :class:`~sklearn.model_selection.GridSearchCV` over
        ``SGDClassifier(loss=...)``) is accepted when its fitted copies have
        it.

    threshold : float, array-like of shape (n_labels,) or "cv", default=0.5
        A label is predicted present when its probability is greater than its
        threshold. A float applies to every label, an array gives one
        threshold per label, and "cv" tunes each label's threshold by
        cross-validation (``threshold_cv``) to maximise ``threshold_scoring``.
        A label whose threshold is 0.5 is predicted by its classifier's own
        ``predict``: for every classifier whose ``predict`` is the most
        probable class (logistic regression, trees, forests, k-NN, naive
        Bayes, ...) that is the same rule, it makes predictions identical to
        ``MultiOutputClassifier``, and it lets classifiers without
        ``predict_proba`` (e.g. :class:`~sklearn.svm.LinearSVC`) be used.

    threshold_cv : int, cross-validation generator or iterable, default=5
        Splits used when ``threshold="cv"``. An int ``k`` means
        ``MultilabelStratifiedKFold(n_splits=k)``. Ignored otherwise.

    threshold_scoring : {"f1", "jaccard", "balanced_accuracy", "accuracy", \
"matthews_corrcoef"} or callable, default="f1"
        Metric of one label that ``threshold="cv"`` maximises on the
        out-of-fold probabilities; a callable ``metric(y_true, y_pred)``
        (higher is better, given ``sample_weight=`` when ``fit`` gets
        weights) is evaluated on at most 100 candidate thresholds per label.
        Ignored unless ``threshold="cv"``.

    n_jobs : int, default=None
        Number of jobs fitting the per-label classifiers (and, with
        ``threshold="cv"``, the per-fold ones) in parallel.
        %(joblib_context)s
        Predictions are computed label after label: each is one vectorised
        call, and parallel prediction was measured slower.

    verbose : int, default=0
        Progress of ``fit`` on stderr: 0 says nothing, 1 a line before and
        after the fits (with ``threshold="cv"``, the number of fold models), 2
        also one line per model fitted (per batch of models when ``n_jobs`` runs
        them in parallel).

    Attributes
    ----------
    estimators_ : list of n_labels estimators
        The fitted classifier of each label. A label constant in training
        has a fitted :class:`~sklearn.dummy.DummyClassifier` predicting that
        constant.

    classes_ : list of n_labels ndarray of shape (2,)
        ``[absent, present]`` for each label (``[0, 1]`` for a 0/1 ``y``), as
        :class:`~sklearn.multioutput.MultiOutputClassifier` exposes it, which
        scikit-learn's multi-label scorers read.

    n_labels_ : int
        Number of labels (columns of ``y``).

    thresholds_ : ndarray of shape (n_labels,)
        The threshold of each label, given or tuned.

    threshold_scores_ : ndarray of shape (n_labels,)
        Only with ``threshold="cv"``: the out-of-fold ``threshold_scoring``
        of each label at its threshold (NaN for a label constant in
        training).

    n_features_in_ : int
        Number of features seen during fit (from the first classifier).

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during fit, when X has string column names.

    See Also
    --------
    LabelPowerset : One multiclass classifier over the label sets.
    MultilabelStratifiedKFold : Cross-validation splits for multi-label data.
    sklearn.multioutput.MultiOutputClassifier : The scikit-learn counterpart.
    sklearn.multioutput.ClassifierChain : Chains labels to use dependencies.

    Notes
    -----
    ``y`` is a binary indicator matrix, dense or sparse (CSR, CSC or COO): 0
    or False means absent, 1 or True present. A dense ``y`` may use any two
    values (``-1`` / ``1``, ``"no"`` / ``"yes"``): the larger one means
    present, as scikit-learn's binary classifiers take ``classes_[1]`` as the
    positive class, and ``predict`` returns the same two values. To fit on
    label sets or tag strings, wrap the model in
    :class:`~sklabels.encoding.TransformedTargetClassifier` with a
    :class:`~sklabels.encoding.MultiLabelEncoder`.

    A label constant in training gets probability 1 or 0, is predicted as
    that constant whatever its threshold, and its ``decision_function`` is
    ``+-36.04`` (the log-odds of ``1 - eps``).

    Threshold tuning fits ``k`` extra classifiers per label (``k`` folds),
    all in the same parallel pool as the final ones. The thresholds are the
    midpoints between consecutive out-of-fold probabilities; among equally
    good ones, the closest to 0.5 is kept.

    References
    ----------
    .. [1] Tsoumakas, G., Katakis, I. and Vlahavas, I. (2010). "Mining
       Multi-label Data". In Data Mining and Knowledge Discovery Handbook,
       pp. 667-685. Springer.

    Examples
    --------
    >>> from sklearn.datasets import make_multilabel_classification
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklabels.multilabel import BinaryRelevance
    >>> X, Y = make_multilabel_classification(n_samples=200, n_classes=4,
    ...                                       random_state=0)
    >>> clf = BinaryRelevance(LogisticRegression(max_iter=1000)).fit(X, Y)
    >>> clf.predict(X[:2])
    array([[1, 0, 0, 0],
           [0, 1, 0, 0]])
    >>> clf.predict_proba(X[:2]).round(2)
    array([[1.  , 0.  , 0.36, 0.  ],
           [0.4 , 0.73, 0.05, 0.01]])
    >>> tuned = BinaryRelevance(LogisticRegression(max_iter=1000),
    ...                         threshold="cv", threshold_cv=3).fit(X, Y)
    >>> tuned.thresholds_.round(2)
    array([0.45, 0.33, 0.43, 0.36])
    """

    _parameter_constraints: dict = {
        "estimator": [HasMethods(["fit", "predict"])],
        "threshold": [
            Interval(Real, 0, 1, closed="both"),
            "array-like",
            StrOptions({"cv"}),
        ],
        "threshold_cv": ["cv_object"],
        "threshold_scoring": [StrOptions(set(THRESHOLD_METRICS)), callable],
        "n_jobs": [Integral, None],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        estimator,
        *,
        threshold=0.5,
        threshold_cv=5,
        threshold_scoring="f1",
        n_jobs=None,
        verbose=0,
    ):
        self.estimator = estimator
        self.threshold = threshold
        self.threshold_cv = threshold_cv
        self.threshold_scoring = threshold_scoring
        self.n_jobs = n_jobs
        self.verbose = verbose

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y, sample_weight=None, **fit_params):
        """Fit one classifier per label.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data, passed unchanged to the classifiers.

        y : {array-like, sparse matrix} of shape (n_samples, n_labels)
            Label matrix: binary indicators (0/1 or booleans), one column
            per label.

        sample_weight : array-like of shape (n_samples,), default=None
            Row weights, passed to every classifier's ``fit`` (and used by
            the threshold metric).

        **fit_params : dict
            Passed to every classifier's ``fit`` (routed through metadata
            routing when it is enabled).

        Returns
        -------
        self : object
            Fitted estimator.
        """
        Y, pair = self._check_targets(X, y)
        n_labels = Y.shape[1]
        thresholds = self._check_threshold(n_labels)
        params = self._fit_params(sample_weight, fit_params)
        constant = constant_labels(Y, pair)
        varying = np.flatnonzero(constant < 0)
        columns = [label_column(Y, j) for j in varying]
        units = [
            (_fit_label, (self.estimator, X, column, params)) for column in columns
        ]
        if thresholds is None:
            splits = self._splits(X, Y)
            units += self._fold_units(X, columns, splits, params, pair[1])
        progress = Progress(self, self.verbose)
        if thresholds is None:
            progress.stage(
                f"{varying.size} label model(s) and {len(splits)} x {varying.size} "
                "fold model(s) for threshold='cv'"
            )
        results = _run_units(units, self.n_jobs, progress)

        fitted = dict(zip(varying.tolist(), results[: varying.size], strict=True))
        self.estimators_ = [
            fitted[j] if j in fitted else _constant_estimator(X, label_column(Y, j))
            for j in range(n_labels)
        ]
        self._constant = constant
        if thresholds is not None and (thresholds != 0.5).any():
            # checked on the fitted models: some gain predict_proba only then
            for j in varying[thresholds[varying] != 0.5]:
                if not hasattr(self.estimators_[j], "predict_proba"):
                    raise _proba_error(self.threshold, self.estimators_[j])
        self._set_classes(pair, n_labels)
        if thresholds is None:
            self._tune(Y, pair, varying, splits, results[varying.size :], sample_weight)
        else:
            self.thresholds_ = thresholds
        first = varying[0] if varying.size else 0
        copy_input_attributes(self, self.estimators_[first])
        return self

    def _check_threshold(self, n_labels):
        """Per-label thresholds, or None for "cv"; checks predict_proba."""
        if isinstance(self.threshold, str):
            thresholds = None
        else:
            try:
                thresholds = np.asarray(self.threshold, dtype=np.float64)
            except (TypeError, ValueError):
                raise ValueError(
                    "threshold must be a float, an array of floats with one value "
                    f"per label or 'cv'; got {self.threshold!r}."
                ) from None
            if thresholds.ndim == 0:
                thresholds = np.full(n_labels, float(thresholds))
            elif thresholds.shape != (n_labels,):
                raise ValueError(
                    "threshold must be a float, an array with one value per label "
                    f"(shape ({n_labels},)) or 'cv'; got an array of shape "
                    f"{thresholds.shape}."
                )
            bad = ~((thresholds >= 0) & (thresholds <= 1))
            if bad.any():
                raise ValueError(
                    "threshold values must lie in [0, 1]; got "
                    f"{thresholds[bad][:5].tolist()} at label(s) "
                    f"{np.flatnonzero(bad)[:5].tolist()}."
                )
        # predict_proba is checked on the fitted models (see fit), since some
        # models (a GridSearchCV over SGDClassifier(loss=...)) only have it then
        return thresholds

    def _splits(self, X, Y):
        cv = self.threshold_cv
        if isinstance(cv, Integral):
            cv = MultilabelStratifiedKFold(n_splits=cv)
        else:
            cv = check_cv(cv)
        return list(cv.split(X, Y))

    def _fold_units(self, X, columns, splits, params, positive):
        (X,) = indexable(X)  # rows of anything _num_samples accepts
        return [
            (_fold_proba, (self.estimator, X, column, train, test, params, positive))
            for train, test in splits
            for column in columns
        ]

    def _tune(self, Y, pair, varying, splits, fold_probas, sample_weight):
        """Thresholds maximising the metric on the out-of-fold probabilities."""
        n_samples, n_labels = Y.shape
        self.thresholds_ = np.full(n_labels, 0.5)
        self.threshold_scores_ = np.full(n_labels, np.nan)
        if varying.size == 0:
            return
        total = np.zeros((n_samples, varying.size))
        seen = np.zeros(n_samples)
        for k, (_, test) in enumerate(splits):
            chunk = fold_probas[k * varying.size : (k + 1) * varying.size]
            if chunk:
                total[test] += np.column_stack(chunk)
            seen[test] += 1
        rows = seen > 0
        if not rows.all():
            total, Y = total[rows], Y[np.flatnonzero(rows)]
            if not rows.any():
                raise ValueError(
                    "threshold_cv gave no test rows: threshold='cv' needs splits "
                    "whose test sets cover the data."
                )
        weights = None
        if sample_weight is not None:
            weights = _check_sample_weight(sample_weight, np.empty((n_samples, 0)))
            weights = weights[rows]
        present = positive_mask(Y, pair)[:, varying].toarray()
        tuned, scores = best_thresholds(
            total / seen[rows, None],
            present,
            metric=self.threshold_scoring,
            sample_weight=weights,
        )
        self.thresholds_[varying] = tuned
        self.threshold_scores_[varying] = scores

    def _varying(self):
        """Indices of the labels that varied in training (have a real model)."""
        return np.flatnonzero(self._constant < 0)

    def _per_label(self, function, X, constant_values, *args):
        """(n_samples, n_labels) array: ``function`` per label, constants filled."""
        varying = self._varying()
        # sequential: one vectorised call per label; joblib threads or
        # processes were measured slower (BLAS already uses the cores)
        columns = [
            function(self.estimators_[j], X, *(a[j] for a in args)) for j in varying
        ]
        n_samples = columns[0].shape[0] if columns else _num_samples(X)
        dtype = columns[0].dtype if columns else type(constant_values[0])
        out = np.empty((n_samples, self.n_labels_), dtype=dtype)
        for value, fill in enumerate(constant_values):
            out[:, self._constant == value] = fill
        if columns:
            out[:, varying] = np.column_stack(columns)
        return out

    def predict(self, X):
        """Predict the labels of each row.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        Y_pred : ndarray of shape (n_samples, n_labels)
            Indicator matrix, in the values (and dtype) of ``y`` in ``fit``.
        """
        check_is_fitted(self)
        n_labels = self.n_labels_
        present = self._per_label(
            _label_present,
            X,
            (False, True),
            self.thresholds_,
            [self.classes_[0][1]] * n_labels,
        )
        return self._decode(present)

    @available_if(estimator_has("predict_proba", fitted=_label_models))
    def predict_proba(self, X):
        """Probability that each label is present.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_labels)
            P(label present), one column per label (rows need not sum to 1).
        """
        check_is_fitted(self)
        return self._per_label(
            _positive_proba, X, (0.0, 1.0), [self.classes_[0][1]] * self.n_labels_
        )

    @available_if(estimator_has("decision_function", fitted=_label_models))
    def decision_function(self, X):
        """Decision function of each label's classifier.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        scores : ndarray of shape (n_samples, n_labels)
            Each classifier's score for its label being present (positive
            means present for the classifier's own rule). Not shifted by
            ``threshold``.
        """
        check_is_fitted(self)
        return self._per_label(_decision, X, (-_CONSTANT_SCORE, _CONSTANT_SCORE))
