"""Pseudo-labelling: self-training that re-evaluates its labels.

The numerical kernels at the top trust their input (1-D numpy arrays of equal
length); :class:`PseudoLabelClassifier` validates once in ``fit`` and calls
them.
"""

from numbers import Integral, Real

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.optimize import minimize_scalar
from scipy.special import log_softmax, softmax
from sklearn.base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin, clone
from sklearn.model_selection import check_cv
from sklearn.utils.metaestimators import available_if

from sklabels.encoding import LabelEncoder
from sklabels.semi_supervised._validation import (
    check_n_rows,
    labeled_score_rows,
    unlabeled_mask,
)
from sklabels.utils._compat import (
    HasMethods,
    Interval,
    StrOptions,
    _check_sample_weight,
    _fit_context,
    _safe_indexing,
    check_is_fitted,
)
from sklabels.utils._cv import cross_fit, stratified_folds
from sklabels.utils._delegation import delegated_method, inherit_input_tags
from sklabels.utils._doc_link import DocLinkMixin
from sklabels.utils._docstrings import fill_doc
from sklabels.utils._metaestimators import (
    check_classification_y,
    check_sample_weight_support,
    copy_input_attributes,
    estimator_has,
    sample_weight_fit_params,
)
from sklabels.utils._progress import Progress, warn_once
from sklabels.utils._validation import check_finite_proba, check_labels

__all__ = ["PseudoLabelClassifier"]

# Temperature scaling may sharpen probabilities at most 4 times (in log space)
# and soften them at most 20 times: a perfect out-of-fold record on a handful
# of labeled rows must not make every prediction look certain.
_TEMPERATURE_BOUNDS = (0.25, 20.0)
_EPS = 1e-12
_NO_SELECTION = "pseudo-labels cannot be selected on them"


# ---------------------------------------------------------------------------
# kernels
# ---------------------------------------------------------------------------


def _fit_temperature(proba, codes, sample_weight):
    """Temperature minimising the weighted log-loss of ``proba ** (1 / T)``."""
    log_p = np.log(np.clip(proba, _EPS, 1.0))
    rows = np.arange(codes.size)

    def nll(log_t):
        z = log_softmax(log_p / np.exp(log_t), axis=1)
        return -np.average(z[rows, codes], weights=sample_weight)

    low, high = np.log(_TEMPERATURE_BOUNDS)
    result = minimize_scalar(nll, bounds=(low, high), method="bounded")
    return float(np.exp(result.x))


def _apply_temperature(proba, temperature):
    if temperature == 1.0:
        return proba
    return softmax(np.log(np.clip(proba, _EPS, 1.0)) / temperature, axis=1)


def _rank_in_class(mask, conf, pred):
    """Rank of each masked row among masked rows of its predicted class.

    0 is the most confident row of its class; rows outside ``mask`` get a
    rank larger than any quota. Ties keep the row order.
    """
    rank = np.full(conf.shape[0], np.iinfo(np.intp).max, dtype=np.intp)
    rows = np.flatnonzero(mask)
    order = rows[np.lexsort((-conf[rows], pred[rows]))]
    classes = pred[order]
    first = np.searchsorted(classes, classes, side="left")
    rank[order] = np.arange(order.size) - first
    return rank


def _top(mask, conf, n):
    """Mask of the ``n`` most confident rows among ``mask``."""
    rows = np.flatnonzero(mask)
    keep = np.zeros(conf.shape[0], dtype=bool)
    if n > 0:
        keep[rows[np.argsort(-conf[rows], kind="stable")[:n]]] = True
    return keep


def _select_threshold(candidates, conf, pred, *, threshold, budget, prior):
    return candidates & (conf >= threshold)


def _select_k_best(candidates, conf, pred, *, threshold, budget, prior):
    return _top(candidates, conf, budget)


def _select_class_balanced(candidates, conf, pred, *, threshold, budget, prior):
    quota = np.maximum(1, np.round(prior * budget)).astype(np.intp)
    return candidates & (_rank_in_class(candidates, conf, pred) < quota[pred])


_CRITERIA = {
    "threshold": _select_threshold,
    "k_best": _select_k_best,
    "class_balanced": _select_class_balanced,
}


