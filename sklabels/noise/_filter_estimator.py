"""Confident learning as a sampler, and a classifier trained on what it keeps.

:class:`ConfidentLearningFilter` is an imbalanced-learn sampler: it computes
out-of-fold predicted probabilities with a classifier, finds the label issues
with :func:`~sklabels.noise.find_label_issues` and removes (or relabels) the
flagged rows. :class:`ConfidentLearningClassifier` runs it and fits a
classifier on the rows it keeps. The statistics themselves live in the
function layer (``_count``, ``_rank``, ``_filter``); this module only adds
the cross-validation and the estimator API.
"""

import warnings
from numbers import Integral, Real

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin, clone
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, check_cv
from sklearn.utils import get_tags
from sklearn.utils.metaestimators import available_if

from sklabels.encoding import LabelEncoder
from sklabels.noise._count import confident_joint, estimate_noise_matrices
from sklabels.noise._filter import _METHODS, _removal_counts, find_label_issues
from sklabels.noise._rank import label_quality_scores
from sklabels.utils._compat import (
    HasMethods,
    Interval,
    MetadataRouter,
    MethodMapping,
    StrOptions,
    _check_method_params,
    _fit_context,
    _num_samples,
    _routing_enabled,
    _safe_indexing,
    check_is_fitted,
    process_routing,
)
from sklabels.utils._cv import (
    check_partition,
    cross_fit,
    fit_predict_fold,
    stratified_folds,
)
from sklabels.utils._delegation import inherit_input_tags
from sklabels.utils._doc_link import DocLinkMixin
from sklabels.utils._docstrings import fill_doc
from sklabels.utils._fold_routing import (
    check_fold_fit_params,
    fold_metadata_router,
    n_folds_asked,
    route_fold_params,
)
from sklabels.utils._metaestimators import (
    check_classification_y,
    check_default_model_features,
    copy_input_attributes,
    estimator_has,
    spread_columns,
)
from sklabels.utils._progress import Progress, warn_once
from sklabels.utils._sampler import (
    KEPT,
    RELABELED,
    REMOVED,
    LabelSampler,
    check_missing_labels,
    input_index,
)
from sklabels.utils._validation import check_finite_proba

__all__ = ["ConfidentLearningClassifier", "ConfidentLearningFilter"]

# The model used when estimator=None, as written in messages.
_DEFAULT_MODEL = "LogisticRegression(max_iter=1000)"

# --------------------------------------------------------------------------
# Out-of-fold probabilities
# --------------------------------------------------------------------------


def _complete_training_folds(splits, codes, n_classes):
    """Give every training fold at least one row of every class.

    A fold whose training part lacks a class (a class with a single row, or
    a user splitter that leaves a class out) borrows the first held-out row
    of that class. Returns the new splits and the borrowed rows, which have
    been seen in training and so get no out-of-fold probabilities.
    """
    completed, borrowed = [], []
    for train, test in splits:
        train, test = np.asarray(train, dtype=np.intp), np.asarray(test, dtype=np.intp)
        missing = np.setdiff1d(np.arange(n_classes), codes[train])
        if missing.size:
            first = [test[np.flatnonzero(codes[test] == k)[0]] for k in missing]
            train = np.concatenate([train, first])
            borrowed.extend(first)
        completed.append((train, test))
    return completed, np.asarray(borrowed, dtype=np.intp)


def _pruning_cells(codes, pred_probs, issues, n_select):
    """For rows flagged by pruning by noise rate: the class of the cell that
    selected them, else -1.

    Cell ``(k, j)`` selects the ``n_select[k, j]`` rows labelled ``k`` with
    the largest margin ``p[j] - p[k]``; a row reaching the cut-off of several
    cells is put in the one of its most probable class.
    """
    n_classes = n_select.shape[0]
    cell = np.full(codes.size, -1, dtype=np.intp)
    by_class = np.argsort(codes, kind="stable")
    starts = np.concatenate(([0], np.cumsum(np.bincount(codes, minlength=n_classes))))
    flagged_classes = np.flatnonzero(np.bincount(codes[issues], minlength=n_classes))
    for k in flagged_classes:
        others = np.flatnonzero((n_select[k] > 0) & (np.arange(n_classes) != k))
        if not others.size:
            continue
        rows = by_class[starts[k] : starts[k + 1]]
        margins = pred_probs[np.ix_(rows, others)] - pred_probs[rows, k][:, None]
        rank = np.minimum(n_select[k, others], rows.size)
        cut = np.sort(margins, axis=0)[rows.size - rank, np.arange(others.size)]
        reached = (margins >= cut) & issues[rows][:, None]
        scores = np.where(reached, pred_probs[np.ix_(rows, others)], -np.inf)
        best = scores.argmax(axis=1)
        found = reached.any(axis=1)
        cell[rows[found]] = others[best[found]]
    return cell