def cap_to_prior(selected, conf, pred, prior, kept=None):
    """Drop the least confident rows of classes above their prior share.

    Each class keeps at most ``ceil(prior[k] * n)`` of the ``n`` selected rows
    (rows in ``kept`` always stay and count towards their class's share).
    """
    if kept is None:
        kept = np.zeros_like(selected)
    new = selected & ~kept
    n_total = int(selected.sum())
    allowed = np.ceil(prior * n_total - 1e-9).astype(np.intp)
    allowed -= np.bincount(pred[kept], minlength=prior.size)
    return kept | (new & (_rank_in_class(new, conf, pred) < allowed[pred]))


def _no_better_than_chance(oof_proba, codes, sample_weight, labeled):
    """Whether out-of-fold accuracy is at most the majority-class rate."""
    weights = None if sample_weight is None else sample_weight[labeled]
    accuracy = np.average(oof_proba.argmax(axis=1) == codes, weights=weights)
    class_weight = np.bincount(codes, weights=weights, minlength=oof_proba.shape[1])
    return accuracy <= class_weight.max() / class_weight.sum()


def _weight_schedule(pseudo_label_weight):
    """``(final weight, number of ramp rounds)`` from the parameter."""
    if not isinstance(pseudo_label_weight, tuple):
        return float(pseudo_label_weight), 0
    if not (
        len(pseudo_label_weight) == 2
        and isinstance(pseudo_label_weight[0], Real)
        and not isinstance(pseudo_label_weight[0], bool)
        and pseudo_label_weight[0] > 0
        and isinstance(pseudo_label_weight[1], Integral)
        and not isinstance(pseudo_label_weight[1], bool)
        and pseudo_label_weight[1] >= 1
    ):
        raise ValueError(
            "pseudo_label_weight must be a positive float or a pair (final "
            "weight > 0, number of ramp rounds >= 1) such as (1.0, 5); got "
            f"{pseudo_label_weight!r}."
        )
    return float(pseudo_label_weight[0]), int(pseudo_label_weight[1])


def _fit_fold(estimator, X, y, sample_weight, train, test, classes_index):
    """Fit on ``train``, return class probabilities of ``test`` rows."""
    weights = None if sample_weight is None else sample_weight[train]
    estimator.fit(
        _safe_indexing(X, train),
        y[train],
        **sample_weight_fit_params(estimator, weights),
    )
    proba = estimator.predict_proba(_safe_indexing(X, test))
    full = np.zeros((test.size, len(classes_index)))
    full[:, classes_index.get_indexer(estimator.classes_)] = proba
    return full


def _training_set(y_fit, labeled, pseudo_rows, pseudo_labels, sample_weight, weight):
    """Rows (sorted), weights (or None) and targets of a pseudo-labelled fit."""
    rows = np.concatenate([labeled, pseudo_rows])
    order = np.argsort(rows, kind="stable")
    targets = np.concatenate([y_fit[labeled], pseudo_labels])[order]
    weights = None
    if sample_weight is not None or weight != 1.0:
        labeled_weight = (
            np.ones(labeled.size) if sample_weight is None else sample_weight[labeled]
        )
        weights = np.concatenate([labeled_weight, np.full(pseudo_rows.size, weight)])
        weights = weights[order]
    return rows[order], weights, targets


def _fit_predict_fold(estimator, X, training_set, test):
    """Fit on a training set from ``_training_set``, predict the ``test`` rows."""
    rows, weights, targets = training_set
    estimator.fit(
        _safe_indexing(X, rows), targets, **sample_weight_fit_params(estimator, weights)
    )
    return np.asarray(estimator.predict(_safe_indexing(X, test)))


# ---------------------------------------------------------------------------
# the estimator
# ---------------------------------------------------------------------------