def _why_flagged(codes, pred_probs, classes, noise_matrix, cells_of_pruning):
    """The report's columns that say why a row was (or was not) flagged.

    For each row: the runner-up class (the most probable class other than
    the given label) and its probability, the margin of the given label over
    it, and a cell of the noise matrix "given -> other class" with its
    estimated rate ``P(given label | true = other class)``: the cell whose
    pruning selected the row (``cells_of_pruning``, -1 where none), else the
    runner-up's.
    """
    n_samples, n_classes = pred_probs.shape
    rows = np.arange(n_samples)
    others = pred_probs.copy()
    others[rows, codes] = -np.inf
    runner_up = others.argmax(axis=1)
    del others
    runner_up_proba = pred_probs[rows, runner_up]
    other = np.where(cells_of_pruning >= 0, cells_of_pruning, runner_up)
    names = [str(label) for label in classes.tolist()]  # classes, not rows
    cells = np.array([f"{a} -> {b}" for a in names for b in names], dtype=object)
    return {
        "runner_up_label": classes[runner_up],
        "runner_up_proba": runner_up_proba,
        "margin": pred_probs[rows, codes] - runner_up_proba,
        "noise_cell": cells[codes * n_classes + other],
        "noise_rate": noise_matrix[codes, other],
    }


# --------------------------------------------------------------------------
# ConfidentLearningFilter
# --------------------------------------------------------------------------