@fill_doc
class PseudoLabelClassifier(
    DocLinkMixin, MetaEstimatorMixin, ClassifierMixin, BaseEstimator
):
    """Semi-supervised pseudo-labelling around any probabilistic classifier.

    Rows whose label is ``unlabeled`` (-1 by default; None or NaN always) are
    unlabeled. The classifier is fitted on the labeled rows, predicts the
    unlabeled ones, and is refitted on the labeled rows plus the predictions
    it is sure of (the *pseudo-labels*, Lee 2013), until they stop changing.
    Unlike :class:`~sklearn.semi_supervised.SelfTrainingClassifier`, every
    pseudo-label is re-evaluated at each round (a label that lost its
    confidence is withdrawn, one that changed class is updated) unless
    ``freeze=True``, and two safeguards against confirmation bias are on by
    default:

    - **calibrated confidence** (``calibration``): the classifier is
      cross-fitted on the labeled rows; a temperature fitted to its
      out-of-fold probabilities rescales the probabilities that ``threshold``
      is compared with, whatever the classifier, and when the out-of-fold
      accuracy is no better than always predicting the majority class, no
      row is pseudo-labelled (``termination_condition_ == "chance_level"``);
    - **class balance** (``balance``): no class takes more than its labeled
      share of the pseudo-labels.

    With no unlabeled row, the result is the wrapped classifier fitted on
    ``X, y``, exactly.

    Read more in the :ref:`User Guide <semi_supervised>`.

    Parameters
    ----------
    estimator : estimator object
        A classifier with ``predict_proba``. It is cloned; with
        ``pseudo_label_weight`` other than 1 or with ``sample_weight``, its
        ``fit`` must accept ``sample_weight``.

    threshold : float, default=0.95
        With ``criterion="threshold"``, an unlabeled row is pseudo-labelled
        when its (calibrated) top class probability is at least
        ``threshold``. In (0, 1].

    criterion : {"threshold", "k_best", "class_balanced"}, default="threshold"
        How rows are selected at each round. "threshold": every row whose
        probability reaches ``threshold``. "k_best": the ``k_best`` most
        confident rows per round (``k_best * r`` in all at round ``r`` when
        pseudo-labels are re-evaluated). "class_balanced": like "k_best",
        but the rows are shared between the predicted classes in proportion
        to the labeled class prior (at least one per class), so that no class
        swamps the rest.

    k_best : int, default=10
        Rows added per round by "k_best" and "class_balanced". At least 1.

    max_iter : int or None, default=10
        Maximum number of fits of the estimator (the first, on the labeled
        rows alone, counts); None means until the pseudo-labels stop
        changing. At least 1; ``max_iter=1`` is the supervised model.

    pseudo_label_weight : float or tuple of (float, int), default=1.0
        ``sample_weight`` of the pseudo-labelled rows (labeled rows weigh 1,
        times their ``sample_weight``). A pair ``(final, n_ramp)`` is Lee's
        schedule: at the ``r``-th refit the weight is
        ``final * min(1, r / n_ramp)``, growing from 0 (the supervised fit)
        to ``final``.

    %(unlabeled)s

    freeze : bool, default=False
        Keep every pseudo-label once given, as
        :class:`~sklearn.semi_supervised.SelfTrainingClassifier` does,
        instead of re-evaluating it at each round.

    calibration : {"temperature"} or None, default="temperature"
        "temperature": fit one temperature ``T`` to the out-of-fold
        probabilities of the labeled rows (``cv`` folds) and select on
        ``softmax(log(p) / T)``, with ``T`` in [0.25, 20]; skip
        pseudo-labelling when the out-of-fold accuracy is no better than
        predicting the majority class. None: select on the classifier's
        probabilities as they are.

    balance : bool, default=True
        Cap each class's pseudo-labels at its labeled share of all selected
        rows (``ceil(prior[k] * n_selected)``), dropping its least confident
        ones. Applies to "threshold" and "k_best".

    rollback : bool, default=False
        After the last round, compare on the ``cv`` folds of the labeled rows
        the model trained with the pseudo-labels and the one trained without;
        if the former is less accurate on the held-out rows, keep the latter
        (``termination_condition_ == "rolled_back"``). Costs ``cv`` extra
        fits on the whole training set. The pseudo-labels were predicted by a
        model that saw the held-out rows, so the check is optimistic.

    tol : float, default=0.02
        With ``criterion="threshold"``, stop when at most
        ``tol * n_unlabeled`` pseudo-labels changed (added, withdrawn or
        relabelled) in a round; the other criteria stop when none did. In
        [0, 1].

    cv : int, default=5
        Folds (stratified) of the cross-fitting on the labeled rows used by
        ``calibration`` and ``rollback``; lowered to the size of the smallest
        labeled class. At least 2.

    n_jobs : int, default=None
        Folds fitted in parallel.
        %(joblib_context)s

    random_state : int, RandomState instance or None, default=None
        Shuffles the rows before they are split into folds. Pass an int for
        reproducible results.

    verbose : int, default=0
        Progress on stderr: 0 says nothing, 1 a line per round (rows
        pseudo-labelled, weight) and per decision (chance level, rollback),
        2 also each fold of the cross-fitting on the labeled rows.

    Attributes
    ----------
    estimator_ : estimator object
        The classifier fitted on the labeled rows and the final pseudo-labels.

    classes_ : ndarray of shape (n_classes,)
        The labeled classes, sorted.

    transduction_ : ndarray of shape (n_samples,)
        Labels of the final fit: the given labels, the pseudo-labels, and the
        unlabeled marker of ``y`` for rows left without one.

    labeled_iter_ : ndarray of shape (n_samples,)
        Round whose model gave each row its final pseudo-label (the first fit
        is round 1); 0 for labeled rows, -1 for rows without a pseudo-label.

    n_iter_ : int
        Number of fits of the estimator on the training set (at least 1).

    termination_condition_ : {"max_iter", "no_change", "all_labeled", \
"none_selected", "chance_level", "rolled_back"}
        Why fitting stopped: ``max_iter`` fits reached; the pseudo-labels
        stopped changing (within ``tol``) with some rows left unlabeled, or
        with every row pseudo-labelled (or there was no unlabeled row); no row
        passed the selection; the out-of-fold accuracy was at chance level;
        ``rollback`` restored the supervised model. In the last three cases
        the final model is the one fitted on the labeled rows alone.

    temperature_ : float
        Temperature applied to the probabilities before selection (1.0 when
        not calibrated).

    n_features_in_ : int
        Number of features seen during fit.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during fit, when X has string column names.

    See Also
    --------
    sklearn.semi_supervised.SelfTrainingClassifier : Frozen pseudo-labels,
        no calibration.
    sklearn.semi_supervised.LabelSpreading : Graph-based transduction.
    LabeledKFold : Cross-validation whose test folds hold labeled rows only,
        for ``cross_val_score`` and ``GridSearchCV`` with any scoring string.
    make_labeled_scorer : Score only the labeled rows of other splitters'
        test folds.

    Notes
    -----
    To cross-validate it (``cross_val_score``, ``GridSearchCV``), pass
    ``cv=LabeledKFold(...)``: with a plain ``KFold`` the test folds hold
    unlabeled rows, and a scoring string such as ``"f1_macro"`` compares the
    predictions with the unlabeled marker; the model cannot tell, as it never
    sees the labels it is scored against. Only the default scorer,
    :meth:`score`, skips those rows by itself.

    Cost: ``cv`` fits on subsets of the labeled rows (for ``calibration``),
    then one fit per round on the labeled and pseudo-labelled rows; rounds
    stop when the pseudo-labels settle, usually after 3 to 5 fits.

    References
    ----------
    .. [1] D.-H. Lee, "Pseudo-Label: The simple and efficient semi-supervised
       learning method for deep neural networks", ICML Workshop on
       Challenges in Representation Learning, 2013.
    .. [2] Y. Grandvalet and Y. Bengio, "Semi-supervised learning by entropy
       minimization", NeurIPS 2005.
    .. [3] E. Arazo et al., "Pseudo-labeling and confirmation bias in deep
       semi-supervised learning", IJCNN 2020.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklabels.semi_supervised import PseudoLabelClassifier
    >>> X, y = load_iris(return_X_y=True)
    >>> y_partial = np.where(np.arange(150) % 10 == 0, y, -1)  # 15 labels
    >>> clf = PseudoLabelClassifier(LogisticRegression(), random_state=0)
    >>> clf.fit(X, y_partial).termination_condition_
    'no_change'
    >>> int((clf.labeled_iter_ > 0).sum())  # unlabeled rows given a pseudo-label
    91
    >>> clf.transduction_[:3]  # labeled row 0, then pseudo-labels
    array([0, 0, 0])
    >>> round(clf.score(X, y), 2)
    0.89
    """

    _parameter_constraints: dict = {
        "estimator": [HasMethods(["fit", "predict"])],
        "threshold": [Interval(Real, 0, 1, closed="right")],
        "criterion": [StrOptions(set(_CRITERIA))],
        "k_best": [Interval(Integral, 1, None, closed="left")],
        "max_iter": [Interval(Integral, 1, None, closed="left"), None],
        "pseudo_label_weight": [Interval(Real, 0, None, closed="neither"), tuple],
        "unlabeled": [Real, str, None],
        "freeze": ["boolean"],
        "calibration": [StrOptions({"temperature"}), None],
        "balance": ["boolean"],
        "rollback": ["boolean"],
        "tol": [Interval(Real, 0, 1, closed="both")],
        "cv": ["cv_object"],
        "n_jobs": [Integral, None],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        estimator,
        *,
        threshold=0.95,
        criterion="threshold",
        k_best=10,
        max_iter=10,
        pseudo_label_weight=1.0,
        unlabeled=-1,
        freeze=False,
        calibration="temperature",
        balance=True,
        rollback=False,
        tol=0.02,
        cv=5,
        n_jobs=None,
        random_state=None,
        verbose=0,
    ):
        self.estimator = estimator
        self.threshold = threshold
        self.criterion = criterion
        self.k_best = k_best
        self.max_iter = max_iter
        self.pseudo_label_weight = pseudo_label_weight
        self.unlabeled = unlabeled
        self.freeze = freeze
        self.calibration = calibration
        self.balance = balance
        self.rollback = rollback
        self.tol = tol
        self.cv = cv
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.verbose = verbose

    # -- fit -----------------------------------------------------------------

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y, sample_weight=None):
        """Fit on labeled rows, then on them and the pseudo-labels.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data, labeled and unlabeled rows; passed to the
            estimator as it is (rows selected with ``_safe_indexing``).

        y : array-like of shape (n_samples,)
            Labels, with ``unlabeled`` (or None / NaN) for unlabeled rows.

        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the labeled rows (those of unlabeled rows are ignored;
            pseudo-labelled rows weigh ``pseudo_label_weight``).

        Returns
        -------
        self : object
            Fitted estimator.
        """
        if not hasattr(self.estimator, "predict_proba"):
            raise TypeError(
                f"PseudoLabelClassifier needs an estimator with predict_proba to "
                f"rank the unlabeled rows; {self.estimator!r} has none. Wrap it "
                "in sklearn.calibration.CalibratedClassifierCV, e.g. "
                "CalibratedClassifierCV(SVC(), ensemble=False)."
            )
        final_weight, n_ramp = _weight_schedule(self.pseudo_label_weight)
        check_classification_y(self, y)
        values, missing = check_labels(y, allow_missing=True)
        n_samples = check_n_rows(X, values.shape[0])
        if sparse.issparse(X) and X.format not in ("csr", "csc"):
            X_rows = X.tocsr()
        elif not (sparse.issparse(X) or hasattr(X, "iloc")) and not isinstance(
            X, np.ndarray
        ):
            X_rows = np.asarray(X)
        else:
            X_rows = X
        if sample_weight is not None:
            sample_weight = _check_sample_weight(
                sample_weight, np.empty((n_samples, 0))
            )

        is_unlabeled = unlabeled_mask(values, missing, self.unlabeled)
        labeled = np.flatnonzero(~is_unlabeled)
        unlabeled = np.flatnonzero(is_unlabeled)
        self._check_labeled_classes(values, labeled)
        self._check_sample_weight_support(
            sample_weight, unlabeled.size > 0 and (final_weight != 1.0 or n_ramp > 0)
        )
        encoder = LabelEncoder()
        # labels of the labeled rows, typed (an object array of ints with None
        # markers becomes ints): what the estimator is fitted on
        codes = np.asarray(encoder.fit_transform(check_labels(values[labeled])[0]))
        self.classes_ = encoder.classes_
        all_codes = np.zeros(n_samples, dtype=np.intp)  # 0: placeholder
        all_codes[labeled] = codes
        y_fit = self.classes_[all_codes]
        prior = np.bincount(codes, minlength=self.classes_.size) / codes.size

        self.labeled_iter_ = np.full(n_samples, -1, dtype=np.intp)
        self.labeled_iter_[labeled] = 0
        self.transduction_ = values.copy()
        self.temperature_ = 1.0
        self.n_iter_ = 1

        if unlabeled.size == 0:
            # nothing to pseudo-label: the wrapped classifier, exactly
            self.estimator_ = clone(self.estimator).fit(
                X, values, **sample_weight_fit_params(self.estimator, sample_weight)
            )
            self.termination_condition_ = "all_labeled"
            copy_input_attributes(self, self.estimator_)
            return self

        oof = None
        if self.calibration is not None or self.rollback:
            oof = self._cross_fit(X_rows, y_fit, labeled, codes, sample_weight)
        if oof is not None and self.calibration == "temperature":
            weights = None if sample_weight is None else sample_weight[labeled]
            self.temperature_ = _fit_temperature(oof[0], codes, weights)

        supervised = self._fit_rows(X_rows, y_fit, labeled, sample_weight)
        self.estimator_ = supervised
        if oof is not None and _no_better_than_chance(
            oof[0], codes, sample_weight, labeled
        ):
            self.termination_condition_ = "chance_level"
            Progress(self, self.verbose).stage(
                "no pseudo-labels: out of fold, the classifier is no more "
                "accurate on the labeled rows than predicting the majority class"
            )
            copy_input_attributes(self, self.estimator_)
            return self
        self._pseudo_label(
            X_rows,
            y_fit,
            labeled,
            unlabeled,
            prior,
            sample_weight,
            final_weight,
            n_ramp,
        )
        if (
            self.rollback
            and oof is not None
            and self._worse_than_supervised(
                X_rows, y_fit, labeled, unlabeled, codes, sample_weight, oof
            )
        ):
            self.estimator_ = supervised
            self.transduction_[unlabeled] = values[unlabeled]
            self.labeled_iter_[unlabeled] = -1
            self.termination_condition_ = "rolled_back"
            Progress(self, self.verbose).stage(
                "rolled back: the pseudo-labels lowered held-out accuracy"
            )
        copy_input_attributes(self, self.estimator_)
        return self

    def _check_labeled_classes(self, values, labeled):
        if labeled.size == 0:
            raise ValueError(
                f"y has no labeled row: all {values.shape[0]} rows are marked "
                f"unlabeled (unlabeled={self.unlabeled!r}, None or NaN). Label at "
                "least one row of each of two classes."
            )
        first = values[labeled[0]]
        shown = first.item() if isinstance(first, np.generic) else first
        if np.all(values[labeled] == first):
            raise ValueError(
                f"y has labeled rows of one class only ({shown!r}); a classifier "
                "needs labeled rows of at least two classes. If that value marks "
                f"unlabeled rows, set unlabeled={shown!r}."
            )

    def _check_sample_weight_support(self, sample_weight, weighted_pseudo_labels):
        """Refuse, before any fit, weights the estimator's ``fit`` cannot take.

        Weights are passed to the estimator only when they are needed: when
        ``sample_weight`` is given, or when pseudo-labelled rows weigh other
        than 1 (``pseudo_label_weight``, with unlabeled rows to label).
        """
        if sample_weight is None and not weighted_pseudo_labels:
            return
        if sample_weight is not None:
            why = "sample_weight was passed to fit"
            fix = "fit without sample_weight"
        else:
            why = (
                f"pseudo_label_weight={self.pseudo_label_weight!r} weighs the "
                "pseudo-labelled rows"
            )
            fix = "set pseudo_label_weight=1.0 (the default)"
        check_sample_weight_support(self.estimator, why=why, fix=fix)

    def _fit_rows(self, X, y_fit, rows, sample_weight):
        """Clone and fit the estimator on ``rows`` (sorted row indices)."""
        weights = None if sample_weight is None else sample_weight[rows]
        estimator = clone(self.estimator)
        return estimator.fit(
            _safe_indexing(X, rows),
            y_fit[rows],
            **sample_weight_fit_params(estimator, weights),
        )

    def _cross_fit(self, X, y_fit, labeled, codes, sample_weight):
        """Out-of-fold probabilities of the labeled rows, and their folds."""
        if self.cv is None or isinstance(self.cv, Integral):
            n_splits = min(
                5 if self.cv is None else self.cv, int(np.bincount(codes).min())
            )
            if n_splits < 2:
                warn_once(
                    "A labeled class has a single row, so the classifier cannot be "
                    "cross-fitted on the labeled rows: pseudo-labels are selected "
                    "on uncalibrated probabilities and rollback is off. Label at "
                    "least two rows per class to calibrate. (To cross-validate, "
                    "use sklabels.semi_supervised.LabeledKFold: it stratifies "
                    "the labeled rows and tests on them only.)",
                    UserWarning,
                    stacklevel=3,
                )
                return None
            splitter = stratified_folds(n_splits, self.random_state)
        else:
            splitter = check_cv(self.cv, codes, classifier=True)
        folds = [
            (labeled[train], labeled[test])
            for train, test in splitter.split(np.zeros(codes.size), codes)
        ]
        classes_index = pd.Index(self.classes_)
        probas = cross_fit(
            _fit_fold,
            [
                (clone(self.estimator), X, y_fit, sample_weight, tr, te, classes_index)
                for tr, te in folds
            ],
            n_jobs=self.n_jobs,
            progress=Progress(self, self.verbose),
        )
        position = np.empty(y_fit.shape[0], dtype=np.intp)
        position[labeled] = np.arange(labeled.size)
        oof = np.empty((labeled.size, self.classes_.size))
        for (_, test), proba in zip(folds, probas, strict=True):
            oof[position[test]] = proba
        return check_finite_proba(
            oof, self.estimator, labeled, purpose=_NO_SELECTION
        ), folds

    def _proba_in_class_order(self, estimator, X):
        proba = estimator.predict_proba(X)
        inner = np.asarray(estimator.classes_)
        if inner.shape == self.classes_.shape and np.array_equal(inner, self.classes_):
            return proba
        full = np.zeros((proba.shape[0], self.classes_.size))
        full[:, pd.Index(self.classes_).get_indexer(inner)] = proba
        return full

    def _pseudo_label(
        self,
        X,
        y_fit,
        labeled,
        unlabeled,
        prior,
        sample_weight,
        final_weight,
        n_ramp,
    ):
        """The rounds: predict, select, refit, until a stopping rule holds."""
        X_unlabeled = _safe_indexing(X, unlabeled)
        n_unlabeled = unlabeled.size
        select = _CRITERIA[self.criterion]
        selected = np.zeros(n_unlabeled, dtype=bool)
        pseudo = np.full(n_unlabeled, -1, dtype=np.intp)
        given_at = np.full(n_unlabeled, -1, dtype=np.intp)
        n_refit = 0
        progress = Progress(self, self.verbose)
        self._final_weight = 1.0
        while True:
            if self.max_iter is not None and self.n_iter_ >= self.max_iter:
                self.termination_condition_ = "max_iter"
                break
            if self.freeze and selected.all():
                self.termination_condition_ = "all_labeled"
                break
            proba = _apply_temperature(
                check_finite_proba(
                    self._proba_in_class_order(self.estimator_, X_unlabeled),
                    self.estimator_,
                    unlabeled,
                    purpose=_NO_SELECTION,
                ),
                self.temperature_,
            )
            conf = proba.max(axis=1)
            pred = proba.argmax(axis=1)
            if self.freeze:  # frozen rows keep their class
                pred = np.where(selected, pseudo, pred)
                candidates, budget = ~selected, self.k_best
            else:
                candidates, budget = (
                    np.ones(n_unlabeled, bool),
                    self.k_best * (n_refit + 1),
                )
            new = select(
                candidates,
                conf,
                pred,
                threshold=self.threshold,
                budget=budget,
                prior=prior,
            )
            if self.freeze:
                new |= selected
            if self.balance and self.criterion != "class_balanced":
                kept = selected if self.freeze else None
                new = cap_to_prior(new, conf, pred, prior, kept=kept)
            new_pseudo = np.where(new, pred, -1)
            changed = (new != selected) | (new & (new_pseudo != pseudo))
            ramping = n_refit < n_ramp
            if not new.any():
                self.termination_condition_ = "none_selected"
                if selected.any():  # every pseudo-label withdrawn
                    selected, pseudo = new, new_pseudo
                    self.estimator_ = self._fit_rows(X, y_fit, labeled, sample_weight)
                    self.n_iter_ += 1
                    self._final_weight = 1.0
                break
            tol = self.tol if self.criterion == "threshold" else 0.0
            if changed.sum() <= tol * n_unlabeled and not ramping:
                self.termination_condition_ = (
                    "all_labeled" if selected.all() else "no_change"
                )
                break
            given_at[changed & new] = self.n_iter_
            selected, pseudo = new, new_pseudo
            n_refit += 1
            weight = final_weight * (min(1.0, n_refit / n_ramp) if n_ramp else 1.0)
            self.estimator_ = self._fit_pseudo(
                X,
                y_fit,
                labeled,
                unlabeled[selected],
                self.classes_[pseudo[selected]],
                sample_weight,
                weight,
            )
            self._final_weight = weight
            self.n_iter_ += 1
            progress.done(
                f"fit {self.n_iter_}: {int(selected.sum())} of {n_unlabeled} "
                f"unlabeled rows pseudo-labelled ({int(changed.sum())} "
                f"changed), weight {weight:g}"
            )
        self.labeled_iter_[unlabeled] = np.where(selected, given_at, -1)
        self.transduction_[unlabeled[selected]] = self.classes_[pseudo[selected]]

    def _fit_pseudo(
        self, X, y_fit, labeled, pseudo_rows, pseudo_labels, sample_weight, weight
    ):
        """Fit a clone on the labeled rows plus pseudo-labelled rows."""
        rows, weights, targets = _training_set(
            y_fit, labeled, pseudo_rows, pseudo_labels, sample_weight, weight
        )
        estimator = clone(self.estimator)
        return estimator.fit(
            _safe_indexing(X, rows),
            targets,
            **sample_weight_fit_params(estimator, weights),
        )

    def _worse_than_supervised(
        self, X, y_fit, labeled, unlabeled, codes, sample_weight, oof
    ):
        """Held-out accuracy on the labeled folds: pseudo-labels vs none."""
        pseudo_rows = unlabeled[self.labeled_iter_[unlabeled] > 0]
        if pseudo_rows.size == 0:
            return False
        proba, folds = oof
        pseudo_labels = self.transduction_[pseudo_rows]
        position = np.empty(y_fit.shape[0], dtype=np.intp)
        position[labeled] = np.arange(labeled.size)
        predictions = cross_fit(
            _fit_predict_fold,
            [
                (
                    clone(self.estimator),
                    X,
                    _training_set(
                        y_fit,
                        train,
                        pseudo_rows,
                        pseudo_labels,
                        sample_weight,
                        self._final_weight,
                    ),
                    test,
                )
                for train, test in folds
            ],
            n_jobs=self.n_jobs,
            progress=Progress(self, self.verbose),
        )
        pseudo_hits = np.zeros(labeled.size, dtype=bool)
        for (_, test), pred in zip(folds, predictions, strict=True):
            pseudo_hits[position[test]] = pred == y_fit[test]
        supervised_hits = proba.argmax(axis=1) == codes
        weights = None if sample_weight is None else sample_weight[labeled]
        return np.average(pseudo_hits, weights=weights) < np.average(
            supervised_hits, weights=weights
        )

    # -- prediction ----------------------------------------------------------

    predict = delegated_method(
        "predict",
        "Predict the class of each row with the final estimator.",
        "y_pred : ndarray of shape (n_samples,)\n    Predicted classes, from "
        "``classes_``.",
    )

    @available_if(estimator_has("predict_proba"))
    def predict_proba(self, X):
        """Class probabilities from the final estimator.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            One column per entry of ``classes_``. Not temperature-scaled: the
            temperature only serves the selection of pseudo-labels.
        """
        check_is_fitted(self)
        return self._proba_in_class_order(self.estimator_, X)

    predict_log_proba = delegated_method(
        "predict_log_proba",
        "Log of the class probabilities from the final estimator.",
        "log_proba : ndarray of shape (n_samples, n_classes)\n    One column per "
        "entry of ``classes_``.",
    )

    decision_function = delegated_method(
        "decision_function",
        "Decision function of the final estimator.",
        "scores : ndarray of shape (n_samples,) or (n_samples, n_classes)\n    "
        "The estimator's scores.",
    )

    def score(self, X, y, sample_weight=None):
        """Accuracy on the labeled rows of ``(X, y)``; unlabeled rows are skipped.

        scikit-learn's ``SelfTrainingClassifier.score`` compares predictions
        with the unlabeled marker too; here rows marked ``unlabeled`` (or
        None / NaN) do not count, so ``cross_val_score`` and ``GridSearchCV``
        with their default scoring measure what they should. A scoring
        string (``scoring="f1_macro"``) does not go through this method:
        use ``cv=LabeledKFold(...)``, whose test folds hold labeled rows
        only.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Test samples.

        y : array-like of shape (n_samples,)
            True labels, possibly with unlabeled rows.

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