@fill_doc
class ConfidentLearningFilter(LabelSampler):
    """Find wrong labels with confident learning and remove or fix them.

    An imbalanced-learn sampler: ``fit_resample(X, y)`` computes out-of-fold
    predicted probabilities with ``estimator`` (cross-validation over ``X``
    and ``y``), finds the label issues with :func:`find_label_issues`
    (Northcutt et al., 2021) and returns the data without the flagged rows
    (``action="remove"``) or with their labels replaced by the predicted
    class (``action="relabel"``). In an imbalanced-learn
    :class:`~imblearn.pipeline.Pipeline` it acts at fit time only: the model
    after it is trained on the cleaned data, and prediction sees every row.

    Every input row is accounted for: ``label_issues_`` flags the rows found,
    ``sample_indices_`` lists the rows returned and ``label_issues_report_``
    says, row by row, what was done and why.

    Read more in the :ref:`User Guide <noise>`.

    Parameters
    ----------
    estimator : estimator object, default=None
        Classifier with ``predict_proba`` whose out-of-fold probabilities
        score the labels; cloned for each fold. It receives ``X`` as given
        (a DataFrame stays a DataFrame) and the labels as given (not
        encoded). None means
        ``LogisticRegression(max_iter=1000)``, which needs numeric features:
        with string or categorical columns, ``fit_resample`` raises a
        ``ValueError`` saying so; pass a pipeline with an encoder instead
        (e.g. ``make_pipeline(make_column_transformer((OneHotEncoder(),
        columns), remainder="passthrough"), LogisticRegression())``).

    cv : int, cross-validation splitter or iterable of splits, default=5
        Folds for the out-of-fold probabilities. An int is the number of
        folds of a ``StratifiedKFold``: unshuffled when ``random_state`` is
        None (as scikit-learn's ``cv=int``), shuffled with a seed drawn from
        ``random_state`` otherwise; it is lowered when a class has fewer rows
        (see Notes). None means 5. A splitter (an object with ``split`` and
        ``get_n_splits``, e.g. ``GroupKFold``) is called as ``cv.split(X, y,
        groups)``; an iterable yields ``(train, test)`` index arrays (give a
        list: a generator is used up by the first fit). Either way the test
        parts must put every row in exactly one test fold.

    method : {"prune_by_noise_rate", "prune_by_class", "both", \
"confident_learning", "predicted_neq_given", "low_self_confidence", \
"low_normalized_margin"}, default="prune_by_noise_rate"
        How :func:`find_label_issues` flags rows.

    action : {"remove", "relabel"}, default="remove"
        "remove" drops the flagged rows; "relabel" keeps every row and
        replaces each flagged label by the class with the highest
        out-of-fold probability.

    frac_noise : float in [0, 1], default=1.0
        Fraction of the estimated number of label issues to flag, the most
        likely first (for the "prune_*" methods and "both"); see
        :func:`find_label_issues`.

    n_jobs : int, default=None
        Number of folds fitted in parallel (also passed to
        :func:`find_label_issues`).
        %(joblib_context)s
        The result does not depend on it.

    random_state : int, RandomState instance or None, default=None
        Shuffling of the folds when ``cv`` is an int. None gives unshuffled
        stratified folds, the same on every fit; an int (or RandomState)
        gives folds shuffled with a seed drawn from it. It does not seed
        ``estimator``: give it its own ``random_state`` if it is random.

    verbose : int, default=0
        Progress on stderr: 0 says nothing, 1 the start and end of the
        cross-fitting and the number of issues found, 2 also each fold as
        it is fitted.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The classes, sorted; columns of ``pred_probs_`` and the rows and
        columns of the matrices follow this order.

    pred_probs_ : ndarray of shape (n_samples, n_classes)
        Out-of-fold predicted probabilities of the input rows (see Notes for
        classes with a single row).

    label_issues_ : ndarray of shape (n_samples,), dtype=bool
        Which input rows have a label issue.

    label_quality_ : ndarray of shape (n_samples,)
        Self-confidence of each input row, the out-of-fold probability of its
        given label (:func:`label_quality_scores`); low means likely wrong.

    confident_joint_ : ndarray of shape (n_classes, n_classes)
        Calibrated confident joint: counts with rows the given and columns
        the true class (:func:`confident_joint`).

    noise_matrix_ : ndarray of shape (n_classes, n_classes)
        Estimated ``P(given label = i | true label = j)``
        (:func:`estimate_noise_matrices`).

    sample_indices_ : ndarray of shape (n_samples_out,)
        Indices of the input rows returned by ``fit_resample``, in order:
        the rows not flagged for "remove", every row for "relabel".

    label_issues_report_ : pandas.DataFrame of shape (n_samples, 10)
        One row per input row, indexed like ``y`` (or a DataFrame ``X``),
        in the user's class names: ``given_label``, ``predicted_label``
        (highest out-of-fold probability), ``label_quality``,
        ``is_label_issue``, ``action`` (one of "kept", "removed" or
        "relabeled"; a flagged row whose predicted class equals its label
        is "kept" under "relabel"), and why the row was flagged or not:
        ``runner_up_label`` (the most probable class other than the given
        label; the predicted class when that differs from the label),
        ``runner_up_proba`` (its out-of-fold probability), ``margin`` (the
        probability of the given label minus ``runner_up_proba``: negative
        when the model prefers another class), ``noise_cell`` (the cell of
        the noise matrix the row belongs to, "given -> runner-up") and
        ``noise_rate`` (that cell of ``noise_matrix_``: the estimated
        fraction of the other class's true examples that carry the given
        label). The cell is that of the runner-up, except for rows flagged
        by ``method="prune_by_noise_rate"`` or ``"both"``: there, the cell
        whose count selected the row (a cell ``(k, j)`` flags the rows
        labelled ``k`` with the largest ``p[j] - p[k]``, which need not have
        ``j`` as runner-up; if the row reaches the cut-off of several cells,
        the one of its most probable class). :meth:`report` joins the
        out-of-fold probabilities.

    n_splits_ : int
        Number of cross-validation folds used.

    sampling_strategy_ : str
        Always "auto": rows are selected by their labels, not to balance
        classes (imbalanced-learn's "bypass" sampling type).

    n_features_in_ : int
        Number of features seen during fit.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during fit, when X has string column names.

    See Also
    --------
    ConfidentLearningClassifier : Filter, then fit a classifier on the rest.
    LabelNoiseInjector : Corrupt training labels, to measure robustness.
    find_label_issues : The function layer, given probabilities.

    Notes
    -----
    *Folds and rare classes.* With an int ``cv``, a class with fewer rows
    than folds cannot be held out in every fold, so the number of folds is
    lowered to the size of the smallest class (at least 2), with a warning.
    A class with a single row cannot be both learned and held out: like
    cleanlab, that row is added to the training part of the fold that holds
    it out, and its ``pred_probs_`` row is set to probability 1 for its given
    label, so it is never flagged (a warning names such classes). The same
    rule applies to any fold of a user splitter whose training part lacks a
    class. When every class has a single row, nothing can be held out and
    ``fit_resample`` raises a ``ValueError`` saying so.
    ``find_label_issues`` is called on ``pred_probs_`` exactly as exposed,
    so the flags can be reproduced from the attributes.

    *Groups and weights.* ``fit_resample(X, y, groups=g)`` passes ``g`` to
    ``cv.split``, so that with ``cv=GroupKFold(...)`` (or
    ``StratifiedGroupKFold``) the rows of one group (patient, user) are
    held out together and never score each other; an int ``cv`` ignores
    groups, so passing ``groups`` with one is an error.
    ``fit_resample(X, y, sample_weight=w)`` fits each fold model with the
    weights of its training rows (an error if ``estimator.fit`` takes no
    ``sample_weight``); the confident counting itself is not weighted. With
    metadata routing enabled (``sklearn.set_config(enable_metadata_routing=
    True)``), metadata go where they are requested instead: to
    ``estimator.fit`` after ``estimator.set_fit_request(sample_weight=
    True)``, to the splitter's ``split`` (group splitters request
    ``groups``); this is also how an imbalanced-learn
    :class:`~imblearn.pipeline.Pipeline` passes ``pipe.fit(X, y,
    groups=g)`` to this step (without routing, it passes nothing to a
    sampler). A fold whose training part lacks a class borrows a row of
    the held-out part (see above); with groups, a warning says so, as the
    other rows of that row's group are then scored by a model that saw it.

    ``fit`` does the same work as ``fit_resample``. The fold models are not
    kept.

    References
    ----------
    .. [1] C. G. Northcutt, L. Jiang and I. L. Chuang, "Confident Learning:
       Estimating Uncertainty in Dataset Labels", Journal of Artificial
       Intelligence Research, 70, 1373-1411, 2021.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import load_iris
    >>> from sklabels.noise import ConfidentLearningFilter
    >>> X, y = load_iris(return_X_y=True)
    >>> y_noisy = y.copy()
    >>> y_noisy[[5, 55, 105]] = [1, 2, 0]  # three wrong labels
    >>> cl = ConfidentLearningFilter(random_state=0)
    >>> X_clean, y_clean = cl.fit_resample(X, y_noisy)
    >>> np.flatnonzero(cl.label_issues_)
    array([  5,  55, 105, 106])
    >>> X_clean.shape
    (146, 4)

    Row 106, a virginica that looks like a versicolor, is flagged too:

    >>> cl.label_issues_report_.loc[[5, 106], ["given_label", "predicted_label"]]
         given_label  predicted_label
    5              1                0
    106            2                1
    """

    _parameter_constraints: dict = {
        "estimator": [HasMethods(["fit", "predict"]), None],
        "cv": ["cv_object"],
        "method": [StrOptions(set(_METHODS))],
        "action": [StrOptions({"remove", "relabel"})],
        "frac_noise": [Interval(Real, 0, 1, closed="both")],
        "n_jobs": [Integral, None],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        estimator=None,
        *,
        cv=5,
        method="prune_by_noise_rate",
        action="remove",
        frac_noise=1.0,
        n_jobs=None,
        random_state=None,
        verbose=0,
    ):
        self.estimator = estimator
        self.cv = cv
        self.method = method
        self.action = action
        self.frac_noise = frac_noise
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.verbose = verbose

    def _make_estimator(self):
        if self.estimator is None:
            return LogisticRegression(max_iter=1000)
        return clone(self.estimator)

    def _n_folds(self):
        """The number of folds asked for, or None for a splitter / iterable."""
        return n_folds_asked(self.cv)

    # prefer_skip_nested_validation=False: the parameters of the user's
    # estimator are checked when its clones are fitted.
    @_fit_context(prefer_skip_nested_validation=False)
    def fit_resample(self, X, y, **params):
        """Find the label issues and remove or relabel those rows.

        Parameters
        ----------
        X : {array-like, dataframe, sparse matrix} of shape (n_samples, n_features)
            Data, passed to the estimator as given.

        y : array-like of shape (n_samples,)
            Given (possibly noisy) labels, of any type (integers, strings,
            categoricals). Missing labels are not allowed.

        **params : dict
            Without metadata routing: ``groups`` (array-like of shape
            (n_samples,)), passed to ``cv.split`` (``cv`` must then be a
            splitter or iterable, e.g. ``GroupKFold``), and ``sample_weight``
            (array-like of shape (n_samples,)), passed to the ``fit`` of each
            fold model, restricted to its training rows. With metadata
            routing enabled, any metadata, routed to ``estimator.fit`` and
            ``cv.split`` as they request them (see Notes).

        Returns
        -------
        X_resampled : {array-like, dataframe, sparse matrix} of shape \
(n_samples_out, n_features)
            The rows ``sample_indices_`` of ``X``, in the container given.

        y_resampled : array-like of shape (n_samples_out,)
            Their labels: unchanged for "remove", flagged labels replaced by
            the predicted class for "relabel".
        """
        fit_params, split_params = self._route(params)
        output = self._validate_and_resample(
            X, y, fit_params=fit_params, split_params=split_params
        )
        index = input_index(X, y)
        if index is not None:
            self.label_issues_report_.index = index
        return output

    def _route(self, params):
        """Metadata for the fold models' ``fit`` and for ``cv.split``."""
        groups_error = None
        if self._n_folds() is not None:
            groups_error = (
                f"groups were given but cv={self.cv!r} gives stratified "
                "folds that ignore them, so the rows of a group would be "
                "split between folds. Pass a group splitter, e.g. "
                "cv=GroupKFold(5) or cv=StratifiedGroupKFold(5)."
            )
        return route_fold_params(self, params, groups_error=groups_error)

    def _fit_resample(self, X, y, *, fit_params, split_params):
        fit_params = check_fold_fit_params(fit_params, X)
        if self.estimator is None:
            check_default_model_features(
                X, owner=self, param="estimator", default=_DEFAULT_MODEL
            )
        estimator = self._make_estimator()
        if not hasattr(estimator, "predict_proba"):
            raise TypeError(
                f"{type(self).__name__} needs out-of-fold predicted probabilities, "
                f"but estimator={estimator!r} has no predict_proba. Use a "
                "probabilistic classifier, or wrap this one in "
                "sklearn.calibration.CalibratedClassifierCV."
            )
        encoder = LabelEncoder()
        codes = np.asarray(encoder.fit_transform(y), dtype=np.intp)
        classes = encoder.classes_
        splits, borrowed = self._splits(X, y, codes, classes, split_params)
        pred_probs = self._out_of_fold_proba(
            estimator, X, y, splits, encoder, fit_params
        )
        # rows seen in training (classes with a single row): never flagged
        pred_probs[borrowed] = 0.0
        pred_probs[borrowed, codes[borrowed]] = 1.0

        self.classes_ = classes
        self.n_splits_ = len(splits)
        self.pred_probs_ = pred_probs
        self.confident_joint_ = confident_joint(codes, pred_probs)
        self.noise_matrix_ = estimate_noise_matrices(codes, pred_probs)[0]
        self.label_quality_ = label_quality_scores(
            codes, pred_probs, method="self_confidence"
        )
        issues = np.asarray(
            find_label_issues(
                codes,
                pred_probs,
                method=self.method,
                frac_noise=self.frac_noise,
                n_jobs=self.n_jobs,
            ),
            dtype=bool,
        )
        self.label_issues_ = issues
        Progress(self, self.verbose).stage(
            f"{int(issues.sum())} label issue(s) found in {codes.size} rows"
        )
        predicted = pred_probs.argmax(axis=1)
        pruned_by = np.full(codes.size, -1, dtype=np.intp)
        if self.method in ("prune_by_noise_rate", "both"):
            n_select = _removal_counts(self.confident_joint_, 1, self.frac_noise)
            pruned_by = _pruning_cells(codes, pred_probs, issues, n_select)

        action = np.full(codes.size, KEPT, dtype=object)
        if self.action == "remove":
            self.sample_indices_ = np.flatnonzero(~issues)
            X_res = _safe_indexing(X, self.sample_indices_)
            y_res = y[self.sample_indices_]
            action[issues] = REMOVED
        else:
            self.sample_indices_ = np.arange(codes.size)
            X_res = X
            changed = issues & (predicted != codes)
            y_res = y.copy()
            y_res[changed] = classes[predicted[changed]]
            action[changed] = RELABELED
        self.label_issues_report_ = pd.DataFrame(
            {
                "given_label": y,
                "predicted_label": classes[predicted],
                "label_quality": self.label_quality_,
                "is_label_issue": issues,
                "action": action,
                **_why_flagged(
                    codes, pred_probs, classes, self.noise_matrix_, pruned_by
                ),
            }
        )
        return X_res, y_res

    def report(self, *, proba=True, issues_only=False):
        """The per-row report, with the out-of-fold probabilities joined.

        ``label_issues_report_`` (same index, same columns) followed by one
        column per class, ``"proba_<class>"``, holding ``pred_probs_``.

        Parameters
        ----------
        proba : bool, default=True
            Whether to join the out-of-fold probabilities.

        issues_only : bool, default=False
            Keep only the flagged rows, sorted by ``label_quality`` (the most
            likely wrong first; ties keep the input order).

        Returns
        -------
        report : pandas.DataFrame of shape (n_rows, 10 + n_classes)
            One row per input row (or flagged row), indexed like
            ``label_issues_report_``.

        Examples
        --------
        >>> import numpy as np
        >>> from sklearn.datasets import load_iris
        >>> from sklabels.noise import ConfidentLearningFilter
        >>> X, y = load_iris(return_X_y=True)
        >>> names = np.array(["setosa", "versicolor", "virginica"])[y]
        >>> names[[5, 55]] = ["versicolor", "virginica"]  # two wrong labels
        >>> flt = ConfidentLearningFilter(random_state=0).fit(X, names)
        >>> issues = flt.report(issues_only=True)
        >>> issues[["given_label", "proba_setosa", "proba_versicolor",
        ...         "proba_virginica"]].round(2)
           given_label  proba_setosa  proba_versicolor  proba_virginica
        5   versicolor          0.96              0.04             0.00
        55   virginica          0.01              0.85             0.15
        83  versicolor          0.00              0.29             0.71
        >>> issues[["runner_up_label", "margin", "noise_cell", "noise_rate"]].round(2)
           runner_up_label  margin               noise_cell  noise_rate
        5           setosa   -0.92     versicolor -> setosa        0.04
        55      versicolor   -0.70  virginica -> versicolor        0.02
        83       virginica   -0.41     versicolor -> setosa        0.04

        Row 83 is flagged as the second of the two versicolor labels
        estimated to be setosas (the versicolor row with the second largest
        ``p[setosa] - p[versicolor]``), although the model prefers
        virginica for it.
        """
        check_is_fitted(self)
        table = self.label_issues_report_
        if proba:
            columns = [f"proba_{label}" for label in self.classes_.tolist()]
            # by position: the index of y may repeat labels
            table = table.assign(**dict(zip(columns, self.pred_probs_.T, strict=True)))
        else:
            table = table.copy()
        if issues_only:
            table = table[table["is_label_issue"].to_numpy()]
            table = table.sort_values("label_quality", kind="stable")
        return table

    def _splits(self, X, y, codes, classes, split_params):
        """Train/test index pairs whose test parts partition the rows.

        Also returns the rows borrowed into training folds that lacked their
        class (see ``_complete_training_folds``).
        """
        n_samples = codes.size
        counts = np.bincount(codes, minlength=classes.size)
        if counts.max() < 2:
            raise ValueError(
                f"Every class of y has a single row ({n_samples} rows, "
                f"{classes.size} classes): no row can be held out of a fold "
                "while its class is still learned, so there are no out-of-fold "
                f"probabilities to find label issues with (cv={self.cv!r}). "
                "Give at least two rows for the classes whose labels are to be "
                "checked."
            )
        n_folds = self._n_folds()
        if n_folds is not None:
            if n_folds > n_samples:
                raise ValueError(
                    f"cv={self.cv!r} is larger than the number of samples "
                    f"({n_samples}): every fold needs at least one row. Use "
                    f"cv <= {n_samples}."
                )
            n_splits = self._n_splits(counts, classes, n_folds)
            cv = stratified_folds(n_splits, self.random_state)
            with warnings.catch_warnings():
                # rare classes are reported by _n_splits
                warnings.filterwarnings(
                    "ignore", message="The least populated class", category=UserWarning
                )
                splits = list(cv.split(np.zeros((n_samples, 1)), codes))
        else:
            cv = check_cv(self.cv, y, classifier=True)
            splits = list(cv.split(X, y, **split_params))
            check_partition(splits, n_samples, self.cv, "probabilities")
        splits, borrowed = _complete_training_folds(splits, codes, classes.size)
        if borrowed.size and split_params.get("groups") is not None:
            lacking = classes[np.unique(codes[borrowed])]
            warn_once(
                f"Some training folds lack class(es) {lacking.tolist()!r}: one "
                "held-out row of each was added to training, so the other rows "
                "of its group in that test fold are scored by a model that saw "
                "it. Give these classes rows in more groups, or use fewer "
                "folds (e.g. StratifiedGroupKFold).",
                UserWarning,
                stacklevel=6,
            )
        return splits, borrowed

    def _n_splits(self, counts, classes, n_folds):
        """The number of folds for an int ``cv``, and the warnings it needs."""
        smallest = int(counts.min())
        n_splits = n_folds
        if smallest < n_folds:
            n_splits = max(2, smallest)
            rare = classes[counts < n_folds]
            warn_once(
                f"{rare.size} class(es) of y have fewer rows than cv={n_folds} "
                f"folds (smallest: {classes[counts.argmin()].item()!r} with "
                f"{smallest} row(s)): using {n_splits} folds instead.",
                UserWarning,
                stacklevel=7,
            )
        single = classes[counts == 1]
        if single.size:
            warn_once(
                f"Class(es) {single.tolist()!r} of y have a single row, which "
                "cannot be held out: those rows are never flagged (their "
                "pred_probs_ rows give probability 1 to their label).",
                UserWarning,
                stacklevel=7,
            )
        return n_splits

    def _out_of_fold_proba(self, estimator, X, y, splits, encoder, fit_params):
        """(n_samples, n_classes) probabilities, columns in ``classes_`` order."""
        results = cross_fit(
            fit_predict_fold,
            (
                (clone(estimator), X, y, train, test, fit_params)
                for train, test in splits
            ),
            n_jobs=self.n_jobs,
            progress=Progress(self, self.verbose),
        )
        pred_probs = np.zeros((len(y), encoder.classes_.size))
        for (_, test), (proba, fold_classes) in zip(splits, results, strict=True):
            columns = np.asarray(encoder.transform(fold_classes), dtype=np.intp)
            pred_probs[np.ix_(test, columns)] = proba
        return check_finite_proba(
            pred_probs, estimator, purpose="label issues cannot be found with them"
        )

    def get_metadata_routing(self):
        """Get metadata routing of this object.

        ``fit_resample`` (and ``fit``) route metadata to ``estimator.fit``
        and to ``cv.split`` (a ``StratifiedKFold`` for an int ``cv``).

        Returns
        -------
        routing : MetadataRouter
            A :class:`~sklearn.utils.metadata_routing.MetadataRouter`
            encapsulating routing information.
        """
        splitter = StratifiedKFold() if self._n_folds() is not None else self.cv
        return fold_metadata_router(self, splitter)

    def __sklearn_tags__(self):
        return inherit_input_tags(
            super().__sklearn_tags__(),
            self._make_estimator(),
            ("sparse", "allow_nan", "string"),
        )


# --------------------------------------------------------------------------
# ConfidentLearningClassifier
# --------------------------------------------------------------------------


class ConfidentLearningClassifier(
    DocLinkMixin, MetaEstimatorMixin, ClassifierMixin, BaseEstimator
):
    """Fit a classifier on the rows that confident learning does not flag.

    ``fit(X, y)`` runs a :class:`ConfidentLearningFilter` (by default one
    that scores the labels with a clone of ``estimator`` itself), then fits a
    clone of ``estimator`` on the rows it returns: the rows without label
    issues, or every row with the flagged labels replaced, for
    ``action="relabel"``. This is cleanlab's ``CleanLearning`` as a
    scikit-learn meta-estimator: ``estimator__C`` and ``filter__method`` can
    be tuned with :class:`~sklearn.model_selection.GridSearchCV`.

    Read more in the :ref:`User Guide <noise>`.

    Parameters
    ----------
    estimator : estimator object
        Classifier fitted on the cleaned data.

    filter : ConfidentLearningFilter, default=None
        The filter, cloned in ``fit``. None means
        ``ConfidentLearningFilter(estimator=clone(estimator),
        random_state=random_state)``, which needs ``estimator`` to have
        ``predict_proba``; pass a filter with another estimator (or other
        folds, method, action) to change that.

    random_state : int, RandomState instance or None, default=None
        Seeds the filter's folds: given to the default filter, and to a
        given ``filter`` whose own ``random_state`` is None (a filter's own
        int or RandomState is kept). None leaves the filter's folds
        unshuffled, the same on every fit. It does not seed ``estimator``.

    verbose : int, default=0
        Progress on stderr, given to the default filter and to a given
        ``filter`` whose own ``verbose`` is 0 (see
        :class:`ConfidentLearningFilter`); 1 or more also reports the final
        fit.

    Attributes
    ----------
    estimator_ : estimator object
        The classifier fitted on the rows the filter returned.

    filter_ : ConfidentLearningFilter
        The fitted filter; its ``label_issues_report_`` says what was done
        with each training row.

    label_issues_ : ndarray of shape (n_samples,), dtype=bool
        Which training rows have a label issue.

    classes_ : ndarray of shape (n_classes,)
        The classes of the training labels, sorted; ``predict_proba`` has one
        column per entry (0 for a class the filter left without rows).

    n_features_in_ : int
        Number of features seen during fit.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during fit, when X has string column names.

    See Also
    --------
    ConfidentLearningFilter : The filter alone, as a pipeline step.

    Notes
    -----
    Without metadata routing, ``fit(X, y, sample_weight=w, groups=g)``
    gives ``w`` to the filter (its fold models are fitted with the weights
    of their training rows) and to the final ``estimator``, restricted to
    the rows the filter kept, and ``g`` to the filter's splitter (so
    ``filter`` must then have a group splitter as ``cv``, e.g.
    ``ConfidentLearningFilter(cv=GroupKFold(5))``). Other fit parameters go
    to the final ``estimator`` only, restricted to the kept rows. With
    metadata routing enabled, metadata go where they are requested: to the
    final ``estimator`` and the default filter's fold models after
    ``estimator.set_fit_request(sample_weight=True)``, to the filter's
    splitter when it requests them (group splitters request ``groups``).

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklabels.noise import (
    ...     ConfidentLearningClassifier, ConfidentLearningFilter)
    >>> X, y = load_iris(return_X_y=True)
    >>> y_noisy = y.copy()
    >>> y_noisy[[5, 55, 105]] = [1, 2, 0]
    >>> clf = ConfidentLearningClassifier(
    ...     LogisticRegression(max_iter=1000),
    ...     filter=ConfidentLearningFilter(random_state=0),
    ... ).fit(X, y_noisy)
    >>> int(clf.label_issues_.sum())
    4
    >>> clf.predict(X[[5, 55, 105]])
    array([0, 1, 2])
    """

    _parameter_constraints: dict = {
        "estimator": [HasMethods(["fit", "predict"])],
        "filter": [ConfidentLearningFilter, None],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }

    def __init__(self, estimator, *, filter=None, random_state=None, verbose=0):
        self.estimator = estimator
        self.filter = filter
        self.random_state = random_state
        self.verbose = verbose

    def _make_filter(self):
        if self.filter is not None:
            filter_ = clone(self.filter)
            if self.random_state is not None and filter_.random_state is None:
                filter_.set_params(random_state=self.random_state)
            if self.verbose and not filter_.verbose:
                filter_.set_params(verbose=self.verbose)
            return filter_
        if not hasattr(self.estimator, "predict_proba"):
            raise TypeError(
                f"With filter=None, {type(self).__name__} finds label issues "
                f"with the probabilities of estimator={self.estimator!r}, which "
                "has no predict_proba. Pass filter=ConfidentLearningFilter("
                "estimator=...) with a probabilistic classifier."
            )
        return ConfidentLearningFilter(
            estimator=clone(self.estimator),
            random_state=self.random_state,
            verbose=self.verbose,
        )

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y, **fit_params):
        """Filter the training data, then fit the classifier on the rest.

        Parameters
        ----------
        X : {array-like, dataframe, sparse matrix} of shape (n_samples, n_features)
            Training data.

        y : array-like of shape (n_samples,)
            Given (possibly noisy) labels.

        **fit_params : dict
            ``sample_weight`` goes to the filter and to ``estimator.fit``,
            ``groups`` to the filter's splitter, anything else to
            ``estimator.fit``; the final fit gets them restricted to the rows
            kept. With metadata routing enabled, they are routed as
            requested instead (see Notes).

        Returns
        -------
        self : object
            Fitted estimator.
        """
        check_missing_labels(y)
        check_classification_y(self, y)
        self.filter_ = self._make_filter()
        if _routing_enabled():
            routed = process_routing(self, "fit", **fit_params)
            filter_params = routed.filter.fit_resample
            fit_params = routed.estimator.fit
        else:
            filter_params = {
                key: fit_params[key]
                for key in ("sample_weight", "groups")
                if fit_params.get(key) is not None
            }
            fit_params = {k: v for k, v in fit_params.items() if k != "groups"}
        X_res, y_res = self.filter_.fit_resample(X, y, **filter_params)
        fit_params = _check_method_params(
            X, fit_params, indices=self.filter_.sample_indices_
        )
        progress = Progress(self, self.verbose)
        progress.stage(f"fitting the estimator on {_num_samples(X_res)} rows")
        self.estimator_ = clone(self.estimator).fit(X_res, y_res, **fit_params)
        progress.done("fitted")
        self.classes_ = self.filter_.classes_
        self.label_issues_ = self.filter_.label_issues_
        copy_input_attributes(self, self.estimator_)
        return self

    def _to_all_classes(self, values, fill):
        """Columns of the fitted classes, spread over every class of ``y``."""
        seen = np.asarray(self.estimator_.classes_)
        if seen.size == self.classes_.size:
            return values
        columns = pd.Index(self.classes_).get_indexer(seen)
        return spread_columns(values, columns, self.classes_.size, fill)

    def predict(self, X):
        """Predict with the classifier fitted on the cleaned data.

        Parameters
        ----------
        X : {array-like, dataframe, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            Predicted classes.
        """
        check_is_fitted(self)
        return self.estimator_.predict(X)

    @available_if(estimator_has("predict_proba"))
    def predict_proba(self, X):
        """Class probabilities, one column per entry of ``classes_``.

        Parameters
        ----------
        X : {array-like, dataframe, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Rows sum to 1.
        """
        check_is_fitted(self)
        return self._to_all_classes(self.estimator_.predict_proba(X), 0.0)

    @available_if(estimator_has("predict_log_proba"))
    def predict_log_proba(self, X):
        """Log of ``predict_proba``.

        Parameters
        ----------
        X : {array-like, dataframe, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
            Log-probabilities.
        """
        check_is_fitted(self)
        return self._to_all_classes(self.estimator_.predict_log_proba(X), -np.inf)

    @available_if(estimator_has("decision_function"))
    def decision_function(self, X):
        """Decision function of the classifier fitted on the cleaned data.

        Parameters
        ----------
        X : {array-like, dataframe, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        scores : ndarray of shape (n_samples,) or (n_samples, n_classes)
            Scores; with more than two columns, classes the filter left
            without rows get ``-inf``.
        """
        check_is_fitted(self)
        scores = self.estimator_.decision_function(X)
        return scores if scores.ndim == 1 else self._to_all_classes(scores, -np.inf)

    def get_metadata_routing(self):
        """Get metadata routing of this object.

        Returns
        -------
        routing : MetadataRouter
            A :class:`~sklearn.utils.metadata_routing.MetadataRouter`
            encapsulating routing information.
        """
        router = MetadataRouter(owner=self).add(
            estimator=self.estimator,
            method_mapping=MethodMapping().add(caller="fit", callee="fit"),
        )
        if self.filter is not None or hasattr(self.estimator, "predict_proba"):
            router.add(
                filter=self._make_filter(),
                method_mapping=MethodMapping().add(caller="fit", callee="fit_resample"),
            )
        return router

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        inner = get_tags(self.estimator).input_tags
        filter_ = self.filter
        if filter_ is None and hasattr(self.estimator, "predict_proba"):
            filter_ = ConfidentLearningFilter(estimator=self.estimator)
        outer = get_tags(filter_).input_tags if filter_ is not None else inner
        tags.input_tags.sparse = inner.sparse and outer.sparse
        tags.input_tags.allow_nan = inner.allow_nan and outer.allow_nan
        tags.input_tags.string = inner.string and outer.string
        return tags
